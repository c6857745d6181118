"""The prevention self-scan's report of gaps: as Markdown, as HTML for the form, and as PDF.

The report exists as Markdown (``report_markdown``), as HTML for the widget (``report_html``) and
as PDF (``report_pdf``: text pages and a bar chart of gaps per section, via matplotlib's
PdfPages, imported only when a PDF is made). All text a user typed (school name) and all
checklist text is escaped for the format it goes into; no label goes through mathtext.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from beeldwijs.content.checklist import (
    ANSWERS,
    GAP_ANSWERS,
    UNANSWERED,
    Checklist,
    answer_label,
    gaps,
    load_checklist,
    tally,
    validate_answers,
)
from beeldwijs.documents.textdoc import A4, markdown_blocks, md_escape, write_pdf
from beeldwijs.texts import t
from beeldwijs.ui.html import Markup, html, join

if TYPE_CHECKING:  # matplotlib is imported only when a PDF or chart is made
    from matplotlib.axes import Axes
    from matplotlib.container import BarContainer


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
        "| " + " | ".join([md_escape(t("selfscan.section"))] + [answer_label(a) for a in (*ANSWERS, UNANSWERED)]) + " |",
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
            f"- [ ] **{md_escape(gap.item.question)}** ({md_escape(answer_label(gap.answer))})  \n"
            f"  {md_escape(t('selfscan.advice'))}: {md_escape(gap.item.advice)}"
            + (
                f"  \n  {md_escape(t('selfscan.source', source=gap.item.source))}"
                if gap.item.source
                else ""
            )
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
) -> Markup:
    """The same report as escaped HTML, for showing in the widget."""
    checklist = checklist or load_checklist()
    found = gaps(answers, checklist)
    parts = [
        html("<h3>{}</h3>", t("selfscan.report_title", school=school.strip() or "—")),
        html(
            "<p>{}</p>", t("selfscan.report_meta", date=date or _today(), source=checklist.source)
        ),
        html("<h4>{}</h4>", t("selfscan.gaps_heading", n=len(found))),
    ]
    if not found:
        parts.append(html("<p>{}</p>", t("selfscan.no_gaps")))
    sections: dict[str, list[Markup]] = {}
    titles: dict[str, str] = {}
    for gap in found:
        titles[gap.section.id] = gap.section.title
        source = (
            html("<br>{}", t("selfscan.source", source=gap.item.source)) if gap.item.source else ""
        )
        sections.setdefault(gap.section.id, []).append(
            html(
                "<li><strong>{}</strong> ({})<br>{}: {}{}</li>",
                gap.item.question,
                answer_label(gap.answer),
                t("selfscan.advice"),
                gap.item.advice,
                source,
            )
        )
    parts += [
        html("<h5>{}</h5><ul>{}</ul>", titles[key], join(items)) for key, items in sections.items()
    ]
    return join(parts)


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
            edgecolor="white", label=answer_label(answer),
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
