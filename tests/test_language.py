"""The student chrome in another language, chosen on the notice screen (issue 13 item 8).

From Python: the choice redraws the notice, the help panel and the question on screen in the new
language, keeps what the student chose or typed and a saved answer's confirmation, refuses a
forged language and leaves scenario texts Dutch. In Chromium: a student switches to English and
back in the middle of a lesson and no answer is lost; the page says which language each part is
in (``<html lang>`` follows the choice, the author's texts stay marked Dutch; WCAG 3.1.1/3.1.2),
and axe finds nothing serious.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from beeldwijs import texts
from beeldwijs.content import Library
from beeldwijs.store import ResponseStore
from beeldwijs.widgets import LessonPlayer
from tests.axe import blocking
from tests.e2e_support import TIMEOUT_MS
from tests.running import App
from tests.test_widgets import LESSON, current_question, joined_player, screen_text, start


@pytest.fixture(autouse=True)
def dutch_afterwards() -> Iterator[None]:
    yield
    texts.set_language("nl")


def test_the_chrome_follows_the_language_and_nothing_is_lost(
    library: Library, store: ResponseStore
) -> None:
    code = store.create_session(LESSON).code
    player = joined_player(library, store, code)
    assert player.language.value == "nl" and "anoniem" in screen_text(player)
    player.language.value = "en"
    assert "anonymous" in screen_text(player) and "Need help?" in player.help_panel.value
    start(player)
    view = current_question(player)
    assert view.submit_button.description == "Send"
    first = view.question.option_ids()[1]
    view.choice.value = first  # chosen, not sent yet
    player.language.value = "uk"
    again = current_question(player)
    assert again is not view and again.choice.value == first
    assert again.submit_button.description == "Надіслати"
    assert again.question.prompt == view.question.prompt  # the scenario stays Dutch
    again.submit_button.click()
    assert again.done
    player.language.value = "nl"
    back = current_question(player)
    assert back.done and back.saved_value == first
    assert "Opgeslagen" in back.status.value and back.actions.children == (back.next_button,)
    assert [(c.question_key, c.value) for c in store.counts(code) if c.count] == [
        (view.question.key, first)
    ]


def test_a_forged_language_is_refused(library: Library, store: ResponseStore) -> None:
    player = joined_player(library, store, store.create_session(LESSON).code)
    player.language.value = "xx"
    assert player.language.value == "nl" and texts.language() == "nl"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    running = App(tmp_path_factory.mktemp("language")).start()
    try:
        yield running
    finally:
        running.stop()


def pick(page: Any, name: str) -> None:
    page.locator(".bw-language .bw-option", has_text=name).click()


@pytest.mark.browser
def test_a_student_switches_to_english_and_back_without_losing_an_answer(
    app: App, browser: Any
) -> None:
    questions = Library().lesson(LESSON).questions
    code = app.new_session(LESSON)
    page = browser.new_context().new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(app.join_url(code))
    page.locator(".bw-language").wait_for()  # on the notice screen
    pick(page, "English")
    page.locator(".bw-anonymity", has_text="Your answers are anonymous").wait_for()
    page.locator(".bw-help summary", has_text="Need help?").wait_for()
    page.locator(".bw-start", has_text="Start").click()
    question = page.locator(".bw-question")
    question.locator(".bw-progress", has_text="Question 1 of").wait_for()
    assert questions[0].prompt in question.inner_text()  # the scenario stays Dutch
    question.locator(".bw-option").nth(1).click()
    question.locator(".bw-submit", has_text="Send").click()
    question.locator(".bw-saved", has_text="Saved").wait_for()

    pick(page, "Nederlands")
    question.locator(".bw-saved", has_text="Opgeslagen").wait_for()  # the answer is still sent
    page.locator(".bw-help summary", has_text="Hulp nodig?").wait_for()
    question.locator(".bw-next", has_text="Volgende").click()
    question.locator(".bw-progress", has_text="Vraag 2 van").wait_for()
    pick(page, "English")
    question.locator(".bw-submit", has_text="Send").wait_for()
    pick(page, "Nederlands")
    question.locator(".bw-submit", has_text="Verstuur").wait_for()

    store = ResponseStore(app.db)
    try:
        stored = {(c.question_key, c.value) for c in store.counts(code) if c.count}
    finally:
        store.close()
    assert stored == {(questions[0].key, questions[0].option_ids()[1])}


def lang_of(locator: Any) -> str:
    """The language a screen reader reads ``locator``'s text in: its nearest ``lang``."""
    return str(locator.evaluate("el => el.closest('[lang]').getAttribute('lang')"))


