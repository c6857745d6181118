"""One question's panel on the projected dashboard: hidden, revealed, re-voted.

Small-group protection (docs/decisions.md, "Results on the projector"):
- nothing is charted before the mentor reveals it, and never below k real answers;
- a revealed chart is a snapshot that moves on only when at least k new answers arrived since the
  one shown, so the class cannot read one classmate's answer from the difference of two charts;
- open text is never shown here unless the mentor approved it on the moderation page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import ipywidgets as w

from beeldwijs.content.model import Question
from beeldwijs.facilitator.analysis.aggregate import QuestionResult
from beeldwijs.facilitator.charts import (
    result_alt,
    result_rows,
    result_svg,
    word_cloud_svg,
)
from beeldwijs.facilitator.confirm import ConfirmButton
from beeldwijs.texts import t
from beeldwijs.ui.html import Markup, html, join
from beeldwijs.ui.image import svg_img
from beeldwijs.ui.safe import guarded, show_status


def result_summary_html(results: Sequence[QuestionResult]) -> Markup:
    """The chart's numbers as text (screen readers, tests): ``label: n`` or ``label: n → m``."""
    items = join(
        html("<li><span>{}</span>: <strong>{}</strong></li>", label, " → ".join(map(str, counts)))
        for label, counts in result_rows(results)
    )
    return html('<ul class="bw-counts">{}</ul>', items)


def next_snapshot(
    shown: Sequence[QuestionResult] | None, current: Sequence[QuestionResult], k: int
) -> list[QuestionResult] | None:
    """The results to show now, or None to keep showing ``shown`` (pure: the stepping rule)."""
    visible = [r for r in current if r.visible]
    if not visible:
        return None
    if not shown or [r.round for r in shown] != [r.round for r in visible]:
        return visible
    if visible[-1].answered - shown[-1].answered >= k:
        return visible
    return None


