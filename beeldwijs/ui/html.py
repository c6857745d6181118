"""Autoescaped HTML fragments (MarkupSafe): the one way the package writes markup.

    html('<p class="{css}">{text}</p>', css="bw-note", text=answer)

The template is markup written in our own code; every value put into it is escaped, unless it is
a fragment already (``Markup``, made by this module). So a fragment cannot forget to escape: a
student's answer, a content author's text or a translated string goes in as text, and a fragment
built from others goes in as markup, once. ``join`` escapes its parts the same way.

Plain f-strings with markup are refused in the package by ``tests/test_html_layer.py``; the
XSS tests (``tests/test_security.py``) prove the result in the browser.
"""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup, escape

__all__ = ["Markup", "escape", "html", "join", "style"]


def html(template: str, /, *args: object, **values: object) -> Markup:
    """``template`` (our markup) with ``{}``/``{name}`` filled in by escaped ``args``/``values``."""
    return Markup(template).format(*args, **values)  # noqa: S704 (a literal: tests/test_html_layer.py)


def join(parts: Iterable[str], separator: str = "") -> Markup:
    """The ``parts`` one after another (each escaped unless a fragment), ``separator`` between."""
    return Markup(separator).join(parts)  # noqa: S704 (a literal: tests/test_html_layer.py)


def style(css: str) -> Markup:
    """A ``<style>`` element with our own stylesheet as it is (CSS is never escaped: a module
    constant, never data); a stylesheet that could close the element is refused."""
    if "</" in css:
        raise ValueError("a stylesheet may not contain '</'")
    return html("<style>{}</style>", Markup(css))  # noqa: S704 (checked just above)
