"""Projector-grade charts of a question's result: large type, colour-blind-safe, Dutch labels.

Helpers take an ``ax`` and return what they drew. Every text goes through ``parse_math=False``,
so a ``$`` in any text can never reach mathtext; student text never appears in a title.
Nothing is conveyed by colour alone: bars carry their labels and counts, "sla over" is hatched,
the correct answer of a knowledge check is marked with a ✓ in its label.
"""

from __future__ import annotations

import io
import re
import textwrap
from collections import Counter
from collections.abc import Sequence
from typing import Any

from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from beeldwijs.content.model import SCALE_IDS, Question
from beeldwijs.facilitator.analysis.aggregate import QuestionResult
from beeldwijs.texts import t
from beeldwijs.ui.labels import option_labels

#: Every colour has a contrast of at least 3:1 against the white chart background (WCAG 1.4.11,
#: and a projector washes out light colours); hues after Okabe–Ito and Paul Tol, darkened. The
#: n-th option has the n-th colour on every page (dashboard, report, overview).
PALETTE = ("#0072B2", "#C45200", "#007A5A", "#AA4499", "#8A7A00", "#882255", "#332288")
TRAFFIC = {"groen": "#117733", "oranje": "#B35900", "rood": "#B3261E"}
#: Diverging scale: blues for disagree, grey neutral, oranges for agree (no red/green pair).
SCALE_COLOURS = ("#0B5394", "#5B8DB8", "#767676", "#B86E00", "#A63A00")
ROUND_COLOURS = ("#5B8DB8", "#0072B2", "#003E66")
SKIP_COLOUR = "#767676"
BACKGROUND = "#FFFFFF"
#: Fill patterns per option where shares are stacked (the overview): readable without colour.
HATCHES = ("", "//", "..", "xx", "\\\\", "oo", "--")
FONT_SIZE = 16


