"""`beeldwijs start` as a real process for the reliability, security and privacy proofs.

Unlike ``tests/e2e_support.running_app`` it can stop and start again on the same ports and
database (a server restart in the middle of a lesson), serve another content root, use a
PostgreSQL URL, pass extra options and environment, and keeps one log over restarts.
"""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.kernel_client import Student
from tests.shared import descendants, free_port

REPO = Path(__file__).resolve().parents[1]
START_TIMEOUT = 120.0
READY = "Mentor (dashboard):"  # printed by `beeldwijs start` once both servers answer


@dataclass
class App:
    """`beeldwijs start --local` on fixed ports; ``start()``/``stop()`` as often as needed."""

    folder: Path
    db: str = ""
    k: int = 3
    args: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    student_port: int = field(default_factory=free_port)
    facilitator_port: int = field(default_factory=free_port)
    local: bool = True
    process: subprocess.Popen[bytes] | None = None
    _ready_before: int = 0

    def __post_init__(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.db = self.db or str(self.folder / "beeldwijs.sqlite")
        self.log_path = self.folder / "servers.log"

    @property
    def student(self) -> str:
        return f"http://127.0.0.1:{self.student_port}"

    @property
    def facilitator(self) -> str:
        return f"http://127.0.0.1:{self.facilitator_port}"

    @property
    def dashboard(self) -> str:
        return f"{self.facilitator}/voila/render/dashboard.ipynb"

    def join_url(self, code: str) -> str:
        return f"{self.student}/{self.join_path(code)}"

    @staticmethod
    def join_path(code: str) -> str:
        return f"voila/render/join.ipynb?code={code}"

    def new_session(self, lesson: str) -> str:
        """A new session of ``lesson`` in this app's database; its code."""
        from beeldwijs.store import ResponseStore

        store = ResponseStore(self.db)
        try:
            return store.create_session(lesson).code
        finally:
            store.close()

    def new_student(self, lesson: str) -> tuple[Student, str, str]:
        """A new session and a student in it over a raw websocket, past the anonymity notice:
        (student, session code, participant token)."""
        code = self.new_session(lesson)
        token = uuid.uuid4().hex
        student = Student(self.student, self.join_path(code))
        student.join(code, token)
        student.start()
        return student, code, token

    def command(self) -> list[str]:
        return [
            sys.executable, "-m", "beeldwijs", "start", *(["--local"] if self.local else []),
            "--k", str(self.k), "--student-port", str(self.student_port),
            "--facilitator-port", str(self.facilitator_port), "--db", self.db, *self.args,
        ]  # fmt: skip

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def start(self, *, wait: bool = True) -> App:
        env = {**os.environ, **self.env}
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
        env.pop("BEELDWIJS_DB", None)
        self._ready_before = self.log().count(READY)
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                self.command(), stdout=log, stderr=subprocess.STDOUT, env=env, cwd=self.folder
            )
        if wait:
            self.wait_ready()
        return self

    def wait_ready(self) -> None:
        """Until this start printed the URLs (the log is kept over restarts)."""
        assert self.process is not None
        deadline = time.monotonic() + START_TIMEOUT
        while self.log().count(READY) <= self._ready_before:
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"beeldwijs start did not come up:\n{self.log()[-5000:]}")
            time.sleep(0.2)

    def wait_exit(self, timeout: float = 120) -> int:
        assert self.process is not None
        return self.process.wait(timeout=timeout)

    def stop(self) -> None:
        """Ctrl-C, as the mentor would; killed after 60 s."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def kernel_pids(self) -> list[int]:
        """PIDs of the kernels of the student server (children of its Voilà process)."""
        return [pid for pid in descendants(self.process.pid if self.process else 0)
                if b"ipykernel" in _cmdline(pid)]  # fmt: skip

    def student_server_pid(self) -> int:
        flag = f"--Voila.port={self.student_port}".encode()
        for pid in descendants(self.process.pid if self.process else 0):
            if flag in _cmdline(pid).split(b"\0"):
                return pid
        raise AssertionError("no student server process")


def db_files(db: str) -> list[Path]:
    """The SQLite file and its companions (-wal, -shm, -journal) that exist."""
    path = Path(db)
    return [p for p in path.parent.iterdir() if p.name.startswith(path.name)]


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


class SmallDisk:
    """A place for the database that can be made full, and then have room again.

    As root: a small tmpfs mounted on ``folder`` and filled with a filler file (SQLite then gets
    ENOSPC, "database or disk is full"). Otherwise: a file-size limit (RLIMIT_FSIZE) put on the
    kernel processes, so every write that would grow a file fails (EFBIG, "disk I/O error").
    """

    def __init__(self, folder: Path, size_mb: int = 8) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.mounted = False
        if os.geteuid() == 0:
            done = subprocess.run(
                ["mount", "-t", "tmpfs", "-o", f"size={size_mb}m", "beeldwijs-test", str(folder)],
                capture_output=True,
            )
            self.mounted = done.returncode == 0
        self.filler = folder / "filler"
        self._limited: list[tuple[int, tuple[int, int]]] = []

    @property
    def how(self) -> str:
        return "tmpfs" if self.mounted else "RLIMIT_FSIZE"

    def fill(self, pids: list[int]) -> None:
        """No more room for the processes ``pids`` (used only without tmpfs)."""
        if self.mounted:
            fd = os.open(self.filler, os.O_WRONLY | os.O_CREAT, 0o600)
            try:
                for size in (1 << 20, 1 << 16, 1 << 12, 1):
                    with contextlib.suppress(OSError):  # ENOSPC: on to a smaller piece
                        while True:
                            os.write(fd, b"\0" * size)
            finally:
                os.close(fd)
            return
        for pid in pids:
            before = resource.prlimit(pid, resource.RLIMIT_FSIZE)
            resource.prlimit(pid, resource.RLIMIT_FSIZE, (1, before[1]))
            self._limited.append((pid, before))

    def free(self) -> None:
        if self.mounted and self.filler.exists():
            self.filler.unlink()
        for pid, before in self._limited:
            with contextlib.suppress(ProcessLookupError):
                resource.prlimit(pid, resource.RLIMIT_FSIZE, before)
        self._limited = []

    def read_only(self) -> None:
        """Nothing may be written here any more (root: remount read-only; else permissions)."""
        if self.mounted:
            subprocess.run(["mount", "-o", "remount,ro", str(self.folder)], check=True)
            return
        for path in self.folder.iterdir():
            path.chmod(0o444)
        self.folder.chmod(0o555)

    def close(self) -> None:
        self.free()
        if self.mounted:
            subprocess.run(["umount", "-l", str(self.folder)], check=False)
            self.mounted = False
        else:
            self.folder.chmod(0o755)


def watch_websockets(page: object) -> list[str]:
    """Every websocket frame the page receives, as text (Playwright ``page.on("websocket")``)."""
    frames: list[str] = []

    def on_socket(ws: object) -> None:
        def on_frame(payload: str | bytes) -> None:
            frames.append(
                payload if isinstance(payload, str) else payload.decode("utf-8", "replace")
            )

        ws.on("framereceived", on_frame)  # type: ignore[attr-defined]

    page.on("websocket", on_socket)  # type: ignore[attr-defined]
    return frames


def answer_on_page(page: Any, option: int = 0) -> str:
    """Answer the question on screen (past its card) with the ``option``-th choice in Chromium;
    returns its "Vraag n van N" text."""
    page.locator(".bw-question .bw-progress").first.wait_for()  # below its scenario's story
    question = page.locator(".bw-question")
    number = str(question.locator(".bw-progress").first.inner_text())
    question.locator(".bw-option input").nth(option).check()
    question.locator(".bw-submit").click()
    question.locator(".bw-saved").wait_for()
    return number
