"""The linter's reading-level rule: a scenario is held to its level (B1, or A2 when it says so).

Measured over everything a student (or a parent) reads in the file: the story, the chat, the
questions and their options, the expert views, explanations and feedback. Scenarios written for
staff only are professional text and are not measured. An A2 lesson plays A2 scenarios only.
"""

from __future__ import annotations

from collections.abc import Iterator

from beeldwijs.content.model import Lesson, Scenario
from beeldwijs.content.readability import level_problems, measure
from beeldwijs.errors import ContentProblem
from beeldwijs.texts import t


def reader_texts(scenario: Scenario) -> Iterator[str]:
    """Every text of ``scenario`` that the participant reads on their screen."""
    yield scenario.story.text
    for message in scenario.story.chat.messages if scenario.story.chat else ():
        yield message.text
    for question in scenario.questions:
        yield question.prompt
        for option in question.options:
            if question.type in ("dilemma", "knowledge", "decision"):
                yield option.text
            if option.feedback:
                yield option.feedback
        yield from (text for text in (question.expert_view, question.explanation) if text)


def scenario_level_problems(scenario: Scenario) -> list[ContentProblem]:
    if scenario.audience == ("staff",):
        return []
    problems = level_problems(scenario.level, measure(reader_texts(scenario)))
    if not problems:
        return []
    message = t("lint.too_hard", level=scenario.level, problems="; ".join(problems))
    return [ContentProblem(scenario.source_file, "/level", message)]


def lesson_level_problems(lesson: Lesson) -> list[ContentProblem]:
    return [
        ContentProblem(
            lesson.source_file,
            f"/scenarios/{i}",
            t("lint.level_mismatch", id=repr(s.id), level=s.level, lesson_level=lesson.level),
        )
        for i, s in enumerate(lesson.scenarios)
        if s.level != lesson.level and not lesson.selfscan
    ]
