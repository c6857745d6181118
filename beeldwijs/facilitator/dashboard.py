"""The mentor's dashboard: pick a lesson, start a session, show the join code, watch results.

Runs in its own Voilà server bound to localhost (never reachable by students). A background
thread polls the store every few seconds; widget updates from a thread reach the browser.
Results stay hidden until at least k students answered (DESIGN.md §5 rule 2).
"""

from __future__ import annotations

import io
import logging
import threading
from html import escape

import ipywidgets as w
import segno

from beeldwijs.content import Library
from beeldwijs.content.model import Lesson, Question, Scenario
from beeldwijs.errors import StoreUnavailable
from beeldwijs.facilitator.aggregate import (
    QuestionResult,
    configured_k,
    counts_frame,
    fired_triggers,
    question_result,
)
from beeldwijs.facilitator.charts import result_png, result_rows
from beeldwijs.links import join_url
from beeldwijs.store import ResponseStore, Session
from beeldwijs.texts import t
from beeldwijs.widgets.safe import guarded, show_status

log = logging.getLogger("beeldwijs")

CSS = """
.bw-dash { font-size: 1.2rem; max-width: 70rem; margin: 0 auto; }
.bw-dash .widget-html-content { font-size: 1.15rem; line-height: 1.45; }
.bw-join-code { font-size: 5rem; font-weight: 800; letter-spacing: 0.4rem; font-family: monospace;
  color: #111; }
.bw-join-url { font-size: 1.4rem; word-break: break-all; }
.bw-participants { font-size: 2rem; font-weight: 700; color: #0b4f8a; }
.bw-result { border-top: 2px solid #ccc; padding-top: 0.6rem; margin-top: 0.6rem; }
.bw-hidden-result { color: #555; font-style: italic; }
.bw-trigger { background: #fff4e5; border-left: 5px solid #a35200; padding: 0.5rem 0.8rem; }
.bw-dash .widget-button { font-size: 1.1rem; min-height: 2.6rem; }
"""


def qr_png(url: str) -> bytes:
    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="png", scale=10, border=2)
    return buf.getvalue()


def result_summary_html(result: QuestionResult) -> str:
    items = "".join(
        f"<li><span>{escape(label)}</span>: <strong>{count}</strong></li>"
        for label, count in result_rows(result)
    )
    return f'<ul class="bw-counts">{items}</ul>'


class QuestionPanel(w.VBox):
    """One question's live result: hidden below k, a chart at k or more."""

    def __init__(self, question: Question, on_new_round: object) -> None:
        super().__init__()
        self.add_class("bw-result")
        self.question = question
        self.round = 1
        self.status = w.HTML()
        self.chart = w.Image(format="png", layout=w.Layout(max_width="100%", display="none"))
        self.chart.add_class("bw-chart")
        self.summary = w.HTML()  # the chart's numbers as text: screen readers and tests read it
        self.summary.add_class("bw-result-summary")
        self.triggers = w.HTML()
        self._last_png = b""
        self.round_button = w.Button(description=t("dash.new_round"), icon="refresh")
        self.round_button.add_class("bw-new-round")
        if callable(on_new_round):
            self.round_button.on_click(guarded(self.status, button=self.round_button)(on_new_round))
        controls = [] if question.is_open else [self.round_button]
        self.children = [
            w.HTML(f"<h3>{escape(question.prompt)}</h3>"),
            self.status,
            self.chart,
            self.summary,
            self.triggers,
            *controls,
        ]

    def show(self, result: QuestionResult, trigger_texts: list[str]) -> None:
        self.round = result.round
        prefix = f"{t('dash.round', n=result.round)} · " if result.round > 1 else ""
        if self.question.is_open:
            text = prefix + t("dash.open_answers", n=result.answered)
            show_status(self.status, text, "bw-hidden-result")
            return
        if not result.visible:
            text = prefix + t("dash.hidden", n=result.answered, k=result.k)
            show_status(self.status, text, "bw-hidden-result")
            self.chart.layout.display = "none"
            self.summary.value = ""
            self.triggers.value = ""
            return
        show_status(self.status, prefix + t("dash.answers", n=result.total), "bw-progress")
        png = result_png(result)
        if png != self._last_png:
            self.chart.value = png
            self._last_png = png
        self.chart.layout.display = ""
        self.summary.value = result_summary_html(result)
        self.triggers.value = "".join(
            f'<p class="bw-trigger">{escape(text)}</p>' for text in trigger_texts
        )


