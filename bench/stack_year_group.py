"""A year group through the school server's compose stack against the same run in laptop mode.

Issue 15 asks for the figures of a year group (300 students) through the stack — Caddy with
TLS, two student servers, PostgreSQL, the mentors' server, all in containers — next to the plain
laptop mode (`beeldwijs start`: one student server, SQLite), in one run on one machine. Both get
the same students: bench/class_join.py's protocol-level ``Student`` (the page, the kernel
websocket, the widget messages a browser sends), arriving at the same random moments over
``--arrival`` seconds, each answering ``--questions`` questions, in classes of 30 (one session
each). Both have 30 warm kernels in all (laptop: a pool of 30; stack: 15 on each student
server) and room for every student. Every student comes from this machine: through the stack
that is one address behind the front, as a school's network behind one NAT, so the limits per
address apply as shipped (60 new pages at once, then 30 a minute, per student server); the
laptop's phones each have their own address on the LAN, so its server runs without them (as
class_join's).

Figures per setup: failures (and why), time to interactive (GET → first question answerable),
answer round trip (send → the kernel's "saved"), CPU-seconds and memory per student (PSS of the
student servers and their kernels, from /proc), the peak of that memory, and for the stack also
the peak of every container together (front, mentors' server, PostgreSQL). The stack is reached
at https://beeldwijs.test on 127.0.0.1 with a private CA, as in tests/test_stack_class.py; its
images are built or reused as in the container tests (podman, tests/container_support.py).
The last line is one JSON object.

    python bench/stack_year_group.py                          # 300 over 5 minutes, 2 questions
    python bench/stack_year_group.py --students 60 --arrival 60 --only stack
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from class_join import (  # noqa: E402
    CLASS_SIZE,
    CLEANUP,
    Student,
    cpu_seconds,
    load_average,
    run_students,
    start_server,
    student_figures,
)

from beeldwijs.store import ResponseStore  # noqa: E402
from tests.container_support import HOST, Stack, compose_stack, podman, resolving  # noqa: E402
from tests.shared import descendants, pss_mb  # noqa: E402

LESSON = "beelden-en-jij"
JOIN = "/voila/render/join.ipynb?code={code}"
STUDENT_SERVERS = ("student1", "student2")


def arrivals(n: int, seconds: float) -> list[float]:
    """When each student arrives (the same moments as class_join's, for both setups)."""
    rng = random.Random(7)
    return sorted(rng.uniform(0, seconds) for _ in range(n)) if seconds else [0.0] * n


# --------------------------------------------------------------------------- laptop mode


def laptop(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    """`beeldwijs start`'s student server with SQLite: class_join's own measurement."""
    run = argparse.Namespace(
        students=args.students, arrival=args.arrival, questions=args.questions,
        pool_size=args.pool, fill_delay=20.0, student_servers=1, timeout=args.timeout,
        max_kernels=args.students + args.pool + 10,
    )  # fmt: skip
    db = str(work / "laptop.sqlite")
    store = ResponseStore(db)
    codes = [store.create_session(LESSON).code for _ in range(_classes(args) + 1)]
    store.close()
    server = start_server("laptop", REPO, db, run, work)
    try:
        figures = asyncio.run(run_students(server, "ours", codes, run, JOIN))
    finally:
        server.stop()
    return {key: figures[key] for key in FIGURES if key in figures}


# --------------------------------------------------------------------------- the stack


def container_pids(stack: Stack, services: tuple[str, ...]) -> list[int]:
    """The host pids of the services' first processes (their trees: :func:`tree`)."""
    pids = []
    for service in services:
        found = podman("inspect", "-f", "{{.State.Pid}}", stack.container(service)).stdout
        pids.append(int(found))
    return pids


def tree(pids: list[int]) -> list[int]:
    return [p for pid in pids for p in (pid, *descendants(pid))]


def kernel_count(pids: list[int]) -> int:
    count = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            if b"ipykernel" in Path(f"/proc/{pid}/cmdline").read_bytes():
                count += 1
    return count


def settle(stack: Stack, quiet: float = 0.15, seconds: float = 120) -> None:
    """Until the student servers and their kernels use less than ``quiet`` cores."""
    end = time.monotonic() + seconds
    servers = container_pids(stack, STUDENT_SERVERS)
    while time.monotonic() < end:
        pids = tree(servers)
        before = sum(cpu_seconds(p) for p in pids)
        time.sleep(2)
        if (sum(cpu_seconds(p) for p in pids) - before) / 2 < quiet:
            return


NEW_SESSIONS = """
import json
from beeldwijs.store import ResponseStore
store = ResponseStore()
print(json.dumps([store.create_session({lesson!r}).code for _ in range({n})]))
"""


async def _stack_students(
    stack: Stack, codes: list[str], args: argparse.Namespace
) -> tuple[list[Student], dict[str, float], float]:
    context = stack.certs.context()
    students = [
        Student(
            stack.origin,
            JOIN.format(code=codes[i // CLASS_SIZE]),
            codes[i // CLASS_SIZE],
            "ours",
            args.questions,
            args.timeout,
            ssl=context,
        )  # fmt: skip
        for i in range(args.students)
    ]
    peak = {"students_mb": 0.0, "all_mb": 0.0, "kernels": 0.0}
    done = asyncio.Event()
    servers = container_pids(stack, STUDENT_SERVERS)
    rest = container_pids(stack, ("front", "facilitator", "db"))

    async def monitor() -> None:
        while not done.is_set():
            ours, others = tree(servers), tree(rest)
            mine = sum(pss_mb(p) for p in ours)
            peak["students_mb"] = max(peak["students_mb"], mine)
            peak["all_mb"] = max(peak["all_mb"], mine + sum(pss_mb(p) for p in others))
            peak["kernels"] = max(peak["kernels"], kernel_count(ours))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(done.wait(), 2)

    async def one(student: Student, delay: float) -> None:
        await asyncio.sleep(delay)
        await student.run()

    watching = asyncio.create_task(monitor())
    started = time.perf_counter()
    await asyncio.gather(*(one(s, d) for s, d in
                           zip(students, arrivals(args.students, args.arrival), strict=True)))  # fmt: skip
    elapsed = time.perf_counter() - started
    done.set()
    await watching
    return students, peak, elapsed


def through_the_stack(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    per_server = -(-args.students // len(STUDENT_SERVERS))
    pool = args.pool // len(STUDENT_SERVERS)
    settings = {
        "BEELDWIJS_POOL_SIZE": str(pool),
        "BEELDWIJS_MAX_KERNELS": str(per_server + pool + 10),
    }
    with compose_stack(work / "stack", settings) as stack, resolving(HOST):
        for service in STUDENT_SERVERS:
            stack.wait_for_log(service, f"Kernel pool of join.ipynb is filled with {pool} ")
        settle(stack)
        script = NEW_SESSIONS.format(lesson=LESSON, n=_classes(args) + 1)
        codes = json.loads(stack.python("facilitator", script))
        servers = container_pids(stack, STUDENT_SERVERS)
        cpu_before = {p: cpu_seconds(p) for p in tree(servers)}
        load_before = load_average()
        students, peak, elapsed = asyncio.run(_stack_students(stack, codes, args))
        pids = tree(servers)
        cpu = sum(cpu_seconds(p) - cpu_before.get(p, 0.0) for p in pids)
        memory = sum(pss_mb(p) for p in pids)
        if args.logs:
            stack.save_logs(args.logs)
    n = len(students)
    served: dict[str, int] = {}
    for s in students:
        if not s.error:
            name = s.served_by.rsplit("/", 1)[-1]
            served[name] = served.get(name, 0) + 1
    return {
        **student_figures(students),
        "served": served,
        "cpu_s_per_student": cpu / n,
        "pss_mb_per_student": memory / n,
        "peak_pss_mb": peak["students_mb"],
        "peak_pss_mb_every_container": peak["all_mb"],
        "peak_kernels": int(peak["kernels"]),
        "elapsed_s": elapsed,
        "load_before": load_before,
    }


# --------------------------------------------------------------------------- main

#: The figures both setups report, in this order.
FIGURES = (
    "students", "failures", "errors", "tti_p50", "tti_p95", "tti_max", "rtt_p50", "rtt_p95",
    "answers", "cpu_s_per_student", "pss_mb_per_student", "peak_pss_mb", "peak_kernels",
    "elapsed_s", "load_before",
)  # fmt: skip


def _classes(args: argparse.Namespace) -> int:
    return max(1, -(-args.students // CLASS_SIZE))


def _shown(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.2f}" if value < 100 else f"{value:.0f}"
    return "-" if value is None else str(value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument(
        "--arrival", type=float, default=300.0, help="seconds over which they arrive"
    )
    parser.add_argument("--questions", type=int, default=2)
    parser.add_argument("--pool", type=int, default=30, help="warm kernels in all, per setup")
    parser.add_argument("--timeout", type=float, default=600.0, help="per student, seconds")
    parser.add_argument("--only", choices=("laptop", "stack"), help="run one setup")
    parser.add_argument("--logs", type=Path, help="keep the stack's logs in this folder")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="beeldwijs-year-"))
    result: dict[str, Any] = {"bench": "stack_year_group", **vars(args)}
    setups = {"laptop": laptop, "stack": through_the_stack}
    try:
        for name, run in setups.items():
            if args.only and name != args.only:
                continue
            print(f"-- {name}: {args.students} students over {args.arrival:.0f} s, "
                  f"load {load_average()}", flush=True)  # fmt: skip
            result[name] = run(args, work)
            print(
                "   " + ", ".join(f"{k} {_shown(v)}" for k, v in result[name].items()), flush=True
            )
        if "laptop" in result and "stack" in result:
            result["stack_over_laptop"] = {
                key: result["stack"][key] / result["laptop"][key]
                for key in ("tti_p50", "rtt_p50", "cpu_s_per_student", "pss_mb_per_student")
                if result["stack"].get(key) and result["laptop"].get(key)
            }
    finally:
        CLEANUP.close()
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(result, default=str))


if __name__ == "__main__":
    main()
