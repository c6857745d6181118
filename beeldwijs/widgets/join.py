"""The join page: one notebook for every lesson, so one warm kernel pool serves them all.

Students open ``join.ipynb?code=ABC123``. The kernel does not need to know the code before the
page is requested: the page's own address is reported by the browser (``PageAddress``), the
session's lesson is looked up, and only then is that lesson's :class:`LessonPlayer` built. So a
preheated kernel can run this notebook to the end before anyone asks for it and then wait idle;
Voilà's ``wait_for_request()`` (a blocked cell per pooled kernel, and one pool per lesson
notebook) is not needed. See docs/server.md "Warm pool".

Without a pool, Voilà hands the kernel the request's query string (``QUERY_STRING``); it is used
at once, and the browser's report that follows is ignored.
"""

from __future__ import annotations

import logging
import os
from html import escape

import anywidget
import ipywidgets as w
import traitlets

from beeldwijs.content import Library
from beeldwijs.errors import ContentError, SessionClosed, StoreUnavailable, UnknownSession
from beeldwijs.store import ResponseStore, normalise_code
from beeldwijs.texts import t
from beeldwijs.widgets.help_panel import HelpPanel
from beeldwijs.widgets.player import LessonPlayer, code_from_query
from beeldwijs.widgets.safe import guarded
from beeldwijs.widgets.style import stylesheet

log = logging.getLogger("beeldwijs")

_ESM = """
function render({ model, el }) {
  el.style.display = "none";
  if (!model.get("query")) {
    model.set("query", window.location.search.replace(/^\\?/, "").slice(0, 200));
    model.save_changes();
  }
}
export default { render };
"""


class PageAddress(anywidget.AnyWidget):
    """Invisible widget: the browser reports the page's query string (``?code=…``)."""

    _esm = _ESM
    query = traitlets.Unicode("", help="the page's query string, without '?'").tag(sync=True)


class JoinApp(w.VBox):
    """Finds the lesson of a session code and shows its :class:`LessonPlayer`."""

    def __init__(self, library: Library, store: ResponseStore, query: str | None = None) -> None:
        super().__init__()
        self.add_class("bw-join-app")
        self.library = library
        self.store = store
        self.player: LessonPlayer | None = None
        self._form_shown = False
        self.address = PageAddress()
        self.address.observe(self._on_address, names="query")
        self.children = [self.address, _waiting()]
        if query is not None:
            self._open(code_from_query(query))

    @classmethod
    def for_page(cls) -> JoinApp:
        """The app the join notebook shows: the code from the request when Voilà gave it."""
        preheated = os.environ.get("VOILA_PREHEAT") == "True"
        query = None if preheated else os.environ.get("QUERY_STRING", "")
        return cls(Library(), ResponseStore(), query)

    def _on_address(self, _change: object = None) -> None:
        if self.player is None and not self._form_shown:
            self._open(code_from_query(self.address.query))

    def _open(self, raw_code: str) -> None:
        """Show the lesson of ``raw_code``, or the join form with the reason it cannot."""
        code = normalise_code(raw_code)
        if not code:
            self._show_form(t("join.empty"))
            return
        try:
            session = self.store.open_session(code)
            lesson = self.library.lesson(session.lesson_id)
        except UnknownSession:
            self._show_form(t("join.unknown", code=code))
        except SessionClosed:
            self._show_form(t("join.closed", code=code))
        except StoreUnavailable:
            log.warning("store unavailable while joining")
            self._show_form(t("join.store_down"))
        except ContentError:
            log.exception("session %s names a lesson that cannot be loaded", code)
            self._show_form(t("error.generic"))
        else:
            self.player = LessonPlayer(lesson, self.store, session.code)
            self.children = [self.address, self.player]

    def _show_form(self, message: str) -> None:
        self._form_shown = True
        field = w.Text(placeholder="ABC123", description=t("join.code_label"))
        field.add_class("bw-code-input")
        button = w.Button(description=t("join.button"), button_style="primary")
        button.add_class("bw-join")
        status = w.HTML()

        @guarded(status, button=button)
        def join(_: object = None) -> None:
            self._open(field.value)

        button.on_click(join)
        form = w.VBox(
            [
                stylesheet(),
                w.HTML(f"<h2>{escape(t('join.heading'))}</h2>"),
                w.HTML(f'<p class="bw-error bw-join-message">{escape(message)}</p>'),
                field,
                button,
                status,
                HelpPanel(),
            ]
        )
        form.add_class("bw-app")
        self.children = [self.address, form]


def _waiting() -> w.HTML:
    return w.HTML(f'<p class="bw-progress">{escape(t("join.busy"))}</p>')
