"""Minutes that hold: the estimate from content, and the mentor guide every lesson carries."""

from __future__ import annotations

from dataclasses import replace

import pytest

from beeldwijs.content import Library
from beeldwijs.content.mentorguide import common_guide
from beeldwijs.content.model import GuidePart
from beeldwijs.content.timing import (
    CLOSE_MIN,
    DISCUSS_MIN,
    DISCUSS_MIN_STAFF,
    READ_WPM,
    START_MIN,
    estimate_lesson,
    estimate_part,
    scenario_words,
)


def test_reading_is_counted_at_a_twelve_year_olds_pace(library: Library) -> None:
    scenario = library.scenario("victim-blaming-foto-lina")
    words = scenario_words(scenario)
    assert words > len(scenario.story.text.split())  # questions and expert views count too
    part = estimate_part(scenario, None, staff=False)
    assert part.reading == pytest.approx(words / READ_WPM)
    assert estimate_part(scenario, None, staff=True).reading < part.reading


def test_each_discussed_question_adds_minutes(library: Library) -> None:
    scenario = library.scenario("victim-blaming-foto-lina")
    ids = tuple(q.id for q in scenario.questions[:2])
    quiet = estimate_part(scenario, GuidePart(20, scenario.id), staff=False)
    talked = estimate_part(scenario, GuidePart(20, scenario.id, discuss=ids), staff=False)
    assert talked.minutes - quiet.minutes == pytest.approx(2 * DISCUSS_MIN)
    staff = estimate_part(scenario, GuidePart(20, scenario.id, discuss=ids), staff=True)
    assert staff.discussion == pytest.approx(2 * DISCUSS_MIN_STAFF)


def test_three_scenarios_with_discussion_do_not_fit_a_mentor_hour(library: Library) -> None:
    """The lesson shape the review found (three scenarios in 45 minutes) fails the estimate."""
    lesson = library.lesson("mentorles-victim-blaming-shame-sexting")
    third = library.scenario("shame-sexting-wraakfoto-ontvanger")
    scenarios = (*lesson.scenarios, third)
    parts = tuple(
        GuidePart(15, s.id, discuss=tuple(q.id for q in s.questions[:2])) for s in scenarios
    )
    assert lesson.guide is not None
    crowded = replace(lesson, scenarios=scenarios, guide=replace(lesson.guide, timing=parts))
    total, _ = estimate_lesson(crowded)
    assert total > 45
    fitting, _ = estimate_lesson(lesson)
    assert START_MIN + CLOSE_MIN < fitting <= lesson.minutes


def test_a_team_self_scan_shows_one_result_per_section(library: Library) -> None:
    lesson = library.lesson("staf-zelfscan-team")
    _, parts = estimate_lesson(lesson)
    assert all(p.results == pytest.approx(1.0) for p in parts)
    assert sum(len(s.questions) for s in lesson.scenarios) > len(parts)


def test_every_lesson_has_a_guide_that_fits_its_minutes(library: Library) -> None:
    for lesson in library.lessons():
        assert lesson.guide is not None, lesson.id
        assert sum(p.minutes for p in lesson.guide.timing) == lesson.minutes
        total, _ = estimate_lesson(lesson)
        assert round(total) <= lesson.minutes, lesson.id
        planned = {p.scenario for p in lesson.guide.timing if p.scenario}
        assert planned == {s.id for s in lesson.scenarios}
    students = [
        lesson
        for lesson in library.lessons()
        if not lesson.staff_only and "ouders" not in lesson.audience
    ]
    assert max(len(lesson.scenarios) for lesson in students) == 2


def test_the_shared_guide_has_a_disclosure_script_without_promises() -> None:
    students, staff = common_guide(), common_guide(staff=True)
    script = " ".join(students.disclosure).lower()
    assert "beloof geen geheimhouding" in script and "meldcode" in script
    assert "na de les" in script and "bedank" in " ".join(staff.disclosure).lower()
    assert students.preparation != staff.preparation
