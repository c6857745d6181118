"""The school profile: one small YAML file a school fills in (``school_profile`` setting).

It names the school, its vertrouwenspersoon and anti-pest coordinator with how to reach them, and
the privacy officer (FG). The help routes show the names (:mod:`beeldwijs.content.help`), the
parent letter takes the school's name and the FG from it, and the mentor guide lists them. Without
a profile everything still works, with general wording; ``beeldwijs check`` warns. A commented
example is ``beeldwijs/data/schoolprofiel.voorbeeld.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from beeldwijs import settings

EXAMPLE_FILE = settings.DATA_DIR / "schoolprofiel.voorbeeld.yaml"
_PEOPLE = ("vertrouwenspersoon", "anti_pest_coordinator", "functionaris_gegevensbescherming")


@dataclass(frozen=True)
class Contact:
    """A person at school: a name and how to reach them (room, hours, e-mail)."""

    naam: str
    bereikbaar: str

    def line(self) -> str:
        return f"{self.naam}, {self.bereikbaar}"


@dataclass(frozen=True)
class SchoolProfile:
    school: str
    vertrouwenspersoon: Contact | None = None
    anti_pest_coordinator: Contact | None = None
    functionaris_gegevensbescherming: Contact | None = None


def profile_file() -> Path | None:
    configured = settings.value("school_profile")
    return Path(configured) if configured else None


def read_profile(path: Path) -> SchoolProfile:
    """Parse a profile (raises ContentError naming file, line and key)."""
    from beeldwijs.content.loader import Checker
    from beeldwijs.content.yamlsource import read_yaml

    raw, lines = read_yaml(path.read_text(encoding="utf-8"), str(path))
    c = Checker(str(path), lines)
    data = c.mapping(raw, "", ("school",), _PEOPLE) or {}
    people: dict[str, Contact | None] = {}
    for key in _PEOPLE:
        person = c.mapping(data[key], f"/{key}", ("naam", "bereikbaar")) if key in data else None
        naam = c.text(person, "naam", f"/{key}") if person else None
        bereikbaar = c.text(person, "bereikbaar", f"/{key}") if person else None
        people[key] = Contact(naam, bereikbaar) if naam and bereikbaar else None
    school = c.text(data, "school", "")
    c.raise_if_any()
    return SchoolProfile(school or "", **people)


@cache
def _profile(path: Path) -> SchoolProfile:
    return read_profile(path)


def school_profile() -> SchoolProfile | None:
    """The configured profile, or None when the school has not set one."""
    path = profile_file()
    return _profile(path) if path is not None else None
