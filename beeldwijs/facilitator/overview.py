"""The cross-class overview: one lesson across sessions (classes), aggregated, k respected.

For the brugklas coordinator and the social-media functionary (guide §1). Only first-round
answers are compared. A session's result for a question shows only with at least k real answers;
the total over sessions adds up the shown sessions only, so a hidden class cannot be recovered by
subtracting the shown ones from the total.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import ipywidgets as w
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from beeldwijs.content import Library
from beeldwijs.content.model import SKIP, Lesson, Question
from beeldwijs.facilitator.access import facilitator_store, viewer_of
from beeldwijs.facilitator.analysis.aggregate import configured_k
from beeldwijs.facilitator.charts import (
    BACKGROUND,
    HATCHES,
    PALETTE,
    figure_svg,
    labels_of,
    text_colour,
    wrap,
)
from beeldwijs.facilitator.colleagues import RetentionPanel
from beeldwijs.facilitator.report import default_export_folder, write_tables
from beeldwijs.store import ResponseStore, SessionCount
from beeldwijs.texts import t
from beeldwijs.ui.html import html
from beeldwijs.ui.image import svg_img
from beeldwijs.ui.safe import guarded, show_status


def overview_table(counts: list[SessionCount], lesson: Lesson, k: int) -> pd.DataFrame:
    """Rows (question, session, date, option, count) for sessions with ≥ k real answers."""
    frame = pd.DataFrame(
        [(c.session_code, c.created_on, c.question_key, c.value, c.count) for c in counts],
        columns=["session", "date", "question", "option", "count"],
    )
    keys = {q.key for q in lesson.questions if not q.is_open}
    frame = frame[frame["question"].isin(keys)]
    real = frame[frame["option"] != SKIP].groupby(["question", "session"])["count"].sum()
    shown = real[real >= k].index
    index = pd.MultiIndex.from_frame(frame[["question", "session"]])
    return frame[index.isin(shown)].sort_values(["question", "date", "session", "option"])


def totals(table: pd.DataFrame, question: Question) -> pd.Series:
    """Counts per option over the shown sessions, in display order (skip excluded)."""
    rows = table[table["question"] == question.key]
    order = [o.id for o in question.options]
    return rows.groupby("option")["count"].sum().reindex(order, fill_value=0).astype("int64")


#: Characters a legend line holds under the trend chart.
LEGEND_WIDTH = 90


def plot_trend(ax: Axes, table: pd.DataFrame, question: Question) -> list[object]:
    """Per session (by date) the share of each option: stacked horizontal bars, one per class."""
    rows = table[(table["question"] == question.key) & (table["option"] != SKIP)]
    labels = labels_of(question)
    pivot = rows.pivot_table(
        index=["date", "session"], columns="option", values="count", aggfunc="sum", fill_value=0
    )
    order = [o.id for o in question.options]
    pivot = pivot.reindex(columns=order, fill_value=0)
    shares = pivot.div(pivot.sum(axis=1), axis=0) * 100
    drawn: list[object] = []
    names = [f"{date} · {code}" for date, code in shares.index]
    left = pd.Series(0.0, index=shares.index)
    for n, option in enumerate(order):
        colour = PALETTE[n % len(PALETTE)]
        bars = ax.barh(
            names,
            shares[option],
            left=left,
            color=colour,
            hatch=HATCHES[n % len(HATCHES)],  # told apart without colour vision too
            edgecolor=BACKGROUND,
            label=wrap(labels[option], LEGEND_WIDTH),
        )
        drawn.append(bars)
        for bar, share in zip(bars, shares[option], strict=True):
            if share >= 8:  # the number on the bar, where it fits
                drawn.append(
                    ax.text(
                        bar.get_x() + bar.get_width() / 2,
                        bar.get_y() + bar.get_height() / 2,
                        f"{round(share)}%",
                        ha="center",
                        va="center",
                        fontsize=12,
                        fontweight="bold",
                        color=text_colour(colour),
                        backgroundcolor=colour,
                        parse_math=False,
                    )
                )
        left += shares[option]
    ax.set_xlim(0, 100)
    ax.set_xlabel("%", fontsize=14, parse_math=False)
    ax.tick_params(labelsize=12)
    ax.invert_yaxis()
    legend = ax.legend(fontsize=10, loc="upper center", bbox_to_anchor=(0.5, -0.15), ncols=1)
    for text in legend.get_texts():
        text.set_parse_math(False)
    return drawn


def trend_height(table: pd.DataFrame, question: Question) -> float:
    """Inches for the trend chart: a bar per session plus every line of the legend below it
    (option labels are whole sentences; a fixed height collapsed the axes)."""
    lines = sum(
        len(wrap(label, LEGEND_WIDTH).splitlines()) for label in labels_of(question).values()
    )
    return 2 + 0.5 * table["session"].nunique() + 0.22 * lines


def trend_alt(table: pd.DataFrame, question: Question) -> str:
    """The chart's text alternative: per session its counts per option."""
    rows = table[(table["question"] == question.key) & (table["option"] != SKIP)]
    labels = labels_of(question)
    parts = []
    for (date, code), group in rows.groupby(["date", "session"], sort=True):
        counts = ", ".join(
            f"{labels.get(o, o)}: {int(n)}"
            for o, n in zip(group["option"], group["count"], strict=True)
        )
        parts.append(f"{date} · {code}: {counts}")
    return t("over.alt") + ". " + "; ".join(parts)


