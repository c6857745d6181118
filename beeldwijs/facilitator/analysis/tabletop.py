"""The team result of a tabletop exercise: how the team's decisions compare with the protocol.

Pure functions over the store's ``Count`` rows (the store counts with GROUP BY; nothing here sees a
participant). Per decision step: the share of choices that were ``volgens-protocol``, ``deels``
or ``niet-volgens-protocol``. Per step of the guide's protocol (definiëren, actie, communiceren):
a score from 0 to 100 over the choices judged against that step (each option names its
``protocol_step``): volgens protocol counts 100, deels 50, niet 0.

Small groups stay protected as on the dashboard: a decision step shows only with at least ``k``
real answers (skips apart), and a protocol score only from shown steps and at least ``k`` choices.
Plot helpers take an ``ax``, return what they drew and pass every label with ``parse_math=False``.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.container import BarContainer

from beeldwijs.content.model import PROTOCOL_STEPS, SKIP, VERDICTS, Question
from beeldwijs.store import Count
from beeldwijs.texts import t

#: Points per verdict (out of 1) for the protocol score.
VERDICT_WEIGHT = {"volgens-protocol": 1.0, "deels": 0.5, "niet-volgens-protocol": 0.0}
#: Okabe–Ito colours, with a hatch each so that print in grey and colour-blind eyes tell them apart.
VERDICT_COLOUR = {
    "volgens-protocol": "#009E73",
    "deels": "#E69F00",
    "niet-volgens-protocol": "#D55E00",
}
VERDICT_HATCH = {"volgens-protocol": "", "deels": "//", "niet-volgens-protocol": "xx"}
SCORE_COLOUR = "#0072B2"
FONT_SIZE = 15


@dataclass(frozen=True)
class Tally:
    """Real answers per kind (skips apart) of one question, shown only from ``k`` answers."""

    counts: dict[str, int]
    skipped: int
    k: int

    @property
    def answered(self) -> int:
        return sum(self.counts.values())

    @property
    def visible(self) -> bool:
        return self.answered >= self.k

    def share(self, *kinds: str) -> float:
        """Share of real answers that are one of ``kinds`` (0 when nobody answered)."""
        total = self.answered
        return sum(self.counts.get(x, 0) for x in kinds) / total if total else 0.0


@dataclass(frozen=True)
class StepResult(Tally):
    """One decision step: real choices per verdict, skips apart."""

    question: Question


@dataclass(frozen=True)
class ProtocolScore:
    """The team's score on one step of the protocol; ``score`` is None while hidden."""

    step: str
    choices: int
    score: float | None


#: a protocol step the team scores at least this on (of 100) counts as one it got right
RIGHT_SCORE = 75


@dataclass(frozen=True)
class TeamResult:
    steps: tuple[StepResult, ...]
    protocol: tuple[ProtocolScore, ...]


def team_result(
    counts: Iterable[Count], questions: Iterable[Question], k: int, round_no: int = 1
) -> TeamResult:
    """The team result of the ``decision`` questions among ``questions`` (others are ignored)."""
    decisions = [q for q in questions if q.type == "decision"]
    by_key: dict[str, dict[str, int]] = {}
    for c in counts:
        if c.round == round_no:
            values = by_key.setdefault(c.question_key, {})
            values[c.value] = values.get(c.value, 0) + c.count
    steps: list[StepResult] = []
    points = dict.fromkeys(PROTOCOL_STEPS, 0.0)
    choices = dict.fromkeys(PROTOCOL_STEPS, 0)
    for q in decisions:
        values = by_key.get(q.key, {})
        per_verdict = dict.fromkeys(VERDICTS, 0)
        for option in q.options:
            if option.verdict is not None:
                per_verdict[option.verdict] += values.get(option.id, 0)
        step = StepResult(per_verdict, values.get(SKIP, 0), k, question=q)
        steps.append(step)
        if not step.visible:
            continue
        for option in q.options:
            n = values.get(option.id, 0)
            if option.protocol_step is not None and option.verdict is not None:
                choices[option.protocol_step] += n
                points[option.protocol_step] += n * VERDICT_WEIGHT[option.verdict]
    protocol = tuple(
        ProtocolScore(s, choices[s], 100 * points[s] / choices[s] if choices[s] >= k else None)
        for s in PROTOCOL_STEPS
    )
    return TeamResult(tuple(steps), protocol)


# -- text and charts --------------------------------------------------------------------------


def step_label(question: Question, width: int = 34) -> str:
    """ "08:40 · mentor" and the start of the prompt, for a chart's axis."""
    head = " · ".join(
        x for x in (question.time, t(f"role.{question.role}") if question.role else "") if x
    )
    return "\n".join([head, *textwrap.wrap(question.prompt, width, max_lines=2, placeholder=" …")])


