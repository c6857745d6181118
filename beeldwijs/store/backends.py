"""Database connections for the response store: an SQLite file (default) or a PostgreSQL server.

The store writes its SQL once, with ``?`` placeholders and portable upserts
(``INSERT … ON CONFLICT …``); a backend only opens connections, starts write transactions and
translates placeholders and driver errors.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from beeldwijs import settings
from beeldwijs.errors import StoreError, StoreUnavailable

BUSY_TIMEOUT_MS = 10_000


class Backend(Protocol):
    name: str

    def connect(self) -> Any: ...

    def sql(self, statement: str) -> str: ...

    @contextmanager
    def write(self, conn: Any) -> Iterator[Any]: ...

    @contextmanager
    def read(self, conn: Any) -> Iterator[Any]: ...

    def after_delete(self, conn: Any) -> None: ...

    def forget_order(self, conn: Any) -> None: ...


def default_db_path() -> Path:
    """The SQLite file under the user's data directory: never inside a folder Voilà serves."""
    from platformdirs import user_data_path

    return user_data_path("beeldwijs", appauthor=False) / "beeldwijs.sqlite"


def db_target(explicit: str | os.PathLike[str] | None = None) -> str:
    """Where the store lives: the argument, else ``BEELDWIJS_DB``, else the default file."""
    return str(explicit or settings.value("db") or default_db_path())


def backend_for(target: str) -> Backend:
    if target.startswith(("postgresql://", "postgres://")):
        return PostgresBackend(target)
    return SqliteBackend(Path(target))


class SqliteBackend:
    """SQLite in WAL mode, ``synchronous=FULL``, writes under ``BEGIN IMMEDIATE``.

    Deferred transactions that read then write lose answers under concurrency
    (docs/stack-facts.md); an immediate transaction takes the write lock up front and
    waits up to the busy timeout for it.
    """

    name = "sqlite"

    def __init__(self, path: Path) -> None:
        self.path = path

    def connect(self) -> sqlite3.Connection:
        try:
            _private_file(self.path)
            conn = sqlite3.connect(
                self.path,
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,  # we issue BEGIN ourselves
                check_same_thread=False,  # the store serialises access with a lock
            )
            conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA secure_delete=ON")
        except (sqlite3.Error, OSError) as exc:
            raise StoreUnavailable(f"cannot open {self.path}: {exc}") from exc
        return conn

    def sql(self, statement: str) -> str:
        return statement

    @contextmanager
    def write(self, conn: sqlite3.Connection) -> Iterator[sqlite3.Cursor]:
        with _translated(sqlite3.OperationalError, other=sqlite3.Error):
            cur = conn.cursor()
            cur.execute("BEGIN IMMEDIATE")
            try:
                yield cur
            except BaseException:
                conn.rollback()
                raise
            else:
                cur.execute("COMMIT")

    @contextmanager
    def read(self, conn: sqlite3.Connection) -> Iterator[sqlite3.Cursor]:
        with _translated(sqlite3.OperationalError, other=sqlite3.Error):
            yield conn.cursor()

    def after_delete(self, conn: sqlite3.Connection) -> None:
        """Push deleted rows out of the WAL; secure_delete already zeroes freed pages."""
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def forget_order(self, conn: sqlite3.Connection) -> None:
        """Empty the WAL: its frames are page images in commit order (best effort: a reader
        still on an old snapshot leaves the log as it is until the next checkpoint)."""
        with _translated(sqlite3.OperationalError, other=sqlite3.Error):
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _private_file(path: Path) -> None:
    """Create the database file readable by its owner only (0600; SQLite gives its -wal and
    -shm files the same mode), in a folder made 0700 when Beeldwijs makes it. An existing
    file that others may read is made private too."""
    if not path.parent.is_dir():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.close(os.open(path, os.O_RDONLY | os.O_CREAT, 0o600))
    mode = path.stat()
    if os.name == "posix" and mode.st_mode & 0o077 and mode.st_uid == os.getuid():
        with contextlib.suppress(OSError):  # a read-only file system: reading still works
            path.chmod(0o600)


class PostgresBackend:
    """PostgreSQL through psycopg 3; each write is one transaction (READ COMMITTED, upserts)."""

    name = "postgresql"

    def __init__(self, url: str) -> None:
        self.url = url

    def connect(self) -> Any:
        import psycopg

        try:
            return psycopg.connect(self.url, autocommit=True, connect_timeout=10)
        except psycopg.Error as exc:
            raise StoreUnavailable(f"cannot connect to PostgreSQL: {exc}") from exc

    def sql(self, statement: str) -> str:
        """``?`` placeholders become ``%s``; SQLite's ``WITHOUT ROWID`` has no meaning here."""
        return statement.replace("?", "%s").replace(" WITHOUT ROWID", "")

    @contextmanager
    def write(self, conn: Any) -> Iterator[Any]:
        import psycopg

        with (
            _translated(psycopg.OperationalError, psycopg.InterfaceError, other=psycopg.Error),
            conn.transaction(),
            conn.cursor() as cur,
        ):
            yield cur

    @contextmanager
    def read(self, conn: Any) -> Iterator[Any]:
        import psycopg

        with (
            _translated(psycopg.OperationalError, psycopg.InterfaceError, other=psycopg.Error),
            conn.cursor() as cur,
        ):
            yield cur

    def after_delete(self, conn: Any) -> None:
        """Best effort: VACUUM frees dead tuples; old bytes may survive in WAL segments."""
        conn.execute("VACUUM answers")

    def forget_order(self, conn: Any) -> None:
        """Nothing to do: PostgreSQL's own WAL is the server's business (docs/security.md)."""


@contextmanager
def _translated(*retry: type[BaseException], other: type[BaseException]) -> Iterator[None]:
    """Driver errors become ours: "try again later" (``retry``) is StoreUnavailable, any other
    error of the driver (``other``: a damaged file, a missing table) is StoreError."""
    try:
        yield
    except retry as exc:
        raise StoreUnavailable(str(exc)) from exc
    except other as exc:
        raise StoreError(f"{type(exc).__name__}: {exc}") from exc
