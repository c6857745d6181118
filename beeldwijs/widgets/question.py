"""One question on the student's screen: the answer control, send, confirmation and feedback.

The kernel checks everything the browser sends (DESIGN.md §5, STACK-FACTS "forged widget
messages"): the value must be one of the question's options (or the skip id), open text is cut to
its maximum length, and a question that has been answered ignores further clicks.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from html import escape

import ipywidgets as w

from beeldwijs.content.model import SKIP, Question
from beeldwijs.errors import SessionError, StoreUnavailable
from beeldwijs.texts import t
from beeldwijs.widgets import lean
from beeldwijs.widgets.choice import ChoiceGroup
from beeldwijs.widgets.decision import decision_clock_html, decision_feedback_html
from beeldwijs.widgets.safe import guarded, show_status

log = logging.getLogger("beeldwijs")

#: save(value, submission_id): stores the answer; True when stored (or already stored before).
SaveFunc = Callable[[str, str], bool]


def option_labels(question: Question) -> list[tuple[str, str]]:
    """(id, label) pairs shown to the student, skip last."""
    if question.type == "scale":
        pairs = [(o.id, t(f"scale.{o.id}")) for o in question.options]
    elif question.type == "traffic_light":
        pairs = [(o.id, t(f"traffic_light.{o.id}")) for o in question.options]
    else:
        pairs = [(o.id, o.text) for o in question.options]
    return pairs + [(SKIP, t("question.skip"))]


class QuestionView(lean.VBox):
    """Asks ``question``; after a confirmed save shows feedback and a "next" button."""

    def __init__(
        self,
        question: Question,
        *,
        number: int,
        total: int,
        save: SaveFunc,
        on_next: Callable[[], None],
    ) -> None:
        self.question = question
        self._save = save
        self._on_next = on_next
        self.done = False
        self.submission_id = uuid.uuid4().hex  # made when shown; reused by a resend

        self.status = lean.HTML()
        self.submit_button = lean.Button(
            description=t("question.submit"), button_style="primary", _dom_classes=("bw-submit",)
        )
        self.next_button = lean.Button(
            description=t("question.next"), button_style="primary", _dom_classes=("bw-next",)
        )
        self.feedback = lean.HTML()
        self._progress = lean.HTML(
            f'<p class="bw-progress">{escape(t("question.progress", n=number, total=total))}</p>'
        )

        self.choice: ChoiceGroup | None = None
        self.text: w.Textarea | None = None
        controls: list[w.Widget]
        if question.is_open:
            self.text = w.Textarea(
                placeholder=t("question.text_placeholder"), rows=4, _dom_classes=("bw-text-answer",)
            )
            self.skip_button = lean.Button(
                description=t("question.skip"), _dom_classes=("bw-skip",)
            )
            self.skip_button.on_click(guarded(self.status, button=self.skip_button)(self._skip))
            self.counter = lean.HTML()
            self.text.observe(self._on_text, names="value")
            self._on_text()
            controls = [
                lean.HTML(f'<p class="bw-prompt"><strong>{escape(question.prompt)}</strong></p>'),
                lean.HTML(f"<p>{escape(t('question.text_private'))}</p>"),
                self.text,
                self.counter,
                lean.HBox([self.submit_button, self.skip_button]),
            ]
        else:
            self.choice = ChoiceGroup(
                legend=question.prompt, options=option_labels(question), skip_id=SKIP
            )
            self.choice.observe(self._new_submission_id, names="value")
            controls = [self.choice, self.submit_button]
            if question.type == "decision":  # staff tabletop: the incident clock first
                controls.insert(0, lean.HTML(decision_clock_html(question)))
        self.submit_button.on_click(guarded(self.status, button=self.submit_button)(self._submit))
        self.next_button.on_click(guarded(self.status, button=self.next_button)(self._next))
        self._answer_box = lean.VBox(controls)
        super().__init__(  # made whole (lean.py)
            [self._progress, self._answer_box, self.status], _dom_classes=("bw-question",)
        )

    # -- the student's actions ----------------------------------------------------------------
    def _new_submission_id(self, _change: object = None) -> None:
        """A different answer is a different submission; a resend of the same one is not."""
        if not self.done:
            self.submission_id = uuid.uuid4().hex

    def _on_text(self, _change: object = None) -> None:
        assert self.text is not None  # noqa: S101 - only wired for open questions
        n = len(self.text.value)
        css = "bw-error" if n > self.question.max_length else "bw-progress"
        self.counter.value = f'<p class="{css}">{escape(t("question.text_count", n=n, max=self.question.max_length))}</p>'
        self._new_submission_id()

    def _submit(self, _button: object = None) -> None:
        if self.done:
            return
        value = self._current_value()
        if value is None:
            return
        self._store(value)

    def _skip(self, _button: object = None) -> None:
        if not self.done:
            self._store(SKIP)

    def _next(self, _button: object = None) -> None:
        if self.done:
            self._on_next()

    # -- validation and saving ----------------------------------------------------------------
    def _current_value(self) -> str | None:
        """The answer to send, validated; None (with a message) when there is nothing valid."""
        if self.text is not None:
            value = self.text.value.strip()
            if not value:
                show_status(self.status, t("question.choose_first"))
                return None
            if len(value) > self.question.max_length:
                show_status(self.status, t("question.text_too_long", max=self.question.max_length))
                return None
            return value
        assert self.choice is not None  # noqa: S101
        value = self.choice.value
        if value not in self.question.option_ids():
            show_status(self.status, t("question.choose_first"))
            return None
        return value

    def _store(self, value: str) -> None:
        show_status(self.status, t("question.saving"), "bw-progress")
        try:
            self._save(value, self.submission_id)
        except StoreUnavailable:
            log.warning("store unavailable; answer kept for retry")
            show_status(self.status, t("question.retry"))
            return
        except SessionError:
            show_status(self.status, t("question.closed"))
            return
        self.done = True
        self._show_feedback(value)

    def _show_feedback(self, value: str) -> None:
        q = self.question
        for control in (self.choice, self.text, self.submit_button):
            if control is not None:
                control.disabled = True
        buttons = [self.submit_button] + ([self.skip_button] if self.text is not None else [])
        for button in buttons:  # guarded() enables its button again when the callback ends:
            button.disabled = True  # hide them, so no live "Verstuur" stays next to "Volgende"
            lean.hide(button)
        parts = [f'<p class="bw-saved" role="status">{escape(t("question.saved"))}</p>']
        if q.type == "knowledge" and q.explanation:
            if value != SKIP:
                verdict = t("question.correct") if value == q.correct else t("question.incorrect")
                parts.append(f"<p><strong>{escape(verdict)}</strong></p>")
            parts.append(
                f'<div class="bw-notice"><strong>{escape(t("question.explanation"))}:</strong> '
                f"{escape(q.explanation)}</div>"
            )
        elif q.type == "decision":
            parts.append(decision_feedback_html(q, value))
        elif q.expert_view:
            parts.append(
                f'<div class="bw-notice"><strong>{escape(t("question.expert_view"))}:</strong> '
                f"{escape(q.expert_view)}</div>"
            )
        self.status.value = ""
        self.feedback.value = "".join(parts)
        self.children = [self._progress, self._answer_box, self.feedback, self.next_button]
