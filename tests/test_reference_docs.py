"""The repository explains itself: generated references are current, every command is in the
README, and no tracked file points at something outside the repository."""

from __future__ import annotations

import argparse
import re
import subprocess
from pathlib import Path

from beeldwijs import cli

ROOT = Path(__file__).resolve().parents[1]
#: Names of notes that lived outside the repository while it was written (split so that this file
#: does not name them itself), and paths on the machine it was written on.
OUTSIDE = re.compile(
    "|".join([r"\.\./" + "shared", "DESIGN" + r"\.md", "STACK" + "-FACTS", "/" + "work/"])
)


def tracked_text_files() -> list[Path]:
    names = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    return [ROOT / n.decode() for n in names if n and (ROOT / n.decode()).is_file()]


def test_no_tracked_file_refers_outside_the_repository() -> None:
    found = []
    for path in tracked_text_files():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # images, fonts
        found += [
            f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, m.start()) + 1} {m.group(0)}"
            for m in OUTSIDE.finditer(text)
        ]
    assert found == []


def test_the_outside_check_can_fail() -> None:
    assert OUTSIDE.search("see " + "../" + "shared/" + "STACK" + "-FACTS.md")


def test_cli_reference_is_generated_from_help() -> None:
    """Regenerate with `python -m beeldwijs.cli > docs/cli.md`."""
    assert (ROOT / "docs" / "cli.md").read_text(encoding="utf-8") == cli.reference()


def _commands() -> list[str]:
    commands = []
    for action in cli._parser()._actions:
        if isinstance(action, argparse._SubParsersAction):
            commands += list(action.choices)
    return commands


def test_every_command_is_in_the_readme_and_the_cli_docstring() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    docstring = cli.__doc__ or ""
    missing = [
        (command, where)
        for command in _commands()
        for where, text in (("README.md", readme), ("cli.py docstring", docstring))
        if f"beeldwijs {command}" not in text
    ]
    assert missing == []


def test_every_decision_file_is_in_the_index() -> None:
    index = (ROOT / "docs" / "decisions.md").read_text(encoding="utf-8")
    files = sorted((ROOT / "docs" / "decisions").glob("*.md"))
    assert files
    assert [f.name for f in files if f"(decisions/{f.name})" not in index] == []
