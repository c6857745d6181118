"""Help routes: who a student (or staff member) can turn to. One reviewed file, adaptable per school."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from beeldwijs.content.yamlsource import read_yaml
from beeldwijs.errors import ContentError, ContentProblem

DEFAULT_FILE = Path(__file__).with_name("data") / "help.yaml"


@dataclass(frozen=True)
class HelpRoute:
    id: str
    name: str
    text: str
    url: str | None = None
    phone: str | None = None
    always: bool = False


def help_file() -> Path:
    return Path(os.environ.get("BEELDWIJS_HELP_FILE") or DEFAULT_FILE)


@cache
def _load(path: Path) -> tuple[HelpRoute, ...]:
    raw, lines = read_yaml(path.read_text(encoding="utf-8"), str(path))
    problems: list[ContentProblem] = []
    routes: list[HelpRoute] = []
    items = raw.get("routes") if isinstance(raw, dict) else None
    if not isinstance(items, list) or not items:
        raise ContentError([ContentProblem(str(path), "/routes", "expected a list of help routes")])
    for i, item in enumerate(items):
        where = f"/routes/{i}"
        fields = {"id", "name", "text", "url", "phone", "always"}
        if not isinstance(item, dict) or not {"id", "name", "text"} <= item.keys() <= fields:
            problems.append(
                ContentProblem(
                    str(path),
                    where,
                    f"needs id, name and text; allowed: {', '.join(sorted(fields))}",
                    lines.get(where),
                )
            )
            continue
        bad = [
            k
            for k in ("id", "name", "text", "url", "phone")
            if k in item and not isinstance(item[k], str)
        ]
        if bad or not isinstance(item.get("always", False), bool):
            problems.append(
                ContentProblem(
                    str(path),
                    f"{where}/{(bad or ['always'])[0]}",
                    "expected text (quote it)",
                    lines.get(f"{where}/{(bad or ['always'])[0]}"),
                )
            )
            continue
        routes.append(HelpRoute(**item))
    if problems:
        raise ContentError(problems)
    return tuple(routes)


def help_routes() -> tuple[HelpRoute, ...]:
    """All configured help routes, in display order."""
    return _load(help_file())


def help_route_ids() -> tuple[str, ...]:
    return tuple(r.id for r in help_routes())


def routes_for(ids: tuple[str, ...] = ()) -> tuple[HelpRoute, ...]:
    """The routes to show: every ``always`` route plus the ones a scenario asks for."""
    return tuple(r for r in help_routes() if r.always or r.id in ids)
