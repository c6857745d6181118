"""Issue 5, items 3, 4, 5 and 9: forged widget messages, stored XSS, tracebacks, access.

Everything runs against `beeldwijs start` (two real Voilà servers, a real SQLite file). Forged
messages are sent over a kernel's own websocket (tests/kernel_client.py), as any script could;
what students and mentors see is checked in Debian's Chromium. Item 7 (the kernel cap) is proved
in tests/test_capacity.py.
"""

from __future__ import annotations

import http.client
import http.cookiejar
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from beeldwijs.content import Library
from beeldwijs.facilitator.masking import mask_text
from beeldwijs.store import ResponseStore, Submission
from tests.e2e_support import TIMEOUT_MS, chromium
from tests.evil_content import LESSON_ID, PAYLOADS, evil_root
from tests.kernel_client import get
from tests.running import App, SmallDisk, answer_on_page, watch_websockets
from tests.shared import no_proxy_opener, widget_tree

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
    student, code, token = app.new_student(LESSON)
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
    tokens = {t for t, _, _, _ in stored}
    assert len(tokens) == 1 and token not in tokens  # one participant; token replaced at closing
    no_traceback(student.frames)
    student.close()


def test_saved_answer_leaves_no_live_send_button(library: Library) -> None:
    """After saving, "Verstuur" is gone (it was shown enabled again next to "Volgende")."""
    from beeldwijs.widgets.question import QuestionView

    for question in (library.lesson(LESSON).questions[0], next(
        q for q in library.lesson(LESSON).questions if q.is_open
    )):  # fmt: skip
        saved: list[str] = []
        view = QuestionView(question, number=1, total=1,
                            save=lambda value, _sid, saved=saved: saved.append(value) or True,
                            on_next=lambda: None)  # fmt: skip
        if view.choice is not None:
            view.choice.value = question.option_ids()[0]
        else:
            assert view.text is not None
            view.text.value = "Niet doorsturen."
        view.submit_button.click()
        assert view.done and len(saved) == 1
        shown = widget_tree(view)
        assert view.next_button in shown
        assert view.submit_button not in shown
        assert not question.is_open or view.skip_button not in shown


# --------------------------------------------------------------------------- 5. tracebacks


@pytest.mark.browser
def test_full_disk_in_a_callback_gives_dutch_and_keeps_the_answer(
    tmp_path: Path, browser: Any
) -> None:
    """The database fills up while a student sends: a Dutch line, no traceback, a working retry."""
    disk = SmallDisk(tmp_path / "disk")
    app = App(tmp_path / "app", db=str(disk.folder / "beeldwijs.sqlite"))
    try:
        app.start()
        code = app.new_session(LESSON)
        page = browser.new_context().new_page()
        page.set_default_timeout(TIMEOUT_MS)
        frames = watch_websockets(page)
        page.goto(app.join_url(code))
        page.locator(".bw-start").click()
        answer_on_page(page, 0)  # acknowledged before the disk fills up
        acknowledged = rows(app.db, code)
        assert len(acknowledged) == 1
        page.locator(".bw-question .bw-next").click()
        page.locator(".bw-question").get_by_text("Vraag 2 van").wait_for()
        question = page.locator(".bw-question")
        question.locator(".bw-option input").first.check()
        disk.fill(app.kernel_pids())
        question.locator(".bw-submit").click()
        question.get_by_text("Je antwoord is nog niet opgeslagen").wait_for()
        assert rows(app.db, code) == acknowledged
        assert question.locator(".bw-option input").first.is_checked()  # the answer is kept
        assert question.locator(".bw-saved").count() == 0
        no_traceback([*frames, page.content(), page.inner_text("body")])
        assert "store unavailable" in app.log()  # the detail went to the operator's terminal

        disk.free()
        question.locator(".bw-submit").click()
        question.locator(".bw-saved").wait_for()
        stored = rows(app.db, code)
        assert len(stored) == 2 and acknowledged[0] in stored
        (second,) = set(stored) - set(acknowledged)
        assert second[3] == question.locator(".bw-option input").first.get_attribute("value")
        assert submissions(app.db, code) == 2  # the retry reused the submission id
        conn = sqlite3.connect(app.db)
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        conn.close()
        no_traceback([*frames, page.content()])
        page.context.close()
    finally:
        app.stop()
        disk.close()


