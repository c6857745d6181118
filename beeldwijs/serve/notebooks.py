"""The thin notebooks Voilà serves: one per lesson, made from the lesson's YAML.

A lesson notebook is one import and one call; its page title is the lesson's title. Tests check
that every committed notebook is exactly what ``lesson_notebook`` makes, so they never drift.

``lessons/join.ipynb`` (``join_notebook``) is the page students open: it finds the lesson from the
session code, so one warm kernel pool serves every lesson (docs/server.md "Warm pool").
``lessons/moderatie.ipynb`` is the mentor's moderation page, reachable from the mentor's phone; it
opens only with the session's moderation token.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

from beeldwijs.content import Library
from beeldwijs.content.model import Lesson

_LESSON_CELL = """\
# Beeldwijs lesson "{lesson_id}": the content is in lessons/{lesson_id}.yaml and scenarios/.
from beeldwijs.widgets import LessonPlayer

LessonPlayer.for_lesson("{lesson_id}")"""

JOIN_NOTEBOOK = "join.ipynb"
_JOIN_CELL = """\
# Beeldwijs join page: finds the lesson of the session code in the link (one pool for all lessons).
from beeldwijs.widgets.join import JoinApp

JoinApp.for_page()"""


MODERATION_NOTEBOOK = "moderatie.ipynb"
_MODERATION_CELL = """\
# The mentor's moderation page, opened on the mentor's phone from the dashboard's link (with token).
from beeldwijs.facilitator.moderation import ModerationView

ModerationView.from_request()"""


def thin_notebook(title: str, source: str) -> nbformat.NotebookNode:
    """A notebook of one code cell, no outputs, titled for Voilà's page title."""
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "title": f"{title} – Beeldwijs",
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
    }
    cell = nbformat.v4.new_code_cell(source)
    cell.pop("id", None)
    nb.cells = [cell]
    nb.nbformat_minor = 4
    return nb


def lesson_notebook(lesson: Lesson) -> nbformat.NotebookNode:
    return thin_notebook(lesson.title, _LESSON_CELL.format(lesson_id=lesson.id))


def join_notebook() -> nbformat.NotebookNode:
    return thin_notebook("Meedoen", _JOIN_CELL)


def moderation_notebook() -> nbformat.NotebookNode:
    return thin_notebook("Modereren", _MODERATION_CELL)


def write_lesson_notebooks(library: Library) -> list[Path]:
    """(Re)write ``lessons/<id>.ipynb`` for every lesson and ``lessons/join.ipynb`` when they
    differ; returns those written."""
    written = []
    wanted = [(f"{lesson.id}.ipynb", lesson_notebook(lesson)) for lesson in library.lessons()]
    wanted.append((JOIN_NOTEBOOK, join_notebook()))
    wanted.append((MODERATION_NOTEBOOK, moderation_notebook()))
    for name, notebook in wanted:
        path = library.lesson_dir / name
        text = nbformat.writes(notebook) + "\n"
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written
