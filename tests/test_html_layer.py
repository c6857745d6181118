"""HTML goes through one autoescaping layer (beeldwijs/ui/html.py), so a fragment cannot forget to escape.

The layer itself is tested here; that the package uses it is checked by reading the source: in
the layers already on it, no markup is built with an f-string, ``+``, ``%`` or ``str.format``, no
``html.escape`` is imported, and every template handed to ``html()`` is a literal (what we wrote,
never data). The XSS tests (tests/test_security.py) show the result in the browser.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from beeldwijs.ui.html import Markup, html, join

PACKAGE = Path(__file__).resolve().parents[1] / "beeldwijs"
#: The layers whose markup goes through beeldwijs.ui.html (docs/architecture.md).
ON_THE_LAYER = ["ui", "widgets", "facilitator", "documents", "serve"]
#: Modules of those layers still to move (changed by another piece of work at the same time).
NOT_YET: set[str] = set()
TAG = re.compile(r"<(?:[a-zA-Z][\w-]*[\s>/]|/[a-zA-Z]|!--)")  # a tag, not a regex look-behind
EVIL = '<img src=x onerror="alert(1)">'


def test_values_are_escaped_and_fragments_are_not() -> None:
    inner = html("<em>{}</em>", EVIL)
    outer = html(
        '<p class="{css}">{inner} {text}</p>', css='x" onmouseover="y', inner=inner, text=EVIL
    )
    assert outer == (
        '<p class="x&#34; onmouseover=&#34;y"><em>&lt;img src=x onerror=&#34;alert(1)&#34;&gt;</em> '
        "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;</p>"
    )
    assert isinstance(outer, Markup)


def test_join_escapes_text_parts_only() -> None:
    assert join([html("<b>{}</b>", "&"), "<i>"], " · ") == "<b>&amp;</b> · &lt;i&gt;"


def test_a_fragment_is_escaped_once_only() -> None:
    once = html("<p>{}</p>", "a & b")
    assert html("<div>{}</div>", once) == "<div><p>a &amp; b</p></div>"
    assert html("<div>{}</div>", str(once)) == "<div>&lt;p&gt;a &amp;amp; b&lt;/p&gt;</div>"


def _markup_built_by_hand(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    templates = {  # literals in their place: a template of html()/Markup(), join()'s separator
        id(arg)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("html", "join", "Markup")
        for arg in (node.args[1:2] if getattr(node.func, "id", "") == "join" else node.args[:1])
    }
    docstrings = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr)}
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and TAG.search(node.value)
            and id(node) not in templates | docstrings
        ):
            found.append((node.lineno, "markup in a plain string"))
        literal = ""
        if isinstance(node, ast.JoinedStr):
            literal = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
            what = "f-string"
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
            literal = "".join(
                side.value
                for side in (node.left, node.right)
                if isinstance(side, ast.Constant) and isinstance(side.value, str)
            )
            what = "+ or %"
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "format"
            and isinstance(node.func.value, ast.Constant)
            and isinstance(node.func.value.value, str)
        ):
            literal, what = node.func.value.value, "str.format"
        if TAG.search(literal):
            found.append((node.lineno, what))
        if isinstance(node, ast.ImportFrom) and node.module == "html":
            found.append((node.lineno, "from html import"))
        if isinstance(node, ast.Import) and any(a.name == "html" for a in node.names):
            found.append((node.lineno, "import html"))
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") in (
            "html",
            "join",
            "Markup",
        ):
            name = getattr(node.func, "id", "")
            template = node.args[1:2] if name == "join" else node.args[:1]
            if not all(isinstance(a, ast.Constant) for a in template):
                found.append((node.lineno, f"{name}() with a template that is not a literal"))
    return found


def _problems(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        f"{path.relative_to(PACKAGE)}:{line}: {what}" for line, what in _markup_built_by_hand(tree)
    ]


def _modules(layer: str) -> list[Path]:
    return [p for p in sorted((PACKAGE / layer).rglob("*.py")) if p != PACKAGE / "ui" / "html.py"]


@pytest.mark.parametrize("layer", ON_THE_LAYER)
def test_the_layer_builds_no_markup_by_hand(layer: str) -> None:
    problems = [
        problem
        for path in _modules(layer)
        if str(path.relative_to(PACKAGE)) not in NOT_YET
        for problem in _problems(path)
    ]
    assert problems == []


def test_what_is_not_yet_on_the_layer_still_needs_it() -> None:
    """The list of modules still to move only shrinks: a module that is done leaves it."""
    assert [name for name in NOT_YET if not _problems(PACKAGE / name)] == []


def test_the_source_check_finds_markup_built_by_hand() -> None:
    source = (
        "from html import escape\n"
        "a = f'<p>{x}</p>'\n"
        "b = '<b>' + x\n"
        "c = '<i>{}</i>'.format(x)\n"
        "d = html(template, x)\n"
        "e = html('<p>{}</p>', x)\n"
        "f = ['<ul>', x, '</ul>']\n"
    )
    found = [line for line, _ in _markup_built_by_hand(ast.parse(source))]
    assert sorted(set(found)) == [1, 2, 3, 4, 5, 7]