# --------------------------------------------------------------------------- 4. stored XSS

LOCAL = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")
PARSED = "document.querySelectorAll('[data-bw-xss]').length"  # a payload became an element


class Watch:
    """Dialogs and requests off this machine, for every page of a browser context."""

    def __init__(self, context: Any) -> None:
        self.dialogs: list[str] = []
        self.outbound: list[str] = []
        self.pages: list[Any] = []

        def route(r: Any) -> None:
            if r.request.url.startswith(LOCAL):
                r.continue_()
            else:
                self.outbound.append(r.request.url)
                r.abort()

        def on_page(page: Any) -> None:
            self.pages.append(page)
            page.set_default_timeout(TIMEOUT_MS)
            page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
            page.on(
                "request",
                lambda r: None if r.url.startswith(LOCAL) else self.outbound.append(r.url),
            )

        context.route("**/*", route)
        context.on("page", on_page)

    def check(self) -> None:
        assert self.dialogs == []
        assert self.outbound == []
        for page in self.pages:
            if not page.is_closed():
                assert page.evaluate(PARSED) == 0, page.url
                assert "Er ging iets mis" not in page.inner_text("body"), page.url


def walk_lesson(page: Any, lesson: Any, open_text: str, watch: Watch) -> None:
    """One student in Chromium: every scenario screen and question, an open answer typed."""
    page.locator(".bw-start").click()
    for n, question in enumerate(lesson.questions):
        page.locator(".bw-scenario + .bw-question .bw-progress").first.wait_for()
        assert page.evaluate(PARSED) == 0  # story, chat, title (above the question): text only
        view = page.locator(".bw-question")
        view.get_by_text(f"Vraag {n + 1} van").wait_for()
        if question.is_open:
            view.locator("textarea").fill(open_text)
        else:
            view.locator(".bw-option input").first.check()
        view.locator(".bw-submit").click()
        view.locator(".bw-saved").wait_for()  # feedback: expert view, explanation
        watch.check()
        view.locator(".bw-next").click()
    page.locator(".bw-end").wait_for()


def shown_text(page: Any) -> str:
    return " ".join(page.inner_text("body").split())


