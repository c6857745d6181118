"""The student server's kernel cap, eviction and warm pool (beeldwijs.serve.studentserver), for real.

Each test starts the student Voilà server the way `beeldwijs start` does (``student_command`` and
``server_env``) on a tiny notebook, and talks HTTP to it. A flood of 3× the cap must leave the
server alive, its kernels at the cap and its memory bounded; requests beyond the cap get the
Dutch 503 page. No wall-clock figures are asserted (those are in bench/class_join.py).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from beeldwijs.serve.commands import server_env, student_command
from beeldwijs.serve.options import ServerOptions
from beeldwijs.store import ResponseStore
from beeldwijs.texts import t_in
from tests.shared import (
    answers,
    descendants,
    free_ports,
    http_get,
    pss_mb,
    stop_group,
    write_notebook,
)

NOTEBOOK = """\
import ipywidgets as widgets
widgets.Label("MARKER-READY")
"""
START_TIMEOUT = 120.0


def _rendered(body: str) -> str:
    """What a failing page showed: its <main> without scripts and tags (for assertion messages)."""
    main = body.split("<main", 1)[-1]
    main = re.sub(r"<script.*?</script>|<style.*?</style>", " ", main, flags=re.DOTALL)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)).strip()[:1500]


def _exited(pid: int) -> bool:
    """The process is gone or a zombie (its exit can be seen by its parent)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state in ("Z", "X")


@dataclass
class StudentServer:
    process: subprocess.Popen[bytes]
    url: str
    log_path: Path
    code: str  # an open session: pages start a kernel only for one (beeldwijs.admission)

    def page(self, notebook: str = "hello.ipynb") -> str:
        return f"{self.url}/voila/render/{notebook}?code={self.code}"

    def kernel_pids(self) -> list[int]:
        return [
            pid
            for pid in descendants(self.process.pid)
            if b"ipykernel" in Path(f"/proc/{pid}/cmdline").read_bytes()
        ]

    def memory_mb(self) -> float:
        return sum(pss_mb(p) for p in [self.process.pid, *descendants(self.process.pid)])

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_for(self, condition: Callable[[], bool], what: str, seconds: float = 90) -> None:
        deadline = time.monotonic() + seconds
        while not condition():
            assert self.process.poll() is None, f"server died while waiting for {what}"
            assert time.monotonic() < deadline, f"timed out waiting for {what}\n{self.log()}"
            time.sleep(0.2)


@pytest.fixture
def student_server(tmp_path: Path) -> Iterator[Callable[..., StudentServer]]:
    servers: list[StudentServer] = []

    def start(notebook: str = "hello.ipynb", **overrides: float) -> StudentServer:
        root = tmp_path / f"root{len(servers)}"
        write_notebook(root / "lessons" / notebook, NOTEBOOK, "Test")
        (root / "facilitator").mkdir()
        port, other = free_ports(2)
        db = str(tmp_path / "store.sqlite")
        options = ServerOptions(
            root=root,
            db=db,
            student_port=port,
            facilitator_port=other,
            local=True,
            # every request comes from 127.0.0.1 here: the global cap is under test
            **{"joins_per_minute": 0, **overrides},  # type: ignore[arg-type]
        )
        store = ResponseStore(db)
        code = store.create_session("hello").code
        store.close()
        log_path = tmp_path / f"student{len(servers)}.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                student_command(options),
                env=server_env(options),
                cwd=options.lessons_dir,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        server = StudentServer(process, f"http://127.0.0.1:{port}", log_path, code)
        servers.append(server)
        server.wait_for(lambda: answers(f"{server.url}/"), "the server to answer", START_TIMEOUT)
        return server

    yield start
    for server in servers:
        stop_group(server.process, timeout=30)