def parts_by_language(page: Any) -> dict[str, str]:
    """The language of each kind of text on a question screen: ours and the author's."""
    scenario = Library().lesson(LESSON).scenarios[0]
    question = page.locator(".bw-question")
    first_line = scenario.story.text.strip().splitlines()[0].strip()
    return {
        "page": page.evaluate("document.documentElement.lang"),
        "direction": page.evaluate("document.documentElement.dir"),
        "button": lang_of(question.locator(".bw-submit")),
        "progress": lang_of(question.locator(".bw-progress")),
        "skip": lang_of(question.locator(".bw-option-skip span")),
        "help heading": lang_of(page.locator(".bw-help summary")),
        "title": lang_of(page.get_by_text(scenario.title, exact=True).first),
        "story": lang_of(page.get_by_text(first_line, exact=True)),
        "chat": lang_of(page.locator(".bw-chat-title")),
        "question": lang_of(question.locator("legend")),
        "option": lang_of(question.locator(".bw-option span").first),
        "help route": lang_of(page.locator(".bw-help li strong").first),
    }


@pytest.mark.browser
def test_the_page_says_which_language_each_part_is_in(app: App, browser: Any) -> None:
    code = app.new_session(LESSON)
    page = browser.new_context().new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(app.join_url(code))
    page.locator(".bw-language").wait_for()
    assert page.evaluate("document.documentElement.lang") == "nl"
    names = {lang_of(page.locator(".bw-language .bw-option", has_text=name).locator("span"))
             for name in texts.STUDENT_LANGUAGES.values()}  # fmt: skip
    assert names == set(texts.STUDENT_LANGUAGES)  # each language's name in its own language
    pick(page, "English")
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert lang_of(page.locator(".bw-start")) == "en"
    page.locator(".bw-start", has_text="Start").click()
    page.locator(".bw-question .bw-submit", has_text="Send").wait_for()
    ours = ["button", "progress", "skip", "help heading"]
    theirs = ["title", "story", "chat", "question", "option", "help route"]
    found = parts_by_language(page)
    assert found == {"page": "en", "direction": "ltr"} | dict.fromkeys(ours, "en") | dict.fromkeys(
        theirs, "nl"
    )
    assert blocking(page, "question in English") == []
    # the announcement of the question: ours in English, the question itself marked Dutch
    page.wait_for_function("document.querySelector('.bw-live span[lang]')")
    spoken = page.locator(".bw-live span[lang]")
    assert spoken.get_attribute("lang") == "nl"
    assert spoken.inner_text().strip() == Library().lesson(LESSON).questions[0].prompt
    assert "Question 1 of" in page.locator(".bw-live").inner_text()

    pick(page, "Українська")
    page.locator(".bw-question .bw-submit", has_text="Надіслати").wait_for()
    assert parts_by_language(page) == found | {"page": "uk"} | dict.fromkeys(ours, "uk")
    pick(page, "Nederlands")
    page.locator(".bw-question .bw-submit", has_text="Verstuur").wait_for()
    assert set(parts_by_language(page).values()) == {"nl", "ltr"}


