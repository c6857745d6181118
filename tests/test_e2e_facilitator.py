"""The mentor's whole class session in Chromium: k, reveal, re-vote shift, moderation (issue 4).

Six students in separate browser contexts follow a presenter-paced session. The mentor sees a
result stay hidden at 4 answers (k = 5), reveals it at 6 with the right counts, opens a second
round and sees the shift. An open answer with an XSS payload and a name reaches the mentor escaped
and masked and is projected only after approval.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from beeldwijs.content import Library
from beeldwijs.facilitator.present import slides_of
from beeldwijs.store import ResponseStore, Submission
from tests.e2e_support import LESSON, TIMEOUT_MS, running_app
from tests.shared import NO_PROXY, start_lesson

pytestmark = pytest.mark.browser

XSS = '<img src=x onerror="window.__pwned = 1; alert(1)">'


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    with running_app(tmp_path_factory.mktemp("e2e-facilitator"), k=5) as running:
        yield running


def new_page(browser, dialogs: list[str]):
    page = browser.new_context().new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    return page


def start_session(mentor, app: dict[str, str], pace_label: str) -> str:
    return start_lesson(mentor, app["dashboard"], Library().lesson(LESSON), pace=pace_label)


def join(browser, app: dict[str, str], code: str, dialogs: list[str]):
    page = new_page(browser, dialogs)
    page.goto(f"{app['student']}/voila/render/{LESSON}.ipynb?code={code}")
    page.click(".bw-start")
    page.locator(".bw-question").wait_for()
    return page


def answer(page, option: int) -> None:
    question = page.locator(".bw-question").last
    question.locator(".bw-option").nth(option).click()
    question.locator(".bw-submit").click()
    question.locator(".bw-saved").wait_for()


def counts(panel) -> dict[str, str]:
    return dict(re.findall(r"(.+?): ([\d →]+)", panel.locator(".bw-result-summary").inner_text()))


def test_six_students_k_reveal_and_revote(app: dict[str, str], browser, tmp_path: Path) -> None:
    dialogs: list[str] = []
    question = Library().lesson(LESSON).questions[0]
    labels = [o.text for o in question.options]
    mentor = new_page(browser, dialogs)
    code = start_session(mentor, app, "Ik bepaal het tempo")
    students = [join(browser, app, code, dialogs) for _ in range(6)]
    panel = mentor.locator(".bw-result").first
    panel.locator(".bw-reveal").click()

    for page, option in zip(students[:4], [0, 0, 1, 0], strict=True):
        answer(page, option)
    panel.locator(".bw-hidden-result", has_text="Nog verborgen: 4 van minimaal 5").wait_for()
    assert not panel.locator(".bw-chart").is_visible()
    for page in students[:4]:  # presenter pace: question 2 is not open yet
        page.locator(".bw-question .bw-next").click()
        page.locator(".bw-waiting").wait_for()

    # hidden again while the last two answer: a revealed chart moves on only by k new answers
    # (panels.next_snapshot), so whether a poll fell between answer 5 and 6 would decide the
    # counts shown; revealing after both makes them the class's six
    panel.locator(".bw-reveal").click()
    for page, option in zip(students[4:], [1, 0], strict=True):
        answer(page, option)
        page.locator(".bw-question .bw-next").click()
        page.locator(".bw-waiting").wait_for()
    panel.locator(".bw-hidden-result", has_text="6 antwoorden binnen").wait_for()
    panel.locator(".bw-reveal").click()
    panel.locator(".bw-result-summary li").first.wait_for()
    assert panel.locator(".bw-chart").is_visible()
    got = counts(panel)
    assert got[labels[0]] == "4" and got[labels[1]] == "2" and got["sla over"] == "0"

    panel.locator(".bw-new-round").click()  # vote → discuss → re-vote, after a confirmation
    panel.locator(".bw-confirm-yes").click()
    panel.locator(".bw-reveal").click()  # hidden while the class votes again (as above)
    for page in students:
        page.locator(".bw-revote").wait_for()
        answer(page, 1)
    panel.locator(".bw-hidden-result", has_text="Ronde 2 · 6 antwoorden binnen").wait_for()
    panel.locator(".bw-reveal").click()
    mentor.wait_for_function(
        "() => document.querySelector('.bw-result .bw-result-summary').textContent.includes('→')"
    )
    got = counts(panel)
    assert got[labels[0]].replace(" ", "") == "4→0"
    assert got[labels[1]].replace(" ", "") == "2→6"
    assert dialogs == []


def test_open_answer_escaped_masked_and_projected_only_after_approval(
    app: dict[str, str],
    browser,
) -> None:
    dialogs: list[str] = []
    lesson = Library().lesson(LESSON)
    open_q = next(q for q in lesson.questions if q.is_open)
    mentor = new_page(browser, dialogs)
    code = start_session(mentor, app, "Leerlingen in eigen tempo")
    student = join(browser, app, code, dialogs)
    for _ in range(lesson.questions.index(open_q)):
        answer(student, 0)
        student.locator(".bw-question .bw-next").click()
    student.locator(".bw-question textarea").fill(f"{XSS} Sanne moet het weghalen")
    student.locator(".bw-question .bw-submit").click()
    student.locator(".bw-saved").wait_for()
    store = ResponseStore(app["db"])  # four classmates answer too
    for who in range(4):
        store.submit(
            Submission(code, f"{who:032x}", open_q.key, "Niet doorsturen", uuid.uuid4().hex)
        )

    panel = mentor.locator(f".bw-q-{open_q.scenario_id}--{open_q.id}")
    panel.locator(".bw-reveal").click()
    panel.locator(".bw-hidden-result", has_text="wachten op jouw controle").wait_for()
    shown = mentor.inner_text(".bw-presenter") + panel.inner_text()  # (the name-swap list
    assert "Sanne" not in shown and "onerror" not in mentor.inner_text("body")  # offers "Sanne")

    mentor.locator(".bw-modlink-toggle").click()  # the link for the mentor's phone
    moderation = new_page(browser, dialogs)
    moderation.goto(mentor.locator(".bw-modlink-url").get_attribute("href"))
    row = moderation.locator(".bw-open-answer", has_text="onerror")
    row.wait_for()
    text = row.locator(".bw-open-text").inner_text()
    assert "<img" in text and "[naam]" in text and "Sanne" not in text  # shown as text, masked
    assert moderation.locator(".bw-moderation img").count() == 0
    row.locator(".bw-approve").click()
    moderation.locator(".bw-open-answer", has_text="goedgekeurd").wait_for()

    mentor.locator(".bw-approved li").first.wait_for()
    shown = panel.locator(".bw-approved").inner_text()
    assert "<img" in shown and "[naam]" in shown and "Sanne" not in shown
    assert panel.locator(".bw-approved img").count() == 0
    assert mentor.evaluate("window.__pwned") is None
    assert dialogs == []


def test_dashboard_tells_whether_students_reach_the_link(app: dict[str, str], browser) -> None:
    """Issue 15.5: a laptop started with --local hands out a loopback link, and the dashboard
    says so in Dutch; the devices that open the join page are counted live, once per browser (a
    reload is not a second device); a page that arrives without taking part (its websocket never
    connects) brings the hint about the network."""
    dialogs: list[str] = []
    mentor = new_page(browser, dialogs)
    code = start_lesson(mentor, app["dashboard"], Library().lesson(LESSON))
    reach = mentor.locator(".bw-reach")
    warning = reach.locator(".bw-reach-warning [role=alert]")
    assert "alleen op deze computer zelf (127.0.0.1)" in warning.inner_text()
    count = reach.locator(".bw-reach-count")
    count.get_by_text("Nog geen apparaat heeft de link geopend.").wait_for()

    join_url = f"{app['student']}/voila/render/join.ipynb?code={code}"
    first, second = new_page(browser, dialogs), new_page(browser, dialogs)
    counted = []
    for page in (first, second, first):  # the first device reloads
        response = page.goto(join_url)
        page.locator(".bw-start").wait_for()
        counted.append(
            any(
                h["name"].lower() == "set-cookie"
                and h["value"].startswith("beeldwijs-browser=")
                and f".{code};" in h["value"]
                for h in response.headers_array()
            )
        )
    assert counted == [True, True, False]  # the reload is the same device: not counted again
    ours = {c["name"] for c in first.context.cookies() if c["name"].startswith("beeldwijs-")}
    assert ours == {"beeldwijs-browser", "beeldwijs-page"}  # one cookie + the kernel's secret
    store = ResponseStore(app["db"])
    count.get_by_text("2 apparaten hebben de link geopend.").wait_for()
    assert store.opened_count(code) == 2
    count.locator(".bw-reach-stuck").wait_for(state="detached")  # both take part

    with NO_PROXY.open(join_url, timeout=TIMEOUT_MS / 1000) as reply:  # no websocket follows
        assert reply.status == 200
    count.get_by_text("3 apparaten hebben de link geopend.").wait_for()
    assert store.opened_count(code) == 3
    store.close()
    count.locator(".bw-reach-stuck").wait_for()
    assert "websockets" in count.inner_text()
    assert not dialogs


def test_at_the_mentors_pace_the_expert_view_reaches_the_students_after_the_mentor_shows_it(
    app: dict[str, str], browser
) -> None:
    """docs/decisions/expert-view-after-the-discussion.md: the class discusses before the
    devices show what experts say; "Toon uitleg" on the dashboard brings it to every device."""
    dialogs: list[str] = []
    expert = Library().lesson(LESSON).questions[0].expert_view[:40]
    mentor = new_page(browser, dialogs)
    code = start_session(mentor, app, "Ik bepaal het tempo")
    student = join(browser, app, code, dialogs)
    answer(student, 0)
    student.locator(".bw-discuss-first").wait_for()
    assert expert not in student.inner_text(".bw-question")
    question = Library().lesson(LESSON).questions[0]
    mentor.locator(".bw-slide-next").click()  # the story, then the question's slide
    mentor.locator(".bw-slide-next").click()
    mentor.locator(".bw-stage h2", has_text=question.prompt).wait_for()
    bar = mentor.locator(".bw-present-bar")
    bar.locator(".bw-expert", has_text="Toon uitleg").click()  # on the projector's bar
    mentor.locator(".bw-stage .bw-expert-text", has_text=expert).wait_for()
    student.locator(".bw-question .bw-notice", has_text=expert).wait_for()  # within a poll
    assert student.locator(".bw-discuss-first").count() == 0
    assert student.locator(".bw-saved").is_visible()
    bar.locator(".bw-expert", has_text="Verberg uitleg").click()  # off the projector again
    mentor.locator(".bw-stage .bw-slide-options").wait_for()
    assert student.locator(".bw-question .bw-notice", has_text=expert).is_visible()  # kept
    mentor.reload()  # the dashboard remembers it was shown (the session's view)
    mentor.locator(".bw-result .bw-expert").first.wait_for()
    session = ResponseStore(app["db"]).session(code)
    assert question.key in session.explained()
    assert dialogs == []


def finish_lesson(student) -> None:
    """Answer every question still open to this student (the first option, or skip an open
    question) and go on, until the end screen."""
    while True:
        student.locator(".bw-end, .bw-question .bw-submit").first.wait_for()
        if student.locator(".bw-end").count():
            return
        question = student.locator(".bw-question").last
        if question.locator(".bw-option").count():
            question.locator(".bw-option").first.click()
            question.locator(".bw-submit").click()
        else:
            question.locator(".bw-skip").click()
        question.locator(".bw-saved").wait_for()
        question.locator(".bw-next").click()


def slide_by_keys(mentor, key: str, prompt: str, lesson_id: str = LESSON) -> None:
    """Press ``key`` (→ or ←) on the dashboard until the projector shows the question ``prompt``."""
    stage = mentor.locator(".bw-stage h2")
    for _ in range(len(slides_of(Library().lesson(lesson_id)))):
        if stage.count() and stage.first.inner_text() == prompt:
            return
        before = mentor.locator(".bw-slide-counter").inner_text()
        mentor.keyboard.press(key)
        mentor.wait_for_function(
            "before => document.querySelector('.bw-slide-counter').innerText !== before", arg=before
        )
    raise AssertionError(f"no slide shows {prompt!r}")


def test_a_student_who_moved_on_reads_the_expert_view_on_the_end_screen(
    app: dict[str, str], browser
) -> None:
    """The end screen recaps what experts say per question, only what the mentor showed, and
    follows a later "Toon uitleg" (key U on the dashboard); at 320 px, with headings, the help
    panel and a polite announcement."""
    dialogs: list[str] = []
    lesson = Library().lesson(LESSON)
    first, second = lesson.questions[:2]
    recapped = [q for q in lesson.questions if q.expert_view or q.explanation]
    mentor = new_page(browser, dialogs)
    code = start_session(mentor, app, "Ik bepaal het tempo")
    phone = browser.new_context(viewport={"width": 320, "height": 640}).new_page()
    phone.set_default_timeout(TIMEOUT_MS)
    phone.goto(f"{app['student']}/voila/render/{LESSON}.ipynb?code={code}")
    phone.click(".bw-start")
    phone.locator(".bw-question").wait_for()
    answer(phone, 0)
    phone.locator(".bw-discuss-first").wait_for()
    phone.locator(".bw-question .bw-next").click()  # on, before the mentor explained
    phone.locator(".bw-waiting").wait_for()
    slide_by_keys(mentor, "ArrowRight", lesson.questions[-1].prompt)  # opens every question
    finish_lesson(phone)
    status = phone.locator(".bw-recap-status")
    assert "zodra je mentor die in de klas laat zien" in status.inner_text()
    assert phone.locator(".bw-recap-item").count() == 0  # nothing the mentor did not show
    slide_by_keys(mentor, "ArrowLeft", first.prompt)
    mentor.keyboard.press("u")  # "Toon uitleg" by key
    mentor.locator(".bw-stage .bw-expert-text", has_text=first.expert_view[:40]).wait_for()
    item = phone.locator(".bw-recap-item", has_text=first.expert_view[:40])
    item.wait_for()  # within a poll
    assert item.locator("h3").inner_text() == first.prompt
    assert f"1 van de {len(recapped)}" in status.inner_text()
    assert second.expert_view[:40] not in phone.inner_text(".bw-recap")
    phone.locator(".bw-live", has_text=f"1 van de {len(recapped)}").wait_for(state="attached")
    assert phone.locator(".bw-recap h2").inner_text() == "Wat deskundigen zeggen, per vraag"
    assert phone.locator(".bw-help details[open] li").first.is_visible()  # open at the end
    wide = phone.evaluate("document.documentElement.scrollWidth")
    assert wide <= 320, f"the end screen scrolls sideways at 320 px ({wide} px)"
    assert dialogs == []


def test_closing_the_lesson_brings_every_expert_view_to_a_student_who_saw_none(
    app: dict[str, str], browser
) -> None:
    """The mentor ran out of time: at the mentor's pace no "Toon uitleg" at all, though the
    dashboard marks Daan's first step "Toon uitleg verplicht". A student finished and reads that
    the explanations come later; the mentor closes the lesson; within a poll the student's end
    screen lists every expert view, Daan's safety lines included, announced politely."""
    dialogs: list[str] = []
    lesson_id = "onderbouw-druk-en-delen"
    lesson = Library().lesson(lesson_id)
    daan = next(s for s in lesson.scenarios if s.id == "sextortion-geld-daan")
    first_step = daan.question("eerste-stap")
    recapped = [q for q in lesson.questions if q.after_discussion]
    mentor = new_page(browser, dialogs)
    code = start_lesson(mentor, app["dashboard"], lesson, pace="Ik bepaal het tempo")
    phone = browser.new_context(viewport={"width": 320, "height": 640}).new_page()
    phone.set_default_timeout(TIMEOUT_MS)
    phone.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    phone.goto(f"{app['student']}/voila/render/{lesson_id}.ipynb?code={code}")
    phone.click(".bw-start")
    slide_by_keys(mentor, "ArrowRight", lesson.questions[-1].prompt, lesson_id)  # opens them all
    finish_lesson(phone)
    slide_by_keys(mentor, "ArrowLeft", first_step.prompt, lesson_id)
    mark = "Toon uitleg verplicht"
    mentor.locator(".bw-present-bar .bw-must-explain", has_text=mark).wait_for()
    mentor.locator(f".bw-q-{daan.id}--{first_step.id} .bw-must-explain", has_text=mark).wait_for()
    status = phone.locator(".bw-recap-status")
    assert "zodra je mentor die in de klas laat zien" in status.inner_text()
    assert phone.locator(".bw-recap-item").count() == 0  # nothing explained in class
    mentor.locator(".bw-close-session").click()
    mentor.locator(".bw-confirm-yes", has_text="Ja, sluit de les").click()
    phone.locator(".bw-recap-item", has_text=first_step.after_discussion[:40]).wait_for()
    assert phone.locator(".bw-recap-item").count() == len(recapped)
    assert "Je mentor heeft de les afgesloten" in status.inner_text()
    assert "HelpWanted helpt gratis en anoniem" in phone.inner_text(".bw-recap")
    phone.locator(".bw-live", has_text="Je mentor heeft de les afgesloten").wait_for(
        state="attached"
    )
    wide = phone.evaluate("document.documentElement.scrollWidth")
    assert wide <= 320, f"the end screen scrolls sideways at 320 px ({wide} px)"
    # a phone that reloads the tab after the close (a discarded tab, a locked screen) gets the
    # same end screen from the server, without a kernel: every expert view and help
    phone.reload()
    phone.locator(".bw-closed-page .bw-recap-item").first.wait_for()
    assert phone.locator(".bw-recap-item").count() == len(recapped)
    assert "Je mentor heeft de les afgesloten" in phone.inner_text(".bw-recap-status")
    assert "HelpWanted helpt gratis en anoniem" in phone.inner_text(".bw-recap")
    assert phone.locator(".bw-help").count() == 1
    wide = phone.evaluate("document.documentElement.scrollWidth")
    assert wide <= 320, f"the closed lesson's page scrolls sideways at 320 px ({wide} px)"
    assert dialogs == []


