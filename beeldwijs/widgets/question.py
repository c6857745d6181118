"""One question on the student's screen: the answer control, send, confirmation and feedback.

The kernel checks everything the browser sends, since the browser can set any widget's state and
click any button (docs/stack-facts.md): the value must be one of the question's options (or the
skip id), open text is cut to its maximum length, and an answered question ignores further clicks.

In a class at the mentor's pace the expert view (and a knowledge question's verdict) waits for
the discussion: after a save the student reads "bespreek het eerst in de klas", and the player
calls :meth:`QuestionView.release` when the mentor shows the expert view on the projector
(docs/decisions/expert-view-after-the-discussion.md).

A saved answer costs the student's websocket three widget updates: the confirmation with its
feedback, "Volgende" in place of the send button(s), the answer control frozen. "Bezig met
opslaan…" only appears when the store is slow (:data:`SAVING_NOTICE_AFTER`); a quick save
would only flash it. See docs/decisions.md "Performance and scale".
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable

import ipywidgets as w

from beeldwijs.content.model import SKIP, Question
from beeldwijs.errors import SessionError, StoreUnavailable
from beeldwijs.texts import CONTENT_LANGUAGE, t
from beeldwijs.ui import lean
from beeldwijs.ui.choice import ChoiceGroup
from beeldwijs.ui.html import Markup, html, join
from beeldwijs.ui.labels import content_option_ids, option_labels
from beeldwijs.ui.lang import content
from beeldwijs.ui.safe import guarded, show_status
from beeldwijs.widgets import bounded
from beeldwijs.widgets.decision import decision_clock_html, decision_feedback_html

log = logging.getLogger("beeldwijs")

#: save(value, submission_id): stores the answer; True when stored (or already stored before).
SaveFunc = Callable[[str, str], bool]

#: seconds a save may take before the student sees "Bezig met opslaan…" and a disabled button
SAVING_NOTICE_AFTER = 0.3


def explained(question: Question) -> Markup:
    """The text a question has for after answering: a knowledge question's explanation, else the
    expert view, under its label (the question's feedback and the end screen's recap)."""
    if question.type == "knowledge" and question.explanation:
        label, text = t("question.explanation"), question.explanation
    else:
        label, text = t("question.expert_view"), question.expert_view or ""
    return html('<div class="bw-notice"><strong>{}:</strong> {}</div>', label, content(text))


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
        hold: Callable[[], bool] | None = None,
    ) -> None:
        """``hold``: asked after a save; True keeps the expert view back until :meth:`release`."""
        self.question = question
        self._hold = hold
        self.held = ""  # the feedback kept back for the discussion (HTML), "" when none
        self._number, self._total = number, total
        self._save = save
        self._on_next = on_next
        self.done = False
        self.saved_value = ""
        self._moved_on = False  # "Volgende" acts once: a double click must not skip a question
        self._saving = threading.Lock()  # the slow-save notice (a timer thread) vs. the result
        self._in_save = False
        self.submission_id = uuid.uuid4().hex  # made when shown; reused by a resend

        self.status = lean.HTML()
        self.submit_button = lean.Button(
            description=t("question.submit"), button_style="primary", _dom_classes=("bw-submit",)
        )
        self.next_button = lean.Button(
            description=t("question.next"), button_style="primary", _dom_classes=("bw-next",)
        )
        self._progress = lean.HTML(
            html('<p class="bw-progress">{}</p>', t("question.progress", n=number, total=total))
        )

        self.choice: ChoiceGroup | None = None
        self.text: bounded.Textarea | None = None
        controls: list[w.Widget]
        if question.is_open:
            self.text = bounded.Textarea(  # the description is a real <label for> (ipywidgets 8)
                description=t("question.text_label"),
                placeholder=t("question.text_placeholder"),
                rows=4,
                _dom_classes=("bw-text-answer",),
            )
            self.skip_button = lean.Button(
                description=t("question.skip"), _dom_classes=("bw-skip",)
            )
            self.skip_button.on_click(
                guarded(self.status, button=self.skip_button, hold=False)(self._skip)
            )
            self.counter = lean.HTML()
            self.text.observe(self._on_text, names="value")
            self._on_text()
            controls = [
                lean.HTML(
                    html('<p class="bw-prompt"><strong>{}</strong></p>', content(question.prompt))
                ),
                lean.HTML(html("<p>{}</p>", t("question.text_private"))),
                self.text,
                self.counter,
            ]
            sending: list[w.Widget] = [self.submit_button, self.skip_button]
        else:
            self.choice = ChoiceGroup(
                legend=question.prompt,
                legend_lang=CONTENT_LANGUAGE,
                options=option_labels(question),
                option_langs=dict.fromkeys(content_option_ids(question), CONTENT_LANGUAGE),
                skip_id=SKIP,
            )
            self.choice.observe(self._new_submission_id, names="value")
            controls = [self.choice]
            sending = [self.submit_button]
            if question.type == "decision":  # staff tabletop: the incident clock first
                controls.insert(0, lean.HTML(decision_clock_html(question)))
        self.submit_button.on_click(
            guarded(self.status, button=self.submit_button, hold=False)(self._submit)
        )
        self.next_button.on_click(
            guarded(self.status, button=self.next_button, hold=False)(self._next)
        )
        self._answer_box = lean.VBox(controls)
        self.actions = lean.HBox(sending, _dom_classes=("bw-actions",))
        super().__init__(  # made whole (lean.py)
            [self._progress, self._answer_box, self.status, self.actions],
            _dom_classes=("bw-question",),
        )

    def again(self) -> QuestionView:
        """This question in the language now in use (texts.set_language), as the student left it:
        the option chosen or the text typed (the same submission), or the saved answer with its
        confirmation and "Volgende"."""
        view = QuestionView(
            self.question,
            number=self._number,
            total=self._total,
            save=self._save,
            on_next=self._on_next,
            hold=self._hold,
        )
        if self.choice is not None and view.choice is not None:
            view.choice.value = self.choice.value
        if self.text is not None and view.text is not None:
            view.text.value = self.text.value
        view.submission_id = self.submission_id
        view._moved_on = self._moved_on
        if self.done:
            view.done, view.saved_value = True, self.saved_value
            view._show_feedback(self.saved_value)
        return view

    # -- the student's actions ----------------------------------------------------------------
    def _new_submission_id(self, _change: object = None) -> None:
        """A different answer is a different submission; a resend of the same one is not."""
        if not self.done:
            self.submission_id = uuid.uuid4().hex

    def _on_text(self, _change: object = None) -> None:
        assert self.text is not None  # noqa: S101 - only wired for open questions
        n = len(self.text.value)
        css = "bw-error" if n > self.question.max_length else "bw-progress"
        self.counter.value = html(
            '<p class="{}">{}</p>', css, t("question.text_count", n=n, max=self.question.max_length)
        )
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
        if self.done and not self._moved_on:
            self._moved_on = True
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
        notice = threading.Timer(SAVING_NOTICE_AFTER, self._show_saving)
        self._in_save = True
        notice.start()
        saved, problem = False, ""
        try:
            self._save(value, self.submission_id)
            saved = True
        except StoreUnavailable:
            log.warning("store unavailable; answer kept for retry")
            problem = t("question.retry")
        except SessionError:
            problem = t("question.closed")
        finally:  # anything else reaches guarded(): "Er ging iets mis", the answer not done
            notice.cancel()
            self._end_save(saved=saved)
        if saved:
            self.saved_value = value
            self._show_feedback(value)
        else:
            show_status(self.status, problem)

    def _show_saving(self) -> None:
        """On the timer's thread: the save is slow, so say so and hold the send button."""
        with self._saving:
            if self._in_save:
                show_status(self.status, t("question.saving"), "bw-progress")
                self.submit_button.disabled = True

    def _end_save(self, *, saved: bool) -> None:
        with self._saving:
            self._in_save = False
            self.done = saved
        if not saved and self.submit_button.disabled:  # the notice held it: let them retry
            self.submit_button.disabled = False

    def _show_feedback(self, value: str) -> None:
        """The confirmation first, then "Volgende" in place of the send button(s), then the
        answer control frozen: three messages, the one the student waits for first."""
        saved = html('<p class="bw-saved" role="status">{}</p>', t("question.saved"))
        feedback = self._feedback_html(value)
        if feedback and self.question.type != "decision" and self._hold and self._hold():
            self.held = saved + feedback
            notice = html(
                '<p class="bw-notice bw-discuss-first">{}</p>', t("question.discuss_first")
            )
            self.status.value = saved + notice
        else:
            self.status.value = saved + feedback
        self.actions.children = (self.next_button,)  # no live "Verstuur" next to "Volgende"
        for control in (self.choice, self.text):
            if control is not None:
                control.disabled = True

    def release(self) -> None:
        """The mentor showed the expert view: show the feedback that was kept back."""
        if self.held:
            self.status.value, self.held = self.held, ""

    def _feedback_html(self, value: str) -> Markup:
        """The verdict and explanation, the decision's feedback, or the expert view ("" if none)."""
        q = self.question
        parts = []
        if q.type == "knowledge" and q.explanation:
            if value != SKIP:
                verdict = t("question.correct") if value == q.correct else t("question.incorrect")
                parts.append(html("<p><strong>{}</strong></p>", verdict))
            parts.append(explained(q))
        elif q.type == "decision":
            parts.append(decision_feedback_html(q, value))
        elif q.expert_view:
            parts.append(explained(q))
        return join(parts)