MIRRORED = """() => {
  const box = (sel) => document.querySelector(sel)?.getBoundingClientRect();
  const css = (sel) => { const el = document.querySelector(sel); return el && getComputedStyle(el); };
  const side = (a, b) => (a === undefined || Number.isNaN(a) ? null : a > b ? "right" : "left");
  const option = ".bw-question .bw-option";
  return {
    page: document.documentElement.dir,
    notice: side(parseFloat(css(".bw-notice")?.borderRightWidth), 0),
    help: css(".bw-help summary").direction,
    radio: side(box(option + " input")?.left, box(option + " span")?.left),
    question: css(".bw-question legend")?.direction || null,
    story: css(".bw-scenario p")?.direction || null,
  };
}"""


@pytest.mark.browser
def test_arabic_mirrors_the_chrome_keeps_every_answer_and_reflows_at_320_px(
    app: App, browser: Any
) -> None:
    from tests.test_e2e_page import assert_reflows

    lesson = Library().lesson(LESSON)
    questions = lesson.scenarios[0].questions  # dilemma, scale, knowledge, open text
    assert [q.type for q in questions] == ["dilemma", "scale", "knowledge", "text"]
    code = app.new_session(LESSON)
    page = browser.new_context(viewport={"width": 320, "height": 640}).new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(app.join_url(code))
    page.locator(".bw-language").wait_for()
    pick(page, "العربية")
    page.wait_for_function("document.documentElement.dir === 'rtl'")
    assert page.evaluate("document.documentElement.lang") == "ar"
    page.locator(".bw-anonymity", has_text=texts.t_in("ar", "intro.heading")).wait_for()
    assert_reflows(page, "notice in Arabic")  # (the help panel open)
    assert page.evaluate(MIRRORED) == {"page": "rtl", "notice": "right", "help": "rtl",
                                       "radio": None, "question": None, "story": None}  # fmt: skip
    findings = blocking(page, "notice in Arabic")
    page.locator(".bw-start", has_text=texts.t_in("ar", "intro.start")).click()

    question = page.locator(".bw-question")
    submit = question.locator(".bw-submit", has_text=texts.t_in("ar", "question.submit"))
    chosen = {}
    for number, q in enumerate(questions, start=1):
        question.locator(".bw-progress", has_text=f" {number} ").wait_for()
        submit.wait_for()
        assert_reflows(page, f"question {number} in Arabic")
        findings += blocking(page, f"question {number} in Arabic")
        if q.is_open:
            question.locator("textarea").fill("Niet doorsturen en erover praten.")
            actions = question.locator(".bw-actions")
            first, second = (actions.locator(s).bounding_box() for s in (".bw-submit", ".bw-skip"))
            assert first["x"] > second["x"]  # "send" first, on the right
            chosen[q.key] = "Niet doorsturen en erover praten."
        else:
            if number == 1:
                mirrored = page.evaluate(MIRRORED)
                assert mirrored == {"page": "rtl", "notice": None, "help": "rtl",
                                    "radio": "right", "question": "ltr", "story": "ltr"}  # fmt: skip
            option = question.locator(".bw-option").nth(1)
            option.click()
            chosen[q.key] = q.option_ids()[1]
        # back to Dutch and to Arabic before sending: what was chosen or typed stays
        pick(page, "Nederlands")
        question.locator(".bw-submit", has_text="Verstuur").wait_for()
        assert page.evaluate("document.documentElement.dir") == "ltr"
        pick(page, "العربية")
        submit.click()
        question.locator(".bw-saved", has_text=texts.t_in("ar", "question.saved")).wait_for()
        assert_reflows(page, f"feedback {number} in Arabic")
        pick(page, "Nederlands")  # after sending: the confirmation stays
        question.locator(".bw-saved", has_text="Opgeslagen").wait_for()
        pick(page, "العربية")
        question.locator(".bw-next", has_text=texts.t_in("ar", "question.next")).click()
        page.wait_for_function(
            "n => !document.querySelector('.bw-question .bw-progress')?.textContent.includes(n)",
            arg=f" {number} ",
        )
    for _ in lesson.questions[len(questions) :]:  # the rest of the lesson, to its end screen
        submit.wait_for()
        if question.locator("textarea").count():
            question.locator("textarea").fill("Erover praten.")
        else:
            question.locator(".bw-option").first.click()
        submit.click()
        question.locator(".bw-next").click()
    page.locator(".bw-end h2", has_text=texts.t_in("ar", "end.heading")).wait_for()
    assert_reflows(page, "end screen in Arabic")  # its recap and the help panel open
    findings += blocking(page, "end screen in Arabic")
    assert findings == []

    store = ResponseStore(app.db)
    try:
        stored = {c.question_key: c.value for c in store.counts(code) if c.count}
        texts_stored = [a.text for a in store.open_answers(code, questions[3].key, 1)]
    finally:
        store.close()
    closed = {k: v for k, v in chosen.items() if k != questions[3].key}
    assert {k: v for k, v in stored.items() if k in closed} == closed
    assert texts_stored == [chosen[questions[3].key]]