class Overview(w.VBox):
    """Pick a lesson; see each question across the classes that did it, and export."""

    def __init__(
        self,
        library: Library | None = None,
        store: ResponseStore | None = None,
        *,
        k: int | None = None,
        export_folder: Path | None = None,
    ) -> None:
        super().__init__()
        self.add_class("bw-overview")
        self.library = library or Library()
        self.store = facilitator_store(store, self.library)  # a logged-in mentor: own sessions
        self.k = k if k is not None else configured_k()
        self.export_folder = export_folder or default_export_folder()
        self.table = pd.DataFrame()
        self.status = w.HTML()
        lessons = self.library.lessons()
        self.picker = w.Dropdown(
            options=[(le.title, le.id) for le in lessons],
            description=t("over.pick"),
            layout=w.Layout(width="40rem"),
        )
        self.picker.observe(lambda _: self.show(), names="value")
        export = w.Button(description=t("over.export"), icon="download")
        export.add_class("bw-export-overview")
        export.on_click(guarded(self.status, button=export)(lambda _: self.export()))
        self.content = w.VBox()
        viewer = viewer_of(self.store)
        admin = viewer is not None and viewer.role == "admin"  # retention and purge: the admin's
        self.children = [
            w.HTML(html("<h1>{}</h1>", t("over.title"))),
            w.HBox([self.picker, export]),
            self.status,
            self.content,
            *([RetentionPanel(self.store)] if admin else []),
        ]
        self.show()

    def show(self) -> None:
        if self.picker.value is None:
            return
        lesson = self.library.lesson(self.picker.value)
        sessions = self.store.sessions(lesson.id)
        if not sessions:
            self.content.children = [w.HTML(html("<p>{}</p>", t("over.none")))]
            return
        self.table = overview_table(self.store.lesson_counts(lesson.id), lesson, self.k)
        people = sum(self.store.participant_count(s.code) for s in sessions)
        parts: list[w.Widget] = [
            w.HTML(html("<p>{}</p>", t("over.sessions", n=len(sessions), participants=people))),
            w.HTML(html("<p><em>{}</em></p>", t("over.trend", k=self.k))),
        ]
        for q in lesson.questions:
            if q.is_open or not (self.table["question"] == q.key).any():
                continue
            fig = Figure(figsize=(10, trend_height(self.table, q)), layout="constrained")
            plot_trend(fig.add_subplot(), self.table, q)
            chart = w.HTML(svg_img(figure_svg(fig), trend_alt(self.table, q)))
            chart.add_class("bw-trend")
            parts += [w.HTML(html("<h3>{}</h3>", q.prompt)), chart]
        self.content.children = parts

    def export(self) -> tuple[Path, Path]:
        """The overview table as CSV and XLSX in the export folder; returns both paths."""
        stem = self.export_folder / f"beeldwijs-overzicht-{self.picker.value}-{dt.date.today()}"
        csv, xlsx = write_tables(self.table, stem)
        show_status(
            self.status,
            t("over.exported", folder=csv.parent, csv=csv.name, xlsx=xlsx.name),
            "bw-progress",
        )
        return csv, xlsx
