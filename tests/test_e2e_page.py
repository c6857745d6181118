"""The student page for everyone (issue 13, items 2, 4 and 7) in Debian's Chromium.

- **Reflow**: at 320×640 and 360×640 CSS px (320 px is 400 % zoom of a 1280-px window, WCAG
  1.4.10) every screen of a lesson with every question type, the help panel open, the tabletop's
  decision and the code form: no sideways scrolling and no element cut off at the sides.
- **Reading order**: after "Begin" focus is on the scenario's heading, in view; after "Verstuur"
  the confirmation and "Volgende" are in view and the confirmation has focus; the next question
  gets focus; a new scenario starts at its story; the live region announces a new question, a
  waiting state and a re-vote. Visible focus of 3 px at ≥ 3:1; real labels; ``tel:`` links; a
  16-px code field.
- **"Lees voor"**: reachable by Tab right after what it reads, and it calls
  ``speechSynthesis.speak`` with that text in Dutch. The browser's speech API is replaced by a
  recorder (Playwright init script): the API is the browser's, not ours.
"""

from __future__ import annotations

import contextlib
import re
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from beeldwijs.content import Library
from beeldwijs.store import ResponseStore
from beeldwijs.texts import t
from tests.e2e_support import CHROMIUM, CHROMIUM_ARGS, LESSON, TIMEOUT_MS, running_app

pytestmark = pytest.mark.browser

TABLETOP = "staf-tabletop-incidentprotocol"
#: A lesson with every question type, for the reflow of every screen (LESSON has no
#: traffic_light question since the content rework of session 6).
EVERY_TYPE = "brugklas-2-beelden-en-toestemming"

SPEECH_RECORDER = """
window.__spoken = [];
Object.defineProperty(window, "speechSynthesis", { configurable: true, value: {
  speaking: false,
  cancel() {},
  speak(u) { window.__spoken.push({ text: u.text, lang: u.lang, voice: u.voice && u.voice.lang }); },
  getVoices() { return [{ lang: "en-GB", name: "English" }, { lang: "nl-NL", name: "Nederlands" }]; },
}});
window.SpeechSynthesisUtterance = function (text) { this.text = text; };
"""

