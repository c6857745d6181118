"""Many writer processes against one store: nothing lost, nothing counted twice, data intact.

Each of ``--processes`` writer processes is one student (its own participant token) answering
``--answers`` questions, all at the same moment (a barrier releases them together). Every answer
is sent twice (the resend must be ignored); every fifth answer is then changed (a new
submission) and the *old* submission is resent late (it must not overwrite the newer answer).

Afterwards the database is read back and compared with what the writers were told:

- ``lost``: an acknowledged answer that is missing;
- ``stale``: a stored answer that is not the participant's latest one;
- ``duplicated``: more than one row per participant × question × round, or a submission id
  accepted twice (a resend that counted);
- ``integrity``: SQLite's ``PRAGMA integrity_check``; on PostgreSQL ``amcheck``'s
  ``bt_index_check`` on every index of the store's tables.

Prints figures and, as its last line, one JSON object per backend. Usage::

    python bench/store_concurrency.py [--processes 60] [--answers 200]
        [--backend sqlite|postgresql|both] [--db FILE|postgresql://…]

Without ``--db``, SQLite uses a new temporary file and PostgreSQL a throw-away server
(``tests/pgserver.py``: Debian's ``postgresql`` binaries).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import sys
import tempfile
import time
import uuid
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a script from anywhere: find beeldwijs and tests/
    sys.path.insert(0, str(REPO))

from beeldwijs.errors import StoreUnavailable  # noqa: E402
from beeldwijs.store import ResponseStore, Submission  # noqa: E402

CHANGE_EVERY = 5  # every fifth answer is changed afterwards (latest wins)
RETRIES = 50  # a writer gives up after this many busy errors in a row


class _Client:
    """Sends like the student app: a submission that met a busy database is sent again."""

    def __init__(self, store: ResponseStore) -> None:
        self.store = store
        self.retries = 0

    def send(self, sub: Submission) -> bool:
        """True when this submission was stored now (False: it had been stored before)."""
        failed = False
        for _ in range(RETRIES):
            try:
                return self.store.submit(sub) or failed
            except StoreUnavailable:  # the student sees "probeer het opnieuw"
                failed = True
                self.retries += 1
                time.sleep(0.2)
        raise StoreUnavailable(f"still unavailable after {RETRIES} tries")


def _writer(target: str, code: str, answers: int, barrier: Barrier) -> dict[str, Any]:
    """One student: answer, resend, change some answers, resend the old ones late."""
    client = _Client(ResponseStore(target))
    token = uuid.uuid4().hex
    latest: dict[str, str] = {}
    accepted = resend_accepted = late_accepted = 0
    barrier.wait()
    started = time.perf_counter()
    for i in range(answers):
        key = f"s/q{i}"
        first = Submission(code, token, key, f"a{i}", uuid.uuid4().hex)
        accepted += client.send(first)
        resend_accepted += client.send(first)  # the same submission again: must be ignored
        latest[key] = first.value
        if i % CHANGE_EVERY == 0:
            changed = Submission(code, token, key, f"b{i}", uuid.uuid4().hex)
            accepted += client.send(changed)
            late_accepted += client.send(first)  # the old one arrives late: must not win
            latest[key] = changed.value
    elapsed = time.perf_counter() - started
    client.store.close()
    return {
        "token": token,
        "latest": latest,
        "accepted": accepted,
        "resend_accepted": resend_accepted,
        "late_accepted": late_accepted,
        "busy_retries": client.retries,
        "seconds": elapsed,
    }


def _query(target: str, sql: str) -> list[tuple[Any, ...]]:
    """Read with a connection of our own (not the store's), so nothing is cached."""
    if target.startswith(("postgresql://", "postgres://")):
        import psycopg

        with psycopg.connect(target, autocommit=True) as conn:
            return list(conn.execute(sql).fetchall())
    import sqlite3

    conn = sqlite3.connect(target)
    try:
        return list(conn.execute(sql).fetchall())
    finally:
        conn.close()


def integrity(target: str) -> str:
    """'ok', or what the database's own checker reported."""
    if not target.startswith(("postgresql://", "postgres://")):
        rows = _query(target, "PRAGMA integrity_check")
        return "ok" if rows == [("ok",)] else "; ".join(str(r[0]) for r in rows)
    import psycopg

    with psycopg.connect(target, autocommit=True) as conn:
        try:
            conn.execute("CREATE EXTENSION IF NOT EXISTS amcheck")
        except psycopg.Error as exc:
            return f"amcheck unavailable: {exc}"
        indexes = conn.execute(
            "SELECT c.oid::regclass::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_class t ON t.oid = i.indrelid WHERE t.relname IN "
            "('sessions', 'participants', 'rounds', 'answers', 'submissions', 'meta')"
        ).fetchall()
        for (index,) in indexes:
            conn.execute("SELECT bt_index_check(%s::regclass, true)", (index,))
        return "ok" if indexes else "no indexes found"


def verify(target: str, code: str, results: list[dict[str, Any]]) -> dict[str, Any]:
    """Compare the database with what every writer was told."""
    rows = _query(
        target,
        f"SELECT token, question_key, round, value FROM answers WHERE session_code = '{code}'",
    )
    stored: dict[tuple[str, str], list[str]] = {}
    for token, key, _round, value in rows:
        stored.setdefault((token, key), []).append(value)
    lost = stale = 0
    for result in results:
        for key, value in result["latest"].items():
            values = stored.get((result["token"], key), [])
            if not values:
                lost += 1
            elif values != [value]:
                stale += 1
    duplicated_rows = sum(len(v) - 1 for v in stored.values())
    accepted = sum(r["accepted"] for r in results)
    (submissions,) = _query(
        target, f"SELECT COUNT(*) FROM submissions WHERE session_code = '{code}'"
    )[0]
    return {
        "answers_expected": sum(len(r["latest"]) for r in results),
        "answers_stored": len(rows),
        "lost": lost,
        "stale": stale,
        "duplicated": duplicated_rows
        + sum(r["resend_accepted"] + r["late_accepted"] for r in results),
        "submissions_accepted": accepted,
        "submissions_stored": int(submissions),
        "busy_retries": sum(r["busy_retries"] for r in results),
        "integrity": integrity(target),
    }


def _writer_process(
    target: str, code: str, answers: int, barrier: Barrier, results: mp.Queue[Any]
) -> None:
    try:
        results.put(_writer(target, code, answers, barrier))
    except BaseException as exc:  # the parent must hear about it, not wait forever
        results.put({"error": repr(exc)})
        raise


def run(target: str, processes: int, answers: int) -> dict[str, Any]:
    store = ResponseStore(target)
    backend = store.backend.name
    code = store.create_session("bench").code
    store.close()
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(processes + 1)
    queue: mp.Queue[Any] = ctx.Queue()
    workers = [
        ctx.Process(target=_writer_process, args=(target, code, answers, barrier, queue))
        for _ in range(processes)
    ]
    for worker in workers:
        worker.start()
    barrier.wait(timeout=600)  # every writer connected and ready: go
    started = time.perf_counter()
    results = [queue.get(timeout=3600) for _ in workers]
    elapsed = time.perf_counter() - started
    for worker in workers:
        worker.join()
    errors = [r["error"] for r in results if "error" in r]
    if errors:
        raise RuntimeError(f"{len(errors)} writer(s) failed: {errors[0]}")
    calls = sum(answers * 2 + 2 * len(range(0, answers, CHANGE_EVERY)) for _ in results)
    figures = verify(target, code, results)
    return {
        "bench": "store_concurrency",
        "backend": backend,
        "processes": processes,
        "answers_per_process": answers,
        "submit_calls": calls,
        **figures,
        "seconds": round(elapsed, 2),
        "submits_per_second": round(calls / elapsed, 1),
        "answers_per_second": round(figures["submissions_accepted"] / elapsed, 1),
    }


def _targets(backend: str, db: str | None) -> list[tuple[str, Any]]:
    """(target, server to stop afterwards or None) per backend asked for."""
    if db:
        return [(db, None)]
    targets: list[tuple[str, Any]] = []
    if backend in ("sqlite", "both"):
        targets.append((str(Path(tempfile.mkdtemp()) / "bench.sqlite"), None))
    if backend in ("postgresql", "both"):
        from tests.pgserver import PostgresServer

        server = PostgresServer()
        server.start()
        targets.append((server.create_database("bench"), server))
    return targets


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--processes", type=int, default=60)
    parser.add_argument("--answers", type=int, default=200)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--db", help="an existing SQLite file or postgresql:// URL to use")
    args = parser.parse_args(argv)
    reports = []
    for target, server in _targets(args.backend, args.db):
        try:
            report = run(target, args.processes, args.answers)
        finally:
            if server is not None:
                server.stop()
        reports.append(report)
        print(
            f"{report['backend']}: {args.processes} processes × {args.answers} answers: "
            f"{report['answers_stored']}/{report['answers_expected']} stored, "
            f"lost {report['lost']}, stale {report['stale']}, "
            f"duplicated {report['duplicated']}, integrity {report['integrity']}, "
            f"busy retries {report['busy_retries']}, "
            f"{report['submit_calls']} submits in {report['seconds']} s "
            f"= {report['submits_per_second']}/s",
            flush=True,
        )
    for report in reports:
        print(json.dumps(report))
    return 0 if all(_clean(r) for r in reports) else 1


def _clean(report: dict[str, Any]) -> bool:
    return (
        report["lost"] == report["stale"] == report["duplicated"] == 0
        and report["integrity"] == "ok"
        and report["submissions_accepted"] == report["submissions_stored"]
    )


if __name__ == "__main__":
    sys.exit(main())
