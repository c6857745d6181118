"""The mentor's moderation page for open answers: never on the projector.

Every answer is masked (names, phone numbers, e-mail, @handles) and escaped before it is shown.
The mentor approves (it may then be projected), hides, or deletes it; deleting removes its bytes
from the database files (beeldwijs.store: ``secure_delete`` and a WAL checkpoint).
"""

from __future__ import annotations

from html import escape

import ipywidgets as w

from beeldwijs.content import Library
from beeldwijs.content.model import Lesson
from beeldwijs.errors import SessionError
from beeldwijs.facilitator.masking import mask_text
from beeldwijs.store import OpenAnswer, ResponseStore, normalise_code
from beeldwijs.texts import t
from beeldwijs.ui.query import code_from_query, request_query_string
from beeldwijs.ui.safe import guarded, show_status


class AnswerRow(w.HBox):
    """One open answer with its moderation buttons."""

    def __init__(self, view: ModerationView, answer: OpenAnswer) -> None:
        super().__init__()
        self.add_class("bw-open-answer")
        self.answer = answer
        text = w.HTML(
            f'<p class="bw-open-text">{escape(mask_text(answer.text))} '
            f'<em class="bw-open-status">({escape(t(f"mod.status.{answer.status}"))})</em></p>',
            layout=w.Layout(width="36rem"),
        )
        approve = w.Button(description=t("mod.approve"), button_style="success")
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

    def __init__(self, library: Library, store: ResponseStore, code: str = "") -> None:
        super().__init__()
        self.add_class("bw-moderation")
        self.library = library
        self.store = store
        self.code = ""
        self.lesson: Lesson | None = None
        self.status = w.HTML()
        self.code_field = w.Text(value=code, description=t("mod.code"))
        load = w.Button(description=t("mod.load"))
        load.on_click(guarded(self.status, button=load)(lambda _: self.load(self.code_field.value)))
        self.answers = w.VBox()
        self.children = [
            w.HTML(f"<h1>{escape(t('mod.title'))}</h1>"),
            w.HTML(f'<p class="bw-warning">{escape(t("mod.notice"))}</p>'),
            w.HBox([self.code_field, load]),
            self.status,
            self.answers,
        ]
        if code:
            self.load(code)

    @classmethod
    def from_request(cls) -> ModerationView:
        return cls(Library(), ResponseStore(), code_from_query(request_query_string()))

    def load(self, raw_code: str) -> None:
        code = normalise_code(raw_code)
        try:
            session = self.store.session(code)
        except SessionError:
            show_status(self.status, t("mod.unknown", code=code))
            return
        self.code = session.code
        self.lesson = self.library.lesson(session.lesson_id)
        show_status(self.status, "")
        self.render()

    def render(self) -> None:
        if self.lesson is None:
            return
        rounds = self.store.current_rounds(self.code)
        sections: list[w.Widget] = []
        for q in self.lesson.questions:
            if not q.is_open:
                continue
            answers = self.store.open_answers(self.code, q.key, rounds.get(q.key, 1))
            rows: list[w.Widget] = [AnswerRow(self, a) for a in answers]
            if not rows:
                rows = [w.HTML(f"<p>{escape(t('mod.none'))}</p>")]
            sections.append(w.VBox([w.HTML(f"<h2>{escape(q.prompt)}</h2>"), *rows]))
        self.answers.children = sections

    def set(self, answer: OpenAnswer, status: str) -> None:
        self.store.moderate(self.code, answer.ref, status)
        self.render()

    def remove(self, answer: OpenAnswer) -> None:
        self.store.delete_answer(self.code, answer.ref)
        self.render()
