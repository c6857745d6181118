"""Facilitator aggregation at scale: a dashboard refresh and the cross-class overview.

- **Dashboard refresh** over one session with ``--answers`` answers (default 10,000): what the
  dashboard's poll thread does every 2 s — ``Dashboard.refresh()``, i.e. the participant count,
  ``session_results`` (GROUP BY in the database, then pandas), approved open texts and the
  update of every question panel (all revealed, so charts are drawn). Timed cold (first refresh:
  every chart drawn), steady (nothing changed) and after one new answer.
- **Cross-class overview** over ``--overview-answers`` answers (default 1,000,000) of one lesson
  in classes of 30: ``store.lesson_counts`` + ``overview_table``.

The data is written straight into the store's tables (executemany), in the shape the student app
writes it. Prints figures (median of ``--repeat`` runs) and, as its last line, one JSON object.

    python bench/aggregation.py [--answers 10000] [--overview-answers 1000000] [--db postgresql://…]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from beeldwijs.content import Library  # noqa: E402
from beeldwijs.content.model import SKIP, Lesson  # noqa: E402
from beeldwijs.facilitator.dashboard import Dashboard  # noqa: E402
from beeldwijs.facilitator.overview import overview_table  # noqa: E402
from beeldwijs.facilitator.report import session_results  # noqa: E402
from beeldwijs.store import ResponseStore  # noqa: E402

LESSON = "beelden-en-jij"
CLASS_SIZE = 30


def _values(lesson: Lesson) -> dict[str, list[str]]:
    values = {}
    for q in lesson.questions:
        values[q.key] = ["Niet doorsturen."] if q.is_open else [o.id for o in q.options]
        values[q.key].append(SKIP)
    return values


def fill(store: ResponseStore, lesson: Lesson, codes: list[str], answers: int, seed: int) -> int:
    """About ``answers`` answers over ``codes`` (every participant answers every question)."""
    rng = random.Random(seed)
    values = _values(lesson)
    keys = list(values)
    per_session = max(1, answers // len(codes))
    participants = max(1, per_session // len(keys))
    written = 0
    q = store.backend.sql
    with store._write() as cur:  # bulk load for the benchmark only
        for code in codes:
            tokens = [uuid.uuid4().hex for _ in range(participants)]
            cur.executemany(
                q("INSERT INTO participants (session_code, token) VALUES (?, ?)"),
                [(code, tok) for tok in tokens],
            )
            rows = [
                (code, tok, key, 1, rng.choice(values[key]), uuid.uuid4().hex)
                for tok in tokens
                for key in keys
            ]
            cur.executemany(
                q(
                    "INSERT INTO answers (session_code, token, question_key, round, value, ref) "
                    "VALUES (?, ?, ?, ?, ?, ?)"
                ),
                rows,
            )
            written += len(rows)
    return written


def _new_sessions(store: ResponseStore, lesson_id: str, n: int) -> list[str]:
    return [store.create_session(lesson_id).code for _ in range(n)]


CPU: dict[str, float] = {}  # CPU seconds of the last timed call, by label


def timed(func: Callable[[], Any], repeat: int, label: str = "") -> tuple[float, Any]:
    """Median wall time of ``repeat`` calls; the median CPU time goes to ``CPU[label]``.

    This benchmark runs in one thread, so on a machine shared with other work the CPU time is
    the better figure of what the code costs; the wall time is what the mentor waits.
    """
    times, cpu, result = [], [], None
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = func()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    if label:
        CPU[label] = statistics.median(cpu)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--answers", type=int, default=10_000)
    parser.add_argument("--overview-answers", type=int, default=1_000_000)
    parser.add_argument("--db", help="postgresql://… (default: a fresh SQLite file)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--lesson", default=LESSON)
    args = parser.parse_args()
    target = args.db or str(Path(tempfile.mkdtemp(prefix="beeldwijs-agg-")) / "agg.sqlite")
    store = ResponseStore(target)
    library = Library(REPO)
    lesson = library.lesson(args.lesson)
    result: dict[str, Any] = {
        "bench": "aggregation",
        "backend": store.backend.name,
        "load_before": " ".join(Path("/proc/loadavg").read_text().split()[:3]),
    }

    # -- a dashboard refresh over one big session ---------------------------------------------
    (code,) = _new_sessions(store, lesson.id, 1)
    written = fill(store, lesson, [code], args.answers, seed=1)
    k = 5
    query_s, _ = timed(lambda: store.counts(code), args.repeat, "counts")
    results_s, _ = timed(lambda: session_results(store, lesson, code, k), args.repeat, "results")
    dash = Dashboard(library, store, k=k, poll_seconds=None, export_folder=Path(tempfile.mkdtemp()))
    dash.attach(store.session(code))
    for panel in dash.panels.values():
        panel.revealed = True
    started = time.perf_counter()
    dash.refresh()
    cold_s = time.perf_counter() - started
    steady_s, _ = timed(dash.refresh, args.repeat, "refresh")
    changed = []
    tok = uuid.uuid4().hex
    for n, q in enumerate(lesson.questions[: args.repeat]):
        from beeldwijs.store import Submission

        value = q.options[0].id if q.options else "tekst"
        store.submit(Submission(code, tok, q.key, value, uuid.uuid4().hex))
        started = time.perf_counter()
        dash.refresh()
        changed.append(time.perf_counter() - started)
        del n
    result["refresh"] = {
        "answers": written,
        "questions": len(lesson.questions),
        "counts_query_s": query_s,
        "session_results_s": results_s,
        "refresh_cold_s": cold_s,
        "refresh_steady_s": steady_s,
        "refresh_after_new_answer_s": statistics.median(changed),
        "refresh_steady_cpu_s": CPU["refresh"],
    }
    print(
        f"dashboard refresh, {written} answers in one session ({len(lesson.questions)} questions):\n"
        f"  store.counts {query_s * 1000:.1f} ms, session_results {results_s * 1000:.1f} ms\n"
        f"  refresh: cold {cold_s * 1000:.0f} ms, steady {steady_s * 1000:.1f} ms, "
        f"after a new answer {statistics.median(changed) * 1000:.1f} ms "
        f"(steady: {CPU['refresh'] * 1000:.1f} ms CPU)",
        flush=True,
    )

    # -- the cross-class overview -----------------------------------------------------------------
    per_class = CLASS_SIZE * len(lesson.questions)
    classes = max(1, args.overview_answers // per_class)
    codes = _new_sessions(store, lesson.id, classes)
    started = time.perf_counter()
    overview_written = fill(store, lesson, codes, classes * per_class, seed=2)
    other = (
        library.lesson_ids()[1] if library.lesson_ids()[0] == lesson.id else library.lesson_ids()[0]
    )
    fill(store, library.lesson(other), _new_sessions(store, other, 50), 50 * 300, seed=3)
    load_s = time.perf_counter() - started
    repeat = max(1, args.repeat // 2)
    counts_s, counts = timed(lambda: store.lesson_counts(lesson.id), repeat, "lesson_counts")
    table_s, table = timed(lambda: overview_table(counts, lesson, k), repeat, "overview_table")
    result["overview"] = {
        "answers": overview_written + written,
        "sessions": classes + 1,
        "lesson_counts_s": counts_s,
        "overview_table_s": table_s,
        "total_s": counts_s + table_s,
        "total_cpu_s": CPU["lesson_counts"] + CPU["overview_table"],
        "rows": len(table),
        "load_s": load_s,
    }
    print(
        f"cross-class overview, {overview_written + written} answers in {classes + 1} sessions:\n"
        f"  lesson_counts {counts_s * 1000:.0f} ms ({len(counts)} count rows), "
        f"overview_table {table_s * 1000:.0f} ms, total {(counts_s + table_s) * 1000:.0f} ms "
        f"({(CPU['lesson_counts'] + CPU['overview_table']) * 1000:.0f} ms CPU)",
        flush=True,
    )
    store.close()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
