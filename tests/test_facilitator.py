"""Facilitator pieces: masking, moderation, export, results command, cross-class overview."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import uuid
from pathlib import Path

import pandas as pd
import pytest

from beeldwijs.cli import main
from beeldwijs.content import Library
from beeldwijs.content.model import SKIP
from beeldwijs.facilitator import Dashboard
from beeldwijs.facilitator.analysis.aggregate import QuestionResult
from beeldwijs.facilitator.masking import mask_text
from beeldwijs.facilitator.moderation import AnswerRow, ModerationView
from beeldwijs.facilitator.overview import Overview, overview_table
from beeldwijs.facilitator.panels import next_snapshot
from beeldwijs.store import ResponseStore, Submission
from tests.pdftools import assert_language_and_sound

LESSON = "beelden-en-jij"
XSS = '<img src=x onerror="alert(1)">'


def submit(store: ResponseStore, code: str, key: str, value: str, who: int) -> None:
    store.submit(Submission(code, f"{who:032x}", key, value, uuid.uuid4().hex))


def fill(store: ResponseStore, lesson_id: str, code: str, students: int) -> None:
    lesson = Library().lesson(lesson_id)
    for who in range(students):
        for q in lesson.questions:
            value = "Niet doorsturen" if q.is_open else q.option_ids()[who % 2]
            submit(store, code, q.key, value, who)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ik vind dat Sanne het moet weghalen", "Ik vind dat [naam] het moet weghalen"),
        ("bel me: 06-12345678", "bel me: [telefoon]"),
        ("mail daan@school.nl", "mail [e-mail]"),
        ("volg @2b.memes", "volg [account]"),
        ("sven zei dat", "[naam] zei dat"),
        (
            "Niet doorsturen. Gewoon op Snapchat melden.",
            "Niet doorsturen. Gewoon op Snapchat melden.",
        ),
    ],
)
def test_masking(text: str, expected: str) -> None:
    assert mask_text(text) == expected


def test_snapshot_moves_only_in_steps_of_k(library: Library) -> None:
    import pandas as pd

    q = library.lesson(LESSON).questions[0]

    def result(n: int, rnd: int = 1) -> QuestionResult:
        return QuestionResult(q, rnd, pd.Series({q.options[0].id: n}), 0, 5)

    assert next_snapshot(None, [result(4)], 5) is None
    shown = next_snapshot(None, [result(5)], 5)
    assert shown is not None and shown[-1].answered == 5
    for n in range(6, 10):  # one more answer at a time: the chart must not move
        assert next_snapshot(shown, [result(n)], 5) is None
    assert next_snapshot(shown, [result(10)], 5)[-1].answered == 10
    assert next_snapshot(shown, [result(10), result(5, 2)], 5)[-1].round == 2


def test_open_answer_masked_escaped_and_only_projected_after_approval(
    library: Library, store: ResponseStore
) -> None:
    dash = Dashboard(library, store, k=3, poll_seconds=None)
    code = dash.start_session(LESSON).code
    question = next(q for q in library.lesson(LESSON).questions if q.is_open)
    submit(store, code, question.key, f"{XSS} Sanne moet het weghalen", 1)
    submit(store, code, question.key, "Niet doorsturen", 2)
    submit(store, code, question.key, "Praat met de mentor", 3)
    panel = dash.panels[question.key]
    panel.reveal_button.click()
    dash.refresh()
    assert "Sanne" not in panel.summary.value and "<img" not in panel.summary.value
    assert panel.chart.layout.display == "none"  # nothing approved: nothing projected

    assert "1 open antwoord" not in panel.status.value and "3 open antwoorden" in panel.status.value
    view = ModerationView(library, store, code, store.new_moderation_token(code))
    rows = [r for sec in view.answers.children for r in sec.children if isinstance(r, AnswerRow)]
    texts = [row.children[0].value for row in rows]
    evil = next(x for x in texts if "onerror" in x)
    assert "&lt;img" in evil and "<img" not in evil and "[naam]" in evil and "Sanne" not in evil
    approve_evil = next(r for r in rows if "onerror" in r.children[0].value).children[1]
    approve_evil.click()
    dash.refresh()
    assert "&lt;img" in panel.summary.value and "[naam]" in panel.summary.value
    assert "<img" not in panel.summary.value
    assert "2 open antwoorden wachten" in panel.status.value  # the count follows moderation

    # deleting needs a second click, then really deletes
    rows = [r for sec in view.answers.children for r in sec.children if isinstance(r, AnswerRow)]
    target = next(r for r in rows if "Niet doorsturen" in r.children[0].value)
    target.delete.click()
    assert len(store.open_answers(code, question.key, 1)) == 3
    target.delete.click()
    assert len(store.open_answers(code, question.key, 1)) == 2


def test_export_pdf_renders_and_csv_has_no_participant_rows(
    library: Library, store: ResponseStore, tmp_path: Path
) -> None:
    dash = Dashboard(library, store, k=5, poll_seconds=None, export_folder=tmp_path)
    code = dash.start_session(LESSON).code
    fill(store, LESSON, code, students=6)
    first = library.lesson(LESSON).questions[0]
    dash.new_round(first)
    for who in range(5):
        submit(store, code, first.key, first.option_ids()[0], who)
    pdf, csv_path, xlsx_path = dash.export()
    assert pdf.read_bytes().startswith(b"%PDF")
    assert_language_and_sound(pdf)
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "poppler-utils missing: run tools/system-deps.sh"
    subprocess.run([pdftoppm, "-r", "20", "-png", str(pdf), str(tmp_path / "page")], check=True)
    assert len(list(tmp_path.glob("page-*.png"))) >= len(library.lesson(LESSON).questions)
    with csv_path.open(encoding="utf-8") as rows_file:
        rows = list(csv.DictReader(rows_file))
    assert set(rows[0]) == {"question", "prompt", "round", "option", "label", "count", "hidden"}
    assert not any("token" in key for key in rows[0])
    first_rows = [r for r in rows if r["question"] == first.key]
    assert {r["round"] for r in first_rows} == {"1", "2"}
    assert sum(int(r["count"]) for r in first_rows if r["round"] == "2") == 5


def test_results_command_applies_k(
    library: Library, store: ResponseStore, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = store.create_session(LESSON).code
    lesson = library.lesson(LESSON)
    q0, q1 = lesson.questions[0], lesson.questions[1]
    for who in range(5):
        submit(store, code, q0.key, q0.option_ids()[who % 2], who)
    for who in range(4):
        submit(store, code, q1.key, q1.option_ids()[0], who)
    submit(store, code, q1.key, SKIP, 9)
    assert main(["results", code, "--format", "json", "--k", "5", "--db", str(db_path)]) == 0
    data = json.loads(capsys.readouterr().out)
    by_key = {q["key"]: q["rounds"][0] for q in data["questions"]}
    assert by_key[q0.key]["hidden"] is False
    assert sum(o["count"] for o in by_key[q0.key]["options"]) == 5
    assert by_key[q1.key] == {"round": 1, "hidden": True}  # 4 real answers + 1 skip < k
    assert main(["results", code, "--format", "csv", "--k", "5", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("question,prompt,round,option,label,count,hidden")


def test_overview_respects_k_per_class(
    library: Library, store: ResponseStore, tmp_path: Path
) -> None:
    big, small = store.create_session(LESSON).code, store.create_session(LESSON).code
    fill(store, LESSON, big, students=6)
    fill(store, LESSON, small, students=2)
    lesson = library.lesson(LESSON)
    table = overview_table(store.lesson_counts(LESSON), lesson, k=5)
    assert set(table["session"]) == {big}  # the class of 2 is never shown, not even in totals
    view = Overview(library, store, k=5, export_folder=tmp_path)
    view.picker.value = LESSON
    view.show()
    charts = [c for c in view.content.children if "bw-trend" in c._dom_classes]
    assert charts and all("data:image/svg+xml;base64," in c.value for c in charts)
    assert all(f"{big}: " in c.value and small not in c.value for c in charts)  # alt text
    csv_path, xlsx_path = view.export()
    assert small not in csv_path.read_text()
    assert pd.read_excel(xlsx_path).equals(pd.read_csv(csv_path))
