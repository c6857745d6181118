"""The student app: join a session, read each scenario, answer its questions one by one.

Screens: join (only when the code is missing or unusable) → anonymity notice and ground rules
(:class:`IntroScreen`, on screen while the student joins) →
each question with its scenario's story above it (one screen: the student scrolls down to it) → end.
The help panel stays below every screen.
A participant who reloads the page gets the same browser token and continues at the first
question without an answer in its current round.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable
from urllib.parse import quote

from beeldwijs.content import Library
from beeldwijs.content.model import Lesson, Question, Scenario, question_path
from beeldwijs.content.names import decode, renamed
from beeldwijs.errors import (
    SessionClosed,
    SessionError,
    StoreUnavailable,
    UnknownSession,
    WrongLesson,
)
from beeldwijs.store import UNDO_MINUTES, ResponseStore, Session, Submission, normalise_code
from beeldwijs.texts import language, t
from beeldwijs.ui import lean
from beeldwijs.ui.html import html
from beeldwijs.ui.lang import translated
from beeldwijs.ui.query import code_from_query, request_query_string
from beeldwijs.ui.style import stylesheet
from beeldwijs.widgets.browser_token import DONE, BrowserToken
from beeldwijs.widgets.card import ScenarioCard
from beeldwijs.widgets.code_form import code_form
from beeldwijs.widgets.help_panel import HelpPanel
from beeldwijs.widgets.intro import IntroScreen
from beeldwijs.widgets.language import LanguageChoice, PageLanguage
from beeldwijs.widgets.question import QuestionView
from beeldwijs.widgets.reading import ReadingAid, reading_labels
from beeldwijs.widgets.recap import recap_html

log = logging.getLogger("beeldwijs")

#: Under the student's own pace the player follows only re-votes and the end of the session, so
#: it asks the store this many times less often than under the mentor's pace: each ask costs a
#: kernel ≈ 0.7 ms of CPU in a year group (docs/decisions.md, "Performance and scale").
STUDENT_PACE_SLOWER = 3


class LessonPlayer(lean.VBox):
    """Plays ``lesson`` for one student, writing anonymous answers to ``store``."""

    def __init__(
        self,
        lesson: Lesson,
        store: ResponseStore,
        code: str = "",
        *,
        poll_seconds: float | None = None,
        intro: IntroScreen | None = None,
        token: str = "",
        page: PageLanguage | None = None,
    ) -> None:
        """``token``: the browser's participant token when the page already sent it (the join
        page); otherwise the browser sends it once it renders the token widget. ``page``: the
        join page's own :class:`PageLanguage`, which the language choice then drives."""
        self.lesson = lesson
        self._source_lesson, self._names = lesson, ""  # the mentor's name swaps (names.py)
        self.store = store
        self.code = ""
        self.participant = ""
        self._answered: dict[str, str] = {}
        self._steps: list[tuple[Scenario, Question]] = []
        self._card: ScenarioCard | None = None  # one story widget, reused while on its scenario
        self._position = 0
        self.pace = "student"
        self.allowed_step = 0  # presenter pace: index of the last question the class may answer
        self._waiting_at: int | None = None
        self._finished = False
        self._answered_round: dict[str, int] = {}  # question key → round it was answered in
        self._revotes: list[Question] = []  # questions the mentor reopened (vote → discuss → vote)
        self._explained: frozenset[str] = frozenset()  # expert views the mentor has shown
        self._closed = False  # the mentor closed the lesson: every expert view is released
        self._closed_seen = 0.0  # time.monotonic() when this device saw the close
        self._finished_at_close = False  # on the end screen already when the mentor closed
        self._view: QuestionView | None = None  # the question on screen
        self._recap: lean.HTML | None = None  # the end screen's expert views (made at the end)
        self._poll_seconds = poll_seconds
        self._stop = threading.Event()
        self._lock = threading.RLock()

        self.screen = lean.VBox(_dom_classes=("bw-screen",))
        self.help_panel = HelpPanel(lesson.participants, audience=lesson.audience)
        self.intro = intro or IntroScreen()  # the join page's, already on screen there
        self.language = LanguageChoice(on_change=self._relabel, page=page)
        self.reading = ReadingAid()
        self.browser_token: BrowserToken | None = None
        self._try_code(code)  # first, so the token widget is made with its storage key
        self.browser_token = BrowserToken(storage_key=self._storage_key(), token=token)
        self.browser_token.observe(self._on_token, names="token")
        # a team session's own texts (notice, decisions, verdicts) are Dutch only: no choice there
        choosable = lesson.participants != "staff"
        super().__init__(  # made whole (lean.py)
            [
                stylesheet(),
                self.browser_token,
                self.reading,
                self.language.page,
                *([self.language] if choosable else []),
                self.screen,
                self.help_panel,
            ],
            _dom_classes=("bw-app",),
        )
        if not choosable and language() != "nl":  # the join page started in the browser's choice
            self.language.value = "nl"
        if token:
            self._on_token()

    @classmethod
    def for_lesson(cls, lesson_id: str) -> LessonPlayer:
        """The player a lesson notebook shows: content from disk, code from the join URL."""
        return cls(
            Library().lesson(lesson_id),
            ResponseStore(),
            code_from_query(request_query_string()),
            poll_seconds=2.0,
        )

    # -- joining ------------------------------------------------------------------------------
    def _try_code(self, raw_code: str) -> None:
        code = normalise_code(raw_code)
        if not code:
            self._show_join(t("join.empty"))
            return
        try:
            session = self.store.open_session(code, self.lesson.id)
        except UnknownSession:
            self._show_join(t("join.unknown", code=code))
        except SessionClosed:
            self._show_join(t("join.closed", code=code))
        except WrongLesson as exc:
            self._show_wrong_lesson(code, exc.lesson_id)
        except StoreUnavailable:
            log.warning("store unavailable while joining")
            self._show_join(t("join.store_down"))
        else:
            self.code = session.code
            self.pace, self.allowed_step = session.pace, session.step
            self._explained = session.explained()
            self._use_names(session.names)
            # read while the browser sends its token
            self.intro.show_title(
                self.lesson.title, groups=session.mode == "groups", who=self.lesson.participants
            )
            self.screen.children = [self.intro]
            if self.browser_token is not None:  # a code typed into the form
                self.browser_token.storage_key = self._storage_key()

    def _storage_key(self) -> str:
        return f"beeldwijs:{self.code}" if self.code else ""

    def _show_join(self, message: str) -> None:
        self.screen.children = code_form(message, self._try_code)

    def _show_wrong_lesson(self, code: str, lesson_id: str) -> None:
        link = f"{quote(lesson_id)}.ipynb?code={quote(code)}"
        text = translated("join.wrong_lesson", code=code, url=html('<a href="{0}">{0}</a>', link))
        self.screen.children = [
            lean.HTML(html("<h2>{}</h2>", t("join.heading"))),
            lean.HTML(html('<p class="bw-error bw-join-message">{}</p>', text)),
        ]

    def _on_token(self, _change: object = None) -> None:
        if self.participant or not self.code or self.browser_token is None:
            return
        if self.browser_token.token == DONE:  # this device finished the lesson before
            self._show_end()
            self._start_polling()  # its recap follows the mentor's "Toon uitleg"
            return
        # The browser can send anything: an odd token gets a fresh server-made one (no resume).
        token = self.browser_token.valid_token or secrets.token_hex(16)
        try:
            self.store.join(self.code, token)
            self._answered = self.store.answers_of(self.code, token)
            rounds = self.store.current_rounds(self.code)
        except StoreUnavailable:
            self._show_join(t("join.store_down"))
            return
        except SessionError:
            self._show_join(t("join.closed", code=self.code))
            self.browser_token.forget = "closed"
            return
        self.participant = token
        self._answered_round = {key: rounds.get(key, 1) for key in self._answered}
        self._steps = self._plan()
        self.intro.ready(resumed=bool(self._answered), on_begin=lambda: self._show_step(0))
        self._start_polling()

    # -- the lesson ---------------------------------------------------------------------------
    def _plan(self) -> list[tuple[Scenario, Question]]:
        """Each question that has no answer yet, with its scenario (shown above it)."""
        return [
            (scenario, q)
            for scenario in self.lesson.scenarios
            for q in scenario.questions
            if q.key not in self._answered
        ]

    def _show_step(self, position: int) -> None:
        with self._lock:
            self._position = position
            self._waiting_at = None
            if self._revotes:
                self._show_revote()
                return
            if position >= len(self._steps):
                self._show_end()
                return
            scenario, question = self._steps[position]
            if question not in question_path(scenario, self._answered):
                self._show_step(position + 1)  # a branch of a staff decision passed it by
                return
            self.help_panel.show_for(scenario.help_routes)
            if self._card is None:
                self._card = ScenarioCard(scenario)
            self._card.show(scenario)
            if not self._may_answer(question):
                self._waiting_at = position  # the story is there to read while the class waits
                self.screen.children = [
                    self._card,
                    lean.HTML(html('<div class="bw-waiting"><p>{}</p></div>', t("pace.waiting"))),
                ]
                return
            view = self._question_view(question, lambda: self._show_step(position + 1))
            self.screen.children = [self._card, view]

    def _may_answer(self, question: Question) -> bool:
        if self.pace != "presenter":
            return True
        return self.lesson.questions.index(question) <= self.allowed_step

    def _question_view(self, question: Question, on_next: Callable[[], None]) -> QuestionView:
        self._view = QuestionView(
            question,
            number=self.lesson.questions.index(question) + 1,
            total=len(self.lesson.questions),
            save=lambda value, sid: self._save(question, value, sid),
            on_next=on_next,
            hold=lambda: self._holds_expert_view(question),
        )
        return self._view

    def _holds_expert_view(self, question: Question) -> bool:
        """At the mentor's pace the class discusses first: the expert view waits for the mentor
        (docs/decisions/expert-view-after-the-discussion.md). At the student's own pace it
        follows the answer at once, as it always did."""
        if self._closed:  # the lesson is over: the safety lines reach everyone (recap)
            return False
        return self.pace == "presenter" and question.key not in self._explained

    # -- presenter pace: follow the mentor ----------------------------------------------------
    def _start_polling(self) -> None:
        if self._poll_seconds is None:
            return
        thread = threading.Thread(target=self._poll, name="beeldwijs-pace", daemon=True)
        thread.start()

    def poll_interval(self) -> float:
        """Seconds between two looks at the mentor's session (the pace is read at each look)."""
        assert self._poll_seconds is not None  # noqa: S101
        if self.pace == "presenter":
            return self._poll_seconds
        return self._poll_seconds * STUDENT_PACE_SLOWER

    def _poll(self) -> None:
        while not self._stop.wait(self.poll_interval()):
            try:
                self.follow(self.store.session(self.code), self.store.current_rounds(self.code))
            except Exception:  # a hiccup: try again at the next tick
                log.warning("pace poll failed", exc_info=True)

    def follow(self, session: Session, rounds: dict[str, int] | None = None) -> None:
        """Follow the mentor: pace and step, and questions reopened for a new round."""
        with self._lock:
            if not session.is_open:
                self._at_close()
                return
            if self._closed:  # the mentor undid the close
                self._at_undo()
            self.pace, self.allowed_step = session.pace, session.step
            self._explained = session.explained()
            view = self._view
            if view is not None and view.held and view.question.key in self._explained:
                view.release()
            if self._finished and self._recap is not None:  # the mentor may show more
                self._recap.value = self._recap_html()
            if session.names != self._names:
                self._use_names(session.names)
                if self._card is not None and not self._finished:
                    self._show_step(self._position)  # the same screen, with the new names
            for question in self.lesson.questions:
                reopened = (rounds or {}).get(question.key, 1)
                answered_in = self._answered_round.get(question.key)
                reopened_since = answered_in is not None and reopened > answered_in
                if reopened_since and question not in self._revotes:
                    self._revotes.append(question)
            if self._finished and self._revotes:
                self._show_step(self._position)
            elif self._waiting_at is not None:
                _, waiting_for = self._steps[self._waiting_at]
                opened = self._may_answer(waiting_for)
                if self._revotes or opened:
                    self._show_step(self._waiting_at)

    def _at_close(self) -> None:
        """No more answers: the end screen with every expert view released (the safety lines
        reach every student). The device keeps looking while the mentor may still undo the close
        (:data:`UNDO_MINUTES`), then stops."""
        if self.browser_token is not None:
            self.browser_token.forget = "closed"
        if not self._closed and (self.participant or self._finished):
            self._closed, self._closed_seen = True, time.monotonic()
            self._finished_at_close = self._finished
            self._show_end()
        if not self._closed or time.monotonic() - self._closed_seen > UNDO_MINUTES * 60:
            self._stop.set()

    def _at_undo(self) -> None:
        """The lesson is open again: back where the student was (the first question still without
        an answer), or to the end screen as it was before the close."""
        self._closed = False
        if self._finished_at_close:
            self._show_end()
            return
        self._finished = False
        position = next(
            (i for i in range(self._position, len(self._steps))
             if self._steps[i][1].key not in self._answered),
            len(self._steps),
        )  # fmt: skip
        self._show_step(position)

    def _use_names(self, names: str) -> None:
        """Show the lesson with the session's name swaps (keys and answers stay the same)."""
        self._names = names
        self.lesson = renamed(self._source_lesson, decode(names))
        by_id = {s.id: s for s in self.lesson.scenarios}
        self._steps = [(by_id[s.id], by_id[s.id].question(q.id)) for s, q in self._steps]
        self._revotes = [self.lesson.question(q.key) for q in self._revotes]

    def _show_revote(self) -> None:
        view = self._question_view(self._revotes[0], self._after_revote)
        self._finished = False
        notice = lean.HTML(html('<p class="bw-notice bw-revote">{}</p>', t("pace.revote")))
        self.screen.children = [notice, view]

    def _after_revote(self) -> None:
        with self._lock:
            if self._revotes:
                self._revotes.pop(0)
            self._show_step(self._position)

    def _relabel(self) -> None:
        """The student picked another language: what is on screen again in it, nothing lost
        (scenario texts stay Dutch)."""
        with self._lock:
            self.help_panel.relabel()
            self.intro.relabel()
            if self._card is not None:
                self._card.relabel()
            self.reading.labels = reading_labels()
            if self._finished:
                self._show_end()
            elif self._waiting_at is not None:
                self._show_step(self._waiting_at)
            else:
                children = list(self.screen.children)
                for i, child in enumerate(children):
                    if isinstance(child, QuestionView):
                        children[i] = child.again()
                        if child is self._view:  # the expert view is released on the new one
                            self._view = children[i]
                self.screen.children = children

    def _save(self, question: Question, value: str, submission_id: str) -> bool:
        stored = self.store.submit(
            Submission(self.code, self.participant, question.key, value, submission_id)
        )
        self._answered[question.key] = value
        self._answered_round[question.key] = self.store.current_round(self.code, question.key)
        return stored

    def _show_end(self) -> None:
        self._finished = True  # polling goes on: the mentor may reopen a question
        if self.browser_token is not None and not self.browser_token.forget:
            self.browser_token.forget = "done"
        self.help_panel.show_for((), expanded=True)  # aftercare: the routes in view
        if self._recap is None:
            self._recap = lean.HTML(self._recap_html(), _dom_classes=("bw-recap-box",))
        else:
            self._recap.value = self._recap_html()
        self.screen.children = [
            lean.HTML(
                html(
                    '<div class="bw-end"><h2>{}</h2><p>{}</p><p>{}</p></div>',
                    t("end.heading"),
                    t("end.body_closed" if self._closed else "end.body"),
                    t("end.help"),
                )
            ),
            self._recap,
        ]

    def _recap_html(self) -> str:
        """What experts say per question, as far as it is released (widgets/recap.py)."""
        return recap_html(
            self.lesson, lambda q: not self._holds_expert_view(q), closed=self._closed
        )
