"""The self-scan as a team session: the lesson made from the checklist, the team result with k,
what to take up first, the dashboard and the exported report."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from markupsafe import escape
from matplotlib.figure import Figure

from beeldwijs.content import Library
from beeldwijs.content.checklist import ANSWERS, as_scenarios, load_checklist, scenario_id
from beeldwijs.content.loader import parse_lesson
from beeldwijs.content.model import SKIP
from beeldwijs.errors import ContentError
from beeldwijs.facilitator import Dashboard
from beeldwijs.facilitator.analysis.team_session import plot_scan_result, scan_result
from beeldwijs.facilitator.teamview import team_view
from beeldwijs.store import ResponseStore, Submission
from beeldwijs.texts import t
from tests.pdftools import pdf_pages_as_text
from tests.shared import picture_of, with_class

LESSON = "staf-zelfscan-team"


def answer(store: ResponseStore, code: str, key: str, values: list[str], first: int = 0) -> None:
    """Staff member ``first + i`` gives ``values[i]`` to question ``key``."""
    for i, value in enumerate(values, first):
        store.submit(Submission(code, f"{i:032x}", key, value, uuid.uuid4().hex))


def test_the_team_lesson_asks_every_checklist_item(library: Library) -> None:
    checklist = load_checklist()
    lesson = library.lesson(LESSON)
    assert lesson.selfscan and lesson.audience == ("staff",)
    assert [s.title for s in lesson.scenarios] == [s.title for s in checklist.sections]
    assert [q.prompt for q in lesson.questions] == [i.question for i in checklist.items()]
    assert [q.expert_view for q in lesson.questions] == [i.advice for i in checklist.items()]
    for q in lesson.questions:
        assert q.option_ids() == (*ANSWERS, SKIP)
        assert [o.text for o in q.options] == [t(f"selfscan.answer.{a}") for a in ANSWERS]
    assert len({q.key for q in lesson.questions}) == len(checklist.items())
    scenario = lesson.scenarios[0]
    assert scenario.guide_section in scenario.story.text and scenario.discussion_prompts


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            'scenarios: ["tabletop-naaktfoto-klassenapp"]\nselfscan: true',
            "haal scenarios of selfscan weg",
        ),
        ('selfscan: "ja"', "hier hoort true of false"),
        ("selfscan: false", "ontbreekt (verplicht, behalve als"),
    ],
)
def test_a_broken_team_lesson_names_file_and_key(tmp_path: Path, extra: str, message: str) -> None:
    path = tmp_path / "team.yaml"
    text = (
        'schema_version: 1\nid: "team"\ntitle: "T"\nsummary: "S"\naudience: ["staff"]\n'
        f"minutes: 30\n{extra}\n"
    )
    with pytest.raises(ContentError) as caught:
        parse_lesson(text, path, lambda _: None, lambda: as_scenarios(load_checklist()))
    assert str(path) in str(caught.value) and message in str(caught.value)


def test_a_team_self_scan_is_for_staff_only(tmp_path: Path) -> None:
    text = (
        'schema_version: 1\nid: "team"\ntitle: "T"\nsummary: "S"\naudience: ["brugklas"]\n'
        "minutes: 30\nselfscan: true\n"
    )
    with pytest.raises(ContentError, match="audience"):
        parse_lesson(text, tmp_path / "team.yaml", lambda _: None, lambda: ())


def test_team_result_shares_priorities_and_k(store: ResponseStore) -> None:
    checklist = load_checklist()
    first, second = checklist.sections[0], checklist.sections[1]
    key = f"{scenario_id(first)}/{{}}".format
    code = store.create_session(LESSON).code
    gap, blind, fine, few = (i.id for i in first.items[:4])
    answer(store, code, key(gap), ["nee", "nee", "deels", "ja", "ja", SKIP])
    answer(store, code, key(blind), ["weet-niet", "weet-niet", "ja", "ja", "ja"])
    answer(store, code, key(fine), ["ja"] * 5)
    answer(store, code, key(few), ["nee"] * 4 + [SKIP])  # 4 real answers: hidden at k = 5
    result = scan_result(store.counts(code), checklist, k=5)
    section = result.sections[0]
    assert [i.item.id for i in section.shown] == [gap, blind, fine]
    assert section.answered == 15  # the hidden item adds nothing, not even to the shares
    assert section.share("ja") == pytest.approx(10 / 15)
    assert section.share("nee") == pytest.approx(2 / 15)
    by_id = {i.item.id: i for i in section.items}
    assert by_id[gap].skipped == 1 and by_id[gap].share("nee", "deels") == pytest.approx(0.6)
    assert [i.item.id for i in result.priorities()] == [gap, blind]  # lowest "ja" first
    assert not result.sections[1].shown and second.items  # nothing answered: hidden
    assert scan_result(store.counts(code), checklist, k=3).sections[0].shown[-1].item.id == few

    view = team_view(Library().lesson(LESSON), store.counts(code), k=5)
    assert view is not None and view.visible
    assert view.lines[0].startswith(f"{first.title}: 67% ja")
    assert t("scan.hidden", k=5) in view.lines[1]
    assert by_id[gap].item.advice in view.priorities[0]
    assert by_id[blind].item.question in view.priorities[1]


def test_team_result_follows_the_question_s_current_round(store: ResponseStore) -> None:
    checklist = load_checklist()
    item = checklist.sections[0].items[0]
    key = f"{scenario_id(checklist.sections[0])}/{item.id}"
    code = store.create_session(LESSON).code
    answer(store, code, key, ["nee"] * 5)
    store.open_round(code, key)
    answer(store, code, key, ["ja"] * 5)
    before = scan_result(store.counts(code), checklist, k=5)
    after = scan_result(store.counts(code), checklist, k=5, rounds=store.current_rounds(code))
    assert before.sections[0].share("nee") == 1 and after.sections[0].share("ja") == 1


def test_scan_chart_draws_what_the_result_says(store: ResponseStore) -> None:
    checklist = load_checklist()
    section = checklist.sections[0]
    code = store.create_session(LESSON).code
    answer(store, code, f"{scenario_id(section)}/{section.items[0].id}", ["ja"] * 3 + ["nee"] * 2)
    ax = Figure().add_subplot()
    containers = plot_scan_result(ax, scan_result(store.counts(code), checklist, k=5))
    assert [c.get_label() for c in containers] == [t(f"selfscan.answer.{a}") for a in ANSWERS]
    assert containers[0][0].get_width() == pytest.approx(60)
    assert containers[2][0].get_width() == pytest.approx(40)
    assert containers[0][1].get_width() == 0  # a hidden section has no bar…
    assert t("scan.hidden", k=5) in [x.get_text() for x in ax.texts]  # …but says so


def test_dashboard_reveals_the_team_self_scan_and_exports_it(
    library: Library, store: ResponseStore, tmp_path: Path
) -> None:
    checklist = load_checklist()
    section = checklist.sections[0]
    dash = Dashboard(library, store, k=5, poll_seconds=None, export_folder=tmp_path)
    code = dash.start_session(LESSON).code
    gap = section.items[0]
    answer(store, code, f"{scenario_id(section)}/{gap.id}", ["nee"] * 4 + ["ja"])
    dash.refresh()
    assert dash.team_chart.layout.display == "none"  # hidden until the trainer reveals it
    (team,) = with_class(dash.body, "bw-team-result")
    (reveal,) = with_class(team, "bw-team-reveal")
    reveal.click()
    svg, alt = picture_of(dash.team_chart.value)
    assert svg.startswith(b"<?xml") and b"<image" not in svg and alt == t("dash.team_chart_text")
    summary = dash.team_summary.value
    assert escape(t("scan.priorities", n=1)) in summary
    assert 'class="bw-team-priorities"' in summary and escape(gap.advice) in summary

    files = dash.export()
    pages = " ".join(" ".join(p.split()) for p in pdf_pages_as_text(files.pdf))
    assert t("scan.priorities", n=1) in pages
    assert " ".join(gap.question.split()[:6]) in pages
