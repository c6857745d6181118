"""Issue 5, items 3, 4, 5 and 9: forged widget messages, stored XSS, tracebacks, access.

Everything runs against `beeldwijs start` (two real Voilà servers, a real SQLite file). Forged
messages are sent over a kernel's own websocket (tests/kernel_client.py), as any script could;
what students and mentors see is checked in Debian's Chromium. Item 7 (the kernel cap) is proved
in tests/test_capacity.py.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from beeldwijs.content import Library
from beeldwijs.store import ResponseStore
from tests.e2e_support import TIMEOUT_MS, chromium
from tests.kernel_client import Student
from tests.running import App, SmallDisk, watch_websockets

LESSON = "beelden-en-jij"
TRACEBACK_TEXT = ("Traceback", 'File "', "Error:")


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    running = App(tmp_path_factory.mktemp("security")).start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


def new_session(db: str, lesson: str = LESSON) -> str:
    store = ResponseStore(db)
    try:
        return store.create_session(lesson).code
    finally:
        store.close()


def rows(db: str, code: str) -> list[tuple[str, str, int, str]]:
    """Every stored answer of a session: (token, question, round, value)."""
    conn = sqlite3.connect(db)
    try:
        return list(
            conn.execute(
                "SELECT token, question_key, round, value FROM answers WHERE session_code = ?",
                (code,),
            )
        )
    finally:
        conn.close()


def submissions(db: str, code: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(
            conn.execute(
                "SELECT COUNT(*) FROM submissions WHERE session_code = ?", (code,)
            ).fetchone()[0]
        )
    finally:
        conn.close()


def no_traceback(texts: list[str]) -> None:
    """No traceback text, and no kernel stderr at all (log lines stay on the server)."""
    for text in texts:
        for marker in TRACEBACK_TEXT:
            assert marker not in text, text[:2000]
        assert '"name": "stderr"' not in text, text[:2000]


# --------------------------------------------------------------------------- 3. forged messages


def test_forged_widget_messages_store_nothing_forged(app: App, library: Library) -> None:
    """Raw comm messages over the student kernel's websocket, as a script in the page sends them."""
    lesson = library.lesson(LESSON)
    questions = {q.key: q for q in lesson.questions}
    code = ResponseStore(app.db).create_session(LESSON).code
    token = uuid.uuid4().hex
    student = Student(app.student, f"voila/render/join.ipynb?code={code}")
    student.join(code, token)
    student.start()
    q1 = student.question()
    key1 = lesson.questions[0].key
    valid = lesson.questions[0].option_ids()[0]

    # values that are not an option of this question, however they are dressed up
    forged = ["forged", "<img src=x onerror=alert(1)>", "", "x" * 10_000, "sla-over "]
    for value in forged:
        student.answer(q1, value)
        assert rows(app.db, code) == [], value
        assert "Kies eerst een antwoord" in student.status(q1)
    # widen the widget's own option list: the kernel checks the question, not the widget
    student.wait_handled([student.set_state(q1["choice"], options=[["evil", "Evil"]])])
    student.answer(q1, "evil")
    # "disable" the button, then "enable" it again, as the browser may
    student.wait_handled([student.set_state(q1["submit"], disabled=True)])
    student.answer(q1, valid)
    assert rows(app.db, code) == []  # a disabled button ignores clicks …
    student.wait_handled([student.set_state(q1["submit"], disabled=False)])
    student.answer(q1, "forged")
    assert rows(app.db, code) == []  # … and an enabled one still checks the value

    # 2,000 clicks at once on a valid answer, then 2,000 more with another valid value
    student.wait_handled([student.set_state(q1["choice"], value=valid)])
    student.click_many(q1["submit"], 2_000)
    assert student.saved(q1)
    other = lesson.questions[0].option_ids()[1]
    student.wait_handled([student.set_state(q1["choice"], value=other)])
    student.click_many(q1["submit"], 2_000)
    assert rows(app.db, code) == [(token, key1, 1, valid)]
    assert submissions(app.db, code) == 1

    # on to the open question, answering each question once, properly
    student.next(q1)
    q = student.question()
    while "text" not in q:
        key = lesson.questions[int(q["number"]) - 1].key
        student.answer(q, questions[key].option_ids()[0])
        assert student.saved(q)
        student.next(q)
        q = student.question()
    open_question = lesson.questions[int(q["number"]) - 1]
    limit = open_question.max_length
    for text in ["a" * (limit + 1), "b" * 100_000, "   \n  "]:
        student.answer(q, text)
        assert open_question.key not in {r[1] for r in rows(app.db, code)}
    assert f"maximaal {limit} tekens" in student.status(q) or "Kies eerst" in student.status(q)
    student.answer(q, "c" * limit)  # exactly at the limit is fine
    assert student.saved(q)

    # the first question's view is gone from the page, but its widgets still listen: click its
    # (hidden) send button 2,000 times with yet another value
    third = lesson.questions[0].option_ids()[2]
    student.wait_handled([student.set_state(q1["choice"], value=third)])
    student.click_many(q1["submit"], 2_000)
    assert q1["view"] not in set(student.shown())

    # the mentor closes the session: a later answer is refused, with a Dutch message
    ResponseStore(app.db).close_session(code)
    student.next(q)
    after = student.question()
    after_key = lesson.questions[int(after["number"]) - 1].key
    student.answer(after, questions[after_key].option_ids()[0])
    assert "De les is afgesloten" in student.status(after)

    stored = rows(app.db, code)
    answered = {key for _, key, _, _ in stored}
    assert after_key not in answered
    assert len(stored) == len(answered) == submissions(app.db, code)  # ≤ 1 row per question
    by_key = {key: value for _, key, _, value in stored}
    assert by_key[key1] == valid
    assert by_key[open_question.key] == "c" * limit
    for key, value in by_key.items():
        if not questions[key].is_open:
            assert value in questions[key].option_ids(), (key, value)
    assert {t for t, _, _, _ in stored} == {token}
    no_traceback(student.frames)
    student.close()


