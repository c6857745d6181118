"""A single scenario played as a short session of its own: a *losse casus*.

Every scenario in the library can be started alone from the dashboard, besides whole lessons.
A casus is an ordinary :class:`Lesson` of one scenario, made on demand, so the student app, the
store, the dashboard and the report need nothing new: its id is the scenario id after
:data:`CASE_PREFIX` (a dot never occurs in a lesson file's id, so the two cannot collide), and the
session stores that id like any lesson id.

Its minutes come from the linter's timing estimate (timing.py), the same for a casus as for a
lesson: joining and closing, reading, answering and results, and class talk about its dilemmas
(the questions a mentor would discuss), rounded up to five (docs/decisions/losse-casus.md).
"""

from __future__ import annotations

import math

from beeldwijs.content.model import GuidePart, Lesson, Scenario
from beeldwijs.content.timing import CLOSE_MIN, START_MIN, estimate_part
from beeldwijs.texts import t

CASE_PREFIX = "casus."


def case_id(scenario_id: str) -> str:
    return CASE_PREFIX + scenario_id


def scenario_of_case(lesson_id: str) -> str | None:
    """The scenario id of a casus id (None for the id of a lesson file)."""
    return lesson_id[len(CASE_PREFIX) :] if lesson_id.startswith(CASE_PREFIX) else None


def case_minutes(scenario: Scenario) -> int:
    """The casus's own minutes: the timing estimate with its dilemmas discussed, rounded up to 5."""
    discuss = tuple(q.id for q in scenario.questions if q.type in ("dilemma", "decision"))
    part = GuidePart(minutes=0, scenario=scenario.id, discuss=discuss[:2])
    staff = scenario.audience == ("staff",)
    minutes = START_MIN + CLOSE_MIN + estimate_part(scenario, part, staff).minutes
    return 5 * math.ceil(minutes / 5)


def case_lesson(scenario: Scenario) -> Lesson:
    """``scenario`` as a session of its own."""
    return Lesson(
        id=case_id(scenario.id),
        title=t("case.title", title=scenario.title),
        summary=scenario.summary,
        audience=scenario.audience,
        minutes=case_minutes(scenario),
        scenarios=(scenario,),
        source_file=scenario.source_file,
        level=scenario.level,
    )
