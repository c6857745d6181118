"""A participant token kept in the student's browser (localStorage), one per session code.

The token is random, made in the browser, and never leaves it except as the participant id of
this session's answers; tokens differ between sessions, so answers cannot be linked across lessons.
A reload of the page gives the same token, so the student continues instead of counting twice.
"""

from __future__ import annotations

import re

import anywidget
import ipywidgets
import traitlets

from beeldwijs.widgets import lean

TOKEN_PATTERN = re.compile(r"^[0-9a-f]{32}$")

#: The token in localStorage under a key: shared with the join page (widgets/join.py).
TOKEN_JS = """
function makeToken() {
  // crypto.getRandomValues also works on plain http (school Wi-Fi), crypto.randomUUID does not.
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
function readOrCreate(key) {
  let token = null;
  try { token = window.localStorage.getItem(key); } catch (e) { token = null; }
  if (!token || !/^[0-9a-f]{32}$/.test(token)) {
    token = makeToken();
    try { window.localStorage.setItem(key, token); } catch (e) { /* private mode: per page */ }
  }
  return token;
}
"""

_ESM = (
    TOKEN_JS
    + """
function render({ model, el }) {
  el.style.display = "none";
  const sync = () => {
    const key = model.get("storage_key");
    if (!key) return;
    const token = readOrCreate(key);
    if (model.get("token") !== token) {
      model.set("token", token);
      model.save_changes();
    }
  };
  model.on("change:storage_key", sync);
  sync();
}
export default { render };
"""
)


class BrowserToken(anywidget.AnyWidget):
    """Invisible widget: set ``storage_key``; the browser answers with ``token``."""

    _esm = _ESM
    layout = lean.no_model(ipywidgets.Layout)
    storage_key = traitlets.Unicode("", help="localStorage key, e.g. 'beeldwijs:ABC123'").tag(
        sync=True
    )
    token = traitlets.Unicode("", help="32 hex characters made by the browser").tag(sync=True)

    @property
    def valid_token(self) -> str | None:
        """The token if it has the expected shape (the browser can send anything)."""
        return self.token if TOKEN_PATTERN.match(self.token) else None
