"""The join page: one notebook for every lesson, so one warm kernel pool serves them all.

Students open ``join.ipynb?code=ABC123``. The kernel does not need to know the code before the
page is requested: the page's own address is reported by the browser (``PageAddress``), the
session's lesson is looked up, and only then is that lesson's :class:`LessonPlayer` built. So a
preheated kernel can run this notebook to the end before anyone asks for it and then wait idle;
Voilà's ``wait_for_request()`` (a blocked cell per pooled kernel, and one pool per lesson
notebook) is not needed. See docs/server.md "Warm pool". What every lesson starts with, the
anonymity notice (:class:`IntroScreen`), is built before the request: the student reads it
while the join is handled; a wrong code replaces it with the code form.

Without a pool, Voilà hands the kernel the request's query string (``QUERY_STRING``); it is used
at once, and the browser's report that follows is ignored.
"""

from __future__ import annotations

import contextlib
import logging
import os

import anywidget
import ipywidgets as w
import traitlets

from beeldwijs.content import Library
from beeldwijs.content.cache import cached_lesson
from beeldwijs.content.help import routes_for
from beeldwijs.errors import ContentError, SessionClosed, StoreUnavailable, UnknownSession
from beeldwijs.store import ResponseStore, normalise_code
from beeldwijs.texts import language, set_language, student_language, t
from beeldwijs.ui import lean
from beeldwijs.ui.query import code_from_query
from beeldwijs.ui.style import stylesheet
from beeldwijs.widgets.bounded import Bounded
from beeldwijs.widgets.browser_token import TOKEN_JS
from beeldwijs.widgets.code_form import code_form
from beeldwijs.widgets.help_panel import HelpPanel
from beeldwijs.widgets.intro import IntroScreen
from beeldwijs.widgets.language import LANGUAGE_COOKIE, PageLanguage
from beeldwijs.widgets.player import LessonPlayer

log = logging.getLogger("beeldwijs")

#: As ``LessonPlayer.for_lesson``: students follow the mentor's pace and new rounds.
POLL_SECONDS = 2.0

_ESM = (
    TOKEN_JS
    + """
function render({ model, el }) {
  el.style.display = "none";
  keepAlive(model);
  if (model.get("query")) return;
  const query = window.location.search.replace(/^\\?/, "").slice(0, 200);
  // the language the student chose before in this browser session (widgets/language.py)
  const lang = (document.cookie.match(/(?:^|; )@COOKIE@=([a-z]{2,3})(?:;|$)/) || [])[1];
  if (lang) model.set("lang", lang);
  const code = (new URLSearchParams(query).get("code") || "").toUpperCase()
    .replace(/[^A-Z0-9]/g, "").slice(0, 12);
  // one message with the address and the participant token: one round trip less to join
  if (code) model.set("token", readOrCreate("beeldwijs:" + code));  // as BrowserToken
  model.set("query", query);
  model.save_changes();
}
export default { render };
""".replace("@COOKIE@", LANGUAGE_COOKIE)
)


class PageAddress(Bounded, anywidget.AnyWidget):
    """Invisible widget: the browser reports the page's query string (``?code=…``) and, for
    that code, the participant token kept in its localStorage (see BrowserToken)."""

    _esm = _ESM
    layout = lean.no_model(w.Layout)
    query = traitlets.Unicode("", help="the page's query string, without '?'").tag(sync=True)
    token = traitlets.Unicode("", help="the browser's token for the code in the query").tag(
        sync=True
    )
    lang = traitlets.Unicode("", help="the language chosen before (its cookie), '' if none").tag(
        sync=True
    )


class JoinApp(lean.VBox):
    """Finds the lesson of a session code and shows its :class:`LessonPlayer`."""

    def __init__(
        self,
        library: Library,
        store: ResponseStore,
        query: str | None = None,
        *,
        poll_seconds: float | None = None,
    ) -> None:
        self.library = library
        self.store = store
        self.player: LessonPlayer | None = None
        self._poll_seconds = poll_seconds  # the player follows the mentor's pace (for_page: 2 s)
        self._form_shown = False
        self._query_used: str | None = None
        self.address = PageAddress()
        self.address.observe(self._on_address, names="query")
        self.page = PageLanguage()  # the lesson's language choice drives it, once there
        # the first screen of every lesson, built before the request: read while joining
        self.intro = IntroScreen()
        self.help = HelpPanel()
        super().__init__(
            [self.address, self.page, _first_screen(self.intro, self.help)],
            _dom_classes=("bw-join-app",),
        )
        if query is not None:
            self._open(code_from_query(query))

    @classmethod
    def for_page(cls) -> JoinApp:
        """The app the join notebook shows: the code from the request when Voilà gave it."""
        preheated = os.environ.get("VOILA_PREHEAT") == "True"
        query = None if preheated else os.environ.get("QUERY_STRING", "")
        library = Library()
        if preheated:  # a pooled kernel waits for its student: do now what does not need them
            _warm_up(library)
        return cls(library, ResponseStore(), query, poll_seconds=POLL_SECONDS)

    def _on_address(self, _change: object = None) -> None:
        self._use_language(student_language(self.address.lang))
        if self.player is None and not self._form_shown:
            self._query_used = self.address.query
            self._open(code_from_query(self.address.query))

    def _use_language(self, code: str) -> None:
        """The language the student chose before in this browser session (a reload, another
        lesson): the screen on show follows it; the lesson's language choice starts in it."""
        if code == language():
            return
        if self.player is not None:  # Voilà gave the code before the browser's report
            self.player.language.value = code
            return
        set_language(code)
        self.page.follow()
        self.intro.relabel()
        self.help.relabel()

    def _open(self, raw_code: str) -> None:
        """Show the lesson of ``raw_code``, or the join form with the reason it cannot."""
        code = normalise_code(raw_code)
        if not code:
            self._show_form(t("join.empty"))
            return
        try:
            session = self.store.open_session(code)
            lesson = cached_lesson(self.library, session.lesson_id)
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
            # the browser sent its token with the address: join now (BrowserToken, when it
            # renders, finds the same token in localStorage and sends nothing)
            sent = self.address.token if self.address.query == self._query_used else ""
            self.player = LessonPlayer(
                lesson,
                self.store,
                session.code,
                poll_seconds=self._poll_seconds,
                intro=self.intro,
                token=sent,
                page=self.page,
            )
            self.children = [self.address, self.player]

    def _show_form(self, message: str) -> None:
        self._form_shown = True
        form = [stylesheet(), *code_form(message, self._open), HelpPanel()]
        self.children = [self.address, self.page, lean.VBox(form, _dom_classes=("bw-app",))]


def _warm_up(library: Library) -> None:
    """Load what every student needs before the request: cached lessons and help routes."""
    with contextlib.suppress(Exception):  # a problem shows up again, in place, when needed
        ids = library.lesson_ids()
        if ids:
            cached_lesson(library, ids[0])
        routes_for()


def _first_screen(intro: IntroScreen, help_panel: HelpPanel) -> w.VBox:
    """Shown until the browser has reported its address (a moment): the anonymity notice and
    the ground rules of every lesson, and help."""
    return lean.VBox([stylesheet(), intro, help_panel], _dom_classes=("bw-app",))