@pytest.mark.browser
def test_stored_xss_reaches_no_page_and_no_export(tmp_path: Path, browser: Any) -> None:
    """Hostile open answers and hostile lesson text, through every path that shows them."""
    root = evil_root(tmp_path)
    home = tmp_path / "home"  # the dashboard exports into ~/Documents/Beeldwijs
    app = App(tmp_path / "app", args=["--root", str(root)], env={"HOME": str(home)})
    lesson = Library(root).lesson(LESSON_ID)
    app.start()
    try:
        mentor_context, student_context = browser.new_context(), browser.new_context()
        mentor_watch, student_watch = Watch(mentor_context), Watch(student_context)
        mentor = mentor_context.new_page()
        mentor.goto(app.dashboard)
        mentor.locator(".bw-lesson-picker select").select_option(
            label=f"{lesson.title} ({lesson.minutes} min)"
        )
        mentor.wait_for_function(  # the lesson's summary, shown as text
            "s => document.body.innerText.includes(s)", arg=lesson.summary
        )
        mentor.locator(".bw-start-session").click()
        code = mentor.locator(".bw-join-code").first.inner_text().strip()

        student = student_context.new_page()
        student.goto(app.join_url(code))
        answers = [f"antwoord{n} {payload}" for n, payload in enumerate(PAYLOADS)]
        walk_lesson(student, lesson, answers[0], student_watch)
        store = ResponseStore(app.db)  # the rest of the class: what their kernels store
        for answer in answers[1:]:
            token = uuid.uuid4().hex
            for question in lesson.questions:
                value = answer if question.is_open else question.option_ids()[-2]
                store.submit(Submission(code, token, question.key, value, uuid.uuid4().hex))

        # the moderation page: every answer masked and escaped, then approved one by one
        moderation = mentor_context.new_page()
        token = store.new_moderation_token(code)  # as the dashboard's link carries it
        moderation.goto(f"{app.facilitator}/voila/render/moderatie.ipynb?code={code}&token={token}")
        rows_ = moderation.locator(".bw-open-answer")
        rows_.nth(len(answers) - 1).wait_for()
        assert rows_.count() == len(answers)
        text = shown_text(moderation)
        for answer in answers:
            assert " ".join(mask_text(answer).split()) in text, answer
        for n in range(len(answers)):
            rows_.nth(n).locator(".bw-approve").click()
            rows_.nth(n).get_by_text("(goedgekeurd)").wait_for()
        mentor_watch.check()

        # the projected dashboard: every panel revealed, charts and the word cloud drawn
        panels = mentor.locator(".bw-result")
        for n in range(panels.count()):
            panels.nth(n).locator(".bw-reveal").click()
        approved = mentor.locator(".bw-approved li")
        approved.nth(len(answers) - 1).wait_for()
        text = shown_text(mentor)
        for answer in answers:
            assert " ".join(mask_text(answer).split()) in text, answer
        charts = mentor.locator(".bw-chart")
        for n in range(panels.count()):
            panels.nth(n).locator(".bw-chart").wait_for()  # drawn: no mathtext crash
        assert charts.count() == panels.count()
        mentor.locator(".bw-trigger").first.wait_for()  # the author's trigger prompt, as text
        assert " ".join(PAYLOADS[9].split()) in shown_text(mentor)

        # the cross-class overview draws the author's labels too
        overview = mentor_context.new_page()
        overview.goto(f"{app.facilitator}/voila/render/overzicht.ipynb")
        overview.locator(".bw-overview select").select_option(label=lesson.title)
        overview.locator(".bw-trend").first.wait_for()

        # the lesson's own page: its title (notebook metadata) escaped by the template
        status, html = get(f"{app.student}/voila/render/{LESSON_ID}.ipynb?code={code}")
        title = re.search(r"<title>(.*?)</title>", html, re.DOTALL)
        assert status == 200 and title is not None
        assert "<b" not in title.group(1) and "&lt;b data-bw-xss&gt;" in title.group(1)

        # the PDF, CSV and XLSX export
        mentor.locator(".bw-export").click()
        mentor.get_by_text("Verslag opgeslagen").wait_for()
        mentor_watch.check()
        student_watch.check()
        exports = home / "Documents" / "Beeldwijs"
        (pdf,) = exports.glob("*.pdf")
        (csv,) = exports.glob("*.csv")
        (xlsx,) = exports.glob("*.xlsx")
        check_pdf(pdf, answers)
        check_csv(csv.read_text(encoding="utf-8"))
        check_xlsx(xlsx)
        check_results_command(app, root, code)
        no_traceback([app.log()])
        mentor_context.close()
        student_context.close()
    finally:
        app.stop()


def check_pdf(pdf: Path, answers: list[str]) -> None:
    """No active content; the approved answers are in it as text."""
    data = pdf.read_bytes()
    for active in (b"/JavaScript", b"/JS ", b"/URI", b"/Launch", b"/OpenAction", b"/EmbeddedFile"):
        assert active not in data, active
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    assert "Goedgekeurde antwoorden" in flat
    for answer in answers:  # approved answers, masked, printed as plain text
        assert mask_text(answer).split()[0] in flat, answer


def check_csv(text: str) -> None:
    """Aggregates only: no student's text; no cell that a spreadsheet would run as a formula."""
    import csv
    import io

    assert "antwoord" not in text
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert "'" + PAYLOADS[-1] in cells  # the author's formula, shown as text
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]


def check_xlsx(path: Path) -> None:
    """The same aggregates as the CSV; no cell is a formula, the author's one is shown as text."""
    from openpyxl import load_workbook

    cells = [c for row in load_workbook(path).active.iter_rows() for c in row if c.value]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert "'" + PAYLOADS[-1] in {c.value for c in cells}
    assert not any("antwoord" in str(c.value) for c in cells)


