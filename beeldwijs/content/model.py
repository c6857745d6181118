"""The content model: scenarios, their questions and lessons, as frozen dataclasses.

Schema version 1 is described for authors in docs/content-authoring.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

SCHEMA_VERSION = 1

THEMES = (
    "beeldpesten", "sexting", "shame-sexting", "slut-shaming", "victim-blaming", "exposing",
    "cyberbaiting", "meme-account", "snitching", "ramptoerisme", "juridisch",
    "calamiteitenbeleid", "preventie", "afstandsonderwijs", "sextortion", "deepfake", "doxing",
)  # fmt: skip
#: ``ouders``: a parents' evening run on the same machinery (parents answer on their phones).
AUDIENCES = ("brugklas", "onderbouw", "bovenbouw", "staff", "ouders")
ROLES = (
    "slachtoffer", "verspreider", "omstander", "ontvanger", "docent", "mentor", "schoolleiding",
    "ouder",
)  # fmt: skip
#: Reading levels (CEFR): B1 is the default; A2 versions are simpler Dutch (readability.py).
LEVELS = ("B1", "A2")
WARNING_LEVELS = ("laag", "midden", "hoog")
PLATFORMS = ("whatsapp", "snapchat", "instagram", "tiktok", "teams")
MESSAGE_KINDS = ("text", "image", "video")
QUESTION_TYPES = ("dilemma", "scale", "knowledge", "traffic_light", "text", "decision")

#: Staff decision steps (tabletop exercises): how a choice compares with the guide's protocol,
#: the protocol step it is judged against (the three steps of the guide's chapter 2) and the
#: role that takes the decision. Labels for all three live in beeldwijs.texts.
VERDICTS = ("volgens-protocol", "deels", "niet-volgens-protocol")
PROTOCOL_STEPS = ("definieren", "actie", "communiceren")
STAFF_ROLES = ("mentor", "zorgcoordinator", "vertrouwenspersoon", "schoolleiding", "communicatie")

#: Every question offers this answer; authors never write it and may not use the id.
SKIP = "sla-over"
MAX_TEXT_LENGTH = 280

#: Fixed answer scales; the labels are user-facing text and live in beeldwijs.texts.
SCALE_IDS = ("helemaal-oneens", "oneens", "neutraal", "eens", "helemaal-eens")
TRAFFIC_LIGHT_IDS = ("groen", "oranje", "rood")


@dataclass(frozen=True)
class Option:
    """An answer the author wrote; the last four fields are used by ``decision`` steps only."""

    id: str
    text: str
    verdict: str | None = None
    feedback: str | None = None
    protocol_step: str | None = None
    next: str | None = None  # id of the question that follows this choice (a branch)


@dataclass(frozen=True)
class Question:
    """One question of a scenario; ``key`` ("scenario/question") identifies it in the store."""

    scenario_id: str
    id: str
    type: str
    prompt: str
    options: tuple[Option, ...] = ()
    correct: str | None = None
    explanation: str | None = None
    expert_view: str | None = None
    max_length: int = MAX_TEXT_LENGTH
    time: str | None = None  # decision steps: the incident clock ("08:40")
    role: str | None = None  # decision steps: who decides (one of STAFF_ROLES)
    facts: tuple[str, ...] = ()  # ids of the legal facts its texts rely on (beeldwijs facts)

    @property
    def key(self) -> str:
        return f"{self.scenario_id}/{self.id}"

    @property
    def after_discussion(self) -> str:
        """What "Toon uitleg" shows: a knowledge question's explanation, another question's
        expert view ("" for none, and for a staff decision step, whose feedback is per option)."""
        if self.type == "decision":
            return ""
        return (self.explanation if self.type == "knowledge" else self.expert_view) or ""

    @property
    def is_open(self) -> bool:
        """True for free-text questions (seen by the mentor only, never charted as categories)."""
        return self.type == "text"

    def option_ids(self) -> tuple[str, ...]:
        """The answer ids a student may send, skip included (empty for free text)."""
        if self.is_open:
            return ()
        return tuple(o.id for o in self.options) + (SKIP,)

    def option(self, option_id: str) -> Option | None:
        """The option with ``option_id`` (None for skip, open text or an unknown id)."""
        return next((o for o in self.options if o.id == option_id), None)


@dataclass(frozen=True)
class ChatMessage:
    sender: str
    text: str
    me: bool = False
    kind: str = "text"


@dataclass(frozen=True)
class Chat:
    platform: str
    title: str
    messages: tuple[ChatMessage, ...]


@dataclass(frozen=True)
class Story:
    text: str
    chat: Chat | None = None


@dataclass(frozen=True)
class Trigger:
    """A mentor prompt shown when at least ``min_share`` of the answers fall in ``answers``."""

    question: str
    answers: tuple[str, ...]
    min_share: float
    prompt: str


@dataclass(frozen=True)
class Scenario:
    id: str
    title: str
    summary: str
    themes: tuple[str, ...]
    audience: tuple[str, ...]
    perspective: str
    content_warning: str
    guide_section: str
    help_routes: tuple[str, ...]
    story: Story
    questions: tuple[Question, ...]
    discussion_prompts: tuple[str, ...]
    content_note: str | None = None
    triggers: tuple[Trigger, ...] = ()
    facts: tuple[str, ...] = ()  # ids of the legal facts its story and prompts rely on
    level: str = "B1"
    source_file: str = field(default="", compare=False)

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)


@dataclass(frozen=True)
class GuidePart:
    """One part of a lesson's timing plan: a scenario (with the questions discussed in class, the
    ones to skip when time runs short, and the ones whose expert view the mentor must show even
    then: "Toon uitleg verplicht") or another part such as the start or the closing."""

    minutes: int
    scenario: str | None = None
    title: str | None = None
    discuss: tuple[str, ...] = ()
    skip: tuple[str, ...] = ()
    explain: tuple[str, ...] = ()


@dataclass(frozen=True)
class MentorGuide:
    """The mentor guide of a lesson; the parts every lesson shares live in the mentor guide file."""

    goals: tuple[str, ...]
    preparation: tuple[str, ...]
    timing: tuple[GuidePart, ...]
    skip_when_short: tuple[str, ...]
    do_not_reveal: tuple[str, ...]
    disclosure: str
    follow_up: tuple[str, ...]
    facts: tuple[str, ...] = ()  # ids of the legal facts its text relies on


@dataclass(frozen=True)
class Lesson:
    """A lesson: scenarios played in order, as one Voilà notebook of the same id.

    A team self-scan lesson (``selfscan``) has no scenario files: its scenarios are the sections
    of the self-scan checklist, one question per item (``beeldwijs.content.checklist.as_scenarios``).
    """

    id: str
    title: str
    summary: str
    audience: tuple[str, ...]
    minutes: int
    scenarios: tuple[Scenario, ...]
    source_file: str = field(default="", compare=False)
    selfscan: bool = False
    guide: MentorGuide | None = None
    level: str = "B1"
    #: for the English parent letter: the lesson's title and summary in English ("" when absent)
    title_en: str = ""
    summary_en: str = ""

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for s in self.scenarios for q in s.questions)

    @property
    def themes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t for s in self.scenarios for t in s.themes))

    @property
    def staff_only(self) -> bool:
        """A lesson for school staff only (tabletop, team self-scan): staff help routes."""
        return self.audience == ("staff",)

    @property
    def participants(self) -> str:
        """Who answers: ``staff`` (a team session), ``parents`` (a parents' evening, audience
        ``ouders``) or ``students``; the intro and the help panel speak to them."""
        if self.staff_only:
            return "staff"
        return "parents" if self.audience == ("ouders",) else "students"

    def question(self, key: str) -> Question:
        for q in self.questions:
            if q.key == key:
                return q
        raise KeyError(key)

    def must_explain(self) -> frozenset[str]:
        """Keys of the questions whose expert view the mentor must show ("Toon uitleg
        verplicht": it carries safety lines): the guide's ``explain``; a losse casus has no
        guide, so there every question whose text after the discussion carries a safety line."""
        if self.guide is None:
            from beeldwijs.content.wording import safety_line

            return frozenset(q.key for q in self.questions if safety_line(q.after_discussion))
        parts = self.guide.timing
        return frozenset(f"{p.scenario}/{q}" for p in parts if p.scenario for q in p.explain)


def next_question_id(scenario: Scenario, question: Question, answer: str) -> str | None:
    """The id of the question that follows ``question`` after ``answer``; None when the scenario ends.

    A decision option may name its ``next`` question (a branch, always later in the file, so a
    path cannot loop); an option without one goes on to the following question. Skipping a
    decision follows the route of its first ``volgens-protocol`` option, so that nobody lands in
    a branch written for a choice they did not make. Other question types always go on.
    """
    chosen = question.option(answer)
    if chosen is None and answer == SKIP and question.type == "decision":
        chosen = next((o for o in question.options if o.verdict == "volgens-protocol"), None)
    if chosen is not None and chosen.next is not None:
        return chosen.next
    ids = [q.id for q in scenario.questions]
    position = ids.index(question.id) + 1
    return ids[position] if position < len(ids) else None


def question_path(scenario: Scenario, answers: Mapping[str, str]) -> tuple[Question, ...]:
    """The questions one participant meets, given ``answers`` (question key → answer id).

    The path follows the answers given and stops after the first question without an answer
    (that is where a returning participant continues). Without branches it is every question.
    ``answers`` is keyed like the store's ``answers_of`` ("scenario-id/question-id").
    """
    path: list[Question] = []
    current: str | None = scenario.questions[0].id if scenario.questions else None
    while current is not None:
        question = scenario.question(current)
        path.append(question)
        if question.key not in answers:
            break
        current = next_question_id(scenario, question, answers[question.key])
    return tuple(path)
