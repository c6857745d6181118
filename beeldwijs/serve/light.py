"""A light student page: compressed static files with long-lived caching (issue 13.1).

The student page loads its own front end (``templates/beeldwijs-student/static``: one script, one
stylesheet; docs/decisions/lean-student-front-end.md) and nbconvert's theme stylesheet, which
Tornado would send uncompressed. :func:`light_handlers` gives Voilà's static-file handlers the
:class:`LightStatic` mixin:

- **Compression**: a compressible file (JavaScript, CSS, SVG, JSON, HTML, text; ≥ 64 bytes) is sent
  brotli-compressed (quality 11) to a browser that accepts ``br``, else as gzip. Over plain HTTP,
  which is how a school's network reaches the student server, phones only accept gzip (browsers
  offer ``br`` to secure origins only), so the gzip copy is made as small as a gzip gets
  (:mod:`beeldwijs.serve.libdeflate`, ≈ 4 % under zlib's level 9). The compressed copies are
  files in a cache folder keyed by the SHA-256 of the content, made once per installation: a
  quick gzip (zlib, level 9) at the first request (milliseconds), the small gzip and brotli in one
  background thread at the lowest CPU priority (≈ 1 s a large file), first for the files browsers
  asked for, then for the front end's folder (:func:`warm_up`, at the server's start), so a
  class never waits for them. Until a file's background copies exist it goes as the quick gzip.
- **Caching**: a file whose URL carries a version (``?v=…``: Voilà's template and static URLs
  carry the SHA-512 of the content) is ``public, max-age=31536000, immutable``: a browser that
  has it never asks again, so it goes without the headers only a revalidation reads (``Etag``,
  ``Last-Modified``, ``Expires``). Everything else is ``no-cache``: the browser asks, and an
  unchanged file costs a 304 without a body. No static file names the server software
  (``Server``), and a script or style carries no page policy (``Content-Security-Policy``, which
  only documents use).

The rendered page itself (and any other dynamic response) is gzipped by Tornado's own
``compress_response`` setting (:func:`beeldwijs.serve.studentserver.StudentVoila.init_settings`),
which leaves the responses alone that already carry a ``Content-Encoding``.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import itertools
import logging
import mimetypes
import os
import queue
import re
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from tornado.web import StaticFileHandler

from beeldwijs.serve.libdeflate import gzip_best

__all__ = ["LightStatic", "StaticCompressor", "light_handlers", "warm_up"]

log = logging.getLogger("beeldwijs")

#: Smaller files gain too little from compression to pay for the header. (It was 1 KB, and then
#: Tornado's ``compress_response`` gzipped Voilà's ≈ 600-byte chunks on the fly instead.)
MIN_SIZE = 64
IMMUTABLE = "public, max-age=31536000, immutable"
#: Goes into every copy's name: a copy made by an older way of serving is never sent again.
_COPY_FORMAT = b"beeldwijs-static-3\n"
_COMPRESSIBLE = {
    "application/javascript", "text/javascript", "text/css", "image/svg+xml",
    "application/json", "text/html", "text/plain", "application/xml", "text/xml",
}  # fmt: skip

try:
    import brotlicffi as brotli
except ImportError:  # pragma: no cover - a dependency; without it gzip only
    brotli = None


def compressible(path: str) -> bool:
    kind = mimetypes.guess_type(path)[0] or ""
    return kind in _COMPRESSIBLE and not path.endswith(".LICENSE.txt")


def accepted_encodings(header: str) -> set[str]:
    """The encodings an ``Accept-Encoding`` header allows (``q=0`` means no)."""
    found = set()
    for part in header.split(","):
        name, _, params = part.strip().partition(";")
        if name and not re.search(r"q\s*=\s*0(\.0*)?\s*$", params.strip()):
            found.add(name.strip().lower())
    return found


class StaticCompressor:
    """Copies of static files in ``folder``: ``<sha256>.gz`` (quick, made at once),
    ``<sha256>.best.gz`` and ``<sha256>.br`` (made in the background)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._digests: dict[tuple[str, int, int], str] = {}
        self._pending: dict[str, int] = {}  # path → priority it was queued with
        self._lock = threading.Lock()
        self._queue: queue.PriorityQueue[tuple[int, int, str]] = queue.PriorityQueue()
        self._order = itertools.count()
        self._worker: threading.Thread | None = None

    def _digest(self, path: str) -> str | None:
        try:
            stat = os.stat(path)
        except OSError:
            return None
        key = (path, stat.st_mtime_ns, stat.st_size)
        digest = self._digests.get(key)
        if digest is None:
            digest = hashlib.sha256(_COPY_FORMAT + Path(path).read_bytes()).hexdigest()
            self._digests[key] = digest
        return digest

    def variant(self, path: str, accepted: set[str]) -> tuple[str, str] | None:
        """(encoding, file) to send for ``path``, or None to send the file as it is."""
        if not compressible(path):
            return None
        with contextlib.suppress(OSError):
            if os.path.getsize(path) < MIN_SIZE:
                return None
        digest = self._digest(path)
        if digest is None:
            return None
        if not ({"br", "gzip"} & accepted):
            return None
        br, best = self.folder / f"{digest}.br", self.folder / f"{digest}.best.gz"
        if not (br.exists() and best.exists()):
            self.schedule(path)
        if "br" in accepted and br.exists():
            return "br", str(br)
        if "gzip" in accepted:
            if best.exists():
                return "gzip", str(best)
            gz = self.folder / f"{digest}.gz"
            if gz.exists() or self._write(gz, gzip.compress(Path(path).read_bytes(), 9, mtime=0)):
                return "gzip", str(gz)
        return None

    def schedule(self, path: str, *, asked: bool = True) -> None:
        """Make the small gzip and the brotli copy of ``path`` in the background, once; a file a
        browser ``asked`` for goes before the ones the warm-up queued."""
        priority = 0 if asked else 1
        with self._lock:
            if self._pending.get(path, 2) <= priority:
                return
            self._pending[path] = priority
            self._queue.put((priority, next(self._order), path))
            if self._worker is None:
                self._worker = threading.Thread(target=self._work, name="beeldwijs-br", daemon=True)
                self._worker.start()

    def _work(self) -> None:
        _lowest_priority()
        done: set[str] = set()
        while True:
            _priority, _n, path = self._queue.get()
            if path not in done:
                done.add(path)
                self._compress(path)

    def _compress(self, path: str) -> None:
        try:
            digest = self._digest(path)
            if digest is None:
                return
            data = Path(path).read_bytes()
            best = self.folder / f"{digest}.best.gz"
            if not best.exists():
                self._write(best, gzip_best(data))
            target = self.folder / f"{digest}.br"
            if brotli is not None and not target.exists():
                self._write(target, brotli.compress(data, quality=11))
        except Exception:  # a file that cannot be read goes uncompressed
            log.warning("could not compress %s", path, exc_info=True)

    def _write(self, target: Path, data: bytes) -> bool:
        """Write atomically (a browser never gets half a file); False when the folder is not
        writable (the file then goes as it is)."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".part-")
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, target)
        except OSError:
            log.warning("cannot write compressed static files to %s", self.folder)
            return False
        return True

    def warm_up(self, folders: Iterable[str | Path]) -> int:
        """Schedule the background copies of every compressible file under ``folders``; their
        count."""
        count = 0
        for folder in folders:
            for root, _dirs, files in os.walk(folder):
                for name in files:
                    path = os.path.join(root, name)
                    if compressible(path) and os.path.getsize(path) >= MIN_SIZE:
                        self.schedule(path, asked=False)
                        count += 1
        return count


def _lowest_priority() -> None:
    """This thread at nice 19 (Linux sets priority per thread): the pool and the class first."""
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)


def cache_folder() -> Path:
    """Where compressed copies live: the user's cache folder (made once per installation)."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("beeldwijs")) / "static"