class QuestionPanel(w.VBox):
    """A question's result for the class, shown only when the mentor reveals it."""

    def __init__(
        self,
        question: Question,
        k: int,
        on_new_round: Callable[[Question], object],
        on_reveal: Callable[[Question, bool], object] | None = None,
        *,
        on_explain: Callable[[], object] | None = None,
        must_explain: bool = False,
    ) -> None:
        """``must_explain``: the guide says "Toon uitleg verplicht" (safety lines): the mark
        stands beside the button, here and on the presenting view's bar."""
        super().__init__()
        self.add_class("bw-result")
        self.add_class(f"bw-q-{question.scenario_id}--{question.id}")
        self.question = question
        self.k = k
        self.on_reveal = on_reveal  # told when the mentor shows or hides the result
        self.on_explain = (
            on_explain  # told when the mentor shows the expert view (the devices follow)
        )
        self.revealed = False
        self.explained = False
        self.shown: list[QuestionResult] | None = None
        self._current: list[QuestionResult] = []
        self._approved: list[str] = []
        self._waiting = 0  # open answers not yet moderated
        self._drawn: tuple[object, ...] | None = None  # what the chart shows (see _draw)

        self.status = w.HTML()
        self.chart = w.HTML(layout=w.Layout(display="none"))  # an SVG <img> with its alt text
        self.chart.add_class("bw-chart")
        self.summary = w.HTML()
        self.summary.add_class("bw-result-summary")
        self.triggers = w.HTML()
        self.expert = w.HTML()
        self.reveal_button = w.Button(description=t("dash.reveal"), icon="eye")
        self.reveal_button.add_class("bw-reveal")
        self.reveal_button.add_class("bw-key-reveal")
        self.reveal_button.on_click(guarded(self.status, button=self.reveal_button)(self._toggle))
        buttons = [self.reveal_button]
        self.expert_on = False  # the expert view is shown here and on the slide
        self.expert_button: w.Button | None = None
        if question.expert_view or question.explanation:
            self.expert_button = w.Button(description=t("dash.expert"), icon="info")
            self.expert_button.add_class("bw-expert")
            self.expert_button.add_class("bw-key-explain")
            self.expert_button.on_click(
                guarded(self.status, button=self.expert_button)(self._explain)
            )
            buttons.append(self.expert_button)
        self.must_explain_mark: w.HTML | None = None
        if must_explain and self.expert_button is not None:
            self.must_explain_mark = w.HTML(
                html('<span class="bw-must-explain">{}</span>', t("dash.must_explain"))
            )
            buttons.append(self.must_explain_mark)
        if not question.is_open:
            self.round_button = ConfirmButton(
                t("dash.new_round"),
                t("end.revote_question"),
                t("end.confirm_revote"),
                lambda: on_new_round(question),
                self.status,
                icon="refresh",
                css="bw-new-round bw-key-revote",
            )
            buttons.append(self.round_button)
        self.children = [
            w.HTML(html("<h3>{}</h3>", question.prompt)),
            self.status,
            w.HBox(buttons),
            self.chart,
            self.summary,
            self.triggers,
            self.expert,
        ]

    # -- mentor actions -----------------------------------------------------------------------
    def _toggle(self, _button: object = None) -> None:
        self.set_revealed(not self.revealed)
        if self.on_reveal is not None:
            self.on_reveal(self.question, self.revealed)

    def set_revealed(self, revealed: bool) -> None:
        """Show or hide the result (the mentor's choice; restored after a reload)."""
        self.revealed = revealed
        self.reveal_button.description = t("dash.hide" if self.revealed else "dash.reveal")
        if not self.revealed:
            self.shown = None
        self._render([])

    def _explain(self, _button: object = None) -> None:
        if self.expert_on:
            self.hide_expert()
        else:
            self.show_expert()
        if self.on_explain is not None:
            self.on_explain()

    def show_expert(self) -> None:
        """Show the expert view here and on the slide; in a class at the mentor's pace the
        devices show it too (docs/decisions/expert-view-after-the-discussion.md)."""
        self.explained = self.expert_on = True
        q = self.question
        text = q.explanation if q.type == "knowledge" else q.expert_view
        self.expert.value = html(
            '<div class="bw-expert-text"><strong>{}:</strong> {}</div>',
            t("dash.expert_heading"),
            text or "",
        )
        if self.expert_button is not None:
            self.expert_button.description = t("dash.expert_hide")

    def hide_expert(self) -> None:
        """Take the expert view off the projector (the devices keep it: it was shown)."""
        self.expert_on = False
        self.expert.value = ""
        if self.expert_button is not None:
            self.expert_button.description = t("dash.expert")

    # -- updates from the store ---------------------------------------------------------------
    def update(
        self,
        results: Sequence[QuestionResult],
        triggers: Sequence[str],
        approved: Sequence[str],
        waiting: int = 0,
    ) -> None:
        """New counts; for an open question its approved texts and the number still waiting."""
        self._current = list(results)
        self._approved = list(approved)
        self._waiting = waiting
        self._render(triggers)

    def _render(self, triggers: Sequence[str]) -> None:
        if not self._current:
            return
        latest = self._current[-1]
        prefix = f"{t('dash.round', n=latest.round)} · " if latest.round > 1 else ""
        if self.question.is_open:
            self._render_open(latest, prefix)
            return
        if not self.revealed or not latest.visible and not any(r.visible for r in self._current):
            key = "dash.waiting_for_reveal" if latest.visible else "dash.hidden"
            show_status(
                self.status, prefix + t(key, n=latest.answered, k=self.k), "bw-hidden-result"
            )
            self._hide_chart()
            return
        snapshot = next_snapshot(self.shown, self._current, self.k)
        if snapshot is not None:
            self.shown = snapshot
        assert self.shown is not None  # noqa: S101 - some round is visible here
        # no count of answers still waiting for the next k: it told the class when one
        # student's answer was the only new one (docs/security.md, fake participants)
        line = prefix + t("dash.answers", n=self.shown[-1].total)
        self.status.value = html('<p class="bw-progress" role="status">{}</p>', line)
        self._draw(self.shown)
        self.summary.value = result_summary_html(self.shown)
        self.triggers.value = join(html('<p class="bw-trigger">{}</p>', x) for x in triggers)

    def _render_open(self, latest: QuestionResult, prefix: str) -> None:
        # no link here: moderation happens on the mentor's own device, never on the projector
        waiting = t("dash.moderate_waiting", n=self._waiting) if self._waiting else ""
        self.status.value = html('<p class="bw-hidden-result">{}</p>', prefix + waiting)
        if self.revealed and latest.visible and self._approved:
            self._show_svg(word_cloud_svg(self._approved), t("chart.alt_words"))
            items = join(html("<li>{}</li>", text) for text in self._approved)
            self.summary.value = html(
                "<h4>{}</h4><ul class='bw-approved'>{}</ul>", t("dash.approved_answers"), items
            )
        else:
            self._hide_chart()

    def _draw(self, shown: Sequence[QuestionResult]) -> None:
        """Chart ``shown``; drawn again only when its counts changed (a refresh runs every 2 s
        and drawing a chart takes ≈ 0.1–0.3 s: bench/aggregation.py)."""
        key = tuple((r.round, tuple(r.counts.items()), r.skipped) for r in shown)
        if key != self._drawn:
            self._show_svg(result_svg(shown), result_alt(shown))
            self._drawn = key
        self.chart.layout.display = ""

    def _show_svg(self, svg: bytes, alt: str) -> None:
        html = svg_img(svg, alt)
        if html != self.chart.value:
            self.chart.value = html
        self.chart.layout.display = ""

    def _hide_chart(self) -> None:
        self.chart.layout.display = "none"
        self.summary.value = ""
        self.triggers.value = ""