def check_results_command(app: App, root: Path, code: str) -> None:
    for fmt in ("json", "csv"):
        done = subprocess.run(
            [sys.executable, "-m", "beeldwijs", "results", code, "--db", app.db, "--format", fmt],
            capture_output=True, text=True, cwd=root / "lessons", check=True,
            env={**__import__("os").environ, "BEELDWIJS_ROOT": str(root)},
        )  # fmt: skip
        if fmt == "json":
            data = json.loads(done.stdout)
            assert data["session"] == code
        assert "antwoord" not in done.stdout  # open answers never leave as text
        assert not re.search(r"\x1b|\x07", done.stdout)


# --------------------------------------------------------------------------- 9. access separation

FACILITATOR_NOTEBOOKS = ("dashboard", "moderatie", "overzicht", "zelfscan")


def raw_get(
    base: str, path: str, headers: dict[str, str] | None = None, *, follow: bool = False
) -> tuple[int, str, dict[str, str]]:
    """GET with the path sent exactly as written (no client-side normalising of .. or %2e);
    ``follow``: follow redirects on the same server, as a browser would."""
    host, port = base.removeprefix("http://").split(":")
    for _ in range(5):
        conn = http.client.HTTPConnection(host, int(port), timeout=120)
        try:
            conn.request("GET", path, headers=headers or {})
            response = conn.getresponse()
            body = response.read().decode("utf-8", "replace")
            found = {k.lower(): v for k, v in response.getheaders()}
        finally:
            conn.close()
        location = found.get("location", "")
        if not (follow and response.status in (301, 302, 303, 307, 308)):
            break
        path = urllib.parse.urlsplit(location)._replace(scheme="", netloc="").geturl()
    return response.status, body, found


def traversal_paths(target: str, levels: int = 1) -> list[str]:
    """``target`` (relative to the folder ``levels`` above the served one) in many disguises."""
    dotdot = ["..", "%2e%2e", "%2E%2E", ".%2e", "%2e.", "%252e%252e", "..;", "....//"]
    paths = []
    for prefix in ("/voila/render/", "/voila/files/", "/voila/static/", "/voila/templates/",
                   "/voila/tree/", "/files/", "/voila/api/themes/", "/api/contents/",
                   "/voila/render//", "/voila/render/./"):  # fmt: skip
        for up in dotdot:
            paths.append(prefix + "/".join([up] * levels) + "/" + target)
            paths.append(prefix + "%2f".join([up] * levels) + "%2f" + target.replace("/", "%2f"))
    return paths


#: Voilà's /voila/templates/ handler asserts on a malformed path (voila/static_file_handler.py,
#: ``parse_url_path``) and answers tornado's bare 500 page: nothing served, so counted as refused.
BARE_500 = (
    "<html><title>500: Internal Server Error</title><body>500: Internal Server Error</body></html>"
)


def refused(status: int, body: str = "", path: str = "") -> bool:
    if status == 500 and path.startswith("/voila/templates/") and body == BARE_500:
        return True
    return status in (403, 404)


def test_facilitator_pages_are_not_served_to_students(app: App) -> None:
    """Every facilitator notebook, by name and by traversal, through the student port."""
    tried = 0
    for name in FACILITATOR_NOTEBOOKS:
        for path in [f"/voila/render/{name}.ipynb", f"/voila/render/{name}.ipynb?code=X",
                     *traversal_paths(f"facilitator/{name}.ipynb")]:  # fmt: skip
            status, body, _ = raw_get(app.student, path)
            tried += 1
            # moderatie.ipynb also lives on the student server by design (the mentor's phone,
            # with the session's token): without one it is the code page, with no kernel
            code_page = name == "moderatie" and status == 200 and "kernelId" not in body
            assert refused(status, body, path) or code_page, (path, status)
            assert "kernelId" not in body, path
    assert tried > 4 * 100
    # and the other way round: the facilitator server serves no lesson
    status, _, _ = raw_get(app.facilitator, "/voila/render/join.ipynb")
    assert status == 404


