"""Every notebook stays thin, stripped and in step with its lesson.

That every notebook runs in a real kernel and shows a widget is nbval's part: `make test` collects
the notebooks themselves (`--nbval-lax`; the kernel's database and address in conftest.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from beeldwijs.content import Library
from beeldwijs.serve.notebooks import join_notebook, lesson_notebook, moderation_notebook

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted([*ROOT.glob("lessons/*.ipynb"), *ROOT.glob("facilitator/*.ipynb")])


def test_every_lesson_has_its_generated_notebook(library: Library) -> None:
    for lesson in library.lessons():
        path = library.lesson_dir / f"{lesson.id}.ipynb"
        assert path.exists(), f"run `beeldwijs notebooks` to create {path.name}"
        expected = nbformat.writes(lesson_notebook(lesson))
        assert nbformat.writes(nbformat.read(path, as_version=4)) == expected, path.name
    stems = {p.stem for p in library.lesson_dir.glob("*.ipynb")}
    assert stems == {*library.lesson_ids(), "join", "moderatie"}
    join = nbformat.read(library.lesson_dir / "join.ipynb", as_version=4)
    assert nbformat.writes(join) == nbformat.writes(join_notebook())
    moderation = nbformat.read(library.lesson_dir / "moderatie.ipynb", as_version=4)
    assert nbformat.writes(moderation) == nbformat.writes(moderation_notebook())


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_notebook_is_thin_and_stripped(path: Path) -> None:
    nb = json.loads(path.read_text(encoding="utf-8"))
    code_cells = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(not c["outputs"] and c["execution_count"] is None for c in code_cells)
    statements = [
        line for c in code_cells for line in "".join(c["source"]).splitlines()
        if line.strip() and not line.startswith("#")
    ]  # fmt: skip
    assert len(statements) <= 3, statements  # one import and one call
