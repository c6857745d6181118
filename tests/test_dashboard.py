"""The mentor's dashboard over a real store: join info, participant count, k, charts, triggers."""

from __future__ import annotations

import math
import uuid
from html import escape

import pytest

from beeldwijs.content import Library
from beeldwijs.content.model import SKIP
from beeldwijs.facilitator import Dashboard
from beeldwijs.facilitator.analysis.aggregate import configured_k, counts_frame, question_result
from beeldwijs.facilitator.analysis.team import team_result, team_summary
from beeldwijs.facilitator.charts import plot_bars
from beeldwijs.store import ResponseStore, Submission

LESSON = "beelden-en-jij"


def answer_all(store: ResponseStore, code: str, key: str, values: list[str]) -> None:
    for i, value in enumerate(values):
        store.submit(Submission(code, f"{i:032x}", key, value, uuid.uuid4().hex))


def test_start_session_shows_code_url_and_qr(library: Library, store: ResponseStore) -> None:
    dash = Dashboard(library, store, k=5, poll_seconds=None)
    dash.lesson_picker.value = LESSON
    dash.start_button.click()
    assert dash.session is not None and dash.session.lesson_id == LESSON
    assert dash.session.code in dash.join_url and dash.join_url.endswith(
        f"?code={dash.session.code}"
    )
    assert "0 deelnemers" in dash.participants.value
    qr = next(w for w in dash.body.children[0].children if getattr(w, "format", "") == "png")
    assert bytes(qr.value).startswith(b"\x89PNG")


def test_results_hidden_below_k_and_charted_from_k(library: Library, store: ResponseStore) -> None:
    dash = Dashboard(library, store, k=5, poll_seconds=None)
    code = dash.start_session(LESSON).code
    question = library.lesson(LESSON).questions[0]
    panel = dash.panels[question.key]
    ids = question.option_ids()
    answer_all(store, code, question.key, [ids[0], ids[1], ids[0], ids[0], SKIP])
    panel.reveal_button.click()
    dash.refresh()
    assert "Nog verborgen: 4 van minimaal 5" in panel.status.value
    assert panel.chart.layout.display == "none"
    answer_all(store, code, question.key, [ids[0], ids[1], ids[0], ids[0], SKIP, ids[1]])
    dash.refresh()
    assert panel.chart.layout.display == "" and bytes(panel.chart.value).startswith(b"\x89PNG")
    assert "6 deelnemers" in dash.participants.value


def test_chart_counts_and_skip_apart(library: Library, store: ResponseStore) -> None:
    from matplotlib.figure import Figure

    code = store.create_session(LESSON).code
    question = library.lesson(LESSON).questions[0]
    ids = question.option_ids()
    answer_all(store, code, question.key, [ids[0], ids[0], ids[1], SKIP, "$\\undefined$"])
    result = question_result(counts_frame(store.counts(code)), question, 1, k=3)
    bars = plot_bars(Figure().add_subplot(), [result])[0]
    widths = [int(b.get_width()) for b in bars]
    assert widths == [2, 1] + [0] * (len(ids) - 3) + [1]  # the forged value is not an option


def test_trigger_fires_on_answer_pattern(library: Library, store: ResponseStore) -> None:
    scenario = next(s for s in library.lesson(LESSON).scenarios if s.triggers)
    trigger = scenario.triggers[0]
    question = scenario.question(trigger.question)
    dash = Dashboard(library, store, k=3, poll_seconds=None)
    code = dash.start_session(LESSON).code
    other = next(i for i in question.option_ids() if i not in trigger.answers and i != SKIP)
    hits = math.ceil(trigger.min_share * 5)
    answer_all(store, code, question.key, [trigger.answers[0]] * hits + [other] * (5 - hits))
    dash.panels[question.key].reveal_button.click()
    dash.refresh()
    assert trigger.prompt in dash.panels[question.key].triggers.value
    answer_all(store, code, question.key, [other] * 5)
    dash.refresh()
    assert dash.panels[question.key].triggers.value == ""


def test_new_round_and_close(library: Library, store: ResponseStore) -> None:
    dash = Dashboard(library, store, k=3, poll_seconds=None)
    code = dash.start_session(LESSON).code
    question = library.lesson(LESSON).questions[0]
    dash.panels[question.key].round_button.click()
    assert store.current_round(code, question.key) == 2
    assert "Ronde 2" in dash.panels[question.key].status.value
    dash.close_session()
    assert not store.session(code).is_open


def test_k_below_three_is_refused() -> None:
    assert configured_k("5") == 5
    with pytest.raises(ValueError, match="at least 3"):
        configured_k("2")


def test_staff_session_shows_the_team_result(library: Library, store: ResponseStore) -> None:
    lesson = library.lesson("staf-tabletop-incidentprotocol")
    dash = Dashboard(library, store, k=3, poll_seconds=None)
    code = dash.start_session(lesson.id).code
    decision = next(q for q in lesson.questions if q.type == "decision")
    protocol = next(o.id for o in decision.options if o.verdict == "volgens-protocol")
    other = next(o.id for o in decision.options if o.verdict != "volgens-protocol")
    answer_all(store, code, decision.key, [protocol, protocol, other])
    dash.refresh()
    assert dash.team_chart.layout.display == "none"  # hidden until the trainer reveals it
    reveal = next(
        c
        for c in dash.body.children[-1].children[-1].children
        if "bw-team-reveal" in c._dom_classes
    )
    reveal.click()
    assert dash.team_chart.layout.display == "" and bytes(dash.team_chart.value).startswith(
        b"\x89PNG"
    )
    expected = team_summary(team_result(store.counts(code), lesson.questions, 3))[0]
    assert escape(expected) in dash.team_summary.value and "67" in expected