@pytest.fixture(scope="module")
def lan_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    """As in a classroom: the student server on every interface, on a copy of the content,
    with copies of the database left behind in the served lessons folder."""
    base = tmp_path_factory.mktemp("lan")
    root = base / "root"
    for folder in ("lessons", "scenarios", "facilitator"):
        shutil.copytree(REPO / folder, root / folder)
    db = base / "data" / "beeldwijs.sqlite"
    app = App(base / "app", db=str(db), args=["--root", str(root)], local=False).start()
    store = ResponseStore(str(db))
    code = store.create_session(LESSON).code
    store.submit(Submission(code, uuid.uuid4().hex, "s/open", SECRET, uuid.uuid4().hex))
    store.close()
    for name in ("kopie.sqlite", "beeldwijs.sqlite", "backup.db", "antwoorden.sqlite3"):
        shutil.copy(db, root / "lessons" / name)
    (root / "lessons" / "link.sqlite").symlink_to(db)
    yield app
    app.stop()


SECRET = "GEHEIM-ANTWOORD-IN-DE-DATABASE"
REPO = Path(__file__).resolve().parents[1]
SQLITE_MAGIC = "SQLite format 3"


def test_database_cannot_be_downloaded(lan_app: App) -> None:
    """The real database (outside the served folders) and copies left inside them."""
    db = Path(lan_app.db)
    targets = [f"/voila/files/{name}" for name in
               ("kopie.sqlite", "beeldwijs.sqlite", "backup.db", "antwoorden.sqlite3", "link.sqlite")]  # fmt: skip
    targets += [f"/voila/render/{name}" for name in ("kopie.sqlite", "link.sqlite")]
    targets += [f"/voila/files/{name}-wal" for name in ("kopie.sqlite",)]
    targets += traversal_paths(f"data/{db.name}", levels=2)  # root/lessons -> base/data
    targets += [f"/voila/files/{db}", f"/voila/files/{str(db).replace('/', '%2f')}",
                f"/voila/files//{db}", f"/files/{db}"]  # fmt: skip
    for path in targets:
        status, body, _ = raw_get(lan_app.student, path, follow=True)
        assert refused(status, body, path), (path, status)
        assert SQLITE_MAGIC not in body and SECRET not in body, path
    assert Path(lan_app.db).read_bytes().startswith(SQLITE_MAGIC.encode())  # the probe's target


def listening(port: int) -> set[str]:
    """Addresses a TCP port listens on, read from /proc/net/tcp (IPv4)."""
    found = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, hex_port = local.split(":")
        if state == "0A" and int(hex_port, 16) == port:  # LISTEN
            found.add(".".join(str(int(address[i : i + 2], 16)) for i in (6, 4, 2, 0)))
    return found


def test_dashboard_listens_on_this_computer_only(lan_app: App) -> None:
    assert listening(lan_app.student_port) == {"0.0.0.0"}  # phones reach the lessons …
    assert listening(lan_app.facilitator_port) == {"127.0.0.1"}  # … not the dashboard
    printed = re.search(r"Mentor \(dashboard\): (\S+)", lan_app.log())
    assert printed and printed.group(1).startswith("http://127.0.0.1:")
    assert "token" not in lan_app.log().lower()  # no secret in any printed or projected URL


@pytest.mark.server
def test_dashboard_elsewhere_is_refused_without_a_password(tmp_path: Path) -> None:
    app = App(tmp_path / "app", args=["--facilitator-host", "0.0.0.0"])
    app.env = {"BEELDWIJS_FACILITATOR_PASSWORD": ""}
    app.start(wait=False)
    assert app.wait_exit() == 1
    assert "--facilitator-host 0.0.0.0" in app.log()
    assert "BEELDWIJS_FACILITATOR_PASSWORD" in app.log()
    assert "Voilà is running" not in app.log()


