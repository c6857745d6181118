"""Issue 16, faults: a crashed student server comes back while the dashboard stays up, and the
temporary folders of a crashed start are removed at the next start.

Before: the student server's crash stopped the dashboard too ("Beeldwijs stopt ook de
mentorserver"), and 13 stale connection folders stayed in the temporary folder after a crash.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from beeldwijs.serve.runfolder import base_folder
from tests.kernel_client import Student, get
from tests.running import App
from tests.shared import answers, descendants

LESSON = "beelden-en-jij"


def _wait(condition: object, what: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.3)


@pytest.mark.server  # starts its own `beeldwijs start` (App), not through a fixture
def test_a_crashed_student_server_is_restarted_while_the_dashboard_stays_up(
    tmp_path: Path,
) -> None:
    app = App(tmp_path / "app")
    app.start()
    try:
        dashboard_pid = next(
            pid for pid in descendants(app.process.pid)  # type: ignore[union-attr]
            if f"--Voila.port={app.facilitator_port}".encode() in Path(f"/proc/{pid}/cmdline").read_bytes()
        )  # fmt: skip
        crashed = app.student_server_pid()
        os.kill(crashed, signal.SIGKILL)
        _wait(lambda: "opnieuw" in app.log() and answers(f"{app.student}/"), "the restart")
        assert app.process is not None and app.process.poll() is None
        assert app.student_server_pid() != crashed
        assert dashboard_pid in descendants(app.process.pid)  # the same dashboard server
        assert get(app.dashboard)[0] == 200
        code = app.new_session(LESSON)
        student = Student(app.student, App.join_path(code))
        try:
            student.join(code, "0" * 32)
            student.start()
        finally:
            student.close()
    finally:
        app.stop()


@pytest.mark.server  # starts its own `beeldwijs start` (App), not through a fixture
def test_the_folders_of_a_crashed_start_are_removed_at_the_next_start(tmp_path: Path) -> None:
    app = App(tmp_path / "app")
    app.start()
    assert app.process is not None
    crashed = app.process.pid
    base = base_folder()
    left = base / str(crashed)
    assert any(left.glob("voila_*"))  # the servers' connection folders live here
    for pid in [crashed, *descendants(crashed)]:
        os.kill(pid, signal.SIGKILL)
    app.process.wait()
    _wait(lambda: not answers(f"{app.student}/"), "the crashed servers to be gone")
    assert left.exists()
    app.start()
    try:
        assert not left.exists()
        assert "opgeruimd" in app.log()
    finally:
        app.stop()
    assert not (base / str(app.process.pid)).exists()  # a clean stop leaves nothing