def test_flood_of_three_times_the_cap_gets_the_full_page(
    student_server: Callable[..., StudentServer],
) -> None:
    cap = 4
    server = student_server(max_kernels=cap, pool_size=0, evict_after=3600)
    idle_memory = server.memory_mb()
    page = server.page()
    with ThreadPoolExecutor(max_workers=3 * cap) as pool:
        answers = list(pool.map(lambda _: http_get(page), range(3 * cap)))
    statuses = sorted(status for status, _ in answers)
    assert statuses.count(200) == cap, statuses
    assert statuses.count(503) == 2 * cap, statuses
    for status, body in answers:
        if status == 200:
            assert "MARKER-READY" in body
        else:
            assert "De klas is vol" in body and "Vraag je mentor" in body
            assert "Traceback" not in body and "Kernel cap" not in body
    # alive, at the cap, memory bounded by the cap (a kernel here is ≈ 40-70 MB PSS)
    assert server.process.poll() is None
    assert len(server.kernel_pids()) == cap
    assert server.memory_mb() - idle_memory < cap * 150
    assert http_get(server.page())[0] == 503
    # in the language the student chose (the cookie the student app leaves)
    status, body = http_get(server.page(), {"Cookie": "beeldwijs-taal=ar"})
    assert status == 503 and '<html lang="ar" dir="rtl">' in body
    assert t_in("ar", "full.heading") in body and t_in("ar", "full.ask") in body
    assert http_get(f"{server.url}/")[0] == 200  # the server still answers
    assert "(127.0.0.1)" not in server.log()


def test_at_the_cap_an_abandoned_kernel_makes_room(
    student_server: Callable[..., StudentServer],
) -> None:
    """Kernels whose page is gone (no websocket) for `evict_after` s are stopped for a newcomer."""
    server = student_server(max_kernels=2, pool_size=0, evict_after=1)
    page = server.page()
    first = {http_get(page)[0], http_get(page)[0]}
    assert first == {200}
    time.sleep(2)  # both pages were only fetched, never connected: abandoned after 1 s
    status, body = http_get(page)
    assert status == 200 and "MARKER-READY" in body
    assert "stopping abandoned kernel" in server.log()
    server.wait_for(lambda: len(server.kernel_pids()) == 2, "two kernels")


def test_pool_serves_the_join_page_and_drops_a_dead_kernel(
    student_server: Callable[..., StudentServer],
) -> None:
    server = student_server(
        notebook="join.ipynb", max_kernels=6, pool_size=2, pool_fill_delay=0, evict_after=3600
    )
    server.wait_for(lambda: len(server.kernel_pids()) == 2, "a pool of two")
    server.wait_for(lambda: "is filled with 2 kernel(s)" in server.log(), "the pool to fill")
    pooled = server.kernel_pids()
    os.kill(pooled[0], signal.SIGKILL)  # a pooled kernel dies (docs/stack-facts.md: it happens)
    server.wait_for(lambda: _exited(pooled[0]), "the kernel to die")
    for _ in range(2):
        status, body = http_get(server.page("join.ipynb"))
        assert status == 200, status
        assert "MARKER-READY" in body, f"{_rendered(body)}\n--- server log ---\n{server.log()}"
    log = server.log()
    assert "Dropped a dead kernel from the pool of join.ipynb" in log
    assert "Using pre-heated kernel" in log
    # other notebooks get no pool: only join.ipynb is preheated
    assert "Kernel pool of join.ipynb" in log


def test_a_refill_waiting_for_its_delay_is_not_handed_out(
    student_server: Callable[..., StudentServer],
) -> None:
    """Once the pool's kernels are taken, the next student gets a kernel of their own at once,
    not a refill that sleeps its delay first (a year group arriving one a second waited for it)."""
    server = student_server(
        notebook="join.ipynb", max_kernels=8, pool_size=2, pool_fill_delay=3600, evict_after=3600
    )
    server.wait_for(lambda: "is filled with 2 kernel(s)" in server.log(), "the pool to fill")
    page = server.page("join.ipynb")
    for _ in range(3):  # the third would hang for an hour (or time out) on a sleeping refill
        status, body = http_get(page)
        assert status == 200 and "MARKER-READY" in body, _rendered(body)
    assert server.log().count("Using pre-heated kernel") == 2
    assert len(server.kernel_pids()) == 3  # the two refills have not started


def test_the_pool_counts_towards_the_cap(student_server: Callable[..., StudentServer]) -> None:
    server = student_server(
        notebook="join.ipynb", max_kernels=3, pool_size=2, pool_fill_delay=0, evict_after=3600
    )
    server.wait_for(lambda: "is filled with 2 kernel(s)" in server.log(), "the pool to fill")
    page = server.page("join.ipynb")
    statuses = [http_get(page)[0] for _ in range(5)]
    assert statuses.count(200) == 3, statuses  # two from the pool, one fresh; no refill past 3
    assert statuses[-1] == 503
    assert len(server.kernel_pids()) == 3
    assert "pool of join.ipynb not refilled" in server.log()
