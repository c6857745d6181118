"""One door for text (issue 18 item 4): every key the code uses is defined, every defined key is
used, and the translated catalogs are in step with the Dutch source (beeldwijs/texts.py).

A key counts as used when it appears as a string literal in the package (``t("dash.reveal")``,
or ``key = "dash.hidden"`` passed on to ``t``), or starts with the literal prefix of a key built
at run time (``t(f"scale.{option}")``).
"""

from __future__ import annotations

import ast
import importlib.util
import re
import string
from pathlib import Path
from types import ModuleType

import numpy
import pytest
from babel.messages.catalog import Message
from babel.messages.pofile import read_po

from beeldwijs import texts

PACKAGE = Path(texts.__file__).parent
ROOT = PACKAGE.parent


def _calls_and_literals() -> tuple[set[str], set[str], set[str]]:
    """(literal keys passed to t/t_in, prefixes of keys built at run time, every string literal)."""
    called: set[str] = set()
    prefixes: set[str] = set()
    literals: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        if path.name == "texts.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                literals.add(node.value)
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("t", "t_in")
                and len(node.args) == (2 if node.func.id == "t_in" else 1)
            ):
                continue
            key = node.args[-1]  # t(key, …) or t_in(language, key, …)
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                called.add(key.value)
            elif isinstance(key, ast.JoinedStr) and isinstance(key.values[0], ast.Constant):
                prefixes.add(str(key.values[0].value))
            elif isinstance(key, ast.BinOp) and isinstance(key.left, ast.Constant):
                prefixes.add(str(key.left.value))
            elif isinstance(key, ast.IfExp):
                called.update(
                    str(x.value) for x in (key.body, key.orelse) if isinstance(x, ast.Constant)
                )
    for path in PACKAGE.rglob("*.j2"):  # a page template holds a copy (its test keeps it in step)
        literals.update(re.findall(r'"([a-z_]+\.[a-z_.]+)"', path.read_text(encoding="utf-8")))
    return called, prefixes, literals


def test_every_key_the_code_uses_is_defined() -> None:
    called, prefixes, _ = _calls_and_literals()
    assert called, "the scan finds the t() calls"
    assert sorted(called - set(texts.NL)) == []
    for prefix in prefixes:
        assert any(key.startswith(prefix) for key in texts.NL), prefix


def test_every_defined_key_is_used() -> None:
    _, prefixes, literals = _calls_and_literals()
    dead = [
        key
        for key in texts.NL
        if key not in literals and not any(key.startswith(p) for p in prefixes)
    ]
    assert dead == []


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("texts_tool", ROOT / "tools" / "texts.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_catalogs_are_in_step_with_the_dutch_texts() -> None:
    assert [str(p.relative_to(ROOT)) for p in _tool().stale()] == [], "run: make texts"


def _translations(language: str) -> dict[str, Message]:
    path = texts.LOCALE_DIR / language / "LC_MESSAGES" / f"{texts.DOMAIN}.po"
    with path.open("rb") as f:
        return {m.context: m for m in read_po(f, locale=language) if m.context}


@pytest.mark.parametrize("language", sorted(set(texts.STUDENT_LANGUAGES) - {"nl"}))
def test_the_student_chrome_is_translated_with_the_same_placeholders(language: str) -> None:
    translated = _translations(language)
    chrome = [k for k in texts.NL if k.startswith(texts.STUDENT_CHROME) and "_staff" not in k]
    assert len(chrome) > 40
    for key in chrome:
        message = translated[key]
        assert message.string and not message.fuzzy, f"{language}: {key} is not translated"
        source = texts.NL[key]
        for dutch, foreign in zip(
            source if isinstance(source, tuple) else (source,),
            message.string if isinstance(message.string, tuple) else (message.string,),
            strict=False,
        ):
            assert _placeholders(dutch) == _placeholders(foreign), f"{language}: {key}"
            assert dutch.count("|") == foreign.count("|"), f"{language}: {key} (list items)"


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_plural_texts_follow_the_languages_own_rule() -> None:
    try:
        assert texts.t("dash.participants", n=1) == "1 deelnemer"
        assert texts.t("dash.participants", n=2) == "2 deelnemers"
        assert texts.set_language("uk") == "uk"
        assert texts.t("question.submit") == "Надіслати"
        assert texts.t("dash.participants", n=2) == "2 deelnemers"  # untranslated: Dutch
        assert texts.t("dash.participants", n=21) == "21 deelnemers"  # with Dutch's own rule
        assert texts.set_language("xx") == "nl"  # no such catalog: Dutch
        assert texts.t("question.submit") == "Verstuur"
    finally:
        texts.set_language("nl")
    with pytest.raises(TypeError):
        texts.t("dash.participants")
    with pytest.raises(TypeError):
        texts.t("dash.participants", n=2.0)
    assert texts.t("dash.participants", n=numpy.int64(1)) == "1 deelnemer"  # counts from pandas
