"""The mentor's dashboard over a real store: join info, participant count, k, charts, triggers."""

from __future__ import annotations

import math
import uuid

import pytest
from markupsafe import escape

from beeldwijs.content import Library
from beeldwijs.content.model import SKIP
from beeldwijs.facilitator import Dashboard, dashboard
from beeldwijs.facilitator.analysis.aggregate import configured_k, counts_frame, question_result
from beeldwijs.facilitator.analysis.tabletop import team_result, team_summary
from beeldwijs.facilitator.charts import plot_bars
from beeldwijs.facilitator.teamview import team_svg
from beeldwijs.store import ResponseStore, Submission
from beeldwijs.texts import t
from tests.shared import html_text, picture_of, with_class

LESSON = "beelden-en-jij"


def answer_all(store: ResponseStore, code: str, key: str, values: list[str]) -> None:
    for i, value in enumerate(values):
        store.submit(Submission(code, f"{i:032x}", key, value, uuid.uuid4().hex))


def test_start_session_shows_code_url_and_qr(library: Library, store: ResponseStore) -> None:
    dash = Dashboard(library, store, k=5, poll_seconds=None)
    dash.start_screen.lesson_picker.value = LESSON
    dash.start_screen.class_label.value = "2B"
    dash.start_screen.start_button.click()
    assert dash.session is not None and dash.session.lesson_id == LESSON
    assert store.session(dash.session.code).class_label == "2B"
    assert dash.session.code in dash.join_url and dash.join_url.endswith(
        f"?code={dash.session.code}"
    )
    assert "0 deelnemers" in dash.participants.value
    assert dash.session.code in dash.marker.value  # the page script puts it in the address
    (join,) = with_class(dash.presenter.stage, "bw-slide-join")
    (qr,) = with_class(join, "bw-qr")
    svg, alt = picture_of(qr.value)
    assert dash.join_url in alt
    # one path of whole modules in a square viewBox: sharp at any size, and no raster left
    assert svg.count(b"<path") == 2 and b'viewBox="0 0 ' in svg and b"<image" not in svg
    answer_all(store, dash.session.code, library.lesson(LESSON).questions[0].key, ["x"])
    dash.refresh()
    assert "1 deelnemer" in dash.participants.value and "deelnemers" not in dash.participants.value


def test_first_screen_without_a_choice_prompts(library: Library, store: ResponseStore) -> None:
    dash = Dashboard(library, store, k=5, poll_seconds=None)
    screen = dash.start_screen
    assert screen.lesson_picker.value is None
    assert "Kies een les" in screen.lesson_info.value and "bw-error" not in screen.lesson_info.value
    screen.start_button.click()
    assert dash.session is None and "bw-error" not in dash.status.value
    assert "Kies eerst een les" in dash.status.value
    catalogue = screen.catalogue.value
    assert catalogue.index("Brugklas") < catalogue.index("Onderbouw") < catalogue.index("Team")
    assert "ongelukken en vechtpartijen filmen" in catalogue  # themes readable, not slugs
    assert "docenten uitdagen en filmen" in catalogue
    screen.cards_button.click()  # nothing chosen: a prompt again
    assert "Kies eerst een les" in dash.status.value
    screen.preflight.value = True
    screen.avoid.value = tuple(th for _, th in screen.avoid.options)  # avoid every theme
    assert "Geen les zonder deze thema" in screen.lesson_info.value  # now the list is empty


def test_running_sessions_newest_first_and_reopened_as_shown(
    library: Library, store: ResponseStore
) -> None:
    older = store.create_session(LESSON, class_label="1A")
    dash = Dashboard(library, store, k=3, poll_seconds=None)
    newer = dash.start_session(LESSON, class_label="2B")
    question = library.lesson(LESSON).questions[0]
    answer_all(store, newer.code, question.key, question.option_ids()[:3])
    dash.panels[question.key].reveal_button.click()
    dash.presenter.go(3)
    with store._write() as cur:
        cur.execute(
            store._q("UPDATE sessions SET started = '2000-01-01T08:10' WHERE code = ?"),
            (older.code,),
        )
    dash.show_start()
    rows = [html_text(row) for row in with_class(dash.start_screen, "bw-running-row")]
    assert [newer.code in row for row in rows] == [True, False]
    assert "2B" in rows[0] and "1A" in rows[1]
    assert dash.marker.value.count('data-bw-session=""') == 1

    again = Dashboard(library, store, k=3, poll_seconds=None, code=newer.code.lower())  # a reload
    assert again.session is not None and again.session.code == newer.code
    assert again.panels[question.key].revealed and again.presenter.index == 3
    assert again.panels[question.key].chart.layout.display == ""


