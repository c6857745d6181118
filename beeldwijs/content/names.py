"""Character names a mentor swaps for one session, for instance when a character shares a name
with a student in the class.

The dashboard lists the lesson's characters (:func:`characters`) and offers other first names
from the same list of common Dutch first names that the moderation uses
(``beeldwijs/data/voornamen.txt``). Only names from that list are accepted, so nothing a mentor
types is stored. The swaps travel with the session (``sessions.names``, encoded by
:func:`encode`); every screen shows the lesson through :func:`renamed`. Question keys and answer
ids never change, so answers and results are the same with or without a swap.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from beeldwijs.content.model import Lesson, Scenario

NAMES_FILE = Path(__file__).resolve().parents[1] / "data" / "voornamen.txt"

#: the fields people read; ids, keys and answer values are never renamed
TEXT_FIELDS = frozenset(
    {
        "title", "summary", "content_note", "text", "sender", "prompt", "feedback",
        "expert_view", "explanation", "discussion_prompts",
    }
)  # fmt: skip
_WORD = re.compile(r"\b[A-ZÀ-Ý][a-zà-ÿ]+\b")

Swaps = dict[str, str]
T = TypeVar("T")


@cache
def name_list() -> tuple[str, ...]:
    """The list of common first names, lower case as in the file (also the moderation's list)."""
    lines = NAMES_FILE.read_text(encoding="utf-8").splitlines()
    return tuple(n.strip() for n in lines if n.strip() and not n.startswith("#"))


@cache
def first_names() -> tuple[str, ...]:
    """The list of first names, capitalised as in a story ("Zoë")."""
    return tuple(n.capitalize() for n in name_list())


def _texts(value: Any) -> Iterator[str]:
    if dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            item = getattr(value, f.name)
            if f.name in TEXT_FIELDS and isinstance(item, str):
                yield item
            elif f.name in TEXT_FIELDS and isinstance(item, tuple):
                yield from (i for i in item if isinstance(i, str))
            else:
                yield from _texts(item)
    elif isinstance(value, tuple):
        for item in value:
            yield from _texts(item)


def characters(lesson: Lesson | Scenario) -> list[str]:
    """The first names in the texts of ``lesson``, in order of appearance."""
    known = set(first_names())
    found: dict[str, None] = {}
    for text in _texts(lesson):
        for word in _WORD.findall(text):
            if word in known:
                found[word] = None
    return list(found)


def alternatives(lesson: Lesson) -> list[str]:
    """Names a character may get: those of the list that do not occur in the lesson."""
    used = set(characters(lesson))
    return sorted(n for n in first_names() if n not in used)


def encode(swaps: Mapping[str, str]) -> str:
    """``{"Noah": "Daan"}`` → ``"Noah=Daan"``; only names of the list, never a name to itself."""
    known = set(first_names())
    pairs = []
    for old, new in sorted(swaps.items()):
        if old not in known or new not in known:
            raise ValueError(f"not a name of the list: {old if old not in known else new}")
        if old != new:
            pairs.append(f"{old}={new}")
    return ";".join(pairs)


def decode(names: str) -> Swaps:
    """The swaps kept with a session; anything that is not a pair of listed names is ignored."""
    known = set(first_names())
    swaps: Swaps = {}
    for pair in names.split(";"):
        old, _, new = pair.partition("=")
        if old in known and new in known and old != new:
            swaps[old] = new
    return swaps


def renamed(item: T, swaps: Mapping[str, str]) -> T:
    """``item`` (a lesson, scenario, question…) with every swapped name replaced in its texts.

    Swaps happen at once ("Noah" → "Sem" and "Sem" → "Noah" trade names), on whole words and
    their possessive ("Noahs").
    """
    if not swaps:
        return item
    # a possessive s goes along ("Noahs"), but a teacher's surname is not a first name + s
    alternatives = "|".join(re.escape(n) for n in swaps)
    pattern = re.compile(rf"(?<!meneer )(?<!mevrouw )\b({alternatives})(?=s?\b)")

    def swap(text: str) -> str:
        return pattern.sub(lambda m: swaps[m.group(1)], text)

    def walk(value: Any, text_field: bool = False) -> Any:
        if isinstance(value, str):
            return swap(value) if text_field else value
        if isinstance(value, tuple):
            return tuple(walk(v, text_field) for v in value)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            changes = {
                f.name: walk(getattr(value, f.name), f.name in TEXT_FIELDS)
                for f in dataclasses.fields(value)
                if f.init
            }
            return dataclasses.replace(value, **changes)
        return value

    return walk(item)  # type: ignore[no-any-return]