def team_summary(result: TeamResult) -> list[str]:
    """The team result as lines of text (what the charts show, for screen readers and reports)."""
    lines = []
    for step in result.steps:
        label = " ".join(step_label(step.question, 200).splitlines())
        if not step.visible:
            lines.append(f"{label}: {t('team.hidden', k=step.k)}")
            continue
        lines.append(
            t(
                "team.step_summary",
                label=label,
                volgens=round(100 * step.share("volgens-protocol")),
                deels=round(100 * step.share("deels")),
                niet=round(100 * step.share("niet-volgens-protocol")),
                n=step.answered,
            )
        )
    for score in result.protocol:
        label = t(f"protocol_step.{score.step}")
        value = t("team.no_score") if score.score is None else str(round(score.score))
        lines.append(t("team.score_summary", label=label, score=value, n=score.choices))
    scored = [(s.step, s.score) for s in result.protocol if s.score is not None]
    if scored:
        right = [t(f"protocol_step.{step}") for step, score in scored if score >= RIGHT_SCORE]
        practise = [t(f"protocol_step.{step}") for step, score in scored if score < RIGHT_SCORE]
        none = t("team.parts_none")
        lines.append(
            t("team.parts", right=", ".join(right) or none, practise=", ".join(practise) or none)
        )
    return lines


#: One category of a stacked share chart: widths in % per row, colour, hatch, legend label.
Segment = tuple[list[float], str, str, str]


def plot_stacked_shares(
    ax: Axes, positions: list[int], segments: Iterable[Segment]
) -> list[BarContainer]:
    """Horizontal bars stacked to 100 % per row, one BarContainer per segment; a part of 8 % or
    more carries its share as text (team results of the tabletop and of the self-scan)."""
    left = [0.0] * len(positions)
    drawn = []
    for widths, colour, hatch, label in segments:
        bars = ax.barh(
            positions, widths, left=left, color=colour, hatch=hatch, edgecolor="white",
            label=label,
        )  # fmt: skip
        for bar, width, start in zip(bars, widths, left, strict=True):
            if width >= 8:
                ax.text(
                    start + width / 2, bar.get_y() + bar.get_height() / 2, f"{round(width)}%",
                    ha="center", va="center", fontsize=FONT_SIZE - 2, fontweight="bold",
                    color="black", backgroundcolor="white", parse_math=False,
                )  # fmt: skip
        left = [a + b for a, b in zip(left, widths, strict=True)]
        drawn.append(bars)
    return drawn


def plot_team_result(ax: Axes, result: TeamResult) -> list[BarContainer]:
    """Stacked horizontal bars per decision step: % volgens / deels / niet volgens protocol.

    A hidden step (fewer than k answers) gets no bar, only the words that it is hidden.
    Returns one BarContainer per verdict, in the order of ``VERDICTS``.
    """
    steps = result.steps
    positions = list(range(len(steps)))
    segments = [
        (
            [100 * s.share(verdict) if s.visible else 0.0 for s in steps],
            VERDICT_COLOUR[verdict],
            VERDICT_HATCH[verdict],
            t(f"verdict.{verdict}"),
        )
        for verdict in VERDICTS
    ]
    drawn = plot_stacked_shares(ax, positions, segments)
    for position, step in zip(positions, steps, strict=True):
        if not step.visible:
            ax.text(
                1, position, t("team.hidden", k=step.k), va="center", fontsize=FONT_SIZE - 2,
                style="italic", parse_math=False,
            )  # fmt: skip
    ax.set_yticks(positions)
    ax.set_yticklabels(
        [step_label(s.question) for s in steps], fontsize=FONT_SIZE - 3, parse_math=False
    )
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel(t("team.share_axis"), fontsize=FONT_SIZE, parse_math=False)
    ax.set_title(t("team.title"), fontsize=FONT_SIZE + 2, parse_math=False)
    ax.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, -0.12),
        ncols=3,
        fontsize=FONT_SIZE - 3,
        frameon=False,
    )
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    return drawn


def plot_protocol_scores(ax: Axes, result: TeamResult) -> BarContainer:
    """One bar per step of the protocol (0–100); a hidden score gets the words instead of a bar."""
    scores = result.protocol
    labels = ["\n".join(textwrap.wrap(t(f"protocol_step.{s.step}"), 18)) for s in scores]
    values = [s.score or 0.0 for s in scores]
    bars = ax.bar(range(len(scores)), values, color=SCORE_COLOUR)
    for bar, score in zip(bars, scores, strict=True):
        text = t("team.no_score") if score.score is None else str(round(score.score))
        ax.text(
            bar.get_x() + bar.get_width() / 2, bar.get_height() + 2, text, ha="center",
            fontsize=FONT_SIZE, fontweight="bold", parse_math=False,
        )  # fmt: skip
    ax.set_xticks(range(len(scores)))
    ax.set_xticklabels(labels, fontsize=FONT_SIZE - 2, parse_math=False)
    ax.set_ylim(0, 110)
    ax.set_ylabel(t("team.score_label"), fontsize=FONT_SIZE - 2, parse_math=False)
    ax.set_title(t("team.score_axis"), fontsize=FONT_SIZE, parse_math=False)
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    return bars
