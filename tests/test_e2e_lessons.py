"""One lesson of every series answered whole in Chromium (issue 3's acceptance).

The brugklas series, a mentor discussion lesson, the staff tabletop exercise and the team
self-scan: a session is made
with `beeldwijs session new … --db … --student-url …`, a student opens the printed link, answers
every question it is shown and reaches the end screen with the help panel in view; the store then
holds an answer for every question. The tabletop's decision feedback (clock, verdict, protocol
step) is checked on the real page as well, and the self-scan renders on the facilitator server and
writes its two reports.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from beeldwijs.content import Library
from beeldwijs.content.cases import case_id
from beeldwijs.content.names import alternatives, characters
from beeldwijs.store import ResponseStore
from tests.e2e_support import TIMEOUT_MS, answer_lesson, running_app

pytestmark = pytest.mark.browser

CASE = "meme-account-2c-memes-slachtoffer"  # a scenario in no lesson before issue 12
SERIES = {
    "brugklas": "brugklas-1-online-identiteit",
    "mentorles": "mentorles-ramptoerisme-filmen",
    "staff": "staf-tabletop-incidentprotocol",
    "staff-selfscan": "staf-zelfscan-team",  # made from the checklist, not from scenario files
}


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    folder = tmp_path_factory.mktemp("e2e-lessons")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_DATA_HOME", str(folder / "data"))  # where the self-scan writes its reports
        with running_app(folder, k=3) as running:
            yield {**running, "data": str(folder / "data")}


def new_session(app: dict[str, str], lesson_id: str) -> tuple[str, str]:
    """(code, join link) as `beeldwijs session new` prints them."""
    out = subprocess.run(
        [sys.executable, "-m", "beeldwijs", "session", "new", lesson_id,
         "--db", app["db"], "--student-url", app["student"]],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    code = re.search(r"Code: (\w+)", out)
    link = re.search(r"Link: (\S+)", out)
    assert code and link, out
    return code[1], link[1]


def open_page(browser, link: str):
    page = browser.new_context().new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(link)
    page.locator(".bw-start").wait_for()  # the page is there: the anonymity notice and ground rules
    assert page.locator(".bw-help").is_visible()
    return page


@pytest.mark.parametrize("series", sorted(SERIES))
def test_every_question_of_a_lesson_in_the_browser(
    app: dict[str, str], browser, series: str
) -> None:
    lesson = Library().lesson(SERIES[series])
    code, link = new_session(app, lesson.id)
    page = open_page(browser, link)
    assert "anoniem" in page.inner_text("body")
    answer_lesson(page, lesson.questions, 0)
    assert page.locator(".bw-help").is_visible()
    answered = {c.question_key for c in ResponseStore(app["db"]).counts(code)}
    expected = {q.key for q in lesson.questions}
    if series == "staff":  # option 0 at 08:40 ("opschalen") goes past the 08:50 branch step
        expected.discard("tabletop-naaktfoto-klassenapp/0850-onrust-in-de-klas")
    assert answered == expected


def test_tabletop_decision_shows_clock_verdict_and_feedback(app: dict[str, str], browser) -> None:
    lesson = Library().lesson(SERIES["staff"])
    first = lesson.questions[0]
    _, link = new_session(app, lesson.id)
    page = open_page(browser, link)
    page.click(".bw-start")
    question = page.locator(".bw-question")
    assert "Tijd: 08:40" in question.locator(".bw-clock").inner_text()
    option = first.option("klas-toespreken")
    assert option is not None
    question.locator(".bw-option", has_text=option.text).click()
    question.locator(".bw-submit").click()
    verdict = question.locator(".bw-verdict")
    verdict.wait_for()
    text = verdict.inner_text()
    assert "Niet volgens het protocol" in text and "Stap 3: communiceren" in text
    assert "als het slachtoffer en de ouders dat goed vinden" in text
    assert page.locator(".bw-help").is_visible()


def test_selfscan_renders_on_the_facilitator_server(app: dict[str, str], browser) -> None:
    page = browser.new_context().new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(app["dashboard"].replace("dashboard.ipynb", "zelfscan.ipynb"))
    page.locator(".bw-selfscan-school input").fill("Het <b>Lyceum</b>")
    items = page.locator(".bw-selfscan-item")
    items.nth(0).locator(".bw-option", has_text="Ja").click()
    items.nth(1).locator(".bw-option", has_text="Nee").click()
    page.click(".bw-selfscan-report")
    saved = page.locator(".bw-selfscan-saved", has_text=".pdf")
    saved.wait_for()
    folder = Path(app["data"]) / "beeldwijs" / "zelfscan"
    files = sorted(p.suffix for p in folder.iterdir())
    assert files == [".md", ".pdf"] and str(folder) in saved.inner_text()
    preview = page.locator(".bw-selfscan-preview")
    assert "Te doen: 37 punten" in preview.inner_text()
    assert preview.locator("b").count() == 0  # the school name stays text


def start_from_dashboard(browser, app: dict[str, str], lesson, kind: str, level: str):
    """The mentor's start screen: lesson or casus, level, the picker, 'Start de les'."""
    mentor = browser.new_context().new_page()
    mentor.set_default_timeout(TIMEOUT_MS)
    mentor.goto(app["dashboard"])
    mentor.locator(".bw-start-kind").get_by_text(kind, exact=True).click()
    mentor.locator(".bw-start-level").get_by_text(level).click()
    mentor.locator(".bw-lesson-picker select").select_option(
        label=f"{lesson.title} ({lesson.minutes} min)"
    )
    mentor.click(".bw-start-session")
    code = mentor.locator(".bw-join-code").first.inner_text().strip()
    return mentor, code


