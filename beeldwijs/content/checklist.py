"""The prevention self-scan's checklist: the guide's chapter 1 as items to answer, and its gaps.

The checklist lives in ``beeldwijs/data/selfscan.yaml`` (a school may point
``BEELDWIJS_SELFSCAN_FILE`` at its own copy) and is loaded as strictly as a scenario: unknown keys,
non-text values and duplicate ids are errors naming file, line and key path. Each item is
answered ``ja``, ``deels``, ``nee`` or ``weet-niet``; every other answer (or none) is a gap.
The same checklist is a team session's lesson (:func:`as_scenarios`). The report of gaps is
``beeldwijs.documents.selfscan``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from beeldwijs import settings
from beeldwijs.content.loader import Checker
from beeldwijs.content.model import Option, Question, Scenario, Story, Trigger
from beeldwijs.content.yamlsource import read_yaml
from beeldwijs.errors import ContentError
from beeldwijs.texts import t

SCHEMA_VERSION = 1
ANSWERS = ("ja", "deels", "nee", "weet-niet")
#: How a gap is listed when an item was left open.
UNANSWERED = "niet-ingevuld"
GAP_ANSWERS = ("nee", "deels", "weet-niet", UNANSWERED)


@dataclass(frozen=True)
class Item:
    id: str
    question: str
    advice: str
    facts: tuple[str, ...] = ()  # ids of the legal facts the advice relies on (beeldwijs facts)
    source: str = (
        ""  # where the duty comes from (a law, the inspectorate, the guide), when not the guide
    )


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    guide_section: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Checklist:
    title: str
    source: str
    checked: str
    sections: tuple[Section, ...]

    def items(self) -> tuple[Item, ...]:
        return tuple(i for s in self.sections for i in s.items)


@dataclass(frozen=True)
class Gap:
    section: Section
    item: Item
    answer: str  # one of GAP_ANSWERS


# -- loading ----------------------------------------------------------------------------------


def checklist_file() -> Path:
    return Path(settings.value("selfscan_file"))


def parse_checklist(text: str, file: Path) -> Checklist:
    """Build the checklist from YAML text; raise ContentError listing every problem."""
    raw, lines = read_yaml(text, str(file))
    c = Checker(str(file), lines)
    data = c.mapping(raw, "", ("schema_version", "title", "source", "checked", "sections"))
    if data is None:
        raise ContentError(c.problems)
    if "schema_version" in data and data["schema_version"] != SCHEMA_VERSION:
        c.fail(
            "/schema_version",
            t("load.schema_version", version=SCHEMA_VERSION, got=repr(data["schema_version"])),
        )
    seen: set[str] = set()
    sections = []
    for i, raw_section in enumerate(c.items(data, "sections", "", minimum=1)):
        path = f"/sections/{i}"
        sdata = c.mapping(raw_section, path, ("id", "title", "guide_section", "items"))
        if sdata is None:
            continue
        items = []
        for j, raw_item in enumerate(c.items(sdata, "items", path, minimum=1)):
            ipath = f"{path}/items/{j}"
            idata = c.mapping(raw_item, ipath, ("id", "question", "advice"), ("facts", "source"))
            if idata is None:
                continue
            iid = c.ident(idata, "id", ipath)
            question, advice = c.text(idata, "question", ipath), c.text(idata, "advice", ipath)
            if iid in seen:
                c.fail(f"{ipath}/id", t("load.duplicate_item", id=repr(iid)))
            elif iid is not None and question is not None and advice is not None:
                seen.add(iid)
                source = c.text(idata, "source", ipath) if "source" in idata else ""
                items.append(Item(iid, question, advice, _fact_ids(c, idata, ipath), source or ""))
        sid, title = c.ident(sdata, "id", path), c.text(sdata, "title", path)
        guide = c.text(sdata, "guide_section", path)
        if sid is not None and title is not None and guide is not None:
            sections.append(Section(sid, title, guide, tuple(items)))
    checked = c.text(data, "checked", "")
    if checked is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", checked):
        c.fail("/checked", t("load.expected_date", example="2026-11-24", got=repr(checked)))
    checklist = Checklist(
        title=c.text(data, "title", "") or "",
        source=c.text(data, "source", "") or "",
        checked=checked or "",
        sections=tuple(sections),
    )
    c.raise_if_any()
    return checklist


@cache
def _load(path: Path) -> Checklist:
    return parse_checklist(path.read_text(encoding="utf-8"), path)


def load_checklist(path: Path | None = None) -> Checklist:
    """The configured checklist (parsed once per process)."""
    return _load((path or checklist_file()).resolve())


# -- the checklist as a team session -------------------------------------------------------------

#: A team sees a gap where at least this share of its answers is "nee" or "deels"…
TEAM_GAP_SHARE = 0.5
#: … and a blind spot where at least this share is "weet ik niet".
TEAM_UNKNOWN_SHARE = 0.3
SCENARIO_PREFIX = "zelfscan-"


def scenario_id(section: Section) -> str:
    return f"{SCENARIO_PREFIX}{section.id}"


def _fact_ids(c: Checker, data: dict[str, Any], path: str) -> tuple[str, ...]:
    from beeldwijs.content.facts import fact_ids

    return c.choices(data, "facts", path, fact_ids()) if "facts" in data else ()


def as_scenarios(checklist: Checklist) -> tuple[Scenario, ...]:
    """The checklist as the scenarios of a team self-scan lesson: one per section.

    Each item becomes a ``dilemma`` question (answers ja / deels / nee / weet ik niet, skip
    added as everywhere) whose expert view is the item's advice; two triggers per item prompt
    the trainer when the team sees a gap or does not know. Staff fill it in anonymously in a
    session like any lesson; ``beeldwijs.facilitator.analysis.team_session`` makes the team result.
    """
    options = tuple(Option(a, answer_label(a)) for a in ANSWERS)
    prompts = (t("selfscan.prompt_differ"), t("selfscan.prompt_owner"))
    scenarios = []
    for section in checklist.sections:
        sid = scenario_id(section)
        questions = tuple(
            Question(
                sid,
                item.id,
                "dilemma",
                item.question,
                options,
                expert_view=item.advice,
                facts=item.facts,
            )  # fmt: skip
            for item in section.items
        )
        triggers = tuple(
            trigger
            for item in section.items
            for trigger in (
                Trigger(item.id, ("nee", "deels"), TEAM_GAP_SHARE, t("selfscan.trigger_gap")),
                Trigger(item.id, ("weet-niet",), TEAM_UNKNOWN_SHARE, t("selfscan.trigger_unknown")),
            )
        )
        readiness = section.guide_section.startswith("2.")
        scenarios.append(
            Scenario(
                id=sid,
                title=section.title,
                summary=t("selfscan.team_summary", guide=section.guide_section),
                themes=("calamiteitenbeleid",) if readiness else ("preventie",),
                audience=("staff",),
                perspective="schoolleiding",
                content_warning="laag",
                guide_section=section.guide_section,
                help_routes=(),
                story=Story(t("selfscan.team_story", guide=section.guide_section)),
                questions=questions,
                discussion_prompts=prompts,
                triggers=triggers,
            )
        )
    return tuple(scenarios)


# -- answers and gaps -------------------------------------------------------------------------


def validate_answers(answers: Mapping[str, str], checklist: Checklist) -> dict[str, str]:
    """The answers as a plain dict; an unknown item id or answer raises ValueError."""
    known = {i.id for i in checklist.items()}
    result = {}
    for item_id, answer in answers.items():
        if item_id not in known:
            raise ValueError(f"no self-scan item {item_id!r}")
        if answer not in ANSWERS:
            raise ValueError(f"answer {answer!r} to {item_id!r} is not one of {', '.join(ANSWERS)}")
        result[item_id] = answer
    return result


def gaps(answers: Mapping[str, str], checklist: Checklist | None = None) -> list[Gap]:
    """Every item not answered ``ja``, in checklist order (unanswered items are gaps too)."""
    checklist = checklist or load_checklist()
    given = validate_answers(answers, checklist)
    return [
        Gap(section, item, given.get(item.id, UNANSWERED))
        for section in checklist.sections
        for item in section.items
        if given.get(item.id) != "ja"
    ]


def tally(answers: Mapping[str, str], checklist: Checklist) -> dict[str, dict[str, int]]:
    """Per section id: how many items got each answer (``niet-ingevuld`` included)."""
    given = validate_answers(answers, checklist)
    table = {}
    for section in checklist.sections:
        row = dict.fromkeys((*ANSWERS, UNANSWERED), 0)
        for item in section.items:
            row[given.get(item.id, UNANSWERED)] += 1
        table[section.id] = row
    return table


def answer_label(answer: str) -> str:
    """The Dutch label of a self-scan answer (``niet-ingevuld`` included)."""
    return t(f"selfscan.answer.{answer}")
