"""Scale-out for real: `beeldwijs start --student-servers 2` — two student Voilà servers behind
Debian's nginx, one PostgreSQL — a class split across both servers, and the mentor's dashboard
(Chromium) counting every answer.

Most students are simulated at the protocol level (bench/class_join.py's ``Student``: the page,
the redirect to a server's prefix, the kernel websocket through nginx, the widget messages);
one is a real Chromium page, which proves the browser path (static files and websocket) through
the proxy. No timing is asserted.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from beeldwijs.cli import main as cli_main
from beeldwijs.content import Library
from beeldwijs.serve.commands import student_command
from beeldwijs.serve.options import ServerOptions
from beeldwijs.serve.scaleout import find_nginx, nginx_config, prepare_workdir
from beeldwijs.store import ResponseStore
from tests.pgserver import PostgresServer
from tests.shared import answers, start_lesson

ROOT = Path(__file__).resolve().parents[1]
LESSON = "beelden-en-jij"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]
TIMEOUT_MS = 120_000
MIN_STUDENTS = 8
MAX_STUDENTS = 20  # servers are picked at random: stop adding students once both served some


def _ports_free(*ports: int) -> bool:
    for port in ports:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                return False
    return True


def _three_free_ports() -> int:
    """A port p with p+101 and p+102 free too (nginx, server 1, server 2: internal_port)."""
    for _ in range(50):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        if port < 65000 and _ports_free(port, port + 101, port + 102):
            return port
    raise RuntimeError("no three free ports in a row")


def _wait_http(url: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if answers(url):
            return
        time.sleep(0.3)
    raise TimeoutError(url)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    if find_nginx() is None:
        pytest.fail("Debian's nginx is missing: run tools/system-deps.sh")
    postgres = PostgresServer()
    postgres.start()
    work = tmp_path_factory.mktemp("scaleout")
    db = postgres.create_database("scaleout")
    student_port = _three_free_ports()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        facilitator_port = int(sock.getsockname()[1])
    log = (work / "servers.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "beeldwijs", "start", "--local", "--k", "3",
         "--student-servers", "2", "--pool-size", "2",
         "--student-port", str(student_port), "--facilitator-port", str(facilitator_port),
         "--db", db],
        stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ), start_new_session=True,
    )  # fmt: skip
    student = f"http://127.0.0.1:{student_port}"
    dashboard = f"http://127.0.0.1:{facilitator_port}/voila/render/dashboard.ipynb"
    try:
        for url in (f"{student}/s1/", f"{student}/s2/", dashboard):
            _wait_http(url)
        yield {"student": student, "dashboard": dashboard, "db": db, "log": work / "servers.log"}
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()
        postgres.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _protocol_students(student_url: str, code: str) -> list[Any]:
    """Students at the protocol level until both servers have served at least one."""
    sys.path.insert(0, str(ROOT / "bench"))
    from class_join import Student  # type: ignore[import-not-found]

    path = f"/voila/render/join.ipynb?code={code}"
    done: list[Any] = []

    async def wave(n: int) -> list[Any]:
        students = [Student(student_url, path, code, "ours", 1, 240.0) for _ in range(n)]
        await asyncio.gather(*(s.run() for s in students))
        return students

    while len(done) < MAX_STUDENTS:
        n = MIN_STUDENTS if not done else 2
        # in a thread: Playwright's sync API already runs an event loop in this one
        with ThreadPoolExecutor(max_workers=1) as thread:
            done += thread.submit(asyncio.run, wave(n)).result()
        if len({s.served_by for s in done}) == 2:
            break
    return done


@pytest.mark.browser
@pytest.mark.postgres
def test_a_class_split_over_two_servers_reaches_one_dashboard(app: dict[str, Any], browser: Any) -> None:  # fmt: skip
    lesson = Library().lesson(LESSON)
    first_question = lesson.questions[0]
    mentor = browser.new_context().new_page()
    mentor.set_default_timeout(TIMEOUT_MS)
    code = start_lesson(mentor, app["dashboard"], lesson)
    # the join link on the projector is nginx's address, not a student server's
    assert f"{app['student']}/voila/render/join.ipynb?code={code}".split("//")[1] in (
        mentor.inner_text("body").replace(" ", "")
    )

    students = _protocol_students(app["student"], code)
    failures = [s.error for s in students if s.error]
    assert failures == []
    servers = {s.served_by for s in students}
    assert servers == {f"{app['student']}/s1", f"{app['student']}/s2"}, servers

    # one real browser through the proxy: static files, redirect, kernel websocket
    page = browser.new_context().new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{app['student']}/voila/render/join.ipynb?code={code}")
    page.click(".bw-start")
    page.locator(".bw-question .bw-option").first.click()  # not the language switch
    page.click(".bw-question .bw-submit")
    page.locator(".bw-saved").wait_for()
    assert re.search(r"/s[12]/voila/render/join\.ipynb", page.url)

    answered = len(students) + 1
    store = ResponseStore(app["db"])
    first_counts = [c for c in store.counts(code) if c.question_key == first_question.key]
    assert sum(c.count for c in first_counts) == answered
    real = sum(c.count for c in first_counts if c.value != "sla-over")  # skips count apart
    assert store.participant_count(code) == answered
    store.close()

    mentor.locator(".bw-participants", has_text=f"{answered} deelnemers").wait_for()
    first = mentor.locator(".bw-result").nth(0)
    # reveal once the dashboard's poll has every answer (a revealed chart then moves on only
    # in steps of k answers: the small-group protection)
    first.get_by_text(f"{real} antwoorden binnen").wait_for()
    first.locator(".bw-reveal").click()
    summary = first.locator(".bw-result-summary")
    summary.wait_for()
    counts = [int(n) for n in re.findall(r": (\d+)", summary.inner_text())]
    assert sum(counts) == answered


# --------------------------------------------------------------------------- configuration


@pytest.mark.server
def test_nginx_config_is_valid_and_keeps_a_page_on_its_server(tmp_path: Path) -> None:
    nginx = find_nginx()
    if nginx is None:
        pytest.fail("Debian's nginx is missing: run tools/system-deps.sh")
    upstreams = [("/s1/", "127.0.0.1:9001"), ("/s2/", "127.0.0.1:9002"), ("/s3/", "10.0.0.3:8866")]
    config = nginx_config("127.0.0.1:9000", upstreams, tmp_path)
    for prefix, address in upstreams:
        name = f"beeldwijs_{prefix.strip('/')}"
        assert f"server {address};" in config
        assert f"location {prefix} {{\n            proxy_pass http://{name};" in config
    assert "return 302 /$beeldwijs_server$request_uri;" in config  # join link → a server
    assert "proxy_set_header Upgrade $http_upgrade;" in config  # kernel websockets
    assert "access_log off;" in config and "error_log stderr crit;" in config  # no addresses
    assert "33.33% s1;" in config and "* s3;" in config
    prepare_workdir(tmp_path, config)
    checked = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stderr


def test_nginx_config_command_prints_a_snippet(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["nginx-config", "--listen", "80", "10.0.0.1:8866", "10.0.0.2:8866"]) == 0
    out = capsys.readouterr().out
    assert "listen 80;" in out and "server 10.0.0.2:8866;" in out
    assert "location /s2/" in out and "http {" not in out  # for /etc/nginx/conf.d/


def test_student_servers_behind_nginx_listen_locally_under_their_prefix(tmp_path: Path) -> None:
    options = ServerOptions(root=tmp_path, db="x.sqlite", student_port=9000, student_servers=2)
    second = student_command(options, 2)
    assert "--Voila.port=9102" in second and "--Voila.ip=127.0.0.1" in second
    assert "--Voila.base_url=/s2/" in second
    single = student_command(ServerOptions(root=tmp_path, db="x.sqlite", base_url="/s4/"))
    assert "--Voila.base_url=/s4/" in single and "--Voila.ip=0.0.0.0" in single
    with pytest.raises(ValueError, match="base_url"):
        ServerOptions(root=tmp_path, db="x", base_url="s1")
