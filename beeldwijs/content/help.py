"""Help routes: who a student, a staff member or a parent can turn to. One reviewed file,
adaptable per school; the school profile adds the names of its own people.

A route outside school carries when it can be reached (``hours``), for whom (``ages``), in which
``languages`` and when someone last checked it (``checked``); ``beeldwijs check`` requires them and
warns when a route was checked more than a year ago. A student route with ``audience`` shows only
in lessons for those groups (the Centrum Seksueel Geweld for bovenbouw).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from beeldwijs import settings
from beeldwijs.errors import ContentError, ContentProblem
from beeldwijs.texts import t


@dataclass(frozen=True)
class HelpRoute:
    id: str
    name: str
    text: str
    url: str | None = None
    phone: str | None = None
    always: bool = False
    facts: tuple[str, ...] = ()  # ids of the legal facts its text relies on (beeldwijs facts)
    hours: str | None = None
    ages: str | None = None
    languages: str | None = None
    checked: str | None = None
    audience: tuple[str, ...] = ()  # student groups that see it (empty: all)
    name_en: str | None = None  # the English parent letter's words (the Dutch ones without)
    text_en: str | None = None

    @property
    def external(self) -> bool:
        """A route outside school (it has a phone number or a website)."""
        return bool(self.url or self.phone)


def help_file() -> Path:
    return Path(settings.value("help_file"))


@dataclass(frozen=True)
class HelpRoutes:
    """The routes for students (``routes``), school staff (``staff_routes``) and parents
    (``parent_routes``)."""

    students: tuple[HelpRoute, ...]
    staff: tuple[HelpRoute, ...]
    parents: tuple[HelpRoute, ...] = ()


_TEXT_FIELDS = (
    "id", "name", "text", "url", "phone", "hours", "ages", "languages", "checked", "name_en",
    "text_en",
)  # fmt: skip
_FIELDS = {*_TEXT_FIELDS, "always", "facts", "audience"}


def _read_routes(
    items: object, key: str, path: Path, lines: dict[str, int], problems: list[ContentProblem]
) -> list[HelpRoute]:
    if not isinstance(items, list) or not items:
        problems.append(ContentProblem(str(path), f"/{key}", t("load.expected_routes")))
        return []
    routes = []
    for i, item in enumerate(items):
        where = f"/{key}/{i}"
        if not isinstance(item, dict) or not {"id", "name", "text"} <= item.keys() <= _FIELDS:
            problems.append(
                ContentProblem(
                    str(path),
                    where,
                    t("load.route_fields", allowed=", ".join(sorted(_FIELDS))),
                    lines.get(where),
                )
            )
            continue
        bad = [k for k in _TEXT_FIELDS if k in item and not isinstance(item[k], str)]
        facts, audience = item.get("facts", []), item.get("audience", [])
        for key, value in (("facts", facts), ("audience", audience)):
            if not (isinstance(value, list) and all(isinstance(f, str) for f in value)):
                bad.append(key)
        if bad or not isinstance(item.get("always", False), bool):
            field = (bad or ["always"])[0]
            key = (
                "load.expected_list" if field in ("facts", "audience")
                else "load.expected_text" if bad else "load.expected_flag"
            )  # fmt: skip
            message = t(key, got=repr(item.get(field)))
            problems.append(
                ContentProblem(
                    str(path), f"{where}/{field}", message, lines.get(f"{where}/{field}")
                )
            )
            continue
        routes.append(HelpRoute(**{**item, "facts": tuple(facts), "audience": tuple(audience)}))
    return routes


@cache
def _load(path: Path) -> HelpRoutes:
    from beeldwijs.content.cachefile import cached_help_routes

    return cached_help_routes(path) or help_routes_of(path)


def help_routes_of(path: Path) -> HelpRoutes:
    """Parse help file ``path`` with the school profile's names filled in (raises ContentError
    naming the file and key)."""
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
    parents = (
        _read_routes(data["parent_routes"], "parent_routes", path, lines, problems)
        if "parent_routes" in data
        else students
    )
    if problems:
        raise ContentError(problems)
    return HelpRoutes(*(tuple(_with_profile(r)) for r in (students, staff, parents)))


#: route id → the profile's person whose name and contact the route shows
_PROFILE_PEOPLE = {
    "vertrouwenspersoon": "vertrouwenspersoon",
    "anti-pestcoordinator": "anti_pest_coordinator",
    "privacy": "functionaris_gegevensbescherming",
}


def _with_profile(routes: list[HelpRoute]) -> list[HelpRoute]:
    """The routes with the names and contacts of the school's own people, when a profile is set."""
    from dataclasses import replace

    from beeldwijs.content.profile import school_profile

    profile = school_profile()
    if profile is None:
        return routes
    out = []
    for route in routes:
        person = getattr(profile, _PROFILE_PEOPLE.get(route.id, ""), None)
        if person is None:
            out.append(route)
            continue
        english = f"{route.text_en} {person.line()}." if route.text_en else None
        out.append(replace(route, text=f"{route.text} {person.line()}.", text_en=english))
    return out


def help_routes(staff: bool = False, parents: bool = False) -> tuple[HelpRoute, ...]:
    """The configured help routes for students (or staff, or parents), in display order."""
    routes = _load(help_file())
    return routes.parents if parents else routes.staff if staff else routes.students


def help_route_ids() -> tuple[str, ...]:
    """Every id a scenario may name under ``help_routes`` (student, staff and parent routes)."""
    every = (*help_routes(), *help_routes(staff=True), *help_routes(parents=True))
    return tuple(dict.fromkeys(r.id for r in every))


def routes_for(
    ids: tuple[str, ...] = (),
    staff: bool = False,
    audience: tuple[str, ...] = (),
    parents: bool = False,
) -> tuple[HelpRoute, ...]:
    """The routes to show: every ``always`` route plus the ones a scenario asks for.

    ``staff`` picks the routes written for school staff (a lesson for staff only): a teacher in a
    tabletop exercise needs the police contact and HelpWanted's trusted-flagger line, not "je
    mentor"; ``parents`` the ones for parents. A route for some student groups only shows when
    the lesson's ``audience`` includes one of them.
    """
    return tuple(
        r
        for r in help_routes(staff, parents)
        if (r.always or r.id in ids) and (not r.audience or set(r.audience) & set(audience))
    )
