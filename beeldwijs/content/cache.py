"""Parsed lessons and help routes shared by every student kernel through one file written at
server start.

Each student kernel is its own process, so the per-process cache of :class:`Library` does not
help a class: every kernel parsed its lesson's YAML again (≈ 35 ms of CPU for a lesson of three
scenarios, on the critical path of a student joining). ``beeldwijs start`` already loads every
lesson to refuse broken content; :func:`write_cache` keeps the result in a pickle file in a
private folder and the kernels find it through ``BEELDWIJS_CONTENT_CACHE`` (≈ 1 ms to load).
The help routes (on every screen, ≈ 17 ms to parse, and PyYAML ≈ 10 ms to import) go with them.

The file is used only while every content file still has the size and modification time it had
when the file was written (:func:`_stamp`); an edited lesson is parsed again, as before. The
file is written by the same user the kernels run as, in a folder only that user can read.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path

from beeldwijs.content.cachefile import ENV, HelpEntry, cache_file, file_stamp
from beeldwijs.content.help import help_file, help_routes_of
from beeldwijs.content.library import Library
from beeldwijs.content.model import Lesson

__all__ = ["ENV", "cached_lesson", "write_cache"]


def _stamp(library: Library, selfscan: bool = True) -> tuple[object, ...]:
    """Size and time of every content file; the self-scan checklist only with ``selfscan``
    (a student's lesson does not depend on it, and its module costs a student kernel ≈ 10 ms)."""
    files = [
        *sorted(library.scenario_dir.glob("*.yaml")),
        *sorted(library.lesson_dir.glob("*.yaml")),
        help_file(),
    ]
    if selfscan:
        from beeldwijs.content.checklist import checklist_file

        files.append(checklist_file())
    return (str(library.root), *(file_stamp(path) for path in files))


def write_cache(library: Library, path: Path) -> Path:
    """Parse every lesson of ``library`` and keep them in ``path`` (raises ContentError)."""
    helps = help_file()
    routes: HelpEntry = {str(helps): help_routes_of(helps)}
    lessons = [*library.lessons(), *library.cases()]
    data = (_stamp(library), {lesson.id: lesson for lesson in lessons}, routes)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    with temporary.open("wb") as file:
        os.fchmod(file.fileno(), 0o600)
        pickle.dump(data, file, protocol=pickle.HIGHEST_PROTOCOL)
    temporary.replace(path)
    return path


def cached_lesson(library: Library, lesson_id: str) -> Lesson:
    """The lesson from the cache file when it is still current, else parsed from its YAML."""
    try:
        found = cache_file()
        if found is not None:
            stamp, lessons, _routes = found
            lesson = lessons.get(lesson_id)
            if lesson is not None:
                current = _stamp(library, lesson.selfscan)  # the checklist's entry comes last
                if stamp[: len(current)] == current:
                    return lesson
    except OSError:
        pass  # a content file went away: parse, and report it as without a cache
    return library.lesson(lesson_id)
