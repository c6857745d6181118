"""The lesson and facilitator notebooks as tests: nbval runs them (`--nbval-lax`, in `make test`).

nbval collects every ``lessons/*.ipynb`` and ``facilitator/*.ipynb`` (pytest's ``testpaths``),
starts a real kernel per notebook and fails a cell that raises. This file adds what nbval does not
do (docs/testing.md):

- the kernel's environment: nbval starts the kernel from pytest's own environment, so just before
  a notebook's kernel starts, the environment gets a fresh SQLite database, k = 3 and, for a
  lesson, the address of a real session of that lesson (``QUERY_STRING``, as Voilà sets it); it is
  put back once the kernel runs;
- the tier: a notebook starts a kernel, so it is a ``server`` test (tests/conftest.py);
- that the notebook shows a widget: a notebook that displays nothing passes nbval's lax mode.
"""

from __future__ import annotations

import tempfile
from collections.abc import Generator
from pathlib import Path

import pytest
from nbval.plugin import IPyNbCell

from beeldwijs.store import ResponseStore

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
#: The notebook that is not named after its lesson: the join page, tried on this lesson's session.
JOIN_LESSON = {"join": "beelden-en-jij"}
_FOLDER = pytest.StashKey[tempfile.TemporaryDirectory[str]]()  # the notebooks' databases
_WIDGETS = pytest.StashKey[int]()  # widgets a notebook has displayed so far


def pytest_itemcollected(item: pytest.Item) -> None:
    if isinstance(item, IPyNbCell):
        item.add_marker("server")


def _kernel_environment(notebook: Path, folder: Path) -> dict[str, str]:
    """What the notebook's kernel finds in its environment: its own database, k, the address."""
    db = str(folder / f"{notebook.parent.name}-{notebook.stem}.sqlite")
    env = {"BEELDWIJS_DB": db, "BEELDWIJS_K": "3"}
    if notebook.parent.name == "lessons" and notebook.stem != "moderatie":
        lesson_id = JOIN_LESSON.get(notebook.stem, notebook.stem)
        store = ResponseStore(db)
        try:
            env["QUERY_STRING"] = f"code={store.create_session(lesson_id).code}"
        finally:
            store.close()
    return env


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, None, None]:
    """Before a notebook's kernel starts (its first cell's setup), set its environment."""
    if not isinstance(item, IPyNbCell) or item.parent.kernel is not None:
        return (yield)
    if _FOLDER not in item.config.stash:
        item.config.stash[_FOLDER] = tempfile.TemporaryDirectory(prefix="beeldwijs-nbval-")
    folder = Path(item.config.stash[_FOLDER].name)
    with pytest.MonkeyPatch.context() as patch:
        for name, value in _kernel_environment(item.path, folder).items():
            patch.setenv(name, value)
        return (yield)


def pytest_unconfigure(config: pytest.Config) -> None:
    if _FOLDER in config.stash:  # every kernel has stopped by now
        config.stash[_FOLDER].cleanup()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    """After a notebook's last cell: it must have displayed a widget."""
    result = yield
    if isinstance(item, IPyNbCell):
        shown = sum(WIDGET_VIEW in out.get("data", {}) for out in item.test_outputs or [])
        notebook = item.parent
        notebook.stash[_WIDGETS] = notebook.stash.get(_WIDGETS, 0) + shown
        last = sum(cell.cell_type == "code" for cell in notebook.nb.cells) - 1
        if item.cell_num == last and notebook.stash[_WIDGETS] == 0:
            raise AssertionError(f"{item.path.name} shows no widget")
    return result
