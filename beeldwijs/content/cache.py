"""Parsed lessons shared by every student kernel through one file written at server start.

Each student kernel is its own process, so the per-process cache of :class:`Library` does not
help a class: every kernel parsed its lesson's YAML again (≈ 35 ms of CPU for a lesson of three
scenarios, on the critical path of a student joining). ``beeldwijs start`` already loads every
lesson to refuse broken content; :func:`write_cache` keeps the result in a pickle file in a
private folder and the kernels find it through ``BEELDWIJS_CONTENT_CACHE`` (≈ 1 ms to load).

The file is used only while every content file still has the size and modification time it had
when the file was written (:func:`_stamp`); an edited lesson is parsed again, as before. The
file is written by the same user the kernels run as, in a folder only that user can read.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path

from beeldwijs.content.library import Library
from beeldwijs.content.model import Lesson

ENV = "BEELDWIJS_CONTENT_CACHE"

_loaded: dict[str, tuple[tuple[object, ...], dict[str, Lesson]]] = {}


def _stamp(library: Library, selfscan: bool = True) -> tuple[object, ...]:
    """Size and time of every content file; the self-scan checklist only with ``selfscan``
    (a student's lesson does not depend on it, and its module costs a student kernel ≈ 10 ms)."""
    from beeldwijs.help import help_file

    files = [
        *sorted(library.scenario_dir.glob("*.yaml")),
        *sorted(library.lesson_dir.glob("*.yaml")),
        help_file(),
    ]
    if selfscan:
        from beeldwijs.selfscan import checklist_file

        files.append(checklist_file())
    stamp: list[object] = [str(library.root)]
    for path in files:
        info = path.stat()
        stamp.append((str(path), info.st_size, info.st_mtime_ns))
    return tuple(stamp)


def write_cache(library: Library, path: Path) -> Path:
    """Parse every lesson of ``library`` and keep them in ``path`` (raises ContentError)."""
    data = (_stamp(library), {lesson.id: lesson for lesson in library.lessons()})
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    with temporary.open("wb") as file:
        os.fchmod(file.fileno(), 0o600)
        pickle.dump(data, file, protocol=pickle.HIGHEST_PROTOCOL)
    temporary.replace(path)
    return path


def cached_lesson(library: Library, lesson_id: str) -> Lesson:
    """The lesson from the cache file when it is still current, else parsed from its YAML."""
    path = os.environ.get(ENV)
    if path:
        try:
            if path not in _loaded:
                with open(path, "rb") as file:
                    _loaded[path] = pickle.load(file)  # noqa: S301 - our own private file
            stamp, lessons = _loaded[path]
            lesson = lessons.get(lesson_id)
            if lesson is not None:
                current = _stamp(library, lesson.selfscan)  # the checklist's entry comes last
                if stamp[: len(current)] == current:
                    return lesson
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError):
            pass  # no usable cache: parse as without one
    return library.lesson(lesson_id)