def wrap(text: str, width: int = 30) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def relative_luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of ``#RRGGBB``."""
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    """WCAG 2.1 contrast ratio of two ``#RRGGBB`` colours (1 to 21)."""
    a, b = sorted((relative_luminance(one), relative_luminance(other)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def text_colour(background: str) -> str:
    """Black or white, whichever reads better on ``background``."""
    return (
        "#000000"
        if contrast("#000000", background) >= contrast("#FFFFFF", background)
        else "#FFFFFF"
    )


def labels_of(question: Question) -> dict[str, str]:
    labels = dict(option_labels(question))
    if question.type == "knowledge" and question.correct:
        labels[question.correct] = f"✓ {labels[question.correct]}"
    return labels


def result_rows(results: Sequence[QuestionResult]) -> list[tuple[str, list[int]]]:
    """(label, count per round) per option in display order, "sla over" last."""
    labels = labels_of(results[0].question)
    ids = list(results[0].counts.index)
    rows = [(labels.get(i, i), [int(r.counts.get(i, 0)) for r in results]) for i in ids]
    return rows + [(t("dash.skipped"), [r.skipped for r in results])]


def _style(ax: Axes) -> None:
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.tick_params(axis="x", labelsize=FONT_SIZE - 2)
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)


def plot_bars(ax: Axes, results: Sequence[QuestionResult]) -> list[Any]:
    """Horizontal bars per option (grouped per round for a re-vote); skip apart, hatched."""
    question = results[0].question
    rows = result_rows(results)
    n_rounds = len(results)
    height = 0.8 / n_rounds
    drawn: list[Any] = []
    ids = list(results[0].counts.index)
    positions = [float(n) for n in range(len(rows))]
    positions[-1] += 0.4  # a gap sets "sla over" apart from the real answers
    for r, result in enumerate(results):
        offsets = [p + (r - (n_rounds - 1) / 2) * height for p in positions]
        values = [counts[r] for _, counts in rows]
        if n_rounds > 1:
            colours = [ROUND_COLOURS[r % len(ROUND_COLOURS)]] * len(ids)
        elif question.type == "traffic_light":
            colours = [TRAFFIC.get(i, PALETTE[0]) for i in ids]
        else:
            colours = [PALETTE[n % len(PALETTE)] for n in range(len(ids))]
        bars = ax.barh(
            offsets,
            values,
            height=height * 0.95,
            color=[*colours, SKIP_COLOUR],
            edgecolor=BACKGROUND,
            hatch=[""] * len(ids) + ["//"],
            label=t("dash.round", n=result.round),
        )
        drawn.append(bars)
        for bar, value in zip(bars, values, strict=True):
            drawn.append(
                ax.text(
                    bar.get_width() + 0.1,
                    bar.get_y() + bar.get_height() / 2,
                    str(value),
                    va="center",
                    fontsize=FONT_SIZE - (2 if n_rounds > 1 else 0),
                    fontweight="bold",
                    parse_math=False,
                )
            )
    ax.set_yticks(positions)
    ax.set_yticklabels([wrap(label) for label, _ in rows], fontsize=FONT_SIZE, parse_math=False)
    ax.invert_yaxis()
    xlabel = t("dash.answers", n=results[-1].total)
    if question.type == "knowledge" and results[-1].answered:
        share = results[-1].share((question.correct or "",))
        xlabel += " · " + t("dash.correct_share", percent=round(100 * share))
    ax.set_xlabel(xlabel, fontsize=FONT_SIZE, parse_math=False)
    if n_rounds > 1:
        legend = ax.legend(fontsize=FONT_SIZE - 2, loc="lower right")
        for text in legend.get_texts():
            text.set_parse_math(False)
    _style(ax)
    return drawn


def plot_scale(ax: Axes, results: Sequence[QuestionResult]) -> list[Any]:
    """Diverging stacked bar per round: disagree to the left of 0, agree to the right."""
    labels = labels_of(results[0].question)
    drawn: list[Any] = []
    for row, result in enumerate(results):
        counts = [int(result.counts.get(i, 0)) for i in SCALE_IDS]
        total = sum(counts) or 1
        shares = [100 * c / total for c in counts]
        left = -(shares[0] + shares[1] + shares[2] / 2)
        for i, share in enumerate(shares):
            bar = ax.barh(
                row,
                share,
                left=left,
                color=SCALE_COLOURS[i],
                edgecolor=BACKGROUND,  # a white seam between neighbouring shares
                linewidth=2,
                label=labels[SCALE_IDS[i]] if row == 0 else None,
            )
            drawn.append(bar)
            if share >= 6:
                drawn.append(
                    ax.text(
                        left + share / 2,
                        row,
                        f"{round(share)}%",
                        ha="center",
                        va="center",
                        fontsize=FONT_SIZE - 2,
                        fontweight="bold",
                        color=text_colour(SCALE_COLOURS[i]),
                        parse_math=False,
                    )
                )
            left += share
    ax.axvline(0, color="#333333", linewidth=1)
    ax.set_yticks(range(len(results)))
    ax.set_yticklabels(
        [t("dash.round", n=r.round) for r in results], fontsize=FONT_SIZE, parse_math=False
    )
    ax.invert_yaxis()
    ax.set_xlim(-100, 100)
    ax.set_xlabel(
        t("dash.scale_axis", n=results[-1].answered, skipped=results[-1].skipped),
        fontsize=FONT_SIZE,
        parse_math=False,
    )
    legend = ax.legend(
        ncols=5, fontsize=FONT_SIZE - 4, loc="upper center", bbox_to_anchor=(0.5, -0.35)
    )
    for text in legend.get_texts():
        text.set_parse_math(False)
    ax.tick_params(axis="x", labelsize=FONT_SIZE - 2)
    for spine in ("top", "right", "left"):
        ax.spines[spine].set_visible(False)
    return drawn


def plot_question(ax: Axes, results: Sequence[QuestionResult]) -> list[Any]:
    """The chart that suits the question type, one row or group per round in ``results``."""
    if results[0].question.type == "scale":
        return plot_scale(ax, results)
    return plot_bars(ax, results)


STOPWORDS = frozenset(
    [
        "de",
        "het",
        "een",
        "en",
        "of",
        "maar",
        "dat",
        "die",
        "dit",
        "is",
        "zijn",
        "was",
        "ik",
        "je",
        "jij",
        "hij",
        "zij",
        "ze",
        "we",
        "wij",
        "u",
        "niet",
        "wel",
        "ook",
        "om",
        "te",
        "in",
        "op",
        "aan",
        "met",
        "voor",
        "van",
        "naar",
        "bij",
        "als",
        "dan",
        "er",
        "hem",
        "haar",
        "hun",
        "mij",
        "me",
        "mijn",
        "jouw",
        "zo",
        "nog",
        "al",
        "heb",
        "hebt",
        "heeft",
        "kan",
        "kun",
        "moet",
        "wil",
        "gaan",
        "gaat",
        "doen",
        "doet",
        "wordt",
        "worden",
        "zou",
        "wat",
        "hoe",
        "wie",
        "waar",
    ]
)


#: Longer words are cut (with "…") in the word cloud: a 200-letter "word" ran off the page.
LONGEST_WORD = 24


def word_counts(texts: Sequence[str], limit: int = 30) -> list[tuple[str, int]]:
    unmasked = (re.sub(r"\[[^\]]*\]", " ", text) for text in texts)  # drop [naam] etc.
    words = (w.lower() for text in unmasked for w in re.findall(r"[^\W\d_][\w'’-]+", text))
    counts = Counter(
        w if len(w) <= LONGEST_WORD else w[: LONGEST_WORD - 1] + "…"
        for w in words
        if w not in STOPWORDS and len(w) > 2
    )
    return counts.most_common(limit)


def plot_word_cloud(ax: Axes, texts: Sequence[str]) -> list[Any]:
    """The most frequent words of approved answers, larger when more frequent, in rows."""
    ax.set_axis_off()
    words = word_counts(texts)
    if not words:
        return []
    top = words[0][1]
    drawn: list[Any] = []
    x, y, row_height = 0.02, 0.92, 0.0
    for n, (word, count) in enumerate(words):
        size = 14 + 30 * count / top
        width = 0.011 * size * len(word) / 10 + 0.03
        if x + width > 0.98:
            x, y = 0.02, y - row_height - 0.04
            row_height = 0.0
        drawn.append(
            ax.text(
                x,
                y,
                word,
                fontsize=size,
                color=PALETTE[n % 4],
                fontweight="bold",
                va="top",
                parse_math=False,
                transform=ax.transAxes,
            )
        )
        x += width
        row_height = max(row_height, size / 300)
    return drawn


def figure_svg(fig: Figure) -> bytes:
    """The figure as SVG: sharp at any projector size. Text is drawn as paths (no font needed in
    the browser) and ids are salted and undated, so the same chart gives the same bytes."""
    buf = io.BytesIO()
    with rc_context({"svg.fonttype": "path", "svg.hashsalt": "beeldwijs"}):
        fig.savefig(buf, format="svg", metadata={"Date": None})
    return buf.getvalue()


def result_alt(results: Sequence[QuestionResult]) -> str:
    """The chart's text alternative: what it shows, each option with its count(s)."""
    rows = "; ".join(
        f"{label}: {' → '.join(map(str, counts))}" for label, counts in result_rows(results)
    )
    kind = t("chart.alt_scale" if results[0].question.type == "scale" else "chart.alt_bars")
    return f"{kind}. {rows}"


def result_figure(results: Sequence[QuestionResult]) -> Figure:
    """A figure of the question's chart, sized to its number of rows (no pyplot: thread-safe)."""
    question = results[0].question
    rows = len(results) + 1.5 if question.type == "scale" else len(results[0].counts) + 1
    per_row = 0.8 if question.type == "scale" else 0.6 + 0.3 * len(results)
    # wide rather than tall: a projector is 16:10, the chart shares it with the question
    fig = Figure(figsize=(12, 1.4 + per_row * rows), dpi=80, layout="constrained")
    plot_question(fig.add_subplot(), results)
    return fig


def result_svg(results: Sequence[QuestionResult]) -> bytes:
    return figure_svg(result_figure(results))


def word_cloud_figure(texts: Sequence[str]) -> Figure:
    fig = Figure(figsize=(10, 4), dpi=80, layout="constrained")
    plot_word_cloud(fig.add_subplot(), texts)
    return fig


def word_cloud_svg(texts: Sequence[str]) -> bytes:
    return figure_svg(word_cloud_figure(texts))
