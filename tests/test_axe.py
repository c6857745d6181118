"""axe-core on every student screen and every mentor page (issue 13 item 6).

axe-core (tests/axe.py: pinned, from the npm registry, installed into a cache folder by the tests)
is injected into Chromium pages of a real `beeldwijs start`; no serious or critical WCAG 2.0–2.2
A/AA violation is allowed anywhere. Each test collects every screen's findings before it asserts,
so one run names them all.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from beeldwijs.content import Library
from beeldwijs.serve.admission import OPEN_MEMORY
from beeldwijs.store import ResponseStore, Submission
from tests.axe import blocking
from tests.e2e_support import TIMEOUT_MS
from tests.running import App
from tests.shared import start_lesson

pytestmark = pytest.mark.browser

STUDENT_LESSON = "brugklas-1-online-identiteit"  # every question type a student lesson has
STAFF_LESSON = "staf-tabletop-incidentprotocol"  # decision steps and the team result


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    folder = tmp_path_factory.mktemp("axe")
    running = App(folder, env={"XDG_DATA_HOME": str(folder / "data")}).start()
    try:
        yield running
    finally:
        running.stop()


def new_page(browser: Any) -> Any:
    page = browser.new_context().new_page()
    page.set_default_timeout(TIMEOUT_MS)
    return page


def progress(page: Any) -> int:
    found = re.search(
        r"Vraag (\d+) van", page.locator(".bw-question .bw-progress").first.inner_text()
    )
    assert found
    return int(found[1])


def walk_lesson(page: Any, lesson_id: str, findings: list[str]) -> set[str]:
    """Answers the lesson from its notice to its end screen, running axe on the notice, the
    open help panel, each question type (chosen, then confirmed) and the end screen; returns the
    question types seen."""
    questions = Library().lesson(lesson_id).questions
    page.locator(".bw-start").wait_for()
    findings += blocking(page, f"{lesson_id}: notice")
    page.locator(".bw-help summary").click()
    findings += blocking(page, f"{lesson_id}: help panel open")
    page.locator(".bw-help summary").click()
    page.click(".bw-start")
    seen: set[str] = set()
    while True:
        page.locator(".bw-question .bw-progress, .bw-end").first.wait_for()
        if page.locator(".bw-end").count():
            break
        number = progress(page)
        question = questions[number - 1]
        checked = question.type not in seen
        if question.is_open:
            page.locator(".bw-question textarea").fill("Eerst erover praten.")
        else:
            page.locator(".bw-question .bw-option").first.click()
        if checked:
            findings += blocking(page, f"{lesson_id}: {question.type} question")
        page.locator(".bw-question .bw-submit").click()
        page.locator(".bw-question .bw-saved").wait_for()
        if checked:
            findings += blocking(page, f"{lesson_id}: {question.type} confirmed")
        seen.add(question.type)
        page.locator(".bw-question .bw-next").click()
        page.wait_for_function(
            "n => document.querySelector('.bw-end') || !document.querySelector("
            "'.bw-question .bw-progress')?.textContent.includes('Vraag ' + n + ' van')",
            arg=number,
        )
    findings += blocking(page, f"{lesson_id}: end screen")
    return seen


def test_no_serious_violation_on_any_student_screen(app: App, browser: Any) -> None:
    findings: list[str] = []
    page = new_page(browser)
    page.goto(app.join_url("QQQQQQ"))
    page.locator(".bw-join-message").wait_for()
    findings += blocking(page, "unknown code with the code form")

    student = new_page(browser)
    code = app.new_session(STUDENT_LESSON)
    student.goto(app.join_url(code))
    seen = walk_lesson(student, STUDENT_LESSON, findings)
    assert seen == {"dilemma", "knowledge", "scale", "traffic_light", "text"}
    store = ResponseStore(app.db)
    store.close_session(code)
    store.close()
    # the student server takes a code it found open as open for OPEN_MEMORY s (a class joining
    # in a burst asks the store once); this lesson can be walked faster than that
    student.wait_for_timeout(OPEN_MEMORY * 1000)
    student.reload()  # the lesson's end screen from the server (serve/codepage.py closed_page)
    student.locator(".bw-closed-page .bw-recap-item").first.wait_for()
    findings += blocking(student, "closed lesson after a reload")
    staff = new_page(browser)
    staff.goto(app.join_url(app.new_session(STAFF_LESSON)))
    assert "decision" in walk_lesson(staff, STAFF_LESSON, findings)
    assert not findings, "\n".join(findings)


def answers(app: App, code: str, lesson_id: str, students: int) -> None:
    """``students`` answers to every question (first option, or a line of text)."""
    store = ResponseStore(app.db)
    try:
        for who in range(students):
            for q in Library().lesson(lesson_id).questions:
                value = "Eerst erover praten." if q.is_open else q.options[who % 2].id
                store.submit(Submission(code, f"{who:032x}", q.key, value, uuid.uuid4().hex))
    finally:
        store.close()


def test_no_serious_violation_on_any_mentor_page(app: App, browser: Any) -> None:
    findings: list[str] = []
    root = new_page(browser)
    root.goto(app.facilitator + "/")
    root.locator("body *").first.wait_for(state="attached")
    findings += blocking(root, "mentor server's root")

    mentor = new_page(browser)
    mentor.goto(app.dashboard)
    mentor.locator(".bw-start-session").wait_for()
    findings += blocking(mentor, "dashboard: the first screen")
    code = start_lesson(mentor, app.dashboard, Library().lesson(STUDENT_LESSON))
    mentor.locator(".bw-qr img").wait_for()
    findings += blocking(mentor, "dashboard: lesson started (code, link, QR)")
    answers(app, code, STUDENT_LESSON, app.k + 1)
    mentor.locator(".bw-participants", has_text=f"{app.k + 1} deelnemers").wait_for()
    reveal = mentor.locator(".bw-result .bw-reveal")
    for i in range(reveal.count()):
        reveal.nth(i).click()
    mentor.locator(".bw-result .bw-chart img").first.wait_for()
    findings += blocking(mentor, "dashboard: every result revealed")
    mentor.locator(".bw-modlink-toggle").click()
    mentor.locator(".bw-modlink img").wait_for()
    findings += blocking(mentor, "dashboard: the moderation link and its QR code")

    moderation = new_page(browser)
    moderation.goto(str(mentor.locator(".bw-modlink-url").get_attribute("href")))
    moderation.locator(".bw-approve").first.wait_for()
    findings += blocking(moderation, "moderation page")

    for notebook, ready in (("overzicht", ".bw-export-overview"), ("zelfscan", ".bw-selfscan")):
        other = new_page(browser)
        other.goto(f"{app.facilitator}/voila/render/{notebook}.ipynb")
        other.locator(ready).first.wait_for()
        findings += blocking(other, notebook)
    assert not findings, "\n".join(findings)


def test_the_checker_finds_what_it_must(browser: Any) -> None:
    page = new_page(browser)
    page.set_content(
        '<html><body><img src="data:image/png;base64,iVBORw0KGgo="><button></button></body></html>'
    )
    found = " ".join(blocking(page, "broken page"))
    assert "image-alt" in found and "button-name" in found and "html-has-lang" in found