#: One per server process.
COMPRESSOR = StaticCompressor(cache_folder())


def warm_up(folders: Iterable[str | Path]) -> int:
    return COMPRESSOR.warm_up(folders)


class LightStatic:
    """Mixin for a Tornado ``StaticFileHandler``: compressed copies and cache headers."""

    request: Any
    _stat_result: os.stat_result
    _source: str | None = None
    _encoding: str | None = None

    def validate_absolute_path(self, root: str, absolute_path: str) -> str | None:
        path: str | None = super().validate_absolute_path(root, absolute_path)  # type: ignore[misc]
        self._source, self._encoding = path, None
        if path is None or self.request.headers.get("Range"):
            return path
        accepted = accepted_encodings(self.request.headers.get("Accept-Encoding", ""))
        found = COMPRESSOR.variant(path, accepted)
        if found is None:
            return path
        self._encoding, compressed = found
        # Tornado keeps the stat of the validated file for the size and the modified time
        self._stat_result = os.stat(compressed)
        return compressed

    def get_content_type(self) -> str:
        """The type of the file asked for, not of its compressed copy."""
        kind = mimetypes.guess_type(self._source or "")[0]
        return kind or super().get_content_type()  # type: ignore[misc, no-any-return]

    def set_headers(self) -> None:
        super().set_headers()  # type: ignore[misc]
        header, drop = self.set_header, self.clear_header  # type: ignore[attr-defined]
        if self._encoding:
            header("Content-Encoding", self._encoding)
        settings = self.application.settings  # type: ignore[attr-defined]
        if self._source and compressible(self._source) and not settings.get("compress_response"):
            header("Vary", "Accept-Encoding")  # else Tornado's gzip step adds it
        versioned = "v" in self.request.arguments
        header("Cache-Control", IMMUTABLE if versioned else "no-cache")
        unread = ["Server", "Content-Security-Policy"]
        if versioned:  # never revalidated
            unread += ["Etag", "Last-Modified", "Expires"]
        for name in unread:
            drop(name)


def light_handlers(handlers: list[Any]) -> list[Any]:
    """Voilà's handler list with :class:`LightStatic` in front of every static-file handler."""
    made: dict[type, type] = {}
    result = []
    for route in handlers:
        pattern, handler, *rest = route
        if isinstance(handler, type) and issubclass(handler, StaticFileHandler):
            if handler not in made:
                made[handler] = type(f"Light{handler.__name__}", (LightStatic, handler), {})
            handler = made[handler]
        result.append((pattern, handler, *rest))
    return result
