"""Every notebook runs (nbclient, a real kernel) and stays thin, stripped and in step with its lesson."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from beeldwijs.content import Library
from beeldwijs.serve.notebooks import join_notebook, lesson_notebook, moderation_notebook
from beeldwijs.store import ResponseStore

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted([*ROOT.glob("lessons/*.ipynb"), *ROOT.glob("facilitator/*.ipynb")])


def run(path: Path) -> nbformat.NotebookNode:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    client.execute()
    return nb


def widget_views(nb: nbformat.NotebookNode) -> list[str]:
    return [
        out["data"]["application/vnd.jupyter.widget-view+json"]["model_id"]
        for cell in nb.cells
        for out in cell.get("outputs", [])
        if "application/vnd.jupyter.widget-view+json" in out.get("data", {})
    ]


@pytest.fixture
def env_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    db = str(tmp_path / "nb.sqlite")
    monkeypatch.setenv("BEELDWIJS_DB", db)
    monkeypatch.setenv("BEELDWIJS_K", "3")
    return db


@pytest.mark.server
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_notebook_executes(path: Path, env_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if path.parent.name == "lessons":
        lesson_id = "beelden-en-jij" if path.stem == "join" else path.stem
        code = ResponseStore(env_db).create_session(lesson_id).code
        monkeypatch.setenv("QUERY_STRING", f"code={code}")
    nb = run(path)
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert errors == []
    assert widget_views(nb), "the notebook shows no widget"


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