def test_a_losse_casus_started_on_the_dashboard_is_played_whole(
    app: dict[str, str], browser
) -> None:
    case = Library().lesson(case_id(CASE))
    _, code = start_from_dashboard(browser, app, case, "Een losse casus (één verhaal)", "B1")
    page = open_page(browser, f"{app['student']}/voila/render/join.ipynb?code={code}")
    answer_lesson(page, case.questions, 1)
    answered = {c.question_key for c in ResponseStore(app["db"]).counts(code)}
    assert answered == {q.key for q in case.questions}
    assert ResponseStore(app["db"]).session(code).lesson_id == case.id


def test_a_name_swap_on_the_dashboard_shows_on_the_students_screen(
    app: dict[str, str], browser
) -> None:
    case = Library().lesson(case_id(CASE))
    old, new = characters(case)[0], alternatives(case)[0]
    mentor, code = start_from_dashboard(browser, app, case, "Een losse casus (één verhaal)", "B1")
    page = open_page(browser, f"{app['student']}/voila/render/join.ipynb?code={code}")
    page.click(".bw-start")
    story = page.locator(".bw-scenario")
    assert old in story.inner_text() and new not in story.inner_text()
    mentor.locator(".bw-name-swap", has_text=old).locator("select").select_option(label=new)
    mentor.click(".bw-name-save")
    page.locator(".bw-scenario", has_text=new).wait_for()  # at the student's next poll
    assert re.search(rf"\b{old}\b", story.inner_text()) is None
    assert new in page.locator(".bw-question").inner_text() or new in story.inner_text()
    assert ResponseStore(app["db"]).session(code).names == f"{old}={new}"


def test_an_a2_lesson_chosen_at_the_start_is_played_whole(app: dict[str, str], browser) -> None:
    lesson = Library().lesson("brugklas-1-online-identiteit-a2")
    assert lesson.level == "A2" and all(s.level == "A2" for s in lesson.scenarios)
    _, code = start_from_dashboard(browser, app, lesson, "Een hele les", "Eenvoudige versie")
    page = open_page(browser, f"{app['student']}/voila/render/join.ipynb?code={code}")
    answer_lesson(page, lesson.questions, 2)
    answered = {c.question_key for c in ResponseStore(app["db"]).counts(code)}
    assert answered == {q.key for q in lesson.questions}


def test_a_parents_evening_shows_parents_their_notice_and_help(
    app: dict[str, str], browser
) -> None:
    """Issue 12: parents at the parents' evening see a notice and help routes for parents, on
    every screen, not the student ones (docs/decisions/who-answers.md)."""
    lesson = Library().lesson("ouderavond-beelden")
    code, link = new_session(app, lesson.id)
    page = open_page(browser, link)
    page.locator(".bw-intro h2", has_text=lesson.title).wait_for()  # the lesson is known
    notice = page.locator(".bw-anonymity").inner_text()
    assert "Voordat u begint" in notice and "genoeg ouders" in notice and "je mentor" not in notice
    help_panel = page.locator(".bw-help")
    assert help_panel.locator("summary").inner_text() == "Hulp en advies voor ouders"
    panel = help_panel.text_content() or ""
    assert "De mentor van uw kind" in panel and "Je mentor" not in panel
    answer_lesson(page, lesson.questions, 2)
    panel = page.locator(".bw-help").text_content() or ""
    assert "Hulp en advies voor ouders" in panel and "De Kindertelefoon" not in panel
    answered = {c.question_key for c in ResponseStore(app["db"]).counts(code)}
    assert answered == {q.key for q in lesson.questions}
