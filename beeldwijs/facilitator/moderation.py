"""The mentor's moderation page for open answers: on the mentor's own phone, never on the projector.

It opens only from the link the dashboard shows (``?code=…&token=…``): the token is the session's
current moderation secret (beeldwijs.store), checked again before every action, so a link stops
working when the mentor makes a new one or the lesson closes. The page is served by the student
server too, because a phone cannot reach the dashboard's localhost-only server.

Every answer is masked (names, phone numbers, e-mail, @handles) and escaped before it is shown.
The mentor approves (it may then be projected), hides, or deletes it; deleting removes its bytes
from the database files (beeldwijs.store: ``secure_delete`` and a WAL checkpoint).
"""

from __future__ import annotations

from urllib.parse import parse_qs

import ipywidgets as w

from beeldwijs.content import Library
from beeldwijs.content.model import Lesson
from beeldwijs.errors import SessionError
from beeldwijs.facilitator.access import facilitator_store
from beeldwijs.facilitator.masking import mask_text
from beeldwijs.store import OpenAnswer, ResponseStore, normalise_code
from beeldwijs.texts import t
from beeldwijs.ui.html import html
from beeldwijs.ui.query import code_from_query, request_query_string
from beeldwijs.ui.safe import guarded, show_status


class AnswerRow(w.HBox):
    """One open answer with its moderation buttons."""

    def __init__(self, view: ModerationView, answer: OpenAnswer) -> None:
        super().__init__()
        self.add_class("bw-open-answer")
        self.answer = answer
        text = w.HTML(
            html(
                '<p class="bw-open-text">{} <em class="bw-open-status">({})</em></p>',
                mask_text(answer.text),
                t(f"mod.status.{answer.status}"),
            ),
            layout=w.Layout(width="36rem"),
        )
        # darker than Jupyter's green: white text at 5.1:1 instead of 4.1:1 (WCAG 1.4.3)
        approve = w.Button(
            description=t("mod.approve"), button_style="success", style={"button_color": "#2e7d32"}
        )
        approve.add_class("bw-approve")
        hide = w.Button(description=t("mod.hide"))
        hide.add_class("bw-hide")
        self.delete = w.Button(description=t("mod.delete"), button_style="danger")
        self.delete.add_class("bw-delete")
        approve.on_click(
            guarded(view.status, button=approve)(lambda _: view.set(answer, "approved"))
        )
        hide.on_click(guarded(view.status, button=hide)(lambda _: view.set(answer, "hidden")))
        self.delete.on_click(guarded(view.status, button=self.delete)(self._delete))
        self.children = [text, approve, hide, self.delete]
        self._view = view

    def _delete(self, _button: object = None) -> None:
        if self.delete.description != t("mod.confirm_delete"):
            self.delete.description = t("mod.confirm_delete")  # a second click deletes
            return
        self._view.remove(self.answer)


class ModerationView(w.VBox):
    """Open answers of one session, per question, for the mentor's own screen."""

    def __init__(
        self, library: Library, store: ResponseStore, code: str = "", token: str = ""
    ) -> None:
        super().__init__()
        self.add_class("bw-moderation")
        self.library = library
        self.store = store
        self.code = ""
        self.token = token
        self.lesson: Lesson | None = None
        self.status = w.HTML()
        self.answers = w.VBox()
        self.children = [
            w.HTML(html("<h1>{}</h1>", t("mod.title"))),
            w.HTML(html('<p class="bw-warning">{}</p>', t("mod.notice"))),
            self.status,
            self.answers,
        ]
        self.load(code)

    @classmethod
    def from_request(cls) -> ModerationView:
        query = request_query_string()
        token = parse_qs(query).get("token", [""])[0][:64]
        library = Library()  # a logged-in mentor moderates only their own sessions
        store = facilitator_store(ResponseStore(), library)
        return cls(library, store, code_from_query(query), token)

    def load(self, raw_code: str) -> None:
        code = normalise_code(raw_code)
        if not self.store.moderation_allowed(code, self.token):
            self._refuse()
            return
        try:
            session = self.store.session(code)
        except SessionError:
            self._refuse()
            return
        self.code = session.code
        self.lesson = self.library.lesson(session.lesson_id)
        show_status(self.status, "")
        self.render()

    def _refuse(self) -> None:
        self.lesson = None
        self.answers.children = []
        show_status(self.status, t("mod.no_access"))

    def allowed(self) -> bool:
        """The link still works (checked before every action)."""
        if self.store.moderation_allowed(self.code, self.token):
            return True
        self._refuse()
        return False

    def render(self) -> None:
        if self.lesson is None or not self.allowed():
            return
        rounds = self.store.current_rounds(self.code)
        sections: list[w.Widget] = []
        for q in self.lesson.questions:
            if not q.is_open:
                continue
            answers = self.store.open_answers(self.code, q.key, rounds.get(q.key, 1))
            rows: list[w.Widget] = [AnswerRow(self, a) for a in answers]
            if not rows:
                rows = [w.HTML(html("<p>{}</p>", t("mod.none")))]
            sections.append(w.VBox([w.HTML(html("<h2>{}</h2>", q.prompt)), *rows]))
        self.answers.children = sections

    def set(self, answer: OpenAnswer, status: str) -> None:
        if self.allowed():
            self.store.moderate(self.code, answer.ref, status)
            self.render()

    def remove(self, answer: OpenAnswer) -> None:
        if self.allowed():
            self.store.delete_answer(self.code, answer.ref)
            self.render()
