"""How long a lesson takes, estimated from its content (``beeldwijs check`` compares it with the
minutes the lesson states and its mentor guide plans).

The model, measured against a mentor's walk-through of every lesson (docs/decisions/lesson-timing.md):
a class reads at a 12-year-old's pace on a phone and waits for the slower readers (100 words a
minute; staff 180); every text a participant reads counts (story, chat, prompts, options, and the
expert view or explanation shown after answering; of a decision step, the average feedback). A
choice takes 20 seconds, an open answer 1.5 minutes (typing and the mentor's moderation); showing a
result with a first reaction takes a minute per question; a question the guide marks for discussion
takes 3 minutes more (staff 4). Joining, the notice and the ground rules take 6 minutes, the
closing with the help routes 3.
"""

from __future__ import annotations

from dataclasses import dataclass

from beeldwijs.content.model import GuidePart, Lesson, Question, Scenario

READ_WPM = 100
READ_WPM_STAFF = 180
ANSWER_MIN = 20 / 60
OPEN_ANSWER_MIN = 1.5
REVEAL_MIN = 1.0
DISCUSS_MIN = 3.0
DISCUSS_MIN_STAFF = 4.0
START_MIN = 6.0
CLOSE_MIN = 3.0


def _words(text: str | None) -> int:
    return len(text.split()) if text else 0


def question_words(question: Question) -> int:
    """The words a participant reads for one question, feedback included."""
    words = _words(question.prompt) + _words(question.expert_view) + _words(question.explanation)
    if question.type in ("dilemma", "knowledge", "decision"):
        words += sum(_words(o.text) for o in question.options)
    feedback = [_words(o.feedback) for o in question.options if o.feedback]
    if feedback:
        words += round(sum(feedback) / len(feedback))
    return words


def scenario_words(scenario: Scenario) -> int:
    chat = scenario.story.chat.messages if scenario.story.chat else ()
    return (
        _words(scenario.content_note)
        + _words(scenario.story.text)
        + sum(_words(m.text) for m in chat)
        + sum(question_words(q) for q in scenario.questions)
    )


@dataclass(frozen=True)
class PartEstimate:
    """The estimated minutes of one scenario part, and how they add up."""

    scenario: str
    reading: float
    answering: float
    results: float
    discussion: float

    @property
    def minutes(self) -> float:
        return self.reading + self.answering + self.results + self.discussion


def estimate_part(
    scenario: Scenario, part: GuidePart | None, staff: bool, selfscan: bool = False
) -> PartEstimate:
    """Minutes for one scenario, with the questions ``part`` marks for discussion.

    A team self-scan shows one team result per section, not one per item.
    """
    wpm = READ_WPM_STAFF if staff else READ_WPM
    open_questions = sum(1 for q in scenario.questions if q.is_open)
    closed = len(scenario.questions) - open_questions
    discussed = len(part.discuss) if part else 0
    return PartEstimate(
        scenario=scenario.id,
        reading=scenario_words(scenario) / wpm,
        answering=closed * ANSWER_MIN + open_questions * OPEN_ANSWER_MIN,
        results=REVEAL_MIN if selfscan else closed * REVEAL_MIN,
        discussion=discussed * (DISCUSS_MIN_STAFF if staff else DISCUSS_MIN),
    )


def estimate_lesson(lesson: Lesson) -> tuple[float, tuple[PartEstimate, ...]]:
    """(total minutes, per scenario) for ``lesson`` as its guide plans it."""
    plan = {p.scenario: p for p in (lesson.guide.timing if lesson.guide else ()) if p.scenario}
    parts = tuple(
        estimate_part(s, plan.get(s.id), lesson.staff_only, lesson.selfscan)
        for s in lesson.scenarios
    )
    return START_MIN + CLOSE_MIN + sum(p.minutes for p in parts), parts
