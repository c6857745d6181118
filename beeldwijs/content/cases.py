"""A single scenario played as a short session of its own: a *losse casus*.

Every scenario in the library can be started alone from the dashboard, besides whole lessons.
A casus is an ordinary :class:`Lesson` of one scenario, made on demand, so the student app, the
store, the dashboard and the report need nothing new: its id is the scenario id after
:data:`CASE_PREFIX` (a dot never occurs in a lesson file's id, so the two cannot collide), and the
session stores that id like any lesson id.

Its minutes are estimated from the scenario: time to start and close, reading the story, and per
question the time to answer and talk about it (docs/decisions/losse-casus.md).
"""

from __future__ import annotations

import math

from beeldwijs.content.model import Lesson, Scenario
from beeldwijs.texts import t

CASE_PREFIX = "casus."

#: minutes per question type: reading, answering and the class talk that follows
QUESTION_MINUTES = {
    "dilemma": 4,
    "scale": 3,
    "traffic_light": 3,
    "knowledge": 2,
    "text": 3,
    "decision": 5,
}
START_AND_CLOSE = 5
STORY_WORDS_PER_MINUTE = 100  # read aloud or alone, with a moment to take it in


def case_id(scenario_id: str) -> str:
    return CASE_PREFIX + scenario_id


def scenario_of_case(lesson_id: str) -> str | None:
    """The scenario id of a casus id (None for the id of a lesson file)."""
    return lesson_id[len(CASE_PREFIX) :] if lesson_id.startswith(CASE_PREFIX) else None


def case_minutes(scenario: Scenario) -> int:
    """The casus's own minutes, rounded up to five."""
    words = len(scenario.story.text.split())
    words += (
        sum(len(m.text.split()) for m in scenario.story.chat.messages) if scenario.story.chat else 0
    )
    minutes = START_AND_CLOSE + words / STORY_WORDS_PER_MINUTE
    minutes += sum(QUESTION_MINUTES[q.type] for q in scenario.questions)
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