#: Elements of the app outside [0, viewport width]: cut off, or the page scrolls sideways.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const found = [];
  if (document.documentElement.scrollWidth > width) {
    found.push("page " + document.documentElement.scrollWidth + " > " + width);
  }
  for (const el of document.querySelectorAll(".bw-app *")) {
    if (el.closest(".bw-hidden, .bw-sr-only")) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (r.right > width + 0.5 || r.left < -0.5) {
      found.push(`${el.tagName}.${el.className} ${Math.round(r.left)}..${Math.round(r.right)}`);
    }
  }
  return found.slice(0, 5);
}"""

ACTIVE = "() => { const a = document.activeElement; return a ? a.outerHTML.slice(0, 120) : ''; }"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    with running_app(tmp_path_factory.mktemp("e2e-page"), k=3) as running:
        yield running


def new_page(app: dict[str, str], browser, lesson: str, width: int = 360, open_until: int = -1):
    """A student at the notice of a new session; ``open_until``: the mentor's pace, questions up
    to that index open (-1: the student's own pace)."""
    store = ResponseStore(app["db"])
    code = store.create_session(lesson).code
    if open_until >= 0:
        store.set_pace(code, "presenter", open_until)
    store.close()
    context = browser.new_context(viewport={"width": width, "height": 640})
    context.add_init_script(SPEECH_RECORDER)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{app['student']}/voila/render/join.ipynb?code={code}")
    page.locator(".bw-start").wait_for()
    page.locator(".bw-anonymity h2, .bw-intro h2").first.wait_for()  # joined: the title is there
    return page, code


def assert_reflows(page, screen: str) -> None:
    page.evaluate("document.querySelectorAll('.bw-help details').forEach(d => { d.open = true; })")
    assert page.evaluate(OVERFLOW) == [], screen


def in_view(page, selector: str) -> bool:
    box = page.locator(selector).first.bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= -1 and box["y"] + min(box["height"], 40) <= height + 1


def focused(page, selector: str) -> None:
    page.wait_for_function(
        "s => document.activeElement && document.activeElement.matches(s)", arg=selector
    )


def announced(page, text: str) -> None:
    page.wait_for_function(
        "s => (document.querySelector('.bw-live') || {}).textContent?.includes(s)", arg=text
    )


def answer(page, question) -> None:
    """Answer the question on screen and wait for the confirmation."""
    view = page.locator(".bw-question")
    if question.is_open:
        view.locator("textarea").fill("Niet doorsturen en erover praten.")
    else:
        view.locator(".bw-option").first.click()
    view.locator(".bw-submit").click()
    view.locator(".bw-saved").wait_for()


def progress(page) -> int:
    text = page.locator(".bw-question .bw-progress").first.inner_text()
    return int(re.search(r"Vraag (\d+) van", text)[1])


def next_question(page, number: int) -> None:
    page.locator(".bw-question .bw-next").click()
    page.wait_for_function(
        "n => { const p = document.querySelector('.bw-question .bw-progress');"
        " return document.querySelector('.bw-end, .bw-waiting')"
        " || (p && !p.textContent.includes('Vraag ' + n + ' van')); }",
        arg=number,
    )


# --------------------------------------------------------------------------- reflow


@pytest.mark.parametrize("width", [320, 360])
def test_every_screen_reflows_without_sideways_scrolling(app, browser, width: int) -> None:
    lesson = Library().lesson(EVERY_TYPE)
    types = {q.type for q in lesson.questions}
    assert {"dilemma", "scale", "knowledge", "text", "traffic_light"} <= types
    page, _ = new_page(app, browser, EVERY_TYPE, width)
    assert_reflows(page, "notice")
    page.click(".bw-start")
    seen = set()
    for _ in lesson.questions:
        page.locator(".bw-question .bw-submit").wait_for()
        question = lesson.questions[progress(page) - 1]
        assert_reflows(page, f"question {question.key}")
        answer(page, question)
        assert_reflows(page, f"feedback {question.key}")
        seen.add(question.type)
        next_question(page, progress(page))
    page.locator(".bw-end").wait_for()
    assert_reflows(page, "end")
    assert seen == types

    page, _ = new_page(app, browser, TABLETOP, width)  # the staff decision with its clock
    page.click(".bw-start")
    page.locator(".bw-question .bw-submit").wait_for()
    assert_reflows(page, "decision")
    answer(page, Library().lesson(TABLETOP).questions[0])
    assert_reflows(page, "decision feedback")

    code_form = page.context.new_page()
    code_form.goto(f"{app['student']}/voila/render/join.ipynb?code=QQQQQQ")
    code_form.locator("input.bw-code-input").wait_for()
    assert_reflows(code_form, "code form")


# --------------------------------------------------------------------------- reading order


def test_focus_scroll_and_announcements_follow_the_lesson(app, browser) -> None:
    lesson = Library().lesson(LESSON)
    first_of_next = len(lesson.scenarios[0].questions)  # the second scenario's first question
    page, code = new_page(app, browser, LESSON, open_until=first_of_next)
    page.locator(".bw-start").focus()
    page.keyboard.press("Enter")

    # a new scenario starts at its story: its heading has focus and is in view
    focused(page, ".bw-scenario h2")
    assert page.evaluate("document.activeElement.textContent") == lesson.scenarios[0].title
    assert in_view(page, ".bw-scenario h2")
    announced(page, f"Vraag 1 van {len(lesson.questions)}: {lesson.questions[0].prompt}")

    # after "Verstuur" the confirmation has focus, it and "Volgende" are in view
    page.locator(".bw-question .bw-option").first.click()
    page.locator(".bw-question .bw-submit").focus()
    page.keyboard.press("Enter")
    focused(page, ".bw-question .bw-saved")
    assert in_view(page, ".bw-question .bw-saved") and in_view(page, ".bw-question .bw-next")
    for _ in range(3):  # "Volgende" is a Tab or two away ("Lees voor" of the feedback first)
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('.bw-next')"):
            break
    focused(page, ".bw-next")
    page.keyboard.press("Enter")

    # the next question of the same scenario: focus on the question, announced
    second = lesson.questions[1]
    announced(page, f"Vraag 2 van {len(lesson.questions)}: {second.prompt}")
    focused(page, ".bw-question legend, .bw-question .bw-prompt")
    assert in_view(page, ".bw-question")

    # on to the next scenario: its story is where the student starts
    for n in range(2, first_of_next + 1):
        answer(page, lesson.questions[n - 1])
        next_question(page, n)
    focused(page, ".bw-scenario h2")
    assert page.evaluate("document.activeElement.textContent") == lesson.scenarios[1].title
    assert in_view(page, ".bw-scenario h2")

    # the mentor's pace: waiting is announced, the question that opens too
    answer(page, lesson.questions[first_of_next])
    next_question(page, first_of_next + 1)
    announced(page, t("pace.waiting"))
    store = ResponseStore(app["db"])
    store.set_pace(code, "presenter", first_of_next + 1)
    announced(page, f"Vraag {first_of_next + 2} van")

    # a re-vote of the first question comes after the question on screen: announced, focused
    store.open_round(code, lesson.questions[0].key)
    store.close()
    answer(page, lesson.questions[first_of_next + 1])
    next_question(page, first_of_next + 2)
    announced(page, t("pace.revote"))
    focused(page, ".bw-question legend, .bw-question .bw-prompt")


def test_a_slow_phone_keeps_the_new_scenario_at_its_story(app, browser) -> None:
    """A phone ten times slower (Chromium's CPU throttling): the question's progress line and
    button settled before its answers' legend, and the legend arriving then looked like a next
    question, so focus and scroll left the story for the question (5 of 8 loads before)."""
    lesson = Library().lesson(LESSON)
    page, _ = new_page(app, browser, LESSON)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 10})
    page.locator(".bw-start").focus()
    page.keyboard.press("Enter")
    focused(page, ".bw-scenario h2")
    page.locator(".bw-question legend, .bw-question .bw-prompt").first.wait_for()
    page.wait_for_timeout(2000)  # every later screen change settled
    assert page.evaluate("document.activeElement.textContent") == lesson.scenarios[0].title
    assert in_view(page, ".bw-scenario h2")
    announced(page, f"Vraag 1 van {len(lesson.questions)}: {lesson.questions[0].prompt}")


