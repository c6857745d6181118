"""The part of every mentor guide that all lessons share (``beeldwijs/data/mentorgids.yaml``).

A lesson's own guide (goals, its timing plan, what to skip, when not to reveal, its disclosure
note, follow-up) lives in the lesson file; preparation, the opening, when not to reveal a result,
the disclosure script, the closing and follow-up that hold for every lesson live here once: one
part for lessons with students, one for team sessions.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from beeldwijs.content.model import GuidePart

DEFAULT_FILE = Path(__file__).resolve().parents[1] / "data" / "mentorgids.yaml"
SECTIONS = ("preparation", "opening", "do_not_reveal", "disclosure", "closing", "follow_up")


@dataclass(frozen=True)
class CommonGuide:
    """The shared steps for one kind of lesson (students or staff)."""

    preparation: tuple[str, ...]
    opening: tuple[str, ...]
    do_not_reveal: tuple[str, ...]
    disclosure: tuple[str, ...]
    closing: tuple[str, ...]
    follow_up: tuple[str, ...]
    facts: tuple[str, ...] = ()

    def texts(self) -> Iterator[tuple[str, str]]:
        """(key path, text) of every line, for the linter."""
        for section in SECTIONS:
            for i, text in enumerate(getattr(self, section)):
                yield f"/{section}/{i}", text


def read_common_guides(path: Path = DEFAULT_FILE) -> dict[str, CommonGuide]:
    """Both parts of the file, keyed ``students`` and ``staff`` (raises ContentError)."""
    from beeldwijs.content.facts import fact_ids
    from beeldwijs.content.loader import Checker
    from beeldwijs.content.yamlsource import read_yaml

    raw, lines = read_yaml(path.read_text(encoding="utf-8"), str(path))
    c = Checker(str(path), lines)
    data = c.mapping(raw, "", ("students", "staff")) or {}
    guides = {}
    for kind in ("students", "staff"):
        part = c.mapping(data.get(kind), f"/{kind}", SECTIONS, ("facts",))
        if part is None:
            continue
        values = {s: c.texts(part, s, f"/{kind}", minimum=1) for s in SECTIONS}
        facts = c.choices(part, "facts", f"/{kind}", fact_ids()) if "facts" in part else ()
        guides[kind] = CommonGuide(**values, facts=facts)
    c.raise_if_any()
    return guides


def part_questions(part: GuidePart) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """What a part of the timing plan says about its questions, as (text key, question ids):
    discuss in class, "Toon uitleg verplicht" (``explain``), skip when short of time."""
    return (
        ("guide.discuss", part.discuss),
        ("guide.explain", part.explain),
        ("guide.skip", part.skip),
    )


@cache
def common_guide(staff: bool = False) -> CommonGuide:
    """The shared steps for a lesson with students, or (``staff``) for a team session."""
    return read_common_guides()["staff" if staff else "students"]
