"""Pedagogical lint for content (DESIGN.md §4, §7): distancing and sourced legal facts.

These are problems in the same form as loading errors, so ``beeldwijs check`` reports both.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from beeldwijs.content.model import Scenario
from beeldwijs.errors import ContentProblem

#: Questions about the student's own experience break the distance a fictional story gives.
PERSONAL_EXPERIENCE = re.compile(
    r"\b(heb|ben|was|werd|deed|heeft)\s+(jij|je|u)\s+(zelf\s+)?ooit\b"
    r"|\bjouw\s+eigen\s+ervaring|\bwie\s+van\s+jullie\b|\bin\s+jouw\s+klas\b",
    re.IGNORECASE,
)


def _texts(scenario: Scenario) -> Iterator[tuple[str, str]]:
    yield "/story/text", scenario.story.text
    for i, q in enumerate(scenario.questions):
        yield f"/questions/{i}/prompt", q.prompt
        for j, option in enumerate(q.options if q.type in ("dilemma", "knowledge") else ()):
            yield f"/questions/{i}/options/{j}/text", option.text


def lint_scenario(scenario: Scenario) -> list[ContentProblem]:
    problems = []
    for path, text in _texts(scenario):
        match = PERSONAL_EXPERIENCE.search(text)
        if match:
            problems.append(ContentProblem(
                scenario.source_file, path,
                f"asks about the student's own experience ({match.group(0)!r}); "
                "ask about the fictional characters instead",
            ))  # fmt: skip
    if "juridisch" in scenario.themes and not scenario.facts:
        problems.append(ContentProblem(
            scenario.source_file, "/facts",
            "a scenario on juridisch needs its legal facts under facts, each with source and checked",
        ))  # fmt: skip
    return problems
