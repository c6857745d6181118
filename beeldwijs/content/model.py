"""The content model: scenarios, their questions and lessons, as frozen dataclasses.

Schema version 1 is described for authors in docs/content-authoring.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SCHEMA_VERSION = 1

THEMES = (
    "beeldpesten", "sexting", "shame-sexting", "slut-shaming", "victim-blaming", "exposing",
    "cyberbaiting", "meme-account", "snitching", "ramptoerisme", "juridisch",
    "calamiteitenbeleid", "preventie", "afstandsonderwijs",
)  # fmt: skip
AUDIENCES = ("brugklas", "onderbouw", "bovenbouw", "staff")
ROLES = (
    "slachtoffer", "verspreider", "omstander", "ontvanger", "docent", "mentor", "schoolleiding",
)  # fmt: skip
WARNING_LEVELS = ("laag", "midden", "hoog")
PLATFORMS = ("whatsapp", "snapchat", "instagram", "tiktok", "teams")
MESSAGE_KINDS = ("text", "image", "video")
QUESTION_TYPES = ("dilemma", "scale", "knowledge", "traffic_light", "text")

#: Every question offers this answer; authors never write it and may not use the id.
SKIP = "sla-over"
MAX_TEXT_LENGTH = 280

#: Fixed answer scales; the labels are user-facing text and live in beeldwijs.texts.
SCALE_IDS = ("helemaal-oneens", "oneens", "neutraal", "eens", "helemaal-eens")
TRAFFIC_LIGHT_IDS = ("groen", "oranje", "rood")


@dataclass(frozen=True)
class Option:
    id: str
    text: str


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

    @property
    def key(self) -> str:
        return f"{self.scenario_id}/{self.id}"

    @property
    def is_open(self) -> bool:
        """True for free-text questions (seen by the mentor only, never charted as categories)."""
        return self.type == "text"

    def option_ids(self) -> tuple[str, ...]:
        """The answer ids a student may send, skip included (empty for free text)."""
        if self.is_open:
            return ()
        return tuple(o.id for o in self.options) + (SKIP,)


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
class Fact:
    """A legal or factual claim; it carries its source and the date it was last checked."""

    text: str
    source: str
    checked: str


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
    facts: tuple[Fact, ...] = ()
    source_file: str = field(default="", compare=False)

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)


@dataclass(frozen=True)
class Lesson:
    """A lesson: scenarios played in order, as one Voilà notebook of the same id."""

    id: str
    title: str
    summary: str
    audience: tuple[str, ...]
    minutes: int
    scenarios: tuple[Scenario, ...]
    source_file: str = field(default="", compare=False)

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for s in self.scenarios for q in s.questions)

    @property
    def themes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t for s in self.scenarios for t in s.themes))

    def question(self, key: str) -> Question:
        for q in self.questions:
            if q.key == key:
                return q
        raise KeyError(key)