def test_toon_uitleg_by_keyboard_alone_with_a_visible_focus(app: dict[str, str], browser) -> None:
    """The mentor at the projector with a keyboard or a presenter: Tab reaches "Toon uitleg" in
    the presenting bar with a 3-px focus ring, Enter shows the expert view, focus stays."""
    dialogs: list[str] = []
    question = Library().lesson(LESSON).questions[0]
    mentor = new_page(browser, dialogs)
    start_session(mentor, app, "Ik bepaal het tempo")
    slide_by_keys(mentor, "ArrowRight", question.prompt)
    button = mentor.locator(".bw-present-bar .bw-expert")
    for _ in range(40):  # Tab from the top of the page until the bar's "Toon uitleg"
        mentor.keyboard.press("Tab")
        if button.evaluate("b => b === document.activeElement"):
            break
    else:
        raise AssertionError("Tab never reached Toon uitleg")
    ring = button.evaluate(
        "b => { const s = getComputedStyle(b); return [s.outlineStyle, s.outlineWidth]; }"
    )
    assert ring == ["solid", "3px"], ring
    mentor.keyboard.press("Enter")
    mentor.locator(".bw-stage .bw-expert-text", has_text=question.expert_view[:40]).wait_for()
    mentor.locator(".bw-present-bar .bw-expert", has_text="Verberg uitleg").wait_for()
    mentor.wait_for_function(  # the click held the button for a moment; the focus comes back
        "() => document.activeElement && document.activeElement.matches('.bw-present-bar .bw-expert')"
    )
    mentor.keyboard.press("Enter")  # and off the projector again
    mentor.locator(".bw-stage .bw-slide-options").wait_for()
    assert "U toon of verberg uitleg" in mentor.inner_text(".bw-keys")  # the keys line says so
    assert dialogs == []
