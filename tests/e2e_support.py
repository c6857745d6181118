"""Shared pieces of the browser tests: `beeldwijs start` on free ports, Debian's Chromium.

Selectors follow the automation contract in docs/testing.md.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.shared import NO_PROXY, free_port

LESSON = "beelden-en-jij"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
]  # fmt: skip
TIMEOUT_MS = 90_000


def wait_http(url: str, seconds: float = 300) -> None:
    """Wait until ``url`` answers. A Voilà page runs its notebook before it answers: each try
    waits for that (a short timeout would abandon the render and start yet another kernel on a
    loaded machine), a refused connection is tried again soon."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with NO_PROXY.open(url, timeout=max(2.0, deadline - time.monotonic())):
                return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(url)


@contextmanager
def running_app(
    folder: Path, k: int, extra_env: Callable[[int, int], dict[str, str]] | None = None
) -> Iterator[dict[str, str]]:
    """`beeldwijs start --local` on free ports with a fresh SQLite file in ``folder``;
    ``extra_env(student_port, facilitator_port)`` adds to the servers' environment."""
    db = folder / "beeldwijs.sqlite"
    student_port, facilitator_port = free_port(), free_port()
    log = (db.parent / "servers.log").open("wb")
    env = {**os.environ, "BEELDWIJS_DB": str(db)}
    if extra_env is not None:
        env.update(extra_env(student_port, facilitator_port))
    process = subprocess.Popen(
        [sys.executable, "-m", "beeldwijs", "start", "--local", "--k", str(k),
         "--student-port", str(student_port), "--facilitator-port", str(facilitator_port),
         "--db", str(db)],
        stdout=log, stderr=subprocess.STDOUT, env=env,
    )  # fmt: skip
    student = f"http://127.0.0.1:{student_port}"
    dashboard = f"http://127.0.0.1:{facilitator_port}/voila/render/dashboard.ipynb"
    try:
        wait_http(f"{student}/voila/render/{LESSON}.ipynb")
        wait_http(dashboard)
        yield {"student": student, "dashboard": dashboard, "db": str(db), "log": log.name}
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@contextmanager
def chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: run tools/system-deps.sh")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def answer_lesson(
    page, questions, choice_index: int, *, skip: int | None = None, reload_after: int | None = None
) -> None:
    """Go through the lesson; returns on the end screen."""
    page.click(".bw-start")
    answered = 0
    total = len(questions)
    while answered < total:
        page.locator(".bw-scenario").wait_for()  # the story, above its question
        question = page.locator(".bw-question")
        question.wait_for()
        number = int(
            re.search(r"Vraag (\d+) van", question.locator(".bw-progress").first.inner_text())[1]
        )
        q = questions[number - 1]
        if number - 1 == skip:
            target = question.locator(".bw-option-skip, .bw-skip").first
            target.click()
            if q.is_open:
                target = None
        elif q.is_open:
            question.locator("textarea").fill("Niet doorsturen en erover praten.")
            target = None
        else:
            target = question.locator(".bw-option").nth(choice_index % len(q.options))
            target.click()
        if not (number - 1 == skip and q.is_open):
            question.locator(".bw-submit").click()
        question.locator(".bw-saved").wait_for()
        answered = number
        if reload_after is not None and answered == reload_after:
            page.reload()
            page.locator(".bw-start", has_text="Verder waar je was").wait_for(timeout=TIMEOUT_MS)
            page.click(".bw-start")
            reload_after = None
            continue
        question.locator(".bw-next").click()
        page.wait_for_function(
            "n => !document.querySelector('.bw-question .bw-progress') || "
            "!document.querySelector('.bw-question .bw-progress').textContent.includes('Vraag ' + n + ' van')",
            arg=number,
        )
    page.locator(".bw-end").wait_for()
