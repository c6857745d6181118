"""Every scenario startable alone (a losse casus) and the mentor's name swaps, without a browser."""

from __future__ import annotations

from pathlib import Path

import pytest

from beeldwijs.content import Library
from beeldwijs.content.cache import cached_lesson, write_cache
from beeldwijs.content.cases import CASE_PREFIX, case_id, case_minutes
from beeldwijs.content.names import characters, decode, encode, first_names, renamed
from beeldwijs.facilitator.dashboard import Dashboard
from beeldwijs.facilitator.namepanel import NameSwapPanel
from beeldwijs.store import ResponseStore
from beeldwijs.widgets import LessonPlayer
from tests.shared import widget_tree
from tests.test_widgets import TOKEN, answer, current_question, screen_text, start

CASE_SCENARIO = "meme-account-2c-memes-slachtoffer"


def test_every_scenario_is_in_a_lesson_or_startable_alone(library: Library) -> None:
    lessons = [lesson for lesson in library.lessons() if not lesson.selfscan]
    in_lessons = {s.id for lesson in lessons for s in lesson.scenarios}
    alone = {case.scenarios[0].id for case in library.cases()}
    assert alone == set(library.scenario_ids())  # every one as a casus
    assert in_lessons <= alone
    # the coverage doc names every lesson with its scenarios, and every scenario played alone
    doc = (Path(__file__).parents[1] / "docs" / "content-coverage.md").read_text("utf-8")
    for lesson in lessons:
        row = next((line for line in doc.splitlines() if line.startswith(f"| `{lesson.id}` |")), "")
        assert row and all(f"`{s.id}`" in row for s in lesson.scenarios), lesson.id
    played_alone = doc.split("Played alone only", 1)[1].split("\n\n", 1)[0]
    assert all(f"`{sid}`" in played_alone for sid in alone - in_lessons)


def test_a_casus_is_a_lesson_of_one_scenario_with_its_own_minutes(library: Library) -> None:
    scenario = library.scenario(CASE_SCENARIO)
    case = library.lesson(case_id(CASE_SCENARIO))
    assert case.id == CASE_PREFIX + CASE_SCENARIO and case.scenarios == (scenario,)
    assert case.audience == scenario.audience and scenario.title in case.title
    assert case.minutes == case_minutes(scenario) and case.minutes % 5 == 0
    longer = library.scenario("tabletop-naaktfoto-klassenapp")  # eight timed decisions
    assert case_minutes(longer) > case.minutes >= 15


