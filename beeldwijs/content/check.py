"""``beeldwijs check``: load and lint content files, collecting every problem."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from beeldwijs.content.library import Library
from beeldwijs.content.lint import lint_scenario
from beeldwijs.errors import ContentError, ContentProblem


def _files(paths: Iterable[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(path.rglob("*.yaml")))
        else:
            found.append(path)
    return found


def check_paths(paths: Iterable[Path], library: Library) -> tuple[int, list[ContentProblem]]:
    """Check scenario and lesson files (folders are searched); returns (files checked, problems).

    A file under a ``lessons`` folder is read as a lesson, anything else as a scenario.
    """
    files = _files(paths)
    problems: list[ContentProblem] = []
    for file in files:
        if not file.is_file():
            problems.append(ContentProblem(str(file), "", "no such file"))
            continue
        try:
            if file.parent.name == "lessons":
                Library(file.parent.parent).lesson(file.stem)
            else:
                owner = Library(file.parent.parent) if file.parent.name == "scenarios" else library
                scenario = owner.scenario_at(file)
                problems.extend(lint_scenario(scenario))
        except ContentError as exc:
            problems.extend(exc.problems)
    return len(files), problems
