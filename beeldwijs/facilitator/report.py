"""A session's results as aggregates only: JSON, CSV and a PDF report. Never per-participant rows.

Every question and round under k is reported as hidden, without counts (docs/architecture.md, product rule 2).
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from beeldwijs.content.model import Lesson, Question
from beeldwijs.documents.pdflang import mark_language
from beeldwijs.documents.textdoc import Block, drawable, text_pages
from beeldwijs.facilitator.analysis.aggregate import (
    QuestionResult,
    counts_frame,
    fired_triggers,
    question_result,
    rounds_of,
)
from beeldwijs.facilitator.charts import labels_of, plot_question, plot_word_cloud
from beeldwijs.facilitator.masking import mask_text
from beeldwijs.facilitator.teamview import TeamView, team_figure, team_view
from beeldwijs.store import ResponseStore, Session
from beeldwijs.texts import t


def session_results(
    store: ResponseStore, lesson: Lesson, code: str, k: int
) -> dict[str, list[QuestionResult]]:
    """Per question key, its result in every round that has answers (at least round 1)."""
    frame = counts_frame(store.counts(code))
    current = store.current_rounds(code)
    return {
        q.key: [
            question_result(frame, q, r, k)
            for r in sorted(set(rounds_of(frame, q)) | {current.get(q.key, 1)})
        ]
        for q in lesson.questions
    }


def approved_texts(store: ResponseStore, code: str, question: Question, round_no: int) -> list[str]:
    """Approved open answers, masked (the mentor approved the masked text)."""
    answers = store.open_answers(code, question.key, round_no)
    return [mask_text(a.text) for a in answers if a.status == "approved"]


def results_dict(
    session: Session, lesson: Lesson, results: dict[str, list[QuestionResult]], k: int
) -> dict[str, Any]:
    """JSON-ready results: per question and round its options with counts, or ``hidden``."""
    questions = []
    for q in lesson.questions:
        rounds = []
        for r in results[q.key]:
            entry: dict[str, Any] = {"round": r.round, "hidden": not r.visible}
            if r.visible:
                labels = labels_of(q)
                entry["answered"] = r.answered
                entry["skipped"] = r.skipped
                if not q.is_open:
                    entry["options"] = [
                        {"id": i, "label": labels.get(i, i), "count": int(r.counts[i])}
                        for i in r.counts.index
                    ]
            rounds.append(entry)
        questions.append({"key": q.key, "type": q.type, "prompt": q.prompt, "rounds": rounds})
    return {
        "session": session.code,
        "lesson": lesson.id,
        "created_on": session.created_on,
        "k": k,
        "questions": questions,
    }


#: A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(text: str) -> str:
    """``text`` as a spreadsheet shows it and never runs it: a leading ``'`` before a formula."""
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def spreadsheet_safe(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with every text cell made spreadsheet-safe (see :func:`spreadsheet_text`)."""
    return table.map(lambda v: spreadsheet_text(v) if isinstance(v, str) else v)


def write_tables(table: pd.DataFrame, stem: Path) -> tuple[Path, Path]:
    """``table`` as ``<stem>.csv`` and ``<stem>.xlsx`` (one sheet), text made spreadsheet-safe."""
    stem.parent.mkdir(parents=True, exist_ok=True)
    safe = spreadsheet_safe(table)
    csv, xlsx = stem.parent / f"{stem.name}.csv", stem.parent / f"{stem.name}.xlsx"
    safe.to_csv(csv, index=False)
    safe.to_excel(xlsx, index=False, sheet_name="Beeldwijs", engine="openpyxl")
    return csv, xlsx


def results_table(data: dict[str, Any]) -> pd.DataFrame:
    """One row per question, round and option (aggregates only); hidden rounds have no count.

    Written through :func:`write_tables` or :func:`spreadsheet_safe`, never as is.
    """
    rows = []
    for q in data["questions"]:
        for r in q["rounds"]:
            base = {"question": q["key"], "prompt": q["prompt"], "round": r["round"]}
            if r["hidden"]:
                rows.append({**base, "option": "", "label": "", "count": None, "hidden": True})
                continue
            for option in r.get("options", []):
                rows.append({**base, "label": option["label"],
                             "count": option["count"], "option": option["id"],
                             "hidden": False})  # fmt: skip
            rows.append(
                {**base, "option": "sla-over", "label": t("dash.skipped"),
                 "count": r["skipped"], "hidden": False}
            )  # fmt: skip
    columns = ["question", "prompt", "round", "option", "label", "count", "hidden"]
    table = pd.DataFrame(rows, columns=columns)
    table["count"] = table["count"].astype("Int64")
    return table


def _page(title: str, lines: Sequence[str]) -> list[Block]:
    """A report page: its title and one line each (bulleted by the caller)."""
    return [("h1", title), *(("li", line) for line in lines)]


def write_pdf(
    path: Path,
    session: Session,
    lesson: Lesson,
    results: dict[str, list[QuestionResult]],
    open_texts: dict[str, list[str]],
    participants: int,
    k: int,
    team: TeamView | None = None,
) -> Path:
    """The session report: cover, one page per question (chart or "hidden"), prompts, and for
    a staff session (tabletop or self-scan) the team result."""
    path.parent.mkdir(parents=True, exist_ok=True)
    title = t("report.title", lesson=lesson.title)
    with PdfPages(path, metadata={"Title": title, "Creator": "Beeldwijs"}) as pdf:
        text_pages(
            pdf,
            [
                ("h1", title),
                ("p", t("report.meta", code=session.code, date=session.created_on, n=participants)),
                ("p", t("report.k_rule", k=k)),
                ("p", t("report.totals_only")),
            ],
        )
        for scenario in lesson.scenarios:
            latest = {q.key: results[q.key][-1] for q in scenario.questions}
            fired = {tr.prompt for tr in fired_triggers(scenario, latest)}
            for q in scenario.questions:
                fig = Figure(figsize=(11.69, 8.27), layout="constrained")
                fig.suptitle(textwrap.fill(drawable(q.prompt), 90), fontsize=14, parse_math=False)
                ax = fig.add_subplot()
                visible = [r for r in results[q.key] if r.visible]
                if q.is_open and visible:
                    plot_word_cloud(ax, open_texts.get(q.key, []))
                elif visible:
                    plot_question(ax, visible)
                else:
                    ax.set_axis_off()
                    ax.text(0.5, 0.5, t("report.hidden", k=k), ha="center", fontsize=16,
                            parse_math=False)  # fmt: skip
                pdf.savefig(fig)
            lines = [f"• {p}" for p in scenario.discussion_prompts]
            lines += [f"• {t('report.triggered')}: {p}" for p in sorted(fired)]
            text_pages(pdf, _page(f"{scenario.title}: {t('dash.prompts')}", lines))
        approved = [f"• {text}" for texts in open_texts.values() for text in texts]
        if approved:
            text_pages(pdf, _page(t("dash.approved_answers"), approved))
        if team is not None:
            fig = team_figure(team)
            fig.suptitle(t("dash.team_result"), fontsize=14, parse_math=False)
            pdf.savefig(fig)
            blocks = _page(t("dash.team_result"), [f"• {line}" for line in team.lines])
            if team.priorities:
                blocks.append(("h2", t("scan.priorities", n=len(team.priorities))))
                blocks += [("li", f"{n}. {line}") for n, line in enumerate(team.priorities, 1)]
            text_pages(pdf, blocks)
    return mark_language(path)


class ExportFiles(NamedTuple):
    pdf: Path
    csv: Path
    xlsx: Path


def export_session(
    store: ResponseStore, session: Session, lesson: Lesson, k: int, folder: Path
) -> ExportFiles:
    """Write the report as PDF and the aggregates as CSV and XLSX into ``folder``."""
    results = session_results(store, lesson, session.code, k)
    open_texts = {
        q.key: approved_texts(store, session.code, q, results[q.key][-1].round)
        for q in lesson.questions
        if q.is_open and results[q.key][-1].visible
    }
    stem = f"beeldwijs-{lesson.id}-{session.code}-{dt.date.today().isoformat()}"
    rounds = store.current_rounds(session.code)
    team = team_view(lesson, store.counts(session.code), k, rounds)
    pdf = write_pdf(
        folder / f"{stem}.pdf", session, lesson, results, open_texts,
        store.participant_count(session.code), k, team,
    )  # fmt: skip
    table = results_table(results_dict(session, lesson, results, k))
    return ExportFiles(pdf, *write_tables(table, folder / stem))


def default_export_folder() -> Path:
    """The mentor's documents folder: never inside a folder a server serves."""
    from platformdirs import user_documents_path

    return user_documents_path() / "Beeldwijs"
