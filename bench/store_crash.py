"""Writers killed with SIGKILL in the middle of writing, then a resend storm.

A writer process is one student's kernel: it sends answers in a loop and records in a side file
what it sent (before ``submit``) and what the store acknowledged (after ``submit`` returned).
``--kills`` writers (``--parallel`` at a time) are each killed with SIGKILL a random moment after
they started sending. Then the database is compared with the side files:

- ``acknowledged_lost``: an acknowledged submission whose id is not in the store, or a question
  whose stored answer is not the last stored submission for it (0 expected);
- ``stored_unacknowledged``: stored, but the writer died before hearing so — these are the
  answers a naive resend would count twice.

Then every submission ever sent is resent ``--resends`` times by ``--parallel`` processes at once,
in shuffled order (the same id may arrive twice at the same moment), and:

- ``duplicated``: a submission id accepted more than once, a second row for a participant ×
  question × round, or more submission rows than distinct ids sent (0 expected);
- ``integrity``: SQLite's ``integrity_check`` / PostgreSQL ``amcheck`` (see store_concurrency.py).

Prints figures and, as its last line, one JSON object per backend. Usage::

    python bench/store_crash.py [--kills 200] [--parallel 4] [--resends 10]
        [--backend sqlite|postgresql|both] [--db FILE|postgresql://…]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a script from anywhere: find beeldwijs and bench/
    sys.path.insert(0, str(REPO))

from beeldwijs.errors import StoreUnavailable  # noqa: E402
from beeldwijs.store import ResponseStore, Submission  # noqa: E402
from bench.store_concurrency import _query, _targets, integrity  # noqa: E402

KEYS = 7  # a writer cycles over this many questions, so answers are replaced (latest wins)
MAX_DELAY = (
    0.08  # seconds: a writer is killed at a random moment up to this long after its first send
)


# --------------------------------------------------------------------------- the writer process


def write_forever(target: str, code: str, side_file: Path) -> None:
    """One student's kernel: answer, answer again, … until killed. Logs sent/ack lines."""
    store = ResponseStore(target)
    token = uuid.uuid4().hex
    with side_file.open("a", encoding="utf-8") as log:
        i = 0
        while True:
            sub = Submission(code, token, f"s/q{i % KEYS}", f"v{i}", uuid.uuid4().hex)
            # written (to the OS, which keeps it when the process is killed) before sending
            log.write(f"sent {sub.submission_id} {token} {sub.question_key} {sub.value}\n")
            log.flush()
            try:
                stored = store.submit(sub)
            except StoreUnavailable:
                log.write(f"busy {sub.submission_id}\n")
                log.flush()
                continue
            log.write(f"ack {sub.submission_id} {int(stored)}\n")
            log.flush()
            i += 1


# --------------------------------------------------------------------------- reading the side files


@dataclass(frozen=True)
class Sent:
    sid: str
    token: str
    key: str
    value: str
    order: int  # position in the writer's sending order


def read_side_files(folder: Path) -> tuple[list[Sent], dict[str, int]]:
    """Every submission sent, in order per writer, and the acknowledgements (sid -> stored?)."""
    sent: list[Sent] = []
    acked: dict[str, int] = {}
    for path in sorted(folder.glob("writer-*.log")):
        for line in path.read_text(encoding="utf-8").splitlines():
            parts = line.split(" ")
            if parts[0] == "sent" and len(parts) == 5:
                sent.append(Sent(parts[1], parts[2], parts[3], parts[4], len(sent)))
            elif parts[0] == "ack" and len(parts) == 3:
                acked[parts[1]] = int(parts[2])
            # a torn last line (killed mid-write) is neither: it was never acknowledged
    return sent, acked


# --------------------------------------------------------------------------- the kill loop


