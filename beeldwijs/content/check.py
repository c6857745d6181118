"""``beeldwijs check``: load and lint content files, collecting every problem.

Every check also reads the legal facts file: a fact without a primary source is a problem, a
fact checked more than a year ago a warning (printed, but the check still passes).

When a whole folder of scenarios is checked (the library, or a school's own folder), the check
also counts the scenarios per guide term and audience (the coverage matrix) and fails when a
term of the guide's chapter 3 has no scenario at all. A single draft file is checked on its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from beeldwijs import settings
from beeldwijs.content.facts import check_fact_file
from beeldwijs.content.letters import letter_problems, letter_templates
from beeldwijs.content.library import Library
from beeldwijs.content.lint import lint_lesson, lint_scenario, lint_series, uncovered_terms
from beeldwijs.content.model import Lesson, Scenario
from beeldwijs.errors import ContentError, ContentProblem
from beeldwijs.texts import t


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


def check_help_file(
    today: dt.date | None = None,
) -> tuple[list[ContentProblem], list[ContentProblem]]:
    """The help routes and the school profile: (problems, warnings).

    A route outside school needs hours, ages, languages and a checked date; a route checked more
    than a year ago, and a missing school profile, are warnings. Route texts pass the wording rules.
    """
    from beeldwijs.content.facts import STALE_AFTER_DAYS
    from beeldwijs.content.help import help_file, help_routes_of
    from beeldwijs.content.lint import wording_problems
    from beeldwijs.content.profile import EXAMPLE_FILE, profile_file, read_profile

    problems: list[ContentProblem] = []
    warnings: list[ContentProblem] = []
    profile = profile_file()
    if profile is None:
        warnings.append(ContentProblem(
            settings.get("school_profile").env, "", t("load.no_profile", example=EXAMPLE_FILE.name),
        ))  # fmt: skip
    else:
        try:
            read_profile(profile)
        except ContentError as exc:
            return exc.problems, warnings  # the routes cannot be read without it
        except OSError as exc:
            return [
                ContentProblem(str(profile), "", t("load.cannot_read", reason=exc.strerror))
            ], warnings
    path = help_file()
    try:
        routes = help_routes_of(path)
    except ContentError as exc:
        return problems + exc.problems, warnings
    today = today or dt.date.today()
    seen: set[object] = set()
    for key, group in (("routes", routes.students), ("staff_routes", routes.staff),
                       ("parent_routes", routes.parents)):  # fmt: skip
        for i, route in enumerate(group):
            if route in seen:  # a school's copy without staff or parent routes repeats its own
                continue
            seen.add(route)
            where = f"/{key}/{i}"
            missing = [
                f for f in ("hours", "ages", "languages", "checked") if not getattr(route, f)
            ]
            if route.external and missing:
                problems.append(ContentProblem(
                    str(path), where,
                    t("load.route_needs", id=repr(route.id), fields=", ".join(missing)),
                ))  # fmt: skip
            if route.checked and not _is_date(route.checked):
                problems.append(ContentProblem(
                    str(path), f"{where}/checked",
                    t("load.expected_date", example="2026-12-06", got=repr(route.checked)),
                ))  # fmt: skip
            elif (
                route.checked
                and (today - dt.date.fromisoformat(route.checked)).days > STALE_AFTER_DAYS
            ):
                warnings.append(ContentProblem(
                    str(path), f"{where}/checked",
                    t("load.stale_route", id=repr(route.id), checked=route.checked),
                ))  # fmt: skip
            texts = [(f"{where}/text", route.text), (f"{where}/text_en", route.text_en or "")]
            problems.extend(
                wording_problems(str(path), [(p, text, bool(route.facts)) for p, text in texts])
            )
    return problems, warnings


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def check_checklist_wording() -> list[ContentProblem]:
    """The self-scan's questions and advice pass the wording rules (legal wording names facts)."""
    from beeldwijs.content.checklist import checklist_file, load_checklist
    from beeldwijs.content.lint import wording_problems

    try:
        checklist = load_checklist()
    except ContentError as exc:
        return exc.problems
    texts = [
        (f"/sections/{i}/items/{j}/{key}", getattr(item, key), bool(item.facts))
        for i, section in enumerate(checklist.sections)
        for j, item in enumerate(section.items)
        for key in ("question", "advice")
    ]
    return wording_problems(str(checklist_file()), texts)


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
    """Check scenario and lesson files (folders are searched) and parent-letter templates.

    A file under a ``lessons`` folder is read as a lesson, a ``.md`` file as a letter template,
    anything else as a scenario. The shipped letter templates are always checked.
    """
    paths = list(paths)
    report = CheckReport()
    files = _files(paths)
    report.files = len(files)
    report.problems, report.warnings = check_fact_file()
    report.problems.extend(check_common_guide())
    report.problems.extend(check_checklist_wording())
    report.problems.extend(p for path in letter_templates() for p in letter_problems(path))
    lessons: list[Lesson] = []
    help_problems, help_warnings = check_help_file()
    report.problems.extend(help_problems)
    report.warnings.extend(help_warnings)
    for file in files:
        if not file.is_file():
            report.problems.append(ContentProblem(str(file), "", t("load.no_such_file")))
            continue
        if file.suffix == ".md":  # a parent-letter template
            report.problems.extend(letter_problems(file))
            continue
        try:
            if file.parent.name == "lessons":
                lesson = Library(file.parent.parent).lesson(file.stem)
                report.problems.extend(lint_lesson(lesson))
                lessons.append(lesson)
            else:
                owner = Library(file.parent.parent) if file.parent.name == "scenarios" else library
                scenario = owner.scenario_at(file)
                report.problems.extend(lint_scenario(scenario))
                report.scenarios.append(scenario)
        except ContentError as exc:
            report.problems.extend(exc.problems)
    report.problems.extend(lint_series(lessons))
    report.scenario_folders = [p for p in paths if p.is_dir() and p.name != "lessons"]
    if report.has_library:
        where = str(report.scenario_folders[0])
        for term in uncovered_terms(report.scenarios):
            report.problems.append(
                ContentProblem(where, "", t("lint.uncovered_term", term=repr(term)))
            )
    return report


def check_paths(paths: Iterable[Path], library: Library) -> tuple[int, list[ContentProblem]]:
    """``check`` as (files checked, problems)."""
    report = check(paths, library)
    return report.files, report.problems
