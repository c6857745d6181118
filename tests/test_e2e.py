"""End to end: `beeldwijs start`, the dashboard and three students in Debian's Chromium.

The whole path is real: two Voilà servers started by the CLI, a SQLite file, kernels per student,
browser contexts that keep their own localStorage. Selectors follow docs/testing.md.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from beeldwijs.content import Library

pytestmark = pytest.mark.browser

LESSON = "beelden-en-jij"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
]  # fmt: skip
TIMEOUT_MS = 90_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(url: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(url)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    db = tmp_path_factory.mktemp("e2e") / "beeldwijs.sqlite"
    student_port, facilitator_port = free_port(), free_port()
    log = (db.parent / "servers.log").open("wb")
    env = {**os.environ, "BEELDWIJS_DB": str(db)}
    process = subprocess.Popen(
        [sys.executable, "-m", "beeldwijs", "start", "--local", "--k", "3",
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
        log.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: run tools/system-deps.sh")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def answer_lesson(
    page, questions, choice_index: int, *, skip: int | None = None, reload_after: int | None = None
) -> None:  # noqa: ANN001
    """Go through the lesson; returns on the end screen."""
    page.click(".bw-start")
    answered = 0
    total = len(questions)
    while answered < total:
        progress = page.locator(".bw-question .bw-progress, .bw-scenario .bw-next").first
        progress.wait_for()
        if page.locator(".bw-scenario").count():
            page.click(".bw-scenario .bw-next")
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


def test_class_session_from_dashboard_to_chart(app: dict[str, str], browser) -> None:  # noqa: ANN001
    lesson = Library().lesson(LESSON)
    questions = lesson.questions

    mentor = browser.new_context().new_page()
    mentor.set_default_timeout(TIMEOUT_MS)
    mentor.goto(app["dashboard"])
    mentor.locator(".bw-lesson-picker select").select_option(label=f"{lesson.title} ({lesson.minutes} min)")
    mentor.click(".bw-start-session")
    code = mentor.locator(".bw-join-code").first.inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{6}", code)
    assert "0 deelnemers" in mentor.locator(".bw-participants").inner_text()
    join = f"{app['student']}/voila/render/{LESSON}.ipynb?code={code}"
    assert join.split("//")[1] in mentor.inner_text("body").replace(" ", "")

    students = []
    for _ in range(3):
        page = browser.new_context().new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(join)
        page.locator(".bw-help").wait_for()
        assert "anoniem" in page.inner_text("body")
        students.append(page)
    # student 0 and 2 pick the first option, student 1 the second; student 1 skips question 2;
    # student 2 reloads the page after 4 answers and continues.
    answer_lesson(students[0], questions, 0)
    answer_lesson(students[1], questions, 1, skip=1)
    answer_lesson(students[2], questions, 0, reload_after=4)
    for page in students:
        assert page.locator(".bw-help").is_visible()

    mentor.locator(".bw-participants", has_text="3 deelnemers").wait_for()
    first = mentor.locator(".bw-result").nth(0)
    assert not first.locator(".bw-chart").is_visible()  # hidden until the mentor reveals it
    first.locator(".bw-reveal").click()
    mentor.locator(".bw-result").nth(1).locator(".bw-reveal").click()
    summary = first.locator(".bw-result-summary")
    summary.wait_for()
    counts = dict(re.findall(r"(.+?): (\d+)", summary.inner_text()))
    labels = [o.text for o in questions[0].options]
    assert counts[labels[0]] == "2" and counts[labels[1]] == "1" and counts["sla over"] == "0"
    assert first.locator(".bw-chart").is_visible()
    second = mentor.locator(".bw-result").nth(1)
    assert "Nog verborgen: 2 van minimaal 3" in second.inner_text()
    assert not second.locator(".bw-chart").is_visible()


def test_wrong_code_gets_a_dutch_message(app: dict[str, str], browser) -> None:  # noqa: ANN001
    page = browser.new_context().new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{app['student']}/voila/render/{LESSON}.ipynb?code=QQQQQQ")
    message = page.locator(".bw-join-message")
    message.wait_for()
    assert "De code QQQQQQ kennen we niet" in message.inner_text()
    assert page.locator(".bw-code-input input").is_visible()
    assert page.locator(".bw-help").is_visible()