def _start_writer(target: str, code: str, side_file: Path) -> subprocess.Popen[bytes]:
    script = (
        "import sys; from pathlib import Path; sys.path.insert(0, sys.argv[1]);\n"
        "from bench.store_crash import write_forever\n"
        "write_forever(sys.argv[2], sys.argv[3], Path(sys.argv[4]))"
    )
    return subprocess.Popen(
        [sys.executable, "-c", script, str(REPO), target, code, str(side_file)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def kill_loop(target: str, code: str, folder: Path, kills: int, parallel: int) -> int:
    """Start writers and SIGKILL each at a random moment after its first send; returns kills."""
    rng = random.Random()
    running: list[tuple[subprocess.Popen[bytes], Path, float | None]] = []
    started = done = 0
    while done < kills:
        while len(running) < parallel and started < kills:
            side = folder / f"writer-{started:05d}.log"
            running.append((_start_writer(target, code, side), side, None))
            started += 1
        time.sleep(0.005)
        still: list[tuple[subprocess.Popen[bytes], Path, float | None]] = []
        for process, side, kill_at in running:
            if process.poll() is not None:
                raise RuntimeError(f"writer {side.name} exited by itself ({process.returncode})")
            if kill_at is None and side.exists() and side.stat().st_size > 0:
                kill_at = time.monotonic() + rng.uniform(0, MAX_DELAY)  # it is sending now
            if kill_at is not None and time.monotonic() >= kill_at:
                os.kill(process.pid, signal.SIGKILL)
                process.wait()
                done += 1
            else:
                still.append((process, side, kill_at))
        running = still
    return done


# --------------------------------------------------------------------------- the resend storm


def _resend(target: str, subs: list[tuple[str, str, str, str, str]]) -> dict[str, int]:
    """Send each submission again; returns how often each id was accepted (True)."""
    store = ResponseStore(target)
    accepted: Counter[str] = Counter()
    for code, token, key, value, sid in subs:
        for _ in range(20):
            try:
                accepted[sid] += store.submit(Submission(code, token, key, value, sid))
                break
            except StoreUnavailable:
                time.sleep(0.2)
        else:
            raise StoreUnavailable(f"resend of {sid} kept failing")
    store.close()
    return dict(accepted)


def resend_storm(
    target: str, code: str, sent: list[Sent], resends: int, parallel: int
) -> Counter[str]:
    copies = [(code, s.token, s.key, s.value, s.sid) for s in sent for _ in range(resends)]
    random.shuffle(copies)
    shares = [copies[n::parallel] for n in range(parallel)]
    accepted: Counter[str] = Counter()
    with mp.get_context("spawn").Pool(parallel) as pool:
        for counts in pool.starmap(_resend, [(target, share) for share in shares]):
            accepted.update(counts)
    return accepted


# --------------------------------------------------------------------------- checking


def check_after_kills(
    target: str, code: str, sent: list[Sent], acked: dict[str, int]
) -> dict[str, int]:
    stored_ids = {
        row[0]
        for row in _query(target, f"SELECT id FROM submissions WHERE session_code = '{code}'")
    }
    rows = {
        (token, key): value
        for token, key, value in _query(
            target, f"SELECT token, question_key, value FROM answers WHERE session_code = '{code}'"
        )
    }
    lost = sum(1 for sid in acked if sid not in stored_ids)
    last_stored: dict[tuple[str, str], Sent] = {}
    for s in sent:  # in sending order: the last stored submission per question must have won
        if s.sid in stored_ids:
            last_stored[(s.token, s.key)] = s
    wrong = sum(1 for k, s in last_stored.items() if rows.get(k) != s.value)
    extra_rows = sum(1 for k in rows if k not in last_stored)
    return {
        "acknowledged": len(acked),
        "acknowledged_lost": lost + wrong + extra_rows,
        "stored_unacknowledged": len(stored_ids - set(acked)),
        "sent_unstored": len({s.sid for s in sent} - stored_ids),
    }


def check_after_storm(
    target: str, code: str, sent: list[Sent], acked: dict[str, int], accepted: Counter[str]
) -> dict[str, Any]:
    total = Counter(accepted)
    for sid, stored in acked.items():
        total[sid] += stored
    stored_ids = {
        row[0]
        for row in _query(target, f"SELECT id FROM submissions WHERE session_code = '{code}'")
    }
    per_question = _query(
        target,
        "SELECT COUNT(*) FROM answers "
        f"WHERE session_code = '{code}' GROUP BY token, question_key, round",
    )
    distinct_ids = {s.sid for s in sent}
    return {
        "accepted_twice": sum(n - 1 for n in total.values() if n > 1),
        "never_stored": len(distinct_ids - stored_ids),
        "duplicated": sum(n - 1 for n in total.values() if n > 1)
        + sum(int(n) - 1 for (n,) in per_question)
        + len(stored_ids - distinct_ids),
        "submission_rows": len(stored_ids),
        "distinct_submissions": len(distinct_ids),
        "answer_rows": len(per_question),
        "distinct_questions": len({(s.token, s.key) for s in sent}),
        "integrity": integrity(target),
    }


def run(target: str, kills: int, parallel: int, resends: int) -> dict[str, Any]:
    store = ResponseStore(target)
    backend = store.backend.name
    code = store.create_session("crash").code
    store.close()
    folder = Path(tempfile.mkdtemp(prefix="beeldwijs-crash-"))
    started = time.perf_counter()
    done = kill_loop(target, code, folder, kills, parallel)
    kill_seconds = time.perf_counter() - started
    sent, acked = read_side_files(folder)
    after_kills = check_after_kills(target, code, sent, acked)
    started = time.perf_counter()
    accepted = resend_storm(target, code, sent, resends, parallel)
    storm_seconds = time.perf_counter() - started
    after_storm = check_after_storm(target, code, sent, acked, accepted)
    return {
        "bench": "store_crash",
        "backend": backend,
        "kills": done,
        "sent": len(sent),
        **after_kills,
        "resends_per_submission": resends,
        **after_storm,
        "kill_loop_seconds": round(kill_seconds, 2),
        "storm_seconds": round(storm_seconds, 2),
        "storm_submits_per_second": round(len(sent) * resends / storm_seconds, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--parallel", type=int, default=4)
    parser.add_argument("--resends", type=int, default=10)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--db", help="an existing SQLite file or postgresql:// URL to use")
    args = parser.parse_args(argv)
    reports = []
    for target, server in _targets(args.backend, args.db):
        try:
            report = run(target, args.kills, args.parallel, args.resends)
        finally:
            if server is not None:
                server.stop()
        reports.append(report)
        print(
            f"{report['backend']}: {report['kills']} writers killed with SIGKILL, "
            f"{report['sent']} submissions sent, {report['acknowledged']} acknowledged, "
            f"{report['acknowledged_lost']} acknowledged lost, "
            f"{report['stored_unacknowledged']} stored without acknowledgement; "
            f"{args.resends}× resend storm: {report['duplicated']} duplicated, "
            f"integrity {report['integrity']} "
            f"(kill loop {report['kill_loop_seconds']} s, storm {report['storm_seconds']} s)",
            flush=True,
        )
    for report in reports:
        print(json.dumps(report))
    clean = all(
        r["acknowledged_lost"] == r["duplicated"] == 0 and r["integrity"] == "ok" for r in reports
    )
    return 0 if clean else 1


if __name__ == "__main__":
    sys.exit(main())
