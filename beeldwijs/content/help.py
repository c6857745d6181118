"""Help routes: who a student (or staff member) can turn to. One reviewed file, adaptable per school."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from beeldwijs import settings
from beeldwijs.errors import ContentError, ContentProblem


@dataclass(frozen=True)
class HelpRoute:
    id: str
    name: str
    text: str
    url: str | None = None
    phone: str | None = None
    always: bool = False
    facts: tuple[str, ...] = ()  # ids of the legal facts its text relies on (beeldwijs facts)


def help_file() -> Path:
    return Path(settings.value("help_file"))


@dataclass(frozen=True)
class HelpRoutes:
    """The routes for students (``routes``) and for school staff (``staff_routes``)."""

    students: tuple[HelpRoute, ...]
    staff: tuple[HelpRoute, ...]


_FIELDS = {"id", "name", "text", "url", "phone", "always", "facts"}


def _read_routes(
    items: object, key: str, path: Path, lines: dict[str, int], problems: list[ContentProblem]
) -> list[HelpRoute]:
    if not isinstance(items, list) or not items:
        problems.append(ContentProblem(str(path), f"/{key}", "expected a list of help routes"))
        return []
    routes = []
    for i, item in enumerate(items):
        where = f"/{key}/{i}"
        if not isinstance(item, dict) or not {"id", "name", "text"} <= item.keys() <= _FIELDS:
            problems.append(
                ContentProblem(
                    str(path),
                    where,
                    f"needs id, name and text; allowed: {', '.join(sorted(_FIELDS))}",
                    lines.get(where),
                )
            )
            continue
        bad = [
            k
            for k in ("id", "name", "text", "url", "phone")
            if k in item and not isinstance(item[k], str)
        ]
        facts = item.get("facts", [])
        if not (isinstance(facts, list) and all(isinstance(f, str) for f in facts)):
            bad.append("facts")
        if bad or not isinstance(item.get("always", False), bool):
            field = (bad or ["always"])[0]
            message = (
                "expected a list of fact ids" if field == "facts"
                else "expected text (quote it)" if bad else "expected true or false"
            )  # fmt: skip
            problems.append(
                ContentProblem(
                    str(path), f"{where}/{field}", message, lines.get(f"{where}/{field}")
                )
            )
            continue
        routes.append(HelpRoute(**{**item, "facts": tuple(facts)}))
    return routes


@cache
def _load(path: Path) -> HelpRoutes:
    from beeldwijs.content.cachefile import cached_help_routes

    return cached_help_routes(path) or help_routes_of(path)


def help_routes_of(path: Path) -> HelpRoutes:
    """Parse help file ``path`` (raises ContentError naming the file and key)."""
    from beeldwijs.content.yamlsource import read_yaml

    raw, lines = read_yaml(path.read_text(encoding="utf-8"), str(path))
    problems: list[ContentProblem] = []
    data = raw if isinstance(raw, dict) else {}
    students = _read_routes(data.get("routes"), "routes", path, lines, problems)
    staff = (  # a school's older copy without staff routes shows staff the student routes
        _read_routes(data["staff_routes"], "staff_routes", path, lines, problems)
        if "staff_routes" in data
        else students
    )
    if problems:
        raise ContentError(problems)
    return HelpRoutes(tuple(students), tuple(staff))


def help_routes(staff: bool = False) -> tuple[HelpRoute, ...]:
    """The configured help routes for students (or staff), in display order."""
    routes = _load(help_file())
    return routes.staff if staff else routes.students


def help_route_ids() -> tuple[str, ...]:
    """Every id a scenario may name under ``help_routes`` (student and staff routes)."""
    return tuple(dict.fromkeys(r.id for r in (*help_routes(), *help_routes(staff=True))))


def routes_for(ids: tuple[str, ...] = (), staff: bool = False) -> tuple[HelpRoute, ...]:
    """The routes to show: every ``always`` route plus the ones a scenario asks for.

    ``staff`` picks the routes written for school staff (a lesson for staff only): a teacher in a
    tabletop exercise needs the police contact and HelpWanted's trusted-flagger line, not "je
    mentor".
    """
    return tuple(r for r in help_routes(staff) if r.always or r.id in ids)
