"""The team result of a self-scan session: where the team sees gaps, differs, or does not know.

Pure functions over the store's ``Count`` rows of a lesson with ``selfscan: true`` (its questions
are the checklist's items, see ``beeldwijs.content.checklist.as_scenarios``). Per item: the answers
ja / deels / nee / weet ik niet, skips apart. Per section: the shares over the items shown.
**Eerst oppakken** lists the items where at least half of the answers are "nee" or "deels"
(a gap the team sees) or at least 30 % "weet ik niet" (a blind spot), lowest share of "ja" first,
each with the guide's advice.

Small groups stay protected as everywhere: an item shows only with at least ``k`` real answers,
and a section's shares come only from shown items, so a hidden item cannot leak through them.
Plot helpers take an ``ax``, return what they drew and pass every label with ``parse_math=False``.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.container import BarContainer

from beeldwijs.content.checklist import (
    ANSWERS,
    TEAM_GAP_SHARE,
    TEAM_UNKNOWN_SHARE,
    Checklist,
    Item,
    Section,
    scenario_id,
)
from beeldwijs.content.model import SKIP
from beeldwijs.facilitator.analysis.tabletop import Tally, plot_stacked_shares
from beeldwijs.store import Count
from beeldwijs.texts import t

#: Okabe–Ito colours and a hatch per answer (told apart in grey print and by colour-blind eyes).
ANSWER_COLOUR = {"ja": "#009E73", "deels": "#E69F00", "nee": "#D55E00", "weet-niet": "#56B4E9"}
ANSWER_HATCH = {"ja": "", "deels": "//", "nee": "xx", "weet-niet": ".."}
FONT_SIZE = 15


@dataclass(frozen=True)
class ItemResult(Tally):
    """One checklist item: real answers per kind, skips apart."""

    section: Section
    item: Item

    @property
    def is_priority(self) -> bool:
        return self.visible and (
            self.share("nee", "deels") >= TEAM_GAP_SHARE
            or self.share("weet-niet") >= TEAM_UNKNOWN_SHARE
        )


@dataclass(frozen=True)
class SectionResult:
    section: Section
    items: tuple[ItemResult, ...]

    @property
    def shown(self) -> tuple[ItemResult, ...]:
        return tuple(i for i in self.items if i.visible)

    @property
    def answered(self) -> int:
        return sum(i.answered for i in self.shown)

    def share(self, answer: str) -> float:
        """Share of ``answer`` among the answers to the shown items (0 when none is shown)."""
        total = self.answered
        return sum(i.counts[answer] for i in self.shown) / total if total else 0.0


@dataclass(frozen=True)
class ScanResult:
    sections: tuple[SectionResult, ...]

    @property
    def visible(self) -> bool:
        return any(s.shown for s in self.sections)

    def priorities(self) -> list[ItemResult]:
        """Items to take up first: a gap or a blind spot, lowest share of "ja" first."""
        found = [i for s in self.sections for i in s.items if i.is_priority]
        return sorted(found, key=lambda i: (i.share("ja"), -i.share("weet-niet")))


def scan_result(
    counts: Iterable[Count],
    checklist: Checklist,
    k: int,
    rounds: Mapping[str, int] | None = None,
) -> ScanResult:
    """The team result; each item counts its answers of round ``rounds[key]`` (default 1)."""
    rounds = rounds or {}
    by_key: dict[tuple[str, int], dict[str, int]] = {}
    for c in counts:
        values = by_key.setdefault((c.question_key, c.round), {})
        values[c.value] = values.get(c.value, 0) + c.count
    sections = []
    for section in checklist.sections:
        items = []
        for item in section.items:
            key = f"{scenario_id(section)}/{item.id}"
            values = by_key.get((key, rounds.get(key, 1)), {})
            per_answer = {a: values.get(a, 0) for a in ANSWERS}
            skipped = values.get(SKIP, 0)
            items.append(ItemResult(per_answer, skipped, k, section=section, item=item))
        sections.append(SectionResult(section, tuple(items)))
    return ScanResult(tuple(sections))


# -- text and chart -----------------------------------------------------------------------------


def _percent(share: float) -> int:
    return round(100 * share)


def scan_summary(result: ScanResult) -> list[str]:
    """Per section the shares, then what to take up first with advice (the chart as text)."""
    lines = []
    for s in result.sections:
        hidden = len(s.items) - len(s.shown)
        if not s.shown:
            k = s.items[0].k if s.items else 0
            lines.append(
                t("scan.section_hidden", section=s.section.title, hidden_text=t("scan.hidden", k=k))
            )
            continue
        lines.append(
            t(
                "scan.section_summary",
                section=s.section.title,
                ja=_percent(s.share("ja")),
                deels=_percent(s.share("deels")),
                nee=_percent(s.share("nee")),
                weet=_percent(s.share("weet-niet")),
                n=s.answered,
                items=len(s.shown),
                hidden=t("scan.some_hidden", n=hidden) if hidden else "",
            )
        )
    return lines


def priority_lines(result: ScanResult) -> list[str]:
    return [
        t(
            "scan.priority",
            question=i.item.question,
            ja=_percent(i.share("ja")),
            weet=_percent(i.share("weet-niet")),
            advice=i.item.advice,
        )
        for i in result.priorities()
    ] or [t("scan.no_priorities")]


def plot_scan_result(ax: Axes, result: ScanResult) -> list[BarContainer]:
    """Stacked horizontal bars per section: % ja / deels / nee / weet ik niet over shown items.

    A section without a shown item gets no bar, only the words that it is hidden. Returns one
    BarContainer per answer, in the order of ``ANSWERS``.
    """
    sections = result.sections
    positions = list(range(len(sections)))
    segments = [
        (
            [100 * s.share(answer) for s in sections],
            ANSWER_COLOUR[answer],
            ANSWER_HATCH[answer],
            t(f"selfscan.answer.{answer}"),
        )
        for answer in ANSWERS
    ]
    drawn = plot_stacked_shares(ax, positions, segments)
    for position, s in zip(positions, sections, strict=True):
        if not s.shown:
            k = s.items[0].k if s.items else 0
            ax.text(
                1, position, t("scan.hidden", k=k), va="center", fontsize=FONT_SIZE - 2,
                style="italic", parse_math=False,
            )  # fmt: skip
    ax.set_yticks(positions)
    ax.set_yticklabels(
        ["\n".join(textwrap.wrap(s.section.title, 24)) for s in sections],
        fontsize=FONT_SIZE - 2,
        parse_math=False,
    )
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel(t("scan.share_axis"), fontsize=FONT_SIZE, parse_math=False)
    ax.set_title(t("scan.title"), fontsize=FONT_SIZE + 2, parse_math=False)
    ax.legend(
        loc="upper center", bbox_to_anchor=(0.5, -0.14), ncols=4, fontsize=FONT_SIZE - 3,
        frameon=False,
    )  # fmt: skip
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    return drawn
