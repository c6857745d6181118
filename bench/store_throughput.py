"""Store throughput: N writer processes each submit M answers (with resends) to one store.

Prints figures and, as its last line, one JSON object. Usage:
    python bench/store_throughput.py [--writers 30] [--answers 100] [--db FILE|postgresql://…]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import tempfile
import time
import uuid
from pathlib import Path

from beeldwijs.store import ResponseStore, Submission


def _writer(target: str, code: str, writer: int, answers: int) -> int:
    store = ResponseStore(target)
    token = f"{writer:032x}"
    for i in range(answers):
        sub = Submission(code, token, f"s/q{i}", "a", uuid.uuid4().hex)
        store.submit(sub)
        store.submit(sub)  # every answer is sent twice: the resend must be ignored
    store.close()
    return answers


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--writers", type=int, default=30)
    parser.add_argument("--answers", type=int, default=100)
    parser.add_argument("--db")
    args = parser.parse_args()
    target = args.db or str(Path(tempfile.mkdtemp()) / "bench.sqlite")
    store = ResponseStore(target)
    code = store.create_session("bench").code
    started = time.perf_counter()
    with mp.get_context("spawn").Pool(args.writers) as pool:
        sent = sum(
            pool.starmap(_writer, [(target, code, w, args.answers) for w in range(args.writers)])
        )
    elapsed = time.perf_counter() - started
    stored = sum(c.count for c in store.counts(code))
    result = {
        "bench": "store_throughput",
        "backend": store.backend.name,
        "writers": args.writers,
        "answers_sent": sent,
        "resends": sent,
        "answers_stored": stored,
        "lost": sent - stored,
        "seconds": round(elapsed, 2),
        "answers_per_second": round(sent / elapsed, 1),
    }
    print(f"{sent} answers (+{sent} resends) from {args.writers} processes in {elapsed:.2f} s")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
