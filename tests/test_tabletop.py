"""Staff decision steps: loading, branching, feedback per decision and the team result."""

from __future__ import annotations

from dataclasses import replace

import pytest
from matplotlib.figure import Figure

from beeldwijs.content import Library
from beeldwijs.content.model import SKIP, Question, next_question_id, question_path
from beeldwijs.facilitator.analysis.tabletop import (
    plot_protocol_scores,
    plot_team_result,
    team_result,
    team_summary,
)
from beeldwijs.facilitator.teamview import team_svg, team_view
from beeldwijs.store import Count, ResponseStore, Submission
from beeldwijs.widgets import QuestionView

SCENARIO = "tabletop-naaktfoto-klassenapp"
LESSON = "staf-tabletop-incidentprotocol"


@pytest.fixture
def tabletop(library: Library):
    return library.scenario(SCENARIO)


def test_decision_steps_load_with_clock_role_and_verdicts(tabletop) -> None:
    decisions = [q for q in tabletop.questions if q.type == "decision"]
    assert len(decisions) == 10  # nine on every path, one more after the branch
    assert [q.time for q in decisions] == sorted(q.time for q in decisions)
    assert decisions[0].time == "08:40" and decisions[0].role == "mentor"
    roles = {q.role for q in decisions}
    assert {
        "mentor",
        "vertrouwenspersoon",
        "schoolleiding",
        "zorgcoordinator",
        "communicatie",
    } == roles
    steps = {o.protocol_step for q in decisions for o in q.options}
    assert steps == {"definieren", "actie", "communiceren"}
    for q in decisions:
        assert any(o.verdict == "volgens-protocol" for o in q.options)
        assert all(o.feedback for o in q.options)
        assert q.option_ids()[-1] == SKIP


def test_branching_follows_the_choice(tabletop) -> None:
    first = tabletop.question("0840-melding")
    assert next_question_id(tabletop, first, "klas-toespreken") == "0850-onrust-in-de-klas"
    assert next_question_id(tabletop, first, "opschalen") == "0915-gesprek-met-roos"
    assert next_question_id(tabletop, first, SKIP) == "0915-gesprek-met-roos"  # the protocol route
    branch = tabletop.question("0850-onrust-in-de-klas")
    assert next_question_id(tabletop, branch, "lachers-eruit") == "0915-gesprek-met-roos"
    last = tabletop.questions[-1]
    assert next_question_id(tabletop, last, "iets") is None


def test_question_path_for_a_returning_participant(tabletop) -> None:
    key = f"{SCENARIO}/0840-melding"
    assert [q.id for q in question_path(tabletop, {})] == ["0840-melding"]
    main = question_path(tabletop, {key: "opschalen"})
    assert [q.id for q in main] == ["0840-melding", "0915-gesprek-met-roos"]
    branch = question_path(tabletop, {key: "klas-toespreken"})
    assert [q.id for q in branch][-1] == "0850-onrust-in-de-klas"
    everything = {q.key: q.option_ids()[0] if q.options else "tekst" for q in tabletop.questions}
    full = question_path(tabletop, everything)
    assert "0850-onrust-in-de-klas" not in [q.id for q in full]  # "opschalen" skips the branch
    assert full[-1] == tabletop.questions[-1] and len(full) == len(tabletop.questions) - 1


def test_scenarios_without_decisions_go_straight_through(library: Library) -> None:
    scenario = library.scenario("mentor-naaktfoto-klassenapp-0840")
    answers = {q.key: SKIP for q in scenario.questions}
    assert question_path(scenario, answers) == scenario.questions


def _view(question: Question, saved: list[str]) -> QuestionView:
    return QuestionView(
        question,
        number=1,
        total=8,
        save=lambda v, _sid: saved.append(v) or True,
        on_next=lambda: None,
    )


def test_decision_view_shows_clock_and_feedback(tabletop) -> None:
    question = tabletop.question("1030-bewijs-of-wissen")
    saved: list[str] = []
    view = _view(question, saved)
    html = " ".join(getattr(c, "value", "") for c in view._answer_box.children)
    assert "Tijd: 10:30" in html and "Rol: schoolleiding" in html
    assert view.choice is not None
    assert [label for _, label in view.choice.options][0] == question.options[0].text
    view.choice.value = "telefoons-wissen"
    view.submit_button.click()
    assert saved == ["telefoons-wissen"]
    feedback = view.status.value
    assert "Niet volgens het protocol" in feedback and "Stap 2: actie ondernemen" in feedback
    assert "bezint eer ge begint" in feedback
    assert "bw-verdict-niet-volgens-protocol" in feedback


def test_decision_skip_shows_the_protocol_route(tabletop) -> None:
    question = tabletop.question("1230-openbaar-account")
    view = _view(question, [])
    assert view.choice is not None
    view.choice.value = SKIP
    view.submit_button.click()
    assert "Volgens het protocol" in view.status.value and "HelpWanted" in view.status.value


def test_decision_feedback_is_escaped(tabletop) -> None:
    question = tabletop.question("1230-openbaar-account")
    evil = replace(question.options[0], text="<b>x</b>", feedback="<script>alert(1)</script>")
    view = _view(replace(question, options=(evil, *question.options[1:])), [])
    assert view.choice is not None
    view.choice.value = evil.id
    view.submit_button.click()
    assert "<script>" not in view.status.value and "&lt;script&gt;" in view.status.value


# -- team result --------------------------------------------------------------------------------


