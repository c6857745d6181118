"""The mentor at the front of the class, in Chromium at a projector's 1280×800 (issue 14).

The first screen prompts instead of erring; the presenting view shows story → question with its
options → result without scrolling, steered by keys; a reload reopens the lesson with its revealed
chart; pause is black; closing asks first, takes the code off the projector and can be undone;
moderation opens on a second device with the session's token and not without it; a lesson without
devices, counted by the mentor, gives the same report as a device lesson with the same counts.

Screenshots for docs/screenshots/ are written when BEELDWIJS_SCREENSHOTS names a folder
(``BEELDWIJS_SCREENSHOTS=docs/screenshots pytest tests/test_e2e_present.py``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from beeldwijs.content import Library
from beeldwijs.facilitator.report import results_dict, results_table, session_results
from beeldwijs.store import ResponseStore, Submission
from tests.e2e_support import LESSON, TIMEOUT_MS, running_app

pytestmark = pytest.mark.browser

K = 5
PROJECTOR = {"width": 1280, "height": 800}


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    with running_app(tmp_path_factory.mktemp("e2e-present"), k=K) as running:
        yield running


def shot(page, name: str) -> None:
    folder = os.environ.get("BEELDWIJS_SCREENSHOTS")
    if folder:
        page.screenshot(path=Path(folder) / name)


def mentor_page(browser):
    page = browser.new_context(viewport=PROJECTOR).new_page()
    page.set_default_timeout(TIMEOUT_MS)
    return page


def start(page, app: dict[str, str], *, label: str = "", mode: str = "") -> str:
    lesson = Library().lesson(LESSON)
    page.goto(app["dashboard"])
    page.locator(".bw-lesson-picker select").select_option(
        label=f"{lesson.title} ({lesson.minutes} min)"
    )
    if label:
        page.locator(".bw-class-label input").fill(label)
    if mode:
        page.locator(".bw-mode").get_by_text(mode).click()
    page.get_by_text("Ik bepaal het tempo", exact=True).click()
    page.click(".bw-start-session")
    page.locator(".bw-presenter").wait_for()
    return page.evaluate(
        "() => document.querySelector('[data-bw-session]').getAttribute('data-bw-session')"
    )


def fits(page, selector: str) -> bool:
    """The element lies wholly inside the 1280×800 window as it is (nobody scrolled)."""
    return page.evaluate(
        """s => { const r = document.querySelector(s).getBoundingClientRect();
                  return r.top >= 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth; }""",
        selector,
    )


def stage_fits(page) -> bool:
    """Nothing on the stage is cut off (it never scrolls: overflow hidden)."""
    return page.evaluate(
        "() => { const s = document.querySelector('.bw-stage'); "
        "return s.scrollHeight <= s.clientHeight + 1; }"
    )


def class_answers(db: str, code: str, question, values: list[str]) -> None:
    store = ResponseStore(db)
    for value in values:
        store.submit(Submission(code, uuid.uuid4().hex, question.key, value, uuid.uuid4().hex))
    store.close()


def test_first_screen_prompts_and_explains(app: dict[str, str], browser) -> None:
    page = mentor_page(browser)
    page.goto(app["dashboard"])
    page.locator(".bw-catalogue").wait_for()
    text = page.inner_text("body")
    assert "Geen les zonder" not in text and page.locator(".bw-error").count() == 0
    assert "Kies een les om te beginnen" in text
    assert "Speelt er op dit moment een incident met beelden in deze klas?" in text  # whole
    assert page.locator(".bw-preflight-question").get_by_text("in deze klas?").is_visible()
    assert "Ik bepaal het tempo: jij opent de vragen" in text  # pace in one line
    assert page.locator(".bw-catalogue h3").all_inner_texts() == [
        "Brugklas", "Onderbouw", "Onderbouw en bovenbouw", "Bovenbouw", "Team en schoolleiding",
        "Ouders",
    ]  # fmt: skip
    assert "ongelukken en vechtpartijen filmen" in text
    shot(page, "dashboard-first-screen.png")
    page.click(".bw-start-session")
    page.locator(".bw-progress", has_text="Kies eerst een les").wait_for()
    assert page.locator(".bw-error").count() == 0
    page.context.close()


def test_present_reload_pause_and_close(app: dict[str, str], browser) -> None:
    lesson = Library().lesson(LESSON)
    question = lesson.questions[0]
    page = mentor_page(browser)
    code = start(page, app, label="2B")
    assert f"code={code}" in page.url  # the page script keeps the session in the address
    assert page.locator(".bw-presenter .bw-join-code", has_text=code).is_visible()
    assert fits(page, ".bw-presenter")
    shot(page, "present-join.png")

    page.keyboard.press("ArrowRight")  # the story
    page.locator(".bw-stage h2", has_text=lesson.scenarios[0].title).wait_for()
    assert fits(page, ".bw-presenter") and stage_fits(page)
    shot(page, "present-story.png")

    page.keyboard.press("PageDown")  # the question with its options, lettered for cards
    page.locator(".bw-stage h2", has_text=question.prompt).wait_for()
    options = page.locator(".bw-stage .bw-slide-options li")
    assert options.count() == len(question.options) + 1  # and "sla over"
    assert options.first.locator(".bw-letter").inner_text() == "A"
    assert fits(page, ".bw-presenter") and stage_fits(page)
    shot(page, "present-question.png")

    ids = question.option_ids()
    class_answers(app["db"], code, question, [ids[0]] * 9 + [ids[1]] * 5 + [ids[2]] * 3)
    page.keyboard.press("t")  # reveal
    chart = page.locator(".bw-stage .bw-chart img")
    chart.wait_for()
    assert chart.get_attribute("src").startswith("data:image/svg+xml;base64,")  # sharp
    assert (
        "9" in chart.get_attribute("alt")
        and page.locator(".bw-stage .bw-slide-options").count() == 0
    )
    page.wait_for_function(
        "() => { const i = document.querySelector('.bw-stage .bw-chart img'); "
        "return i.complete && i.naturalWidth > 0; }"
    )
    assert (
        fits(page, ".bw-presenter") and stage_fits(page) and fits(page, ".bw-stage .bw-chart img")
    )
    shot(page, "present-result.png")

    page.reload()  # the lesson comes back as it was: same slide, chart revealed
    page.locator(".bw-stage .bw-chart img").wait_for()
    assert page.locator(".bw-stage h2", has_text=question.prompt).is_visible()
    assert f"code={code}" in page.url

    page.keyboard.press("b")  # pause: all black, nothing of the lesson
    screen = page.locator(".bw-pause-screen")
    screen.wait_for()
    box = screen.bounding_box()
    assert box["width"] >= 1280 and box["height"] >= 800
    assert screen.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(0, 0, 0)"
    assert page.locator(".bw-presenter").count() == 0
    page.keyboard.press("b")
    page.locator(".bw-presenter").wait_for()

    page.locator(".bw-close-session").click()  # asks first
    page.locator(".bw-confirm-question", has_text="De les sluiten?").wait_for()
    assert ResponseStore(app["db"]).session(code).is_open
    page.locator(".bw-confirm-yes", has_text="Ja, sluit de les").click()
    page.locator(".bw-bar-code", has_text="De les is afgelopen").wait_for()
    page.keyboard.press("Home")
    page.locator(".bw-slide-previous").click()
    page.locator(".bw-slide-previous").click()
    page.locator(".bw-lesson-ended").wait_for()
    assert code not in page.locator(".bw-presenter").inner_text()
    assert page.locator(".bw-presenter .bw-qr").count() == 0
    assert (
        page.locator(".bw-new-round").count() == 0
        or page.locator(".bw-new-round").first.is_disabled()
    )
    assert not ResponseStore(app["db"]).session(code).is_open
    page.locator(".bw-undo-close").click()  # undo
    page.locator(".bw-presenter .bw-join-code", has_text=code).wait_for()
    assert ResponseStore(app["db"]).session(code).is_open
    page.context.close()


def test_moderation_needs_the_sessions_token(app: dict[str, str], browser) -> None:
    lesson = Library().lesson(LESSON)
    open_q = next(q for q in lesson.questions if q.is_open)
    page = mentor_page(browser)
    code = start(page, app)
    class_answers(app["db"], code, open_q, ["Niet doorsturen", "Erover praten met je mentor"])
    assert page.locator(".bw-presenter .bw-modlink-url").count() == 0  # never projected
    page.locator(".bw-modlink-toggle").click()
    link = page.locator(".bw-modlink-url").get_attribute("href")
    assert link.startswith(app["student"]) and "token=" in link

    phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    phone.set_default_timeout(TIMEOUT_MS)
    phone.goto(link)
    row = phone.locator(".bw-open-answer", has_text="Niet doorsturen")
    row.wait_for()
    row.locator(".bw-approve").click()
    phone.locator(".bw-open-answer", has_text="goedgekeurd").wait_for()

    stranger = browser.new_context().new_page()
    stranger.set_default_timeout(TIMEOUT_MS)
    for url in (link.split("&token=")[0], link[:-3] + "xyz"):  # no token, a wrong token
        stranger.goto(url)
        stranger.locator(".bw-error", has_text="werkt niet").wait_for()
        assert stranger.locator(".bw-open-answer").count() == 0
        assert "Niet doorsturen" not in stranger.inner_text("body")
    phone.context.close()
    stranger.context.close()
    page.context.close()


def test_lesson_without_devices_reports_as_a_device_lesson(
    app: dict[str, str],
    browser,
) -> None:
    lesson = Library().lesson(LESSON)
    question = lesson.questions[0]
    counts = [11, 6, 3]
    page = mentor_page(browser)
    code = start(page, app, mode="Zonder apparaten")
    assert page.locator(".bw-presenter .bw-join-code").count() == 0  # no code to join
    page.locator(".bw-slide-next").click()
    page.locator(".bw-stage h2", has_text=lesson.scenarios[0].title).wait_for()
    page.locator(".bw-slide-next").click()
    page.locator(".bw-stage h2", has_text=question.prompt).wait_for()
    fields = page.locator(".bw-tally .bw-tally-field input")
    for n, value in enumerate(counts):
        fields.nth(n).fill(str(value))
    page.locator(".bw-tally-save").click()
    page.locator(".bw-tally", has_text="Aantallen opgeslagen").wait_for()
    page.keyboard.press("t")
    page.locator(".bw-stage .bw-chart img").wait_for()
    page.locator(".bw-export").click()
    page.locator(".bw-progress", has_text="Verslag opgeslagen in de map").wait_for()
    page.context.close()

    store = ResponseStore(app["db"])  # the same counts from a class with devices
    devices = store.create_session(LESSON).code
    ids = question.option_ids()
    class_answers(
        app["db"],
        devices,
        question,
        [i for i, n in zip(ids[:3], counts, strict=True) for _ in range(n)],
    )
    reports = []
    for session_code in (code, devices):
        session = store.session(session_code)
        data = results_dict(session, lesson, session_results(store, lesson, session_code, K), K)
        reports.append(results_table(data).drop(columns=["session"], errors="ignore"))
    assert reports[0].to_csv() == reports[1].to_csv()
    assert reports[0]["count"].sum() == sum(counts)


def test_session_new_prints_the_running_student_port(app: dict[str, str]) -> None:
    """`beeldwijs session new` in another shell links to the student server that runs, not to
    the default port."""
    done = subprocess.run(
        [sys.executable, "-m", "beeldwijs", "session", "new", LESSON, "--db", app["db"]],
        capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    link = next(line for line in done.stdout.splitlines() if line.startswith("Link: "))
    assert link.removeprefix("Link: ").startswith(app["student"] + "/voila/render/join.ipynb?code=")
