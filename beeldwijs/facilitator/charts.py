"""Projector-grade charts of a question's result: large type, colour-blind-safe, Dutch labels.

Helpers take an ``ax`` and return what they drew. Every label goes through ``parse_math=False``
so a ``$`` in any text can never reach mathtext.
"""

from __future__ import annotations

import io
import textwrap

from matplotlib.axes import Axes
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from beeldwijs.facilitator.aggregate import QuestionResult
from beeldwijs.texts import t
from beeldwijs.widgets.question import option_labels

#: Okabe–Ito palette (safe for the common colour-vision deficiencies).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
SKIP_COLOUR = "#9A9A9A"
FONT_SIZE = 16


def _wrap(text: str, width: int = 28) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def result_rows(result: QuestionResult) -> list[tuple[str, int]]:
    """(label, count) per option in display order, "sla over" last."""
    labels = dict(option_labels(result.question))
    rows = [(labels.get(i, i), int(result.counts[i])) for i in result.counts.index]
    return rows + [(t("dash.skipped"), result.skipped)]


def plot_result(ax: Axes, result: QuestionResult) -> BarContainer:
    """Horizontal bars per option, skip drawn apart in grey; counts written at the bar ends."""
    rows = result_rows(result)
    values = [count for _, count in rows]
    names = [_wrap(label) for label, _ in rows]
    ids = list(result.counts.index)
    colours = [PALETTE[n % len(PALETTE)] for n in range(len(ids))] + [SKIP_COLOUR]
    positions = [float(n) for n in range(len(values))]
    positions[-1] += 0.4  # a gap sets "sla over" apart from the real answers
    bars = ax.barh(positions, values, color=colours, hatch=[""] * len(ids) + ["//"])
    ax.set_yticks(positions)
    ax.set_yticklabels(names, fontsize=FONT_SIZE, parse_math=False)
    ax.invert_yaxis()
    ax.set_xlabel(t("dash.answers", n=result.total), fontsize=FONT_SIZE, parse_math=False)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.tick_params(axis="x", labelsize=FONT_SIZE - 2)
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    for bar, value in zip(bars, values, strict=True):
        ax.text(
            bar.get_width() + 0.1, bar.get_y() + bar.get_height() / 2, str(value),
            va="center", fontsize=FONT_SIZE, fontweight="bold", parse_math=False,
        )  # fmt: skip
    return bars


def result_png(result: QuestionResult) -> bytes:
    """The chart of ``result`` as PNG bytes (no pyplot: safe from a background thread)."""
    n = len(result.counts) + 1
    fig = Figure(figsize=(10, 1.2 + 1.1 * n), dpi=80, layout="constrained")
    plot_result(fig.add_subplot(), result)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()
