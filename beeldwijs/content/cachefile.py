"""Reading the content cache file (written by :mod:`beeldwijs.content.cache` at server start).

Kept apart from the writer so that the help routes (:mod:`beeldwijs.content.help`) can look into
the file without importing the module that parses lessons and help files to write it.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import TYPE_CHECKING

from beeldwijs import settings

if TYPE_CHECKING:  # types only: help imports this module
    from beeldwijs.content.help import HelpRoutes
    from beeldwijs.content.model import Lesson

ENV = settings.get("content_cache").env

#: help file → its routes (current while the file's entry in the stamp is)
HelpEntry = dict[str, "HelpRoutes"]
_loaded: dict[str, tuple[tuple[object, ...], dict[str, Lesson], HelpEntry]] = {}


def file_stamp(path: Path) -> tuple[str, int, int]:
    info = path.stat()
    return (str(path), info.st_size, info.st_mtime_ns)


def cached_help_routes(path: Path) -> HelpRoutes | None:
    """The routes of help file ``path`` from the cache file while it is unchanged, else None."""
    found = cache_file()
    if found is None or str(path) not in found[2]:
        return None
    stamp, _lessons, routes = found
    try:
        current = file_stamp(path)
    except OSError:
        return None
    return routes[str(path)] if current in stamp else None


def cache_file() -> tuple[tuple[object, ...], dict[str, Lesson], HelpEntry] | None:
    """The cache file's contents (read once per process), or None without a usable one."""
    path = settings.value("content_cache")
    if not path:
        return None
    if path not in _loaded:
        try:
            with open(path, "rb") as file:
                stamp, lessons, routes = pickle.load(file)  # noqa: S301 - our own private file
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
            return None  # no usable cache (or one of an older layout): parse as without one
        _loaded[path] = (stamp, lessons, routes)
    return _loaded[path]
