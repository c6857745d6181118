"""Issue 16, fake participants, end to end: a real session on `beeldwijs start`, the mentor's
dashboard in Chromium at a projector's size, one real student and four fake participants (one
student joining four more times with a fresh token each time: protocol clients over the kernel
websocket, as the attack was done).

Before: with k = 5 the four fakes made the one real answer count towards a shown result, and the
projector announced the answer that came after the reveal ("1 nieuwe antwoorden komen in beeld
zodra het er 5 zijn"). Now the dashboard flags more participants than the class size the mentor
set, and the projected view shows no count of answers waiting for k.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator

import pytest

from beeldwijs.content import Library
from beeldwijs.store import ResponseStore
from tests.e2e_support import LESSON, TIMEOUT_MS, running_app
from tests.kernel_client import Student

pytestmark = pytest.mark.browser

K = 5
PROJECTOR = {"width": 1280, "height": 800}


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    with running_app(tmp_path_factory.mktemp("e2e-fakes"), k=K) as running:
        yield running


def answers_first_question(app: dict[str, str], code: str, value: str) -> None:
    """A participant with a fresh token joins over the kernel websocket and answers question 1."""
    student = Student(app["student"], f"voila/render/join.ipynb?code={code}")
    try:
        student.join(code, uuid.uuid4().hex)
        student.start()
        question = student.question()
        student.answer(question, value)
        assert student.saved(question), student.text()[-500:]
    finally:
        student.close()


def test_four_fake_participants_are_flagged_and_nothing_waiting_is_projected(
    app: dict[str, str], browser
) -> None:
    lesson = Library().lesson(LESSON)
    question = lesson.questions[0]
    page = browser.new_context(viewport=PROJECTOR).new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(app["dashboard"])
    page.locator(".bw-lesson-picker select").select_option(
        label=f"{lesson.title} ({lesson.minutes} min)"
    )
    page.get_by_text("Ik bepaal het tempo", exact=True).click()
    page.click(".bw-start-session")
    page.locator(".bw-presenter").wait_for()
    code = page.evaluate(
        "() => document.querySelector('[data-bw-session]').getAttribute('data-bw-session')"
    )
    # the presenter's buttons (its keys click them; a key pressed while the button is still
    # held by the previous click does nothing, a click waits until it is enabled)
    page.locator(".bw-present-bar .bw-key-next").click()  # the story
    page.locator(".bw-stage h2", has_text=lesson.scenarios[0].title).wait_for()
    page.locator(".bw-present-bar .bw-key-next").click()  # the question, open for the class
    page.locator(".bw-stage h2", has_text=question.prompt).wait_for()
    size = page.locator(".bw-class-size input")
    size.fill("1")  # the mentor's class (one student, so that four fakes make k)
    size.press("Enter")
    store = ResponseStore(app["db"])
    try:
        wait_for(lambda: store.session(code).class_size == 1)
        first = question.option_ids()[0]
        for _ in range(1 + 4):  # the real student, then one student's four fakes
            answers_first_question(app, code, first)
        assert store.participant_count(code) == 5

        flag = page.locator(".bw-too-many")
        flag.filter(has_text="5 deelnemers").wait_for()  # at the dashboard's next poll
        assert "1 leerlingen" in flag.inner_text()
        assert flag.get_attribute("role") == "alert"
        assert page.locator(".bw-stage .bw-too-many").count() == 0  # not on the projector

        page.locator(".bw-present-bar .bw-key-reveal").click()  # Toon resultaat: k is reached
        page.locator(".bw-stage .bw-chart img").wait_for()
        answers_first_question(app, code, first)  # one more answer after the reveal
        flag.filter(has_text="6 deelnemers").wait_for()  # the dashboard has seen it
        stage = page.locator(".bw-stage").inner_text()
        assert "5 antwoorden" in stage, stage
        assert "komen in beeld" not in stage and "nieuwe antwoorden" not in stage, stage
        assert "6" not in page.locator(".bw-stage .bw-progress").inner_text()
    finally:
        store.close()
        page.context.close()


def wait_for(condition: Callable[[], bool], tries: int = 600) -> None:
    """Poll ``condition`` every 0.1 s (the dashboard writes from its kernel)."""
    for _ in range(tries):
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("condition never held")
