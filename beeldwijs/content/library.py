"""The content on disk: ``scenarios/*.yaml`` and ``lessons/*.yaml`` under one root folder."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from beeldwijs import settings
from beeldwijs.content.cases import case_lesson, scenario_of_case
from beeldwijs.content.facts import fact_ids
from beeldwijs.content.help import help_route_ids
from beeldwijs.content.loader import parse_lesson, parse_scenario
from beeldwijs.content.model import Lesson, Scenario
from beeldwijs.errors import ContentError, ContentProblem
from beeldwijs.texts import t


def default_root() -> Path:
    """The folder holding ``scenarios/`` and ``lessons/``.

    ``BEELDWIJS_ROOT`` wins; otherwise the nearest folder upwards from the working directory that
    has both (a Voilà kernel runs inside ``lessons/``); otherwise the checkout the package lives in.
    """
    env = settings.value("root")
    if env:
        return Path(env).resolve()
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "scenarios").is_dir() and (folder / "lessons").is_dir():
            return folder
    return Path(__file__).resolve().parents[2]


class Library:
    """Loads scenarios and lessons from ``root``; each file is parsed once per process."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = (root or default_root()).resolve()
        self.scenario_dir = self.root / "scenarios"
        self.lesson_dir = self.root / "lessons"

    def scenario(self, scenario_id: str) -> Scenario:
        return _load_scenario(self.scenario_dir / f"{scenario_id}.yaml")

    def scenario_at(self, path: Path) -> Scenario:
        """A scenario file anywhere (``beeldwijs check`` on a draft outside the library)."""
        return _load_scenario(path.resolve())

    def lesson(self, lesson_id: str) -> Lesson:
        """A lesson file's lesson, or a single scenario played alone (a casus, cases.py)."""
        scenario_id = scenario_of_case(lesson_id)
        if scenario_id is not None:
            return case_lesson(self.scenario(scenario_id))
        path = self.lesson_dir / f"{lesson_id}.yaml"
        if not path.is_file():
            raise ContentError([ContentProblem(str(path), "", t("load.no_lesson_file"))])
        return _load_lesson(path, self.scenario_dir)

    def lesson_ids(self) -> list[str]:
        return sorted(p.stem for p in self.lesson_dir.glob("*.yaml"))

    def scenario_ids(self) -> list[str]:
        return sorted(p.stem for p in self.scenario_dir.glob("*.yaml"))

    def lessons(self) -> list[Lesson]:
        return [self.lesson(i) for i in self.lesson_ids()]

    def cases(self) -> list[Lesson]:
        """Every scenario as a session of its own (a *losse casus*)."""
        return [case_lesson(self.scenario(i)) for i in self.scenario_ids()]


@cache
def _load_scenario(path: Path) -> Scenario:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ContentError(
            [ContentProblem(str(path), "", t("load.cannot_read", reason=exc.strerror))]
        ) from exc
    return parse_scenario(text, path, help_route_ids(), fact_ids())


@cache
def _load_lesson(path: Path, scenario_dir: Path) -> Lesson:
    text = path.read_text(encoding="utf-8")

    def find(scenario_id: str) -> Scenario | None:
        candidate = scenario_dir / f"{scenario_id}.yaml"
        return _load_scenario(candidate) if candidate.is_file() else None

    def checklist() -> tuple[Scenario, ...]:
        from beeldwijs.content.checklist import (  # only a team self-scan
            as_scenarios,
            load_checklist,
        )

        return as_scenarios(load_checklist())

    return parse_lesson(text, path, find, checklist, fact_ids())
