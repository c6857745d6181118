"""End to end: `beeldwijs start`, the dashboard and three students in Debian's Chromium.

The whole path is real: two Voilà servers started by the CLI, a SQLite file, kernels per student,
browser contexts that keep their own localStorage. Selectors follow docs/testing.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from beeldwijs.content import Library
from tests.e2e_support import LESSON, TIMEOUT_MS, answer_lesson, running_app
from tests.shared import start_lesson

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    with running_app(tmp_path_factory.mktemp("e2e"), k=3) as running:
        yield running


def test_class_session_from_dashboard_to_chart(app: dict[str, str], browser) -> None:
    lesson = Library().lesson(LESSON)
    questions = lesson.questions

    mentor = browser.new_context().new_page()
    mentor.set_default_timeout(TIMEOUT_MS)
    code = start_lesson(mentor, app["dashboard"], lesson)
    assert re.fullmatch(r"[A-Z0-9]{6}", code)
    assert "0 deelnemers" in mentor.locator(".bw-participants").inner_text()
    join = f"{app['student']}/voila/render/join.ipynb?code={code}"
    assert join.split("//")[1] in mentor.inner_text("body").replace(" ", "")

    students = []
    for _ in range(3):
        page = browser.new_context().new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(join)
        page.locator(".bw-help").wait_for()
        notice = page.locator(".bw-anonymity")
        notice.wait_for()  # the kernel has the session and the browser token
        assert "anoniem" in notice.inner_text()
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


def test_wrong_code_gets_a_dutch_message(app: dict[str, str], browser) -> None:
    page = browser.new_context().new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{app['student']}/voila/render/{LESSON}.ipynb?code=QQQQQQ")
    message = page.locator(".bw-join-message")
    message.wait_for()  # the server's code page: no kernel for an unknown code (issue 16)
    assert "Met deze code kun je nu niet meedoen" in message.inner_text()
    assert page.locator("input.bw-code-input").is_visible()
    assert page.locator(".bw-help").is_visible()
