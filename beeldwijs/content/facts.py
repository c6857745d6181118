"""Legal facts: one reviewed file (``beeldwijs/data/facts.yaml``) that every legal sentence refers to.

A fact has an id, a plain-Dutch statement, its primary source (named, and a URL on a site that
publishes the rule itself), the day the rule took effect (``valid_from``) and the day someone last
read it in that source (``checked``); a ``note`` says what could not be confirmed. Content names the
ids it relies on (a scenario's and a question's ``facts``, a help route's, a self-scan item's, the
parent letter's); :mod:`beeldwijs.content.lint` refuses legal wording without them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlparse

from beeldwijs import settings
from beeldwijs.errors import ContentError, ContentProblem
from beeldwijs.texts import t

#: Sites that publish the rule itself: the law, the official gazette and parliamentary papers, the
#: Public Prosecution Service, the government, the regulator (ACM) and EU law.
PRIMARY_HOSTS = (
    "wetten.overheid.nl",
    "zoek.officielebekendmakingen.nl",
    "www.om.nl",
    "www.rijksoverheid.nl",
    "www.acm.nl",
    "eur-lex.europa.eu",
)
#: A fact read longer ago than this is reported by ``beeldwijs check`` (a warning).
STALE_AFTER_DAYS = 365

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_FIELDS = ("id", "statement", "source", "url", "valid_from", "checked")

#: The facts shipped with the package (the ``facts_file`` setting's default).
DEFAULT_FILE: Path = settings.default("facts_file")


@dataclass(frozen=True)
class Fact:
    """A legal claim with its primary source and dates (ISO strings)."""

    id: str
    statement: str
    source: str
    url: str
    valid_from: str
    checked: str
    note: str | None = None

    @property
    def primary(self) -> bool:
        """True when ``url`` is on a site that publishes the rule itself."""
        parsed = urlparse(self.url)
        return parsed.scheme == "https" and parsed.hostname in PRIMARY_HOSTS

    def stale(self, today: dt.date) -> bool:
        return (today - dt.date.fromisoformat(self.checked)).days > STALE_AFTER_DAYS


def facts_file() -> Path:
    """The facts file: ``BEELDWIJS_FACTS_FILE`` or the one shipped with the package."""
    return Path(settings.value("facts_file"))


def read_facts(path: Path) -> dict[str, Fact]:
    """Parse facts file ``path`` (raises ContentError naming file, line and key)."""
    from beeldwijs.content.loader import Checker
    from beeldwijs.content.yamlsource import read_yaml

    raw, lines = read_yaml(path.read_text(encoding="utf-8"), str(path))
    c = Checker(str(path), lines)
    data = c.mapping(raw, "", ("facts",))
    facts: dict[str, Fact] = {}
    for i, item in enumerate(c.items(data or {}, "facts", "", minimum=1)):
        where = f"/facts/{i}"
        fields = c.mapping(item, where, _FIELDS, ("note",))
        if fields is None:
            continue
        values = {key: c.text(fields, key, where) for key in (*_FIELDS, "note")}
        for key in ("valid_from", "checked"):
            value = fields.get(key)
            if isinstance(value, dt.date):  # an unquoted date: YAML made it a date already
                values[key] = value.isoformat()
            elif key in fields and not (isinstance(value, str) and _DATE.match(value)):
                c.fail(
                    f"{where}/{key}", t("load.expected_date", example="2026-12-06", got=repr(value))
                )
                values[key] = None
        ident = values["id"]
        if ident is not None and not _ID.match(ident):
            c.fail(f"{where}/id", t("load.bad_id", value=repr(ident)))
        elif ident in facts:
            c.fail(f"{where}/id", t("load.duplicate_fact", id=repr(ident)))
        elif ident is not None and all(values[key] is not None for key in _FIELDS):
            facts[ident] = Fact(**values)  # type: ignore[arg-type]
    c.raise_if_any()
    return facts


@cache
def _facts(path: Path) -> dict[str, Fact]:
    return read_facts(path)


def all_facts() -> dict[str, Fact]:
    """Every fact of the configured facts file, by id, in file order."""
    return _facts(facts_file())


def fact_ids() -> tuple[str, ...]:
    return tuple(all_facts())


def facts_for(ids: tuple[str, ...]) -> tuple[Fact, ...]:
    """The facts with these ids (unknown ids are left out: the loader reports them)."""
    known = all_facts()
    return tuple(known[i] for i in ids if i in known)


def fact_problems(
    facts: dict[str, Fact], path: Path, today: dt.date
) -> tuple[list[ContentProblem], list[ContentProblem]]:
    """(errors, warnings) about the facts themselves: no primary source; checked too long ago."""
    errors, warnings = [], []
    for i, fact in enumerate(facts.values()):
        if not fact.primary:
            errors.append(ContentProblem(
                str(path), f"/facts/{i}/url",
                t("load.primary_source", id=repr(fact.id), hosts=", ".join(PRIMARY_HOSTS),
                  got=repr(fact.url)),
            ))  # fmt: skip
        if fact.stale(today):
            warnings.append(ContentProblem(
                str(path), f"/facts/{i}/checked",
                t("load.stale_fact", id=repr(fact.id), checked=fact.checked),
            ))  # fmt: skip
    return errors, warnings


def check_fact_file(
    today: dt.date | None = None,
) -> tuple[list[ContentProblem], list[ContentProblem]]:
    """Load and check the configured facts file: (errors, warnings)."""
    path = facts_file()
    try:
        facts = read_facts(path)
    except ContentError as exc:
        return exc.problems, []
    except OSError as exc:
        return [ContentProblem(str(path), "", t("load.cannot_read", reason=exc.strerror))], []
    return fact_problems(facts, path, today or dt.date.today())


def format_facts(facts: dict[str, Fact], markdown: bool = False) -> str:
    """Every fact with its source and dates: plain text for the terminal, or the docs page."""

    lines = [f"# {t('facts.heading')}" if markdown else t("facts.heading"), ""]
    lines += [t("facts.intro"), ""]
    for fact in facts.values():
        lines.append(f"## `{fact.id}`" if markdown else f"[{fact.id}]")
        lines.append("")
        lines.append(fact.statement)
        lines.append("")
        rows = [
            (t("facts.source"), f"{fact.source} — {fact.url}"),
            (t("facts.valid_from"), fact.valid_from),
            (t("facts.checked"), fact.checked),
        ]
        if fact.note:
            rows.append((t("facts.note"), fact.note))
        lines += [f"- **{k}**: {v}" if markdown else f"  {k}: {v}" for k, v in rows]
        lines.append("")
    return "\n".join(lines)
