"""One private temporary folder per `beeldwijs start`, and the ones of crashed starts removed.

Voilà keeps each server's kernel connection files and sockets in a ``voila_…`` folder under its
``connection_dir_root`` and removes it when it stops; after a crash (issue 16: 13 stale
connection folders) they stayed in the temporary folder for good. Every start now works in
``<tmp>/beeldwijs-<uid>/<pid>/`` (0700) and first removes the folders of starts whose process is
gone.
"""

from __future__ import annotations

import os
import shutil
import stat
import sys
import tempfile
from pathlib import Path


def base_folder() -> Path:
    """The parent of every start's folder: `<tmp>/beeldwijs-<uid>`."""
    # a Unix socket path may be at most 104 bytes on macOS, whose temporary folder is long
    root = "/tmp" if sys.platform == "darwin" else tempfile.gettempdir()  # noqa: S108
    return Path(root) / f"beeldwijs-{os.getuid()}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def run_folder(base: Path | None = None) -> tuple[Path, int]:
    """This start's folder (made 0700), and how many folders of crashed starts were removed.

    The shared parent must be this user's own, not a link: in a temporary folder anyone may
    have made it first."""
    base = base or base_folder()
    base.mkdir(mode=0o700, exist_ok=True)
    info = base.lstat()
    if stat.S_ISLNK(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise OSError(f"{base} is not a private folder of this user")
    removed = 0
    for child in base.iterdir():
        if child.name.isdigit() and int(child.name) != os.getpid() and not _alive(int(child.name)):
            shutil.rmtree(child, ignore_errors=True)
            removed += 1
    mine = base / str(os.getpid())
    mine.mkdir(mode=0o700, exist_ok=True)
    return mine, removed
