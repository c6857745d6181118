"""Helpers the tests and the benchmarks share (bench/ imports them too), so none is copied.

No pytest here: a benchmark runs as a plain script.
"""

from __future__ import annotations

import urllib.request
from pathlib import Path
from typing import Any

import nbformat


def no_proxy_opener(*handlers: urllib.request.BaseHandler) -> urllib.request.OpenerDirector:
    """An HTTP opener that ignores ``http_proxy`` (school networks often set one; ours are local)."""
    return urllib.request.build_opener(urllib.request.ProxyHandler({}), *handlers)


NO_PROXY = no_proxy_opener()


def write_notebook(path: Path, source: str, title: str) -> None:
    """A notebook of one code cell at ``path``, titled ``title`` (Voilà's page title)."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["title"] = title
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [nbformat.v4.new_code_cell(source)]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


def start_lesson(mentor: Any, dashboard: str, lesson: Any, *, pace: str | None = None) -> str:
    """In the mentor's Playwright page: open the dashboard, pick ``lesson`` (and the ``pace``
    label), start the session; returns the join code shown."""
    mentor.goto(dashboard)
    mentor.locator(".bw-lesson-picker select").select_option(
        label=f"{lesson.title} ({lesson.minutes} min)"
    )
    if pace is not None:
        mentor.get_by_text(pace, exact=True).click()
    mentor.click(".bw-start-session")
    return str(mentor.locator(".bw-join-code").first.inner_text().strip())


def widget_tree(widget: Any) -> list[Any]:
    """``widget`` and every widget inside it, depth first, in the order the page shows them."""
    return [widget] + [w for child in getattr(widget, "children", ()) for w in widget_tree(child)]