def test_close_asks_first_and_can_be_undone(library: Library, store: ResponseStore) -> None:
    dash = Dashboard(library, store, k=3, poll_seconds=None)
    code = dash.start_session(LESSON).code
    dash.close_button.button.click()
    assert store.session(code).is_open  # only asked
    dash.close_button.cancel.click()
    dash.close_button.button.click()
    dash.close_button.yes.click()
    assert not store.session(code).is_open
    assert dash.presenter.closed and dash.presenter.bar_code.value == "De les is afgelopen"
    question = library.lesson(LESSON).questions[0]
    assert dash.panels[question.key].round_button.disabled
    assert dash.undo_button.layout.display == ""
    dash.undo_button.click()
    assert store.session(code).is_open and not dash.presenter.closed
    with store._write() as cur:  # closed long ago: too late to undo
        cur.execute(store._q("UPDATE sessions SET state = 'closed', ended = '2000-01-01T09:00'"))
    dash.undo_button.click()
    assert not store.session(code).is_open and "Te laat" in dash.status.value


def test_counts_entered_by_the_mentor_make_the_chart(
    library: Library, store: ResponseStore
) -> None:
    dash = Dashboard(library, store, k=5, poll_seconds=None)
    code = dash.start_session(LESSON, mode="none").code
    question = library.lesson(LESSON).questions[0]
    form = dash._tally_for(question)
    fields = list(form.fields.values())
    fields[0].value, fields[1].value = "12", "x"
    (save,) = with_class(form, "bw-tally-save")
    save.click()
    assert "Vul bij B" in form.status.value and fields[0].value == "12"  # nothing lost
    fields[1].value = "7"
    save.click()
    assert [(c.value, c.count) for c in store.counts(code)] == sorted(
        [(question.option_ids()[0], 12), (question.option_ids()[1], 7)]
    )
    dash.panels[question.key].reveal_button.click()
    assert "19 antwoorden" in dash.panels[question.key].status.value
    assert "Zonder apparaten" in dash.participants.value


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
    assert panel.chart.layout.display == "" and "data:image/svg+xml;base64," in panel.chart.value
    assert 'alt="Staafdiagram' in panel.chart.value
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
    dash.panels[question.key].round_button.button.click()
    assert store.current_round(code, question.key) == 1  # asked first
    dash.panels[question.key].round_button.yes.click()
    assert store.current_round(code, question.key) == 2
    assert "Ronde 2" in dash.panels[question.key].status.value
    dash.close_session()
    assert not store.session(code).is_open
    assert dash.panels[question.key].round_button.disabled


def test_k_below_three_is_refused() -> None:
    assert configured_k("5") == 5
    with pytest.raises(ValueError, match="at least 3"):
        configured_k("2")


def test_staff_session_shows_the_team_result(
    library: Library, store: ResponseStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    lesson = library.lesson("staf-tabletop-incidentprotocol")
    dash = Dashboard(library, store, k=3, poll_seconds=None)
    code = dash.start_session(lesson.id).code
    decision = next(q for q in lesson.questions if q.type == "decision")
    protocol = next(o.id for o in decision.options if o.verdict == "volgens-protocol")
    other = next(o.id for o in decision.options if o.verdict != "volgens-protocol")
    answer_all(store, code, decision.key, [protocol, protocol, other])
    dash.refresh()
    assert dash.team_chart.layout.display == "none"  # hidden until the trainer reveals it
    (reveal,) = with_class(dash.body, "bw-team-reveal")
    reveal.click()
    assert dash.team_chart.layout.display == ""
    svg, alt = picture_of(dash.team_chart.value)
    assert svg.startswith(b"<?xml") and b"<image" not in svg and alt == t("dash.team_chart_text")
    expected = team_summary(team_result(store.counts(code), lesson.questions, 3))[0]
    assert escape(expected) in dash.team_summary.value and "67" in expected
    drawn: list[object] = []
    monkeypatch.setattr(dashboard, "team_svg", lambda view: drawn.append(view) or team_svg(view))
    dash.refresh()
    assert drawn == []  # nothing new: not drawn again (drawing takes seconds)
    store.submit(Submission(code, "f" * 32, decision.key, protocol, uuid.uuid4().hex))
    dash.refresh()
    assert len(drawn) == 1 and picture_of(dash.team_chart.value)[0] != svg  # a new answer


def test_printable_cards_for_a_lesson_without_devices(library: Library, store, tmp_path) -> None:
    from tests.pdftools import pdf_pages_as_text

    dash = Dashboard(library, store, k=5, poll_seconds=None, export_folder=tmp_path)
    dash.start_screen.lesson_picker.value = LESSON
    dash.start_screen.cards_button.click()
    lesson = library.lesson(LESSON)
    scenarios = tmp_path / f"beeldwijs-kaarten-{LESSON}.pdf"
    answers = tmp_path / "beeldwijs-antwoordkaarten.pdf"
    assert scenarios.name in dash.status.value and answers.name in dash.status.value
    text = " ".join(" ".join(pdf_pages_as_text(scenarios)).split())
    first = lesson.questions[0]
    assert lesson.scenarios[0].title in text and first.prompt[:40] in text
    assert f"A {first.options[0].text}"[:14] in text and f"B {first.options[1].text}"[:14] in text
    cards = " ".join(pdf_pages_as_text(answers))
    assert all(letter in cards for letter in "ABCD")