@pytest.mark.server
def test_dashboard_elsewhere_asks_for_the_password_first(tmp_path: Path) -> None:
    password = "paard-batterij-nietje-" + uuid.uuid4().hex[:6]
    app = App(tmp_path / "app", args=["--facilitator-host", "0.0.0.0"],
              env={"BEELDWIJS_FACILITATOR_PASSWORD": password})  # fmt: skip
    app.start()
    try:
        assert listening(app.facilitator_port) == {"0.0.0.0"}
        assert password not in app.log() and "token=" not in app.log()
        assert password not in Path(f"/proc/{app.process.pid}/cmdline").read_text()  # type: ignore[union-attr]
        status, body, headers = raw_get(app.facilitator, "/voila/render/dashboard.ipynb")
        assert status == 302 and headers["location"].startswith("/login?next=")
        assert "kernelId" not in body
        fake = uuid.uuid4()
        for path in (f"/api/kernels/{fake}", f"/api/kernels/{fake}/channels",
                     "/voila/render/moderatie.ipynb", "/voila/tree"):  # fmt: skip
            status, body, _ = raw_get(app.facilitator, path)
            assert status in (302, 403), (path, status)
        assert login(app.facilitator, "fout-wachtwoord") is False
        assert login(app.facilitator, password) is True
    finally:
        app.stop()


def login(base: str, password: str) -> bool:
    """Log in on the login page as a browser would; True when the dashboard then renders."""
    jar = http.cookiejar.CookieJar()
    opener = no_proxy_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{base}/login", timeout=60) as response:
        assert response.status == 200
    xsrf = next(c.value for c in jar if c.name == "_xsrf")
    form = urllib.parse.urlencode({"password": password, "_xsrf": xsrf}).encode()
    try:
        with opener.open(
            f"{base}/login?next=%2Fvoila%2Frender%2Fdashboard.ipynb", form, timeout=120
        ):
            pass
    except urllib.error.HTTPError as error:
        assert error.code == 401  # a wrong password: the login page again
        return False
    with opener.open(f"{base}/voila/render/dashboard.ipynb", timeout=120) as response:
        html = response.read().decode()
        return response.geturl().endswith("/voila/render/dashboard.ipynb") and "kernelId" in html


def test_password_option_is_one_jupyter_server_knows(tmp_path: Path) -> None:
    """traitlets ignores an unknown `--Class.option`: a typo would leave the dashboard open."""
    from jupyter_server.auth.identity import PasswordIdentityProvider
    from traitlets.utils.importstring import import_item

    from beeldwijs.serve.commands import facilitator_command, facilitator_env
    from beeldwijs.serve.options import ServerOptions

    root = tmp_path
    options = ServerOptions(root=root, db="x.sqlite", facilitator_host="0.0.0.0",
                            facilitator_password_hash="argon2:$argon2id$x")  # fmt: skip
    argv = facilitator_command(options)
    assert not [a for a in argv if "argon2" in a or "hashed_password" in a]  # not on a command line
    (flag,) = [a for a in argv if a.startswith("--Voila.identity_provider_class=")]
    provider = import_item(flag.split("=", 1)[1])
    assert issubclass(provider, PasswordIdentityProvider)
    assert "hashed_password" in PasswordIdentityProvider.class_traits(config=True)
    private = tmp_path / "private"
    env = facilitator_env(options, {"JUPYTER_CONFIG_PATH": "/x"}, private)
    config = Path(env["JUPYTER_CONFIG_PATH"].split(os.pathsep)[0]) / "voila.json"
    assert json.loads(config.read_text()) == {
        "PasswordIdentityProvider": {"hashed_password": "argon2:$argon2id$x"}
    }
    assert config.stat().st_mode & 0o077 == 0
    assert "--Voila.ip=0.0.0.0" in facilitator_command(options)
    local = ServerOptions(root=root, db="x.sqlite")
    assert "--Voila.ip=127.0.0.1" in facilitator_command(local)
    assert not [a for a in facilitator_command(local) if "allow_remote_access=True" in a]
    for wrong in ("dashboard.school.lan", "::1"):
        with pytest.raises(ValueError, match="facilitator_host"):
            ServerOptions(root=root, db="x.sqlite", facilitator_host=wrong)