def test_focus_is_visible_labels_are_real_and_numbers_can_be_called(app, browser) -> None:
    lesson = Library().lesson(LESSON)
    page, _ = new_page(app, browser, LESSON)
    help_links = page.locator(".bw-help a[href^='tel:']")
    assert help_links.count() >= 2
    assert help_links.first.get_attribute("href") == "tel:" + re.sub(
        r"[^\d+]", "", help_links.first.text_content()
    )
    page.locator(".bw-start").focus()
    page.keyboard.press("Enter")
    # keyboard focus on each kind of control: a 3-px outline at ≥ 3:1 against white
    page.locator(".bw-question .bw-submit").wait_for()
    for selector in (".bw-question .bw-read", ".bw-question .bw-option input", ".bw-help summary"):
        page.locator(selector).first.focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")  # focus by keyboard: :focus-visible
        ring = page.evaluate(
            """() => { const s = getComputedStyle(document.activeElement.closest('.bw-option') || document.activeElement);
              return [s.outlineStyle, parseFloat(s.outlineWidth), s.outlineColor]; }"""
        )
        assert ring[0] != "none" and ring[1] >= 2, (selector, ring)
        assert contrast(ring[2], "rgb(255, 255, 255)") >= 3, (selector, ring)
    # the open question's box has a real label, not only its placeholder
    open_number = next(i for i, q in enumerate(lesson.questions, 1) if q.is_open)
    for n in range(1, open_number):
        answer(page, lesson.questions[n - 1])
        next_question(page, n)
    box = page.get_by_role("textbox", name=t("question.text_label"))
    assert box.count() == 1
    assert box.evaluate("e => e.labels.length") == 1

    code_form = page.context.new_page()
    code_form.goto(f"{app['student']}/voila/render/join.ipynb?code=QQQQQQ")
    code_form.locator("input.bw-code-input").wait_for()
    code_form.wait_for_function(  # once the app's stylesheet is on the page
        "() => parseFloat(getComputedStyle(document.querySelector('input.bw-code-input')).fontSize) >= 16"
    )


