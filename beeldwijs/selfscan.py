"""The prevention self-scan: a checklist of the guide's chapter 1, and its report of gaps.

The checklist lives in ``beeldwijs/data/selfscan.yaml`` (a school may point
``BEELDWIJS_SELFSCAN_FILE`` at its own copy) and is loaded as strictly as a scenario: unknown keys,
non-text values and duplicate ids are errors naming file, line and key path. Each item is
answered ``ja``, ``deels``, ``nee`` or ``weet-niet``; every other answer (or none) is a gap.

The report exists as Markdown (``report_markdown``), as HTML for the widget (``report_html``) and
as PDF (``report_pdf``: text pages and a bar chart of gaps per section, via matplotlib's
PdfPages, imported only when a PDF is made). All text a user typed (school name) and all
checklist text is escaped for the format it goes into; no label goes through mathtext.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from beeldwijs.content.loader import Checker
from beeldwijs.content.model import Option, Question, Scenario, Story, Trigger
from beeldwijs.content.yamlsource import read_yaml
from beeldwijs.errors import ContentError
from beeldwijs.textdoc import A4, markdown_blocks, md_escape, write_pdf
from beeldwijs.texts import t

if TYPE_CHECKING:  # matplotlib is imported only when a PDF or chart is made
    from matplotlib.axes import Axes
    from matplotlib.container import BarContainer

DEFAULT_FILE = Path(__file__).with_name("data") / "selfscan.yaml"
SCHEMA_VERSION = 1
ANSWERS = ("ja", "deels", "nee", "weet-niet")
#: How a gap is listed when an item was left open.
UNANSWERED = "niet-ingevuld"
GAP_ANSWERS = ("nee", "deels", "weet-niet", UNANSWERED)


@dataclass(frozen=True)
class Item:
    id: str
    question: str
    advice: str
    facts: tuple[str, ...] = ()  # ids of the legal facts the advice relies on (beeldwijs facts)


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    guide_section: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Checklist:
    title: str
    source: str
    checked: str
    sections: tuple[Section, ...]

    def items(self) -> tuple[Item, ...]:
        return tuple(i for s in self.sections for i in s.items)


@dataclass(frozen=True)
class Gap:
    section: Section
    item: Item
    answer: str  # one of GAP_ANSWERS


# -- loading ----------------------------------------------------------------------------------


def checklist_file() -> Path:
    return Path(os.environ.get("BEELDWIJS_SELFSCAN_FILE") or DEFAULT_FILE)


def parse_checklist(text: str, file: Path) -> Checklist:
    """Build the checklist from YAML text; raise ContentError listing every problem."""
    raw, lines = read_yaml(text, str(file))
    c = Checker(str(file), lines)
    data = c.mapping(raw, "", ("schema_version", "title", "source", "checked", "sections"))
    if data is None:
        raise ContentError(c.problems)
    if "schema_version" in data and data["schema_version"] != SCHEMA_VERSION:
        c.fail("/schema_version", f"this Beeldwijs reads schema_version {SCHEMA_VERSION}")
    seen: set[str] = set()
    sections = []
    for i, raw_section in enumerate(c.items(data, "sections", "", minimum=1)):
        path = f"/sections/{i}"
        sdata = c.mapping(raw_section, path, ("id", "title", "guide_section", "items"))
        if sdata is None:
            continue
        items = []
        for j, raw_item in enumerate(c.items(sdata, "items", path, minimum=1)):
            ipath = f"{path}/items/{j}"
            idata = c.mapping(raw_item, ipath, ("id", "question", "advice"), ("facts",))
            if idata is None:
                continue
            iid = c.ident(idata, "id", ipath)
            question, advice = c.text(idata, "question", ipath), c.text(idata, "advice", ipath)
            if iid in seen:
                c.fail(f"{ipath}/id", f"duplicate item id {iid!r}")
            elif iid is not None and question is not None and advice is not None:
                seen.add(iid)
                items.append(Item(iid, question, advice, _fact_ids(c, idata, ipath)))
        sid, title = c.ident(sdata, "id", path), c.text(sdata, "title", path)
        guide = c.text(sdata, "guide_section", path)
        if sid is not None and title is not None and guide is not None:
            sections.append(Section(sid, title, guide, tuple(items)))
    checked = c.text(data, "checked", "")
    if checked is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", checked):
        c.fail("/checked", f'expected a date like "2026-11-24", got {checked!r}')
    checklist = Checklist(
        title=c.text(data, "title", "") or "",
        source=c.text(data, "source", "") or "",
        checked=checked or "",
        sections=tuple(sections),
    )
    c.raise_if_any()
    return checklist


@cache
def _load(path: Path) -> Checklist:
    return parse_checklist(path.read_text(encoding="utf-8"), path)


def load_checklist(path: Path | None = None) -> Checklist:
    """The configured checklist (parsed once per process)."""
    return _load((path or checklist_file()).resolve())


# -- the checklist as a team session -------------------------------------------------------------

#: A team sees a gap where at least this share of its answers is "nee" or "deels"…
TEAM_GAP_SHARE = 0.5
#: … and a blind spot where at least this share is "weet ik niet".
TEAM_UNKNOWN_SHARE = 0.3
SCENARIO_PREFIX = "zelfscan-"


def scenario_id(section: Section) -> str:
    return f"{SCENARIO_PREFIX}{section.id}"


def _fact_ids(c: Checker, data: dict[str, Any], path: str) -> tuple[str, ...]:
    from beeldwijs.content.facts import fact_ids

    return c.choices(data, "facts", path, fact_ids()) if "facts" in data else ()


def as_scenarios(checklist: Checklist) -> tuple[Scenario, ...]:
    """The checklist as the scenarios of a team self-scan lesson: one per section.

    Each item becomes a ``dilemma`` question (answers ja / deels / nee / weet ik niet, skip
    added as everywhere) whose expert view is the item's advice; two triggers per item prompt
    the trainer when the team sees a gap or does not know. Staff fill it in anonymously in a
    session like any lesson; ``beeldwijs.facilitator.teamscan`` makes the team result.
    """
    options = tuple(Option(a, _answer_label(a)) for a in ANSWERS)
    prompts = (t("selfscan.prompt_differ"), t("selfscan.prompt_owner"))
    scenarios = []
    for section in checklist.sections:
        sid = scenario_id(section)
        questions = tuple(
            Question(
                sid,
                item.id,
                "dilemma",
                item.question,
                options,
                expert_view=item.advice,
                facts=item.facts,
            )  # fmt: skip
            for item in section.items
        )
        triggers = tuple(
            trigger
            for item in section.items
            for trigger in (
                Trigger(item.id, ("nee", "deels"), TEAM_GAP_SHARE, t("selfscan.trigger_gap")),
                Trigger(item.id, ("weet-niet",), TEAM_UNKNOWN_SHARE, t("selfscan.trigger_unknown")),
            )
        )
        readiness = section.guide_section.startswith("2.")
        scenarios.append(
            Scenario(
                id=sid,
                title=section.title,
                summary=t("selfscan.team_summary", guide=section.guide_section),
                themes=("calamiteitenbeleid",) if readiness else ("preventie",),
                audience=("staff",),
                perspective="schoolleiding",
                content_warning="laag",
                guide_section=section.guide_section,
                help_routes=(),
                story=Story(t("selfscan.team_story", guide=section.guide_section)),
                questions=questions,
                discussion_prompts=prompts,
                triggers=triggers,
            )
        )
    return tuple(scenarios)


# -- answers and gaps -------------------------------------------------------------------------


def validate_answers(answers: Mapping[str, str], checklist: Checklist) -> dict[str, str]:
    """The answers as a plain dict; an unknown item id or answer raises ValueError."""
    known = {i.id for i in checklist.items()}
    result = {}
    for item_id, answer in answers.items():
        if item_id not in known:
            raise ValueError(f"no self-scan item {item_id!r}")
        if answer not in ANSWERS:
            raise ValueError(f"answer {answer!r} to {item_id!r} is not one of {', '.join(ANSWERS)}")
        result[item_id] = answer
    return result


def gaps(answers: Mapping[str, str], checklist: Checklist | None = None) -> list[Gap]:
    """Every item not answered ``ja``, in checklist order (unanswered items are gaps too)."""
    checklist = checklist or load_checklist()
    given = validate_answers(answers, checklist)
    return [
        Gap(section, item, given.get(item.id, UNANSWERED))
        for section in checklist.sections
        for item in section.items
        if given.get(item.id) != "ja"
    ]


def tally(answers: Mapping[str, str], checklist: Checklist) -> dict[str, dict[str, int]]:
    """Per section id: how many items got each answer (``niet-ingevuld`` included)."""
    given = validate_answers(answers, checklist)
    table = {}
    for section in checklist.sections:
        row = dict.fromkeys((*ANSWERS, UNANSWERED), 0)
        for item in section.items:
            row[given.get(item.id, UNANSWERED)] += 1
        table[section.id] = row
    return table


# -- the report -------------------------------------------------------------------------------


def _answer_label(answer: str) -> str:
    return t(f"selfscan.answer.{answer}")


def _today() -> str:
    return dt.date.today().isoformat()


def report_markdown(
    answers: Mapping[str, str], school: str, *, checklist: Checklist | None = None, date: str = ""
) -> str:
    """The report as Markdown: summary table, the gaps with advice, then what is in place."""
    checklist = checklist or load_checklist()
    found, counts = gaps(answers, checklist), tally(answers, checklist)
    given = validate_answers(answers, checklist)
    lines = [
        f"# {md_escape(t('selfscan.report_title', school=school.strip() or '—'))}",
        "",
        md_escape(t("selfscan.report_meta", date=date or _today(), source=checklist.source)),
        "",
        f"## {md_escape(t('selfscan.summary'))}",
        "",
        "| " + " | ".join([md_escape(t("selfscan.section"))] + [_answer_label(a) for a in (*ANSWERS, UNANSWERED)]) + " |",
        "|" + "---|" * (len(ANSWERS) + 2),
    ]  # fmt: skip
    for section in checklist.sections:
        row = counts[section.id]
        cells = [md_escape(section.title)] + [str(row[a]) for a in (*ANSWERS, UNANSWERED)]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", f"## {md_escape(t('selfscan.gaps_heading', n=len(found)))}"]
    if not found:
        lines += ["", md_escape(t("selfscan.no_gaps"))]
    current = None
    for gap in found:
        if gap.section is not current:
            current = gap.section
            lines += [
                "",
                f"### {md_escape(current.title)}",
                "",
                f"*{md_escape(current.guide_section)}*",
                "",
            ]
        lines.append(
            f"- [ ] **{md_escape(gap.item.question)}** ({md_escape(_answer_label(gap.answer))})  \n"
            f"  {md_escape(t('selfscan.advice'))}: {md_escape(gap.item.advice)}"
        )
    in_place = [i for i in checklist.items() if given.get(i.id) == "ja"]
    lines += ["", f"## {md_escape(t('selfscan.in_place_heading', n=len(in_place)))}", ""]
    lines += [f"- [x] {md_escape(i.question)}" for i in in_place] or [
        md_escape(t("selfscan.none_in_place"))
    ]
    lines += ["", md_escape(t("selfscan.footer")), ""]
    return "\n".join(lines)


def report_html(
    answers: Mapping[str, str], school: str, *, checklist: Checklist | None = None, date: str = ""
) -> str:
    """The same report as escaped HTML, for showing in the widget."""
    checklist = checklist or load_checklist()
    found = gaps(answers, checklist)
    parts = [
        f"<h3>{escape(t('selfscan.report_title', school=school.strip() or '—'))}</h3>",
        f"<p>{escape(t('selfscan.report_meta', date=date or _today(), source=checklist.source))}</p>",
        f"<h4>{escape(t('selfscan.gaps_heading', n=len(found)))}</h4>",
    ]
    if not found:
        parts.append(f"<p>{escape(t('selfscan.no_gaps'))}</p>")
    current = None
    for gap in found:
        if gap.section is not current:
            if current is not None:
                parts.append("</ul>")
            current = gap.section
            parts.append(f"<h5>{escape(current.title)}</h5><ul>")
        parts.append(
            f"<li><strong>{escape(gap.item.question)}</strong> ({escape(_answer_label(gap.answer))})"
            f"<br>{escape(t('selfscan.advice'))}: {escape(gap.item.advice)}</li>"
        )
    if current is not None:
        parts.append("</ul>")
    return "".join(parts)


# -- PDF ----------------------------------------------------------------------------------------


def plot_gaps(ax: Axes, answers: Mapping[str, str], checklist: Checklist) -> list[BarContainer]:
    """Stacked horizontal bars per section: items answered nee / deels / weet niet / open.

    Colour-blind-safe (Okabe–Ito) with a hatch per kind; returns the BarContainers drawn.
    """
    from matplotlib.ticker import MaxNLocator

    counts = tally(answers, checklist)
    colours = {"nee": "#D55E00", "deels": "#E69F00", "weet-niet": "#56B4E9", UNANSWERED: "#BBBBBB"}
    hatches = {"nee": "xx", "deels": "//", "weet-niet": "..", UNANSWERED: ""}
    titles = ["\n".join(textwrap.wrap(s.title, 22)) for s in checklist.sections]
    positions = list(range(len(checklist.sections)))
    left = [0] * len(positions)
    drawn = []
    for answer in GAP_ANSWERS:
        values = [counts[s.id][answer] for s in checklist.sections]
        bars = ax.barh(
            positions, values, left=left, color=colours[answer], hatch=hatches[answer],
            edgecolor="white", label=_answer_label(answer),
        )  # fmt: skip
        left = [a + b for a, b in zip(left, values, strict=True)]
        drawn.append(bars)
    for position, total in zip(positions, left, strict=True):
        ax.text(
            total + 0.15,
            position,
            str(total),
            va="center",
            fontsize=11,
            fontweight="bold",
            parse_math=False,
        )
    ax.set_yticks(positions)
    ax.set_yticklabels(titles, fontsize=10, parse_math=False)
    ax.invert_yaxis()
    ax.set_xlabel(t("selfscan.chart_axis"), fontsize=11, parse_math=False)
    ax.set_title(t("selfscan.chart_title"), fontsize=13, parse_math=False)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncols=4, fontsize=9, frameon=False)
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    return drawn


def report_pdf(
    answers: Mapping[str, str],
    school: str,
    path: Path,
    *,
    checklist: Checklist | None = None,
    date: str = "",
) -> Path:
    """Write the report as a PDF: the Markdown report as text pages, then the chart of gaps."""
    from matplotlib.figure import Figure

    checklist = checklist or load_checklist()
    markdown = report_markdown(answers, school, checklist=checklist, date=date)
    chart = Figure(figsize=A4, layout="constrained")
    plot_gaps(chart.add_subplot(2, 1, 1), answers, checklist)
    title = t("selfscan.report_title", school=school.strip() or "—")
    return write_pdf(path, markdown_blocks(markdown), title=title, figures=[chart])


def report_stem(school: str, date: str = "") -> str:
    """A file name (without extension) for the reports: zelfscan-<school>-<date>."""
    slug = re.sub(r"[^a-z0-9]+", "-", school.lower()).strip("-")[:40] or "school"
    return f"zelfscan-{slug}-{date or _today()}"