def _counts(scenario, picks: dict[str, dict[str, int]], round_no: int = 1) -> list[Count]:
    return [
        Count(f"{scenario.id}/{qid}", round_no, value, n)
        for qid, values in picks.items()
        for value, n in values.items()
    ]


def test_team_result_shares_scores_and_k(tabletop) -> None:
    counts = _counts(
        tabletop,
        {
            "0840-melding": {"opschalen": 3, "ouders-bellen": 1, "klas-toespreken": 1, SKIP: 2},
            "0850-onrust-in-de-klas": {"alsnog-stap-1": 1},  # one person: hidden
            "1030-bewijs-of-wissen": {"politie-overleggen": 4, "telefoons-wissen": 2},
        },
    ) + [Count(f"{SCENARIO}/1030-bewijs-of-wissen", 2, "politie-overleggen", 6)]
    result = team_result(counts, tabletop.questions, k=5)
    steps = {s.question.id: s for s in result.steps}
    assert len(steps) == 10  # decisions only; the open reflection is not a decision
    first = steps["0840-melding"]
    assert first.visible and first.answered == 5 and first.skipped == 2
    assert first.share("volgens-protocol") == pytest.approx(0.6)
    assert first.share("deels") == pytest.approx(0.2)
    assert first.share("niet-volgens-protocol") == pytest.approx(0.2)
    assert not steps["0850-onrust-in-de-klas"].visible
    assert steps["1030-bewijs-of-wissen"].answered == 6  # round 1 only
    scores = {s.step: s for s in result.protocol}
    # definiëren: opschalen 3×1 + ouders-bellen 1×½ (the hidden branch step does not count)
    assert scores["definieren"].choices == 4 and scores["definieren"].score is None  # 4 < k
    assert scores["actie"].choices == 6 and scores["actie"].score == pytest.approx(100 * 4 / 6)
    assert scores["communiceren"].choices == 1 and scores["communiceren"].score is None
    assert team_result(counts, tabletop.questions, k=3).protocol[0].score == pytest.approx(87.5)
    lines = team_summary(result)
    assert any("08:40" in line and "60% volgens protocol" in line for line in lines)
    assert any("verborgen" in line for line in lines)
    # which parts of the protocol the team got right (score ≥ 75) and which to practise
    assert (
        lines[-1] == "Goed gedaan (score 75 of meer): geen. Nog oefenen: Stap 2: actie ondernemen."
    )
    right = team_summary(team_result(counts, tabletop.questions, k=3))[-1]
    assert right.startswith("Goed gedaan (score 75 of meer): Stap 1: het probleem definiëren.")


def test_a_step_on_the_second_day_comes_after_the_first_day(tabletop) -> None:
    times = [q.time for q in tabletop.questions if q.type == "decision"]
    assert times[-1] == "dag 2 08:15" and times[-2] == "16:00"


def test_team_plots_draw_what_the_result_says(tabletop, library: Library) -> None:
    counts = _counts(tabletop, {"0840-melding": {"opschalen": 4, "klas-toespreken": 1}})
    result = team_result(counts, tabletop.questions, k=5)
    ax = Figure().add_subplot()
    containers = plot_team_result(ax, result)
    assert [c.get_label() for c in containers] == [
        "Volgens het protocol",
        "Deels volgens het protocol",
        "Niet volgens het protocol",
    ]
    assert containers[0][0].get_width() == pytest.approx(80)
    assert containers[2][0].get_width() == pytest.approx(20)
    assert containers[0][1].get_width() == 0  # a hidden step has no bar…
    texts = [t.get_text() for t in ax.texts]
    assert "verborgen: minder dan 5 antwoorden" in texts  # …but says so
    assert ax.get_yticklabels()[0].get_text().startswith("08:40 · mentor")
    bars = plot_protocol_scores(Figure().add_subplot(), result)
    assert len(bars) == 3
    view = team_view(library.lesson(LESSON), counts, k=5)
    assert view is not None and view.visible and view.lines == tuple(team_summary(result))
    svg = team_svg(view)
    assert svg.startswith(b"<?xml") and b"<image" not in svg  # vector, no embedded raster
    assert team_svg(view) == svg  # the same result, the same bytes: the dashboard sends no redraw


def test_team_plot_labels_are_never_mathtext(tabletop) -> None:
    question = replace(tabletop.questions[0], prompt="Kost $5 of $10?")
    counts = _counts(tabletop, {"0840-melding": {"opschalen": 5}})
    result = team_result(counts, [question], k=5)
    fig = Figure()
    plot_team_result(fig.add_subplot(), result)
    fig.canvas.draw()  # would raise on unbalanced mathtext if it were parsed
    label = fig.axes[0].get_yticklabels()[0].get_text()
    assert "$5" in label


def test_tabletop_lesson_from_player_to_team_result(library: Library, store: ResponseStore) -> None:
    lesson = library.lesson(LESSON)
    code = store.create_session(LESSON).code
    decisions = [q for q in lesson.questions if q.type == "decision"]
    for n in range(5):
        token = f"{n:032x}"
        store.join(code, token)
        for q in decisions:
            value = q.options[n % len(q.options)].id
            store.submit(Submission(code, token, q.key, value, f"{token}{q.id}"))
    result = team_result(store.counts(code), lesson.questions, k=5)
    assert all(step.visible for step in result.steps)
    assert all(score.score is not None for score in result.protocol if score.choices >= 5)
