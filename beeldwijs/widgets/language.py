"""The student's choice of language for the screens' own texts (buttons, notice, help, messages).

A radio group at the top of the student app, on the notice screen and after it: a newcomer picks
English or Ukrainian before reading the notice and can switch back at any moment. The choice is
this kernel's (one kernel per student page): :func:`beeldwijs.texts.set_language`, after which the
player redraws what is on screen in the new language and keeps what the student chose or typed.
Scenario texts stay Dutch. The group's name is written in every language it offers, each
language's name in that language (marked with its ``lang``).

The page then says which language it is in (WCAG 3.1.1): :class:`PageLanguage` sets ``lang``
and ``dir`` on ``<html>``, so the chrome is read with the right voice and a right-to-left
language mirrors it; the content stays marked Dutch, left to right (ui/lang.py). It also leaves
the page's own "connection lost" banner its texts in that language (the banner shows when the
kernel can no longer send anything), and the choice in a cookie of the browser session
(:data:`LANGUAGE_COOKIE`: the language code only, never stored on the server) so the code page
and a reload speak it too (docs/texts.md).
"""

from __future__ import annotations

from collections.abc import Callable

import anywidget
import ipywidgets
import traitlets

from beeldwijs.texts import STUDENT_LANGUAGES, direction, language, set_language, t
from beeldwijs.ui import lean
from beeldwijs.ui.choice import ChoiceGroup

#: The browser-session cookie with the student's language (read by the code page and on a reload).
LANGUAGE_COOKIE = "beeldwijs-taal"

_ESM = """
const COOKIE = "@COOKIE@";
function render({ model, el }) {
  el.style.display = "none";
  const apply = () => {
    const root = document.documentElement;
    root.lang = model.get("lang");
    root.dir = model.get("dir");
    const banner = model.get("banner");  // the "connection lost" banner (the page template)
    root.dataset.bwDisconnected = banner.disconnected || "";
    root.dataset.bwReload = banner.reload || "";
  };
  model.on("change", () => {  // a choice, not the first render (the page reads the old one)
    apply();
    const lang = encodeURIComponent(model.get("lang"));
    document.cookie = COOKIE + "=" + lang + "; path=/; SameSite=Lax";
  });
  apply();
}
export default { render };
""".replace("@COOKIE@", LANGUAGE_COOKIE)


def _banner() -> dict[str, str]:
    return {"disconnected": t("admission.disconnected"), "reload": t("admission.reload")}


class PageLanguage(anywidget.AnyWidget):
    """Invisible: the page's ``<html lang dir>`` follows the language in use."""

    _esm = _ESM
    layout = lean.no_model(ipywidgets.Layout)
    lang = traitlets.Unicode("nl", help="the chrome's language").tag(sync=True)
    dir = traitlets.Unicode("ltr", help="its writing direction: ltr or rtl").tag(sync=True)
    banner = traitlets.Dict(help="the connection-lost banner's texts").tag(sync=True)

    def __init__(self) -> None:
        super().__init__(lang=language(), dir=direction(), banner=_banner())

    def follow(self) -> None:
        """Say the language now in use (one message)."""
        with self.hold_sync():
            self.lang, self.dir, self.banner = language(), direction(), _banner()


class LanguageChoice(ChoiceGroup):
    """``on_change()`` runs after the language changed; an unknown value is refused. Place
    :attr:`page` in the app too: it tells the page which language it is in."""

    def __init__(self, on_change: Callable[[], None], page: PageLanguage | None = None) -> None:
        super().__init__(
            legend=t("intro.language"),
            options=list(STUDENT_LANGUAGES.items()),
            option_langs={code: code for code in STUDENT_LANGUAGES},
            value=language(),
            _dom_classes=("bw-language",),
        )
        self.page = page or PageLanguage()
        self._on_change = on_change
        self.observe(self._picked, names="value")

    def _picked(self, change: dict[str, object]) -> None:
        code = str(change["new"])
        if code not in STUDENT_LANGUAGES:  # a forged value: keep the language in use
            self.value = language()
            return
        if code != language():
            set_language(code)
            self.page.follow()
            self._on_change()
