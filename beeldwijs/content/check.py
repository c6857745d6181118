"""``beeldwijs check``: load and lint content files, collecting every problem.

Every check also reads the legal facts file: a fact without a primary source is a problem, a
fact checked more than a year ago a warning (printed, but the check still passes).

When a whole folder of scenarios is checked (the library, or a school's own folder), the check
also counts the scenarios per guide term and audience (the coverage matrix) and fails when a
term of the guide's chapter 3 has no scenario at all. A single draft file is checked on its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from beeldwijs.content.facts import check_fact_file
from beeldwijs.content.library import Library
from beeldwijs.content.lint import lint_lesson, lint_scenario, uncovered_terms
from beeldwijs.content.model import Scenario
from beeldwijs.errors import ContentError, ContentProblem


@dataclass
class CheckReport:
    """What a check found: files read, problems, and the scenarios that loaded."""

    files: int = 0
    problems: list[ContentProblem] = field(default_factory=list)
    warnings: list[ContentProblem] = field(default_factory=list)
    scenarios: list[Scenario] = field(default_factory=list)
    scenario_folders: list[Path] = field(default_factory=list)

    @property
    def has_library(self) -> bool:
        """True when a whole folder of scenarios was checked (then coverage counts)."""
        return bool(self.scenario_folders)


def check_common_guide() -> list[ContentProblem]:
    """The shared part of the mentor guides: loads, and its wording passes the linter."""
    from beeldwijs.content.lint import wording_problems
    from beeldwijs.content.mentorguide import DEFAULT_FILE, read_common_guides

    try:
        guides = read_common_guides()
    except ContentError as exc:
        return exc.problems
    return [
        problem
        for kind, guide in guides.items()
        for problem in wording_problems(
            str(DEFAULT_FILE), ((f"/{kind}{p}", t, bool(guide.facts)) for p, t in guide.texts())
        )
    ]


def _files(paths: Iterable[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(path.rglob("*.yaml")))
        else:
            found.append(path)
    return found


def check(paths: Iterable[Path], library: Library) -> CheckReport:
    """Check scenario and lesson files (folders are searched).

    A file under a ``lessons`` folder is read as a lesson, anything else as a scenario.
    """
    paths = list(paths)
    report = CheckReport()
    files = _files(paths)
    report.files = len(files)
    report.problems, report.warnings = check_fact_file()
    report.problems.extend(check_common_guide())
    for file in files:
        if not file.is_file():
            report.problems.append(ContentProblem(str(file), "", "no such file"))
            continue
        try:
            if file.parent.name == "lessons":
                lesson = Library(file.parent.parent).lesson(file.stem)
                report.problems.extend(lint_lesson(lesson))
            else:
                owner = Library(file.parent.parent) if file.parent.name == "scenarios" else library
                scenario = owner.scenario_at(file)
                report.problems.extend(lint_scenario(scenario))
                report.scenarios.append(scenario)
        except ContentError as exc:
            report.problems.extend(exc.problems)
    report.scenario_folders = [p for p in paths if p.is_dir() and p.name != "lessons"]
    if report.has_library:
        where = str(report.scenario_folders[0])
        for term in uncovered_terms(report.scenarios):
            report.problems.append(
                ContentProblem(where, "", f"no scenario covers the guide's chapter-3 term {term!r}")
            )
    return report


def check_paths(paths: Iterable[Path], library: Library) -> tuple[int, list[ContentProblem]]:
    """``check`` as (files checked, problems)."""
    report = check(paths, library)
    return report.files, report.problems