class Dashboard(w.VBox):
    """Start a session for a lesson and follow the class's answers."""

    def __init__(
        self,
        library: Library | None = None,
        store: ResponseStore | None = None,
        *,
        k: int | None = None,
        poll_seconds: float | None = 2.0,
    ) -> None:
        super().__init__()
        self.add_class("bw-dash")
        self.library = library or Library()
        self.store = store or ResponseStore()
        self.k = k if k is not None else configured_k()
        self.poll_seconds = poll_seconds
        self.session: Session | None = None
        self.lesson: Lesson | None = None
        self.panels: dict[str, QuestionPanel] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._refresh_lock = threading.Lock()

        self.status = w.HTML()
        self.lessons = {lesson.id: lesson for lesson in self.library.lessons()}
        self.lesson_picker = w.Dropdown(
            options=[(f"{le.title} ({le.minutes} min)", le.id) for le in self.lessons.values()],
            description=t("dash.pick_lesson"),
            style={"description_width": "initial"},
            layout=w.Layout(width="40rem"),
        )
        self.lesson_info = w.HTML()
        self.lesson_picker.observe(self._describe_lesson, names="value")
        self._describe_lesson()
        self.start_button = w.Button(
            description=t("dash.start"), button_style="primary", icon="play"
        )
        self.start_button.add_class("bw-start-session")
        self.start_button.on_click(
            guarded(self.status, button=self.start_button)(self._start_clicked)
        )
        self.body = w.VBox([self.lesson_picker, self.lesson_info, self.start_button, self.status])
        self.children = [
            w.HTML(f"<style>{CSS}</style>", layout=w.Layout(display="none")),
            w.HTML(f"<h1>{escape(t('dash.title'))}</h1>"),
            self.body,
        ]

    # -- choosing and starting -----------------------------------------------------------------
    def _describe_lesson(self, _change: object = None) -> None:
        lesson = self.lessons.get(self.lesson_picker.value)
        if lesson is None:
            self.lesson_info.value = ""
            return
        meta = t(
            "dash.lesson_meta",
            audience=", ".join(lesson.audience),
            minutes=lesson.minutes,
            themes=", ".join(lesson.themes),
        )
        self.lesson_info.value = f"<p>{escape(lesson.summary)}</p><p><em>{escape(meta)}</em></p>"

    def _start_clicked(self, _button: object = None) -> None:
        show_status(self.status, t("dash.starting"), "bw-progress")
        self.start_session(self.lesson_picker.value)

    def start_session(self, lesson_id: str) -> Session:
        session = self.store.create_session(lesson_id)
        self.attach(session)
        return session

    def attach(self, session: Session) -> None:
        """Show ``session``: join screen, results, live updates."""
        self.session = session
        self.lesson = self.library.lesson(session.lesson_id)
        url = join_url(session.lesson_id, session.code)
        code = w.HTML(f'<div class="bw-join-code" aria-label="code">{escape(session.code)}</div>')
        code.add_class("bw-join-code")
        self.participants = w.HTML()
        self.participants.add_class("bw-participants")
        qr = w.Image(value=qr_png(url), format="png", layout=w.Layout(width="260px"))
        qr.add_class("bw-qr")
        close = w.Button(description=t("dash.close"), icon="stop")
        close.add_class("bw-close-session")
        close.on_click(guarded(self.status, button=close)(lambda _: self.close_session()))
        join_text = w.VBox(
            [
                w.HTML(
                    f"<h2>{escape(self.lesson.title)}</h2><p>{escape(t('dash.join_heading'))}</p>"
                ),
                w.HTML(f"<p>{escape(t('dash.join_code'))}:</p>"),
                code,
                w.HTML(
                    f'<p>{escape(t("dash.join_url"))}: <span class="bw-join-url">{escape(url)}</span></p>'
                ),
                self.participants,
                close,
            ]
        )
        self.join_url = url
        self.panels = {}
        sections: list[w.Widget] = [w.HTML(f"<h2>{escape(t('dash.results'))}</h2>")]
        for scenario in self.lesson.scenarios:
            sections.append(self._scenario_section(scenario))
        self.body.children = [
            w.HBox([join_text, qr]),
            self.status,
            w.VBox(sections),
        ]
        show_status(self.status, "")
        self.refresh()
        self._start_polling()

    def _scenario_section(self, scenario: Scenario) -> w.VBox:
        panels = []
        for question in scenario.questions:
            panel = QuestionPanel(question, lambda _b, q=question: self.new_round(q))
            self.panels[question.key] = panel
            panels.append(panel)
        prompts = "".join(f"<li>{escape(p)}</li>" for p in scenario.discussion_prompts)
        return w.VBox(
            [
                w.HTML(f"<h2>{escape(scenario.title)}</h2>"),
                *panels,
                w.HTML(f"<h3>{escape(t('dash.prompts'))}</h3><ul>{prompts}</ul>"),
            ]
        )

    # -- live updates --------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read counts from the store and update the participant count and every panel."""
        if self.session is None or self.lesson is None:
            return
        with self._refresh_lock:
            try:
                n = self.store.participant_count(self.session.code)
                frame = counts_frame(self.store.counts(self.session.code))
                rounds = {
                    key: self.store.current_round(self.session.code, key) for key in self.panels
                }
            except StoreUnavailable:
                log.warning("store unavailable during refresh")
                show_status(self.status, t("dash.store_down"))
                return
            self.participants.value = escape(t("dash.participants", n=n))
            for scenario in self.lesson.scenarios:
                results = {
                    q.key: question_result(frame, q, rounds[q.key], self.k)
                    for q in scenario.questions
                }
                fired = fired_triggers(scenario, results)
                for q in scenario.questions:
                    texts = [tr.prompt for tr in fired if tr.question == q.id]
                    self.panels[q.key].show(results[q.key], texts)

    def new_round(self, question: Question) -> int:
        assert self.session is not None  # noqa: S101 - panels exist only with a session
        number = self.store.open_round(self.session.code, question.key)
        self.refresh()
        return number

    def close_session(self) -> None:
        if self.session is None:
            return
        self.session = self.store.close_session(self.session.code)
        self._stop.set()
        show_status(self.status, t("dash.closed"), "bw-progress")

    def _start_polling(self) -> None:
        if self.poll_seconds is None or self._thread is not None:
            return
        self._thread = threading.Thread(target=self._poll, name="beeldwijs-dashboard", daemon=True)
        self._thread.start()

    def _poll(self) -> None:
        assert self.poll_seconds is not None  # noqa: S101
        while not self._stop.wait(self.poll_seconds):
            try:
                self.refresh()
            except Exception:  # noqa: BLE001 - keep polling; the mentor sees the last good view
                log.exception("dashboard refresh failed")
