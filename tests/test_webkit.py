"""A whole lesson in WebKit, the engine of Safari on every iPhone (issue 13 item 5).

Debian's webkit2gtk-driver (WebKitWebDriver driving MiniBrowser under Xvfb, tests/webkit.py)
opens a join link and answers a brugklas lesson with every question type of a student lesson
(dilemma, knowledge, scale, traffic light, open text); the page is reloaded in the middle and the
student resumes where they were. The store holds an answer for every question the student was
shown. (The staff tabletop holds decision steps and open text only; decisions are covered in
Chromium.)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from beeldwijs.content import Library
from beeldwijs.content.model import Question
from beeldwijs.store import ResponseStore
from tests.running import App
from tests.webkit import click, text, type_into, visible, wait_for, webkit

pytestmark = pytest.mark.browser

LESSON = "brugklas-1-online-identiteit"  # every question type of a student lesson
QUESTION_TYPES = {"dilemma", "knowledge", "scale", "traffic_light", "text"}


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    running = App(tmp_path_factory.mktemp("webkit")).start()
    try:
        yield running
    finally:
        running.stop()


def progress(driver: Any) -> int:
    """n of "Vraag n van N" on the question shown, or 0."""
    found = re.search(r"Vraag (\d+) van", text(driver, ".bw-question .bw-progress"))
    return int(found[1]) if found else 0


def answer(driver: Any, question: Question) -> None:
    """Picks the first option (or types an answer) and sends it; waits for the confirmation."""
    if question.is_open:
        type_into(driver, ".bw-question textarea", "Eerst de leerling spreken, dan melden.")
    else:
        click(driver, ".bw-question .bw-option")
        wait_for(
            lambda: driver.execute_script(
                "return !!document.querySelector('.bw-question .bw-option input:checked')"
            ),
            "the chosen option to be checked",
        )
    click(driver, ".bw-question .bw-submit")
    wait_for(lambda: visible(driver, ".bw-question .bw-saved"), "the confirmation")


def test_a_whole_lesson_with_every_question_type_and_a_reload_in_webkit(app: App) -> None:
    lesson = Library().lesson(LESSON)
    assert {q.type for q in lesson.questions} == QUESTION_TYPES
    code = app.new_session(LESSON)
    answered: list[Question] = []
    with webkit() as driver:
        driver.get(app.join_url(code))
        wait_for(lambda: "anoniem" in text(driver, ".bw-anonymity"), "the anonymity notice")
        assert visible(driver, ".bw-help")
        click(driver, ".bw-start")
        reloaded = False
        while True:
            number = wait_for(
                lambda: progress(driver) or (visible(driver, ".bw-end") and -1), "a question"
            )
            if number == -1:
                break
            assert text(driver, ".bw-scenario"), "the story stands above its question"
            question = lesson.questions[number - 1]
            answer(driver, question)
            answered.append(question)
            if not reloaded and len(answered) == len(lesson.questions) // 2:
                reloaded = True
                driver.refresh()
                wait_for(
                    lambda: "Verder waar je was" in text(driver, ".bw-start"),
                    "the notice offering to go on after the reload",
                )
                click(driver, ".bw-start")
                wait_for(
                    lambda n=number: progress(driver) > n, "the next question after the reload"
                )
                continue
            click(driver, ".bw-question .bw-next")
            wait_for(
                lambda n=number: progress(driver) != n or visible(driver, ".bw-end"),
                "the next question or the end screen",
            )
        assert reloaded and visible(driver, ".bw-help")

    assert {q.type for q in answered} == QUESTION_TYPES
    store = ResponseStore(app.db)
    try:
        stored = {c.question_key for c in store.counts(code)}
    finally:
        store.close()
    assert stored == {q.key for q in answered}