def contrast(css_a: str, css_b: str) -> float:
    def luminance(css: str) -> float:
        channels = [int(v) / 255 for v in re.findall(r"\d+", css)[:3]]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    high, low = sorted((luminance(css_a), luminance(css_b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# --------------------------------------------------------------------------- Lees voor


def test_read_aloud_is_reached_by_keyboard_and_speaks_the_text_in_dutch(app, browser) -> None:
    lesson = Library().lesson(LESSON)
    scenario, question = lesson.scenarios[0], lesson.questions[0]
    page, _ = new_page(app, browser, LESSON)
    page.locator(".bw-start").focus()
    page.keyboard.press("Enter")
    focused(page, ".bw-scenario h2")
    focused(page, ".bw-scenario h2:has(+ .bw-read)")  # the button is made as the screen settles

    page.keyboard.press("Tab")  # right after the story's heading
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == (
        f"{t('read.button')}: {t('read.story')}"
    )
    page.keyboard.press("Enter")
    page.wait_for_function("window.__spoken.length === 1")
    spoken = page.evaluate("window.__spoken[0]")
    first_line = scenario.story.text.strip().splitlines()[0].strip()
    assert scenario.title in spoken["text"] and first_line in spoken["text"]
    assert t("read.button") not in spoken["text"]
    assert spoken["lang"] == "nl-NL" and spoken["voice"] == "nl-NL"
    assert page.evaluate("document.activeElement.getAttribute('aria-pressed')") == "true"

    page.keyboard.press("Tab")  # the question's button, after its legend
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == (
        f"{t('read.button')}: {t('read.question')}"
    )
    page.keyboard.press("Enter")
    page.wait_for_function("window.__spoken.length === 2")
    text = page.evaluate("window.__spoken[1].text")
    assert question.prompt in text and question.options[0].text in text
    page.keyboard.press("Tab")  # then the answers: the button did not break the order
    assert page.evaluate("document.activeElement.type") == "radio"
    page.keyboard.press("Space")
    page.locator(".bw-question .bw-submit").click()
    focused(page, ".bw-question .bw-saved")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == (
        f"{t('read.button')}: {t('read.feedback')}"
    )
    page.keyboard.press("Enter")
    page.wait_for_function("window.__spoken.length === 3")
    assert t("question.saved") in page.evaluate("window.__spoken[2].text")


# --------------------------------------------------------------------------- a light page


def test_static_files_are_compressed_and_versioned_ones_cached_for_good(app, browser) -> None:
    import httpx

    page, _ = new_page(app, browser, LESSON)
    responses: list[dict[str, str]] = []
    page.on("response", lambda r: responses.append({"url": r.url, **r.all_headers()}))
    page.reload()
    page.locator(".bw-start").wait_for()
    statics = [r for r in responses if r["url"].split("?")[0].endswith((".js", ".css"))]
    assert statics and all("?v=" in r["url"] for r in statics), [r["url"] for r in statics]
    assert all("immutable" in r.get("cache-control", "") for r in statics)
    big = next(r["url"] for r in statics if r["url"].split("?")[0].endswith("/student.js"))
    with httpx.Client(trust_env=False) as client:
        sizes = {}
        for accept, encoding in (("gzip", "gzip"), ("identity", None), ("gzip, br", "br")):
            for _ in range(600):  # brotli is made in the background: gzip until it is there
                got = client.get(big, headers={"Accept-Encoding": accept})
                if got.headers.get("content-encoding") == encoding:
                    break
                assert got.headers.get("content-encoding") == "gzip", got.headers
                page.wait_for_timeout(500)
            assert got.status_code == 200 and got.headers.get("content-encoding") == encoding
            sizes[accept] = int(got.headers["content-length"])
        assert sizes["gzip"] < sizes["identity"] / 3
        assert sizes["gzip, br"] < sizes["gzip"]
        unversioned = client.get(big.split("?")[0])
        assert unversioned.headers["cache-control"] == "no-cache"
        assert unversioned.headers.get("etag") or unversioned.headers.get("last-modified")
        html = client.get(page.url, headers={"Accept-Encoding": "gzip"})
        assert html.headers["content-encoding"] == "gzip"


#: A cold student page, first question included, as its connections carried it: 176,047–176,100 B
#: measured on the page's own front end (1,376,195 on Voilà's, 1,424,528 before the inline source
#: maps went), this bound ≈ 3 % above. The bench (bench/page_weight.py) counts the TCP/IP and
#: Ethernet headers too; bytes, not time.
COLD_BOUND = 181_500


class CountingRelay:
    """A TCP relay to the student server that counts the bytes it passes to the browser: what
    the connections carried (HTTP, and the websocket as deflated on the wire)."""

    def __init__(self, target: int) -> None:
        self.target, self.down = target, 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.target))
            threading.Thread(target=self._pipe, args=(client, server, False), daemon=True).start()
            threading.Thread(target=self._pipe, args=(server, client, True), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket, down: bool) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
                if down:
                    with self._lock:
                        self.down += len(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()

    def close(self) -> None:
        self.listener.close()


def test_a_cold_page_over_the_school_network_stays_under_the_target(app, browser) -> None:
    """A phone reaches the student server by a LAN address over plain HTTP, where Chromium
    accepts gzip only (``br`` goes to secure origins, which 127.0.0.1 is): a name for 127.0.0.1
    makes this Chromium such a phone. Counted: every byte the server sent this browser over
    its connections (a relay in between), until the first question is there."""
    relay = CountingRelay(int(app["student"].rsplit(":", 1)[1]))
    lan = browser.browser_type.launch(
        executable_path=CHROMIUM,
        args=[*CHROMIUM_ARGS, "--host-resolver-rules=MAP school.test 127.0.0.1"],
    )
    try:

        def cold_load() -> tuple[int, list[str], list[str]]:
            store = ResponseStore(app["db"])
            code = store.create_session(LESSON).code
            store.close()
            context = lan.new_context(viewport={"width": 360, "height": 640})
            page = context.new_page()
            page.set_default_timeout(TIMEOUT_MS)
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            asked: list[str] = []
            urls: list[str] = []
            cdp.on("Network.requestWillBeSentExtraInfo",
                   lambda e: asked.append(e["headers"].get("Accept-Encoding", "")))  # fmt: skip
            cdp.on("Network.requestWillBeSent", lambda e: urls.append(e["request"]["url"]))
            before = relay.down
            page.goto(f"http://school.test:{relay.port}/voila/render/join.ipynb?code={code}")
            page.click(".bw-start")
            page.locator(".bw-question .bw-option, .bw-question textarea").first.wait_for()
            page.wait_for_timeout(1000)  # what was under way when the question came
            received = relay.down - before
            context.close()
            return received, asked, urls

        _, asked, urls = cold_load()
        assert asked and not any("br" in header for header in asked), set(asked)
        # the server makes its smallest gzip once per installation, in the background: wait
        # until it is there for every file this page fetched (its brotli copy comes after it)
        import httpx

        statics = {u.replace(f"school.test:{relay.port}", app["student"].split("//")[1])
                   for u in urls if "/voila/render/" not in u and "/api/" not in u
                   and u.startswith("http")}  # fmt: skip
        with httpx.Client(trust_env=False, headers={"Accept-Encoding": "br"}) as client:
            for url in statics:
                for _ in range(600):
                    if client.get(url).headers.get("content-encoding") != "gzip":
                        break
                    time.sleep(0.5)
        total, _, _ = cold_load()
        assert 0 < total < COLD_BOUND, total
    finally:
        lan.close()
        relay.close()


def test_a_warm_reload_transfers_little(app, browser) -> None:
    page, _ = new_page(app, browser, LESSON)  # cold: the browser's cache fills
    again = page.context.new_page()
    cdp = page.context.new_cdp_session(again)
    cdp.send("Network.enable")
    received: list[int] = []
    cdp.on("Network.loadingFinished", lambda e: received.append(int(e["encodedDataLength"])))
    again.goto(page.url)
    again.locator(".bw-start").wait_for()
    again.locator(".bw-intro h2").wait_for()
    assert 0 < sum(received) < 50_000, (len(received), sum(received))


def test_a_second_tab_of_the_same_browser_gets_a_working_lesson(app, browser) -> None:
    """A reload or a second tab stops that browser's older kernel of the page (admission, one
    browser by a cookie): the new page must get its own and work. The old tab's reconnects to
    its stopped kernel are refused at once; when they waited, Chromium held back the new tab's
    websocket and the new tab stayed at the widget placeholder."""
    lesson = Library().lesson(LESSON)
    page, _ = new_page(app, browser, LESSON)
    again = page.context.new_page()
    again.set_default_timeout(TIMEOUT_MS)
    again.goto(page.url)
    for _ in ("a second tab", "a reload of it"):
        again.locator(".bw-start").wait_for()
        again.click(".bw-start")
        again.locator(".bw-question .bw-submit").wait_for()
        answer(again, lesson.questions[progress(again) - 1])
        again.reload()
