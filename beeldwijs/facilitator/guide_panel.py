"""The mentor guide on the dashboard: the whole guide before the start, and beside each scenario
during the lesson its part of the timing plan and the facts behind its expert views.

Self-contained: the dashboard adds a :class:`GuidePanel` under the lesson picker and calls
:meth:`GuidePanel.show` when the choice changes, and puts :func:`scenario_guide` in each scenario's
section. Everything is escaped; the texts come from the lesson file and the shared guide
(``beeldwijs.content.mentorguide``), the same ones ``beeldwijs handleiding`` prints.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

import ipywidgets as w

from beeldwijs.content.facts import facts_for
from beeldwijs.content.mentorguide import common_guide
from beeldwijs.content.model import Lesson, Scenario
from beeldwijs.texts import t


def _list(title: str, items: Iterable[str]) -> str:
    rows = "".join(f"<li>{escape(item)}</li>" for item in items)
    return f"<h4>{escape(title)}</h4><ul>{rows}</ul>" if rows else ""


def _facts(ids: tuple[str, ...]) -> str:
    rows = "".join(
        f"<li><strong>{escape(f.statement)}</strong><br><small>"
        f"{escape(t('guide.fact_meta', source=f.source, url=f.url, valid_from=f.valid_from, checked=f.checked))}"
        f"</small></li>"
        for f in facts_for(ids)
    )
    return f"<h4>{escape(t('guide.panel_facts'))}</h4><ul>{rows}</ul>" if rows else ""


def guide_html(lesson: Lesson) -> str:
    """The guide to read before the lesson (empty for a scenario started on its own)."""
    guide = lesson.guide
    if guide is None:
        return ""
    shared = common_guide(lesson.staff_only)
    titles = {s.id: s.title for s in lesson.scenarios}
    timing = [
        f"{p.minutes} min — {titles.get(p.scenario or '', p.title or '')}" for p in guide.timing
    ]
    body = "".join(
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
    return (
        f"<details><summary>{escape(t('guide.panel_heading'))}: {escape(t('guide.panel_before'))}"
        f"</summary>{body}</details>"
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
        for key, ids in (("guide.discuss", part.discuss), ("guide.skip", part.skip)):
            if ids:
                asked = "; ".join(scenario.question(q).prompt for q in ids)
                lines.append(t(key, questions=asked))
    ids = tuple(dict.fromkeys((*scenario.facts, *(f for q in scenario.questions for f in q.facts))))
    body = _list(t("guide.timing"), lines) + _facts(ids)
    panel = w.HTML(
        f"<details><summary>{escape(t('guide.panel_heading'))}: "
        f"{escape(t('guide.panel_during'))}</summary>{body}</details>"
        if body
        else ""
    )
    panel.add_class("bw-guide-scenario")
    return panel