@pytest.mark.browser
def test_the_pages_around_the_lesson_keep_the_chosen_language(app: App, browser: Any) -> None:
    """The code page, a reload and the connection-lost banner speak the language the student
    chose (a cookie of the browser session); the code page's own links choose one too."""
    from tests.test_e2e_page import assert_reflows

    arabic = "العربية"
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{app.student}/")  # the server's root: the code page, Dutch at first
    assert page.evaluate("document.documentElement.lang") == "nl"
    page.locator(".bw-languages a", has_text="English").click()
    page.locator("h1", has_text=texts.t_in("en", "join.heading")).wait_for()
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == [
        "en", "ltr",
    ]  # fmt: skip
    code = app.new_session(LESSON)
    page.fill("input.bw-code-input", code)
    page.click("button.bw-join")  # the lesson starts in the language picked on the code page
    page.locator(".bw-anonymity", has_text=texts.t_in("en", "intro.anonymous")[:30]).wait_for()
    pick(page, arabic)
    page.wait_for_function("document.documentElement.dir === 'rtl'")

    page.reload()  # a reload keeps the language
    page.locator(".bw-anonymity", has_text=texts.t_in("ar", "intro.heading")).wait_for()
    page.wait_for_function("document.documentElement.lang === 'ar'")
    assert page.locator(".bw-language input:checked").get_attribute("value") == "ar"

    second = context.new_page()  # a second tab of the same browser: the first one's kernel stops
    second.set_default_timeout(TIMEOUT_MS)
    second.goto(f"{app.student}/voila/render/join.ipynb?code=QQQQQQ")  # a wrong code
    second.locator("h1", has_text=texts.t_in("ar", "join.heading")).wait_for()
    assert second.evaluate("[document.documentElement.lang, document.documentElement.dir]") == [
        "ar", "rtl",
    ]  # fmt: skip
    assert texts.t_in("ar", "admission.refused") in second.locator(".bw-join-message").inner_text()
    assert lang_of(second.locator(".bw-help li strong").first) == "nl"  # help routes stay Dutch
    assert_reflows(second, "code page in Arabic")
    assert blocking(second, "code page in Arabic") == []
    second.goto(app.join_url(code))
    second.locator(".bw-anonymity", has_text=texts.t_in("ar", "intro.heading")).wait_for()
    banner = page.locator(".bw-disconnected")  # the first tab lost its kernel to the second
    banner.wait_for()
    assert texts.t_in("ar", "admission.disconnected") in banner.inner_text()
    assert texts.t_in("ar", "admission.reload") in banner.inner_text()
    context.close()


def test_a_team_session_offers_no_language_and_stays_dutch(
    library: Library, store: ResponseStore
) -> None:
    """Its own texts (the staff notice, decisions, verdicts) exist in Dutch only: a choice would
    label Dutch text as English. A browser that chose English before gets Dutch here."""
    texts.set_language("en")  # as the join page does with the browser session's choice
    lesson = library.lesson("staf-tabletop-incidentprotocol")
    player = LessonPlayer(lesson, store, store.create_session(lesson.id).code)
    assert player.language not in player.children
    assert texts.language() == "nl" and player.language.page.lang == "nl"
    assert "Voordat u begint" in screen_text(player) and "Hulp en advies" in player.help_panel.value