def test_a_casus_travels_in_the_content_cache(
    library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_cache(library, tmp_path / "cache" / "content.pickle")
    monkeypatch.setenv("BEELDWIJS_CONTENT_CACHE", str(path))
    case = cached_lesson(library, case_id(CASE_SCENARIO))
    assert case == library.lesson(case_id(CASE_SCENARIO))


def test_the_dashboard_offers_cases_and_levels(library: Library, store: ResponseStore) -> None:
    dash = Dashboard(library, store, poll_seconds=None)
    screen = dash.start_screen
    lessons = {value for _, value in screen.lesson_picker.options if value is not None}
    assert lessons == {le.id for le in library.lessons() if le.level == "B1"}
    screen.start_choice.level.value = "A2"
    simple = {value for _, value in screen.lesson_picker.options if value is not None}
    assert simple == {le.id for le in library.lessons() if le.level == "A2"} and simple
    screen.start_choice.level.value = "B1"
    screen.start_choice.kind.value = "case"
    cases = {value for _, value in screen.lesson_picker.options if value is not None}
    assert case_id(CASE_SCENARIO) in cases and not cases & lessons
    screen.lesson_picker.value = case_id(CASE_SCENARIO)
    screen.start_button.click()
    assert dash.session is not None and dash.session.lesson_id == case_id(CASE_SCENARIO)
    assert [s.id for s in dash.lesson.scenarios] == [CASE_SCENARIO]


# -- name swaps --------------------------------------------------------------------------------


def test_characters_are_the_first_names_of_the_lesson(library: Library) -> None:
    lesson = library.lesson("mentorles-exposing-meme-accounts")
    names = characters(lesson)
    assert names and set(names) <= set(first_names())
    assert "Instagram" not in names and "Bakker" not in names


def test_renamed_swaps_texts_never_keys(library: Library) -> None:
    lesson = library.lesson("brugklas-1-online-identiteit")
    old = characters(lesson)[0]
    new = next(n for n in first_names() if n not in characters(lesson))
    swapped = renamed(lesson, {old: new})
    assert [q.key for q in swapped.questions] == [q.key for q in lesson.questions]
    assert [o.id for q in swapped.questions for o in q.options] == [
        o.id for q in lesson.questions for o in q.options
    ]
    every = repr(swapped)
    assert f"{old} " not in every and f"{old}," not in every and new in every
    assert renamed(lesson, {}) is lesson


def test_two_characters_trade_names_and_a_surname_is_kept() -> None:
    from beeldwijs.content.model import Story

    story = Story("Bo en Noah zien meneer Bos. Hij is de gymleraar van Noahs klas.")
    swapped = renamed(story, {"Bo": "Noah", "Noah": "Bo"})
    assert swapped.text == "Noah en Bo zien meneer Bos. Hij is de gymleraar van Bos klas."


def test_only_listed_names_are_stored() -> None:
    assert encode({"Noah": "Daan", "Sem": "Sem"}) == "Noah=Daan"
    assert decode("Noah=Daan;Sem=<b>x</b>;Lina") == {"Noah": "Daan"}
    with pytest.raises(ValueError, match="not a name of the list"):
        encode({"Noah": "Mevrouw Jansen"})


def test_a_name_swap_reaches_a_student_who_is_answering(
    library: Library, store: ResponseStore
) -> None:
    lesson = library.lesson("brugklas-1-online-identiteit")
    session = store.create_session(lesson.id)
    player = LessonPlayer(lesson, store, session.code)
    player.browser_token.token = TOKEN
    start(player)
    old = characters(lesson.scenarios[0])[0]
    assert old in screen_text(player)
    new = next(n for n in first_names() if n not in characters(lesson))
    dash = Dashboard(library, store, poll_seconds=None)
    dash.attach(session)
    panel = next(c for c in widget_tree(dash.body) if isinstance(c, NameSwapPanel))
    panel.pickers[old].value = new
    panel.save()
    player.follow(store.session(session.code))  # one poll
    text = screen_text(player)
    assert new in text and f"{old} " not in text
    answer(current_question(player))
    key = lesson.questions[0].key
    assert key in store.answers_of(session.code, TOKEN)  # keys did not change
    assert new in repr(dash.lesson) and old not in characters(dash.lesson)


def test_a_name_given_twice_is_refused(library: Library, store: ResponseStore) -> None:
    lesson = library.lesson("brugklas-1-online-identiteit")
    session = store.create_session(lesson.id)
    names = characters(lesson)
    assert len(names) >= 2
    panel = NameSwapPanel(lesson, store, session, lambda _: None)
    other = next(n for n in first_names() if n not in names)
    panel.pickers[names[0]].value = other
    panel.pickers[names[1]].value = other  # two characters, one new name
    panel.save()
    assert "dezelfde naam" in panel.status.value and store.session(session.code).names == ""


def test_sexting_and_sextortion_reach_every_audience_from_onderbouw_up(library: Library) -> None:
    from beeldwijs.content.lint import coverage

    matrix = coverage(library.scenario(i) for i in library.scenario_ids())
    for theme in ("sexting", "sextortion"):
        assert all(matrix[theme][a] for a in ("onderbouw", "bovenbouw", "staff")), theme
    assert all(
        matrix[theme]["onderbouw"] + matrix[theme]["bovenbouw"] for theme in ("deepfake", "doxing")
    )
