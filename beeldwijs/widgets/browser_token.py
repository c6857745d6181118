"""A participant token kept in the student's browser (localStorage), one per session code.

The token is random, made in the browser, and never leaves it except as the participant id of
this session's answers; tokens differ between sessions, so answers cannot be linked across lessons.
A reload of the page gives the same token, so the student continues instead of counting twice.

After the lesson the token goes (``forget``): on the end screen it is replaced by the marker
``done`` (a reload shows the end again instead of a second, uncounted-for participant), and when
the session is closed it is removed. The store replaces its copy at closing, so neither the
device nor the database can link a device to its answers afterwards (docs/privacy.md).
"""

from __future__ import annotations

import re

import anywidget
import ipywidgets
import traitlets

from beeldwijs.ui import lean
from beeldwijs.widgets.bounded import Bounded

TOKEN_PATTERN = re.compile(r"^[0-9a-f]{32}$")
#: What the browser keeps instead of the token once the student saw the end screen.
DONE = "done"

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
  if (token === "done") return token;  // this device finished the lesson (BrowserToken.forget)
  if (!token || !/^[0-9a-f]{32}$/.test(token)) {
    token = makeToken();
    try { window.localStorage.setItem(key, token); } catch (e) { /* private mode: per page */ }
  }
  return token;
}
function keepAlive(model) {
  // The student server may stop the kernel of a page that sent nothing for minutes
  // (beeldwijs.serve.admission): a page that is on screen says it is there once a minute.
  if (window.beeldwijsBeat) return;
  window.beeldwijsBeat = setInterval(() => {
    if (document.visibilityState === "visible") {
      try { model.send({ beat: 1 }); } catch (e) { /* the connection is gone: the banner says so */ }
    }
  }, 60000);
}
"""  # noqa: S105 - JavaScript that makes a token, not a secret

_ESM = (
    TOKEN_JS
    + """
function render({ model, el }) {
  el.style.display = "none";
  keepAlive(model);
  const sync = () => {
    const key = model.get("storage_key");
    if (!key) return;
    const token = readOrCreate(key);
    if (model.get("token") !== token) {
      model.set("token", token);
      model.save_changes();
    }
  };
  const forget = () => {
    const how = model.get("forget"), key = model.get("storage_key");
    if (!how || !key) return;
    try {
      if (how === "done") window.localStorage.setItem(key, "done");
      else window.localStorage.removeItem(key);
    } catch (e) { /* private mode: nothing was kept */ }
  };
  model.on("change:storage_key", sync);
  model.on("change:forget", forget);
  if (!model.get("forget")) sync();
  forget();
}
export default { render };
"""
)


class BrowserToken(Bounded, anywidget.AnyWidget):
    """Invisible widget: set ``storage_key``; the browser answers with ``token``."""

    _esm = _ESM
    layout = lean.no_model(ipywidgets.Layout)
    storage_key = traitlets.Unicode("", help="localStorage key, e.g. 'beeldwijs:ABC123'").tag(
        sync=True
    )
    token = traitlets.Unicode("", help="32 hex characters made by the browser").tag(sync=True)
    forget = traitlets.Unicode(
        "", help="'done': keep only the marker DONE; 'closed': keep nothing for this code"
    ).tag(sync=True)

    @property
    def valid_token(self) -> str | None:
        """The token if it has the expected shape (the browser can send anything)."""
        return self.token if TOKEN_PATTERN.match(self.token) else None
