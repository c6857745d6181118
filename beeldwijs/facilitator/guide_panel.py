"""The mentor guide on the dashboard: the whole guide before the start, and beside each scenario
during the lesson its part of the timing plan and the facts behind its expert views.

Self-contained: the dashboard adds a :class:`GuidePanel` under the lesson picker and calls
:meth:`GuidePanel.show` when the choice changes, and puts :func:`scenario_guide` in each scenario's
section. Everything is escaped; the texts come from the lesson file and the shared guide
(``beeldwijs.content.mentorguide``), the same ones ``beeldwijs handleiding`` prints.
"""

from __future__ import annotations

from collections.abc import Iterable

import ipywidgets as w

from beeldwijs.content.facts import facts_for
from beeldwijs.content.mentorguide import common_guide, part_questions
from beeldwijs.content.model import Lesson, Scenario
from beeldwijs.texts import t
from beeldwijs.ui.html import Markup, html, join


def _list(title: str, items: Iterable[str]) -> Markup:
    rows = join(html("<li>{}</li>", item) for item in items)
    return html("<h4>{}</h4><ul>{}</ul>", title, rows) if rows else Markup()


def _facts(ids: tuple[str, ...]) -> Markup:
    rows = join(
        html(
            "<li><strong>{}</strong><br><small>{}</small></li>",
            f.statement,
            t(
                "guide.fact_meta",
                source=f.source,
                url=f.url,
                valid_from=f.valid_from,
                checked=f.checked,
            ),
        )
        for f in facts_for(ids)
    )
    return html("<h4>{}</h4><ul>{}</ul>", t("guide.panel_facts"), rows) if rows else Markup()


def guide_html(lesson: Lesson) -> Markup:
    """The guide to read before the lesson (empty for a scenario started on its own)."""
    guide = lesson.guide
    if guide is None:
        return Markup()
    shared = common_guide(lesson.staff_only)
    titles = {s.id: s.title for s in lesson.scenarios}
    timing = [
        f"{p.minutes} min — {titles.get(p.scenario or '', p.title or '')}" for p in guide.timing
    ]
    body = join(
        (
            _list(t("guide.goals"), guide.goals),
            _list(t("guide.preparation"), (*shared.preparation, *guide.preparation)),
            _list(t("guide.timing"), timing),
            _list(t("guide.opening"), shared.opening),
            _list(t("guide.skip_when_short"), guide.skip_when_short),
            _list(t("guide.do_not_reveal"), (*shared.do_not_reveal, *guide.do_not_reveal)),
            _list(t("guide.disclosure"), (*shared.disclosure, guide.disclosure)),
            _list(t("guide.closing"), shared.closing),
            _list(t("guide.follow_up"), (*shared.follow_up, *guide.follow_up)),
            _facts(guide.facts),
        )
    )
    return html(
        "<details><summary>{}: {}</summary>{}</details>",
        t("guide.panel_heading"),
        t("guide.panel_before"),
        body,
    )


class GuidePanel(w.HTML):
    """The guide of the lesson the mentor is choosing, folded until opened."""

    def __init__(self) -> None:
        super().__init__()
        self.add_class("bw-guide")

    def show(self, lesson: Lesson | None) -> None:
        self.value = guide_html(lesson) if lesson is not None else ""


def scenario_guide(lesson: Lesson, scenario: Scenario) -> w.HTML:
    """Beside a scenario during the lesson: its minutes, what to discuss and skip, and the facts
    behind its expert views."""
    part = next(
        (p for p in (lesson.guide.timing if lesson.guide else ()) if p.scenario == scenario.id),
        None,
    )
    lines = []
    if part is not None:
        lines.append(f"{part.minutes} min")
        for key, ids in part_questions(part):
            if ids:
                asked = "; ".join(scenario.question(q).prompt for q in ids)
                lines.append(t(key, questions=asked))
    ids = tuple(dict.fromkeys((*scenario.facts, *(f for q in scenario.questions for f in q.facts))))
    body = _list(t("guide.timing"), lines) + _facts(ids)
    panel = w.HTML(
        html(
            "<details><summary>{}: {}</summary>{}</details>",
            t("guide.panel_heading"),
            t("guide.panel_during"),
            body,
        )
        if body
        else ""
    )
    panel.add_class("bw-guide-scenario")
    return panel
