"""Fact references in the parent-letter templates (``beeldwijs/data/ouderbrief*.md``).

A letter template is Markdown. A block that states the law (a paragraph or a list item) names the
facts it relies on in a comment at its end, ``<!-- feiten: id, id -->``, which the sent letter
does not show. ``beeldwijs check`` refuses a block with legal wording and no reference, an
unknown fact id and a promise of secrecy, as it does for scenarios and lessons.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from beeldwijs import settings
from beeldwijs.errors import ContentError, ContentProblem
from beeldwijs.texts import t

#: ``<!-- feiten: a, b -->``: the facts a block of a letter relies on.
FACT_MARK = re.compile(r"[ \t]*<!--\s*feiten:\s*(.*?)\s*-->", re.DOTALL)
#: English legal words (the English letter); the Dutch ones are in :mod:`beeldwijs.content.wording`.
LEGAL_WORDING_EN = re.compile(
    r"\bpunishable\b|\bcriminal\b|\boffen[cs]e\b|\billegal\b|\bthe\s+law\b|\bprosecut\w*",
    re.IGNORECASE,
)


def letter_templates() -> list[Path]:
    """The letter templates Beeldwijs ships."""
    return sorted(settings.DATA_DIR.glob("ouderbrief*.md"))


def strip_fact_marks(text: str) -> str:
    """The template without its fact comments (what the parents read)."""
    return FACT_MARK.sub("", text)


def letter_blocks(text: str) -> Iterator[tuple[int, str]]:
    """(first line number, text) of every paragraph and list item of a Markdown template."""
    start = 0
    lines: list[str] = []
    for number, line in enumerate([*text.splitlines(), ""], start=1):
        new_item = line.startswith("- ")
        if (not line.strip() or new_item or line.startswith("#")) and lines:
            yield start, "\n".join(lines)
            lines = []
        if line.strip() and not line.startswith("#"):
            if not lines:
                start = number
            lines.append(line)


def letter_problems(path: Path) -> list[ContentProblem]:
    """Legal wording without a fact comment, unknown fact ids and promises of secrecy in a letter."""
    from beeldwijs.content.facts import fact_ids
    from beeldwijs.content.lint import wording_problems
    from beeldwijs.content.wording import legal_wording

    try:
        known: set[str] | None = set(fact_ids())
    except ContentError:  # the facts file itself is broken: check_fact_file reports it
        known = None
    problems: list[ContentProblem] = []
    for line, block in letter_blocks(path.read_text(encoding="utf-8")):
        where = t("lint.letter_line", line=line)
        ids = [i.strip() for m in FACT_MARK.finditer(block) for i in m.group(1).split(",")]
        for fact in ids:
            if known is not None and fact not in known:
                problems.append(
                    ContentProblem(str(path), where, t("lint.not_a_fact", fact=repr(fact)))
                )
        text = strip_fact_marks(block)
        match = LEGAL_WORDING_EN.search(text)
        legal = legal_wording(text) or (match.group(0) if match else None)
        if legal and not ids:
            problems.append(ContentProblem(
                str(path), where, t("lint.letter_legal_without_fact", word=repr(legal))
            ))  # fmt: skip
        problems.extend(wording_problems(str(path), [(where, text, True)]))  # secrecy only
    return problems