# --------------------------------------------------------------------------- 5. tracebacks


def open_first_question(page: Any, url: str) -> None:
    page.goto(url)
    page.locator(".bw-start").click()
    page.locator(".bw-scenario .bw-next").click()
    page.locator(".bw-question").wait_for()


@pytest.mark.browser
def test_full_disk_in_a_callback_gives_dutch_and_keeps_the_answer(
    tmp_path: Path, browser: Any
) -> None:
    """The database fills up while a student sends: a Dutch line, no traceback, a working retry."""
    disk = SmallDisk(tmp_path / "disk")
    app = App(tmp_path / "app", db=str(disk.folder / "beeldwijs.sqlite"))
    try:
        app.start()
        code = new_session(app.db)
        page = browser.new_context().new_page()
        page.set_default_timeout(TIMEOUT_MS)
        frames = watch_websockets(page)
        open_first_question(page, app.join_url(code))
        question = page.locator(".bw-question")
        question.locator(".bw-option input").first.check()
        disk.fill(app.kernel_pids())
        question.locator(".bw-submit").click()
        question.get_by_text("Je antwoord is nog niet opgeslagen").wait_for()
        assert rows(app.db, code) == []
        assert question.locator(".bw-option input").first.is_checked()  # the answer is kept
        assert question.locator(".bw-saved").count() == 0
        no_traceback([*frames, page.content(), page.inner_text("body")])
        assert "store unavailable" in app.log()  # the detail went to the operator's terminal

        disk.free()
        question.locator(".bw-submit").click()
        question.locator(".bw-saved").wait_for()
        [(_, key, _, value)] = rows(app.db, code)
        assert value == question.locator(".bw-option input").first.get_attribute("value")
        assert submissions(app.db, code) == 1  # the retry reused the submission id
        no_traceback([*frames, page.content()])
        page.context.close()
    finally:
        app.stop()
        disk.close()
