"""The thin notebooks Voilà serves: one per lesson, made from the lesson's YAML.

A lesson notebook is one import and one call; its page title is the lesson's title. Tests check
that every committed notebook is exactly what ``lesson_notebook`` makes, so they never drift.
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


def write_lesson_notebooks(library: Library) -> list[Path]:
    """(Re)write ``lessons/<id>.ipynb`` for every lesson whose notebook differs; returns those."""
    written = []
    for lesson in library.lessons():
        path = library.lesson_dir / f"{lesson.id}.ipynb"
        text = nbformat.writes(lesson_notebook(lesson)) + "\n"
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written
