"""A staff session's team result, whichever kind the lesson has, for the dashboard and the report.

A tabletop exercise (``decision`` questions) gets ``beeldwijs.facilitator.analysis.tabletop``; a team self-scan
(a lesson with ``selfscan: true``) gets ``beeldwijs.facilitator.analysis.team_session``. Both become a
:class:`TeamView`: whether anything may be shown (k), the result as lines of text, for the
self-scan what to take up first, and a function that draws the charts into a figure (an SVG on
the dashboard, a page of the exported PDF).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from matplotlib.figure import Figure

from beeldwijs.content.model import Lesson
from beeldwijs.facilitator.analysis.tabletop import (
    plot_protocol_scores,
    plot_team_result,
    team_result,
)
from beeldwijs.facilitator.analysis.tabletop import team_summary as tabletop_summary
from beeldwijs.facilitator.analysis.team_session import (
    plot_scan_result,
    priority_lines,
    scan_result,
    scan_summary,
)
from beeldwijs.facilitator.charts import figure_svg
from beeldwijs.store import Count


@dataclass(frozen=True)
class TeamView:
    visible: bool  # at least one part has k answers
    lines: tuple[str, ...]
    priorities: tuple[str, ...]  # self-scan only: what to take up first, with advice
    draw: Callable[[Figure], None]
    height: float  # inches the charts need at 12 inches wide


def has_team_result(lesson: Lesson) -> bool:
    return lesson.selfscan or any(q.type == "decision" for q in lesson.questions)


def team_view(
    lesson: Lesson, counts: Iterable[Count], k: int, rounds: Mapping[str, int] | None = None
) -> TeamView | None:
    """The team result of a staff lesson; None for a lesson without one."""
    if lesson.selfscan:
        from beeldwijs.content.checklist import load_checklist

        scan = scan_result(counts, load_checklist(), k, rounds)

        def draw_scan(fig: Figure) -> None:
            plot_scan_result(fig.add_subplot(), scan)

        return TeamView(
            visible=scan.visible,
            lines=tuple(scan_summary(scan)),
            priorities=tuple(priority_lines(scan)),
            draw=draw_scan,
            height=2.5 + 1.0 * len(scan.sections),
        )
    if not has_team_result(lesson):
        return None
    result = team_result(counts, lesson.questions, k)

    def draw(fig: Figure) -> None:
        top, bottom = fig.subplots(2, 1, height_ratios=[max(len(result.steps), 1), 3])
        plot_team_result(top, result)
        plot_protocol_scores(bottom, result)

    return TeamView(
        visible=any(step.visible for step in result.steps),
        lines=tuple(tabletop_summary(result)),
        priorities=(),
        draw=draw,
        height=3.5 + 1.0 * len(result.steps),
    )


def team_figure(view: TeamView) -> Figure:
    fig = Figure(figsize=(12, view.height), dpi=80, layout="constrained")
    view.draw(fig)
    return fig


def team_svg(view: TeamView) -> bytes:
    """The charts as one SVG, like every other chart (no pyplot: safe from the dashboard's
    background thread; the same result gives the same bytes)."""
    return figure_svg(team_figure(view))
