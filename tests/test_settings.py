"""One settings table (beeldwijs/settings.py): declared once, documented once, read the same way
by the command line, the servers and the kernels."""

from __future__ import annotations

import argparse
import ast
import re
from pathlib import Path

import pytest

from beeldwijs import cli, settings
from beeldwijs.facilitator.analysis.aggregate import configured_k
from beeldwijs.links import student_base_url
from beeldwijs.serve.options import ServerOptions
from beeldwijs.store import db_target

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "beeldwijs"
ENV_NAME = re.compile(r"\bBEELDWIJS_[A-Z][A-Z_]*[A-Z]\b")
#: Variables only the tests and tools read (docs/testing.md), not settings of Beeldwijs.
TEST_ONLY = {"BEELDWIJS_FULL", "BEELDWIJS_SCREENSHOTS"}


def test_docs_table_is_generated_from_the_settings() -> None:
    """Regenerate with `python -m beeldwijs.settings > docs/settings.md`."""
    assert (ROOT / "docs" / "settings.md").read_text(encoding="utf-8") == settings.markdown()


def test_every_setting_is_complete() -> None:
    for s in settings.SETTINGS:
        assert s.help, s.name
        assert s.option or s.env or not s.commands, f"{s.name}: commands without an option"
        assert not s.option or s.option.startswith("--"), s.name
        assert not s.env or s.env.startswith("BEELDWIJS_"), s.name
        assert s.default is None or isinstance(s.default, s.kind), s.name
        if s.default is not None:
            assert settings.check(s.name, s.default) == s.default


def test_every_environment_variable_named_anywhere_is_a_setting() -> None:
    declared = {s.env for s in settings.SETTINGS if s.env}
    files = [*PACKAGE.rglob("*.py"), ROOT / "README.md", *(ROOT / "docs").rglob("*.md"),
             *(ROOT / "tools").rglob("*"), *(ROOT / "facilitator").glob("*.ipynb")]  # fmt: skip
    named = {
        (name, path.relative_to(ROOT).as_posix())
        for path in files
        if path.is_file()
        for name in ENV_NAME.findall(path.read_text(encoding="utf-8", errors="replace"))
    }
    assert sorted(item for item in named if item[0] not in declared | TEST_ONLY) == []


def test_only_the_settings_module_reads_beeldwijs_variables() -> None:
    """Any other module naming a variable as a value (not in a docstring) reads around the table."""
    found = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "settings.py" and path.parent == PACKAGE:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and re.fullmatch(ENV_NAME, str(node.value)):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.value}")
    assert found == []


def test_large_defaults_are_written_only_in_the_table() -> None:
    """8866, 8867, 1800: a second copy of a default is how they came to disagree."""
    defaults = {
        s.default for s in settings.SETTINGS if type(s.default) is int and s.default >= 1000
    }
    found = [
        f"{path.relative_to(ROOT)}:{node.lineno} {node.value}"
        for path in PACKAGE.rglob("*.py")
        if path.name != "settings.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and type(node.value) is int and node.value in defaults
    ]
    assert found == []


def _subcommands(
    parser: argparse.ArgumentParser, prefix: str = ""
) -> dict[str, argparse.ArgumentParser]:
    found = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                command = f"{prefix} {name}".strip()
                found[command] = sub
                found.update(_subcommands(sub, command))
    return found


def test_command_line_options_come_from_the_table() -> None:
    commands = _subcommands(cli._parser())
    for command, parser in commands.items():
        for action in parser._actions:
            if action.dest in settings.NAMES:
                setting = settings.get(action.dest)
                assert command in setting.commands, (command, action.dest)
                assert action.option_strings == [settings.option_of(setting, command)]
    start = {a.dest for a in commands["start"]._actions if a.option_strings} - {"help"}
    assert start == {s.name for s in settings.SETTINGS if "start" in s.commands and s.option}
    for setting in settings.SETTINGS:
        for command in setting.commands:
            assert setting.name in {a.dest for a in commands[command]._actions}, (command, setting)


def test_option_wins_over_environment_which_wins_over_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("BEELDWIJS_K", raising=False)
    assert settings.value("k") == 5
    monkeypatch.setenv("BEELDWIJS_K", "7")
    assert settings.value("k") == 7
    assert settings.value("k", 4) == 4
    assert configured_k() == 7
    args = cli._parser().parse_args(["results", "ABC123"])
    settings.resolve(args, "results")
    assert args.k == 7
    args = cli._parser().parse_args(["results", "ABC123", "--k", "9"])
    settings.resolve(args, "results")
    assert args.k == 9


def test_kernels_read_what_the_servers_hand_them(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from beeldwijs.serve.commands import server_env

    options = ServerOptions(
        root=tmp_path, db=str(tmp_path / "x.sqlite"), k=4, public_url="http://b.example"
    )
    for name, given in server_env(options).items():
        if name.startswith("BEELDWIJS_"):
            monkeypatch.setenv(name, given)
    assert configured_k() == 4
    assert db_target() == str(tmp_path / "x.sqlite")
    assert student_base_url() == "http://b.example"


def test_k_below_three_is_refused_everywhere(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(ValueError, match="at least 3"):
        ServerOptions(root=tmp_path, db="x.sqlite", k=2)
    with pytest.raises(ValueError, match="at least 3"):
        configured_k("2")
    assert cli.main(["results", "ABC123", "--k", "2", "--db", str(tmp_path / "x.sqlite")]) == 1
    assert "k must be at least 3" in capsys.readouterr().err


def test_a_bad_environment_value_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BEELDWIJS_POOL_SIZE", "veel")
    with pytest.raises(ValueError, match="pool_size must be a whole number, got 'veel'"):
        settings.value("pool_size")
