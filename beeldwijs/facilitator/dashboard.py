"""The mentor's dashboard: pick a lesson, start a session, show the join code, steer the class.

Runs in its own Voilà server bound to localhost (never reachable by students). A background
thread polls the store every few seconds; widget updates from a thread reach the browser.
Results stay hidden until the mentor reveals them and until at least k students answered
(docs/architecture.md, product rule 2; the stepping rule is in beeldwijs.facilitator.panels).
"""

from __future__ import annotations

import io
import logging
import threading
from html import escape
from pathlib import Path
from urllib.parse import quote

import ipywidgets as w
import segno

from beeldwijs.content import Library
from beeldwijs.content.model import Lesson, Question, Scenario
from beeldwijs.content.names import decode, renamed
from beeldwijs.errors import StoreUnavailable
from beeldwijs.facilitator.analysis.aggregate import configured_k, fired_triggers
from beeldwijs.facilitator.guide_panel import GuidePanel, scenario_guide
from beeldwijs.facilitator.namepanel import NameSwapPanel
from beeldwijs.facilitator.panels import QuestionPanel
from beeldwijs.facilitator.report import (
    ExportFiles,
    approved_texts,
    default_export_folder,
    export_session,
    session_results,
)
from beeldwijs.facilitator.startchoice import StartChoice
from beeldwijs.facilitator.teamview import has_team_result, team_png, team_view
from beeldwijs.links import join_url
from beeldwijs.store import Count, ResponseStore, Session
from beeldwijs.texts import t
from beeldwijs.ui.safe import guarded, show_status

log = logging.getLogger("beeldwijs")

CSS = """
.bw-dash { font-size: 1.2rem; max-width: 70rem; margin: 0 auto; color: #111; }
.bw-dash .widget-html-content { font-size: 1.15rem; line-height: 1.45; }
.bw-join-code .widget-html-content { font-size: 5.5rem; font-weight: 800; letter-spacing: 0.5rem;
  font-family: monospace; line-height: 1.1; }
.bw-join-url { font-size: 1.4rem; word-break: break-all; }
.bw-participants .widget-html-content { font-size: 2rem; font-weight: 700; color: #0b4f8a; }
.bw-dash button.jupyter-button { width: auto; padding: 0 1rem; }
.bw-result { border-top: 2px solid #ccc; padding-top: 0.6rem; margin-top: 0.6rem; }
.bw-hidden-result { color: #444; font-style: italic; }
.bw-trigger { background: #fff4e5; border-left: 5px solid #a35200; padding: 0.5rem 0.8rem; }
.bw-expert-text { background: #eef4fb; border-left: 5px solid #1f5fa8; padding: 0.5rem 0.8rem; }
.bw-pause-screen { font-size: 6rem; text-align: center; color: #777; padding: 20vh 0; }
.bw-preflight { background: #fff4e5; padding: 0.5rem 0.8rem; }
.bw-dash .widget-button { font-size: 1.1rem; min-height: 2.6rem; }
"""


def qr_png(url: str) -> bytes:
    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="png", scale=10, border=2)
    return buf.getvalue()


def lessons_without(lessons: list[Lesson], avoid: tuple[str, ...]) -> list[Lesson]:
    """Lessons none of whose scenarios touch an avoided theme (pre-flight: live incident)."""
    return [le for le in lessons if not set(le.themes) & set(avoid)]


class Dashboard(w.VBox):
    """Start or resume a session for a lesson and follow the class's answers."""

    def __init__(
        self,
        library: Library | None = None,
        store: ResponseStore | None = None,
        *,
        k: int | None = None,
        poll_seconds: float | None = 2.0,
        export_folder: Path | None = None,
    ) -> None:
        super().__init__()
        self.add_class("bw-dash")
        self.library = library or Library()
        self.store = store or ResponseStore()
        self.k = k if k is not None else configured_k()
        self.poll_seconds = poll_seconds
        self.export_folder = export_folder or default_export_folder()
        self.session: Session | None = None
        self.lesson: Lesson | None = None
        self.panels: dict[str, QuestionPanel] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._refresh_lock = threading.Lock()
        self.status = w.HTML()
        self.all_lessons = self.library.lessons()
        self.all_cases = self.library.cases()  # every scenario, startable alone
        self.body = w.VBox(self._start_screen())
        self.pause_screen = self._pause_screen()
        self.children = [
            w.HTML(f"<style>{CSS}</style>", layout=w.Layout(display="none")),
            w.HTML(f"<h1>{escape(t('dash.title'))}</h1>"),
            self.body,
        ]

    # -- choosing and starting -----------------------------------------------------------------
    def _start_screen(self) -> list[w.Widget]:
        self.preflight = w.RadioButtons(
            options=[(t("dash.preflight_no"), False), (t("dash.preflight_yes"), True)],
            description=t("dash.preflight"),
            style={"description_width": "initial"},
        )
        themes = sorted({th for le in self.all_cases for th in le.themes})
        self.avoid = w.SelectMultiple(options=themes, description=t("dash.avoid_themes"), rows=6)
        self.preflight_box = w.VBox(
            [
                w.HTML(f'<p class="bw-preflight">{escape(t("dash.preflight_advice"))}</p>'),
                self.avoid,
            ],
            layout=w.Layout(display="none"),
        )
        self.preflight.observe(self._on_preflight, names="value")
        self.avoid.observe(self._filter_lessons, names="value")
        self.lesson_picker = w.Dropdown(
            description=t("dash.pick_lesson"),
            style={"description_width": "initial"},
            layout=w.Layout(width="44rem"),
        )
        self.lesson_picker.add_class("bw-lesson-picker")
        self.lesson_info = w.HTML()
        self.guide_panel = GuidePanel()
        self.lesson_picker.observe(self._describe_lesson, names="value")
        self.start_choice = StartChoice(self._filter_lessons)
        self._filter_lessons()
        self.pace = w.RadioButtons(
            options=[(t("dash.pace_student"), "student"), (t("dash.pace_presenter"), "presenter")],
            description=t("dash.pace_label"),
        )
        self.start_button = w.Button(
            description=t("dash.start"), button_style="primary", icon="play"
        )
        self.start_button.add_class("bw-start-session")
        self.start_button.on_click(
            guarded(self.status, button=self.start_button)(self._start_clicked)
        )
        screen: list[w.Widget] = [
            self.preflight,
            self.preflight_box,
            self.start_choice,
            self.lesson_picker,
            self.lesson_info,
            self.guide_panel,
            self.pace,
            self.start_button,
            self.status,
        ]
        links = " · ".join(
            f'<a href="{page}" target="_blank">{escape(t(key))}</a>'
            for page, key in (
                ("overzicht.ipynb", "over.title"),
                ("zelfscan.ipynb", "dash.link_selfscan"),
            )
        )
        screen.append(w.HTML(f'<p class="bw-other-pages">{links}</p>'))
        running = [s for s in self.store.sessions() if s.is_open]
        if running:
            titles = {le.id: le.title for le in (*self.all_lessons, *self.all_cases)}
            self.resume_picker = w.Dropdown(
                options=[
                    (f"{s.code} · {titles.get(s.lesson_id, s.lesson_id)} · {s.created_on}", s.code)
                    for s in reversed(running)
                ],
                description=t("dash.resume_session"),
                style={"description_width": "initial"},
            )
            resume = w.Button(description=t("dash.resume_button"))
            resume.add_class("bw-resume-session")
            resume.on_click(
                guarded(self.status, button=resume)(
                    lambda _: self.attach(self.store.session(self.resume_picker.value))
                )
            )
            screen += [w.HTML("<hr>"), w.HBox([self.resume_picker, resume])]
        return screen

    def _on_preflight(self, _change: object = None) -> None:
        self.preflight_box.layout.display = "" if self.preflight.value else "none"
        if not self.preflight.value:
            self.avoid.value = ()

    def _filter_lessons(self, _change: object = None) -> None:
        offered = self.start_choice.offered(self.all_lessons, self.all_cases)
        lessons = lessons_without(offered, tuple(self.avoid.value))
        self.lesson_picker.options = [(f"{le.title} ({le.minutes} min)", le.id) for le in lessons]
        self._describe_lesson()

    def _describe_lesson(self, _change: object = None) -> None:
        lesson = next(
            (
                le
                for le in (*self.all_lessons, *self.all_cases)
                if le.id == self.lesson_picker.value
            ),
            None,
        )
        self.guide_panel.show(lesson)
        if lesson is None:
            empty = t("dash.no_lessons") if self.avoid.value else t("dash.no_level")
            self.lesson_info.value = f"<p>{escape(empty)}</p>"
            return
        meta = t(
            "dash.lesson_meta",
            audience=", ".join(lesson.audience),
            minutes=lesson.minutes,
            themes=", ".join(lesson.themes),
        )
        self.lesson_info.value = f"<p>{escape(lesson.summary)}</p><p><em>{escape(meta)}</em></p>"

    def _start_clicked(self, _button: object = None) -> None:
        if self.lesson_picker.value is None:
            show_status(self.status, t("dash.no_lessons"))
            return
        show_status(self.status, t("dash.starting"), "bw-progress")
        self.start_session(self.lesson_picker.value, pace=self.pace.value)

    def start_session(self, lesson_id: str, pace: str = "student") -> Session:
        session = self.store.create_session(lesson_id, pace=pace)
        self.attach(session)
        return session

    # -- the running session -------------------------------------------------------------------
    def attach(self, session: Session) -> None:
        """Show ``session``: join screen, controls, results, live updates."""
        self.session = session
        written = self.library.lesson(session.lesson_id)
        self.lesson = renamed(written, decode(session.names))  # the mentor's name swaps
        self.join_url = join_url(session.lesson_id, session.code)
        code = w.HTML(f'<div aria-label="code">{escape(session.code)}</div>')
        code.add_class("bw-join-code")
        self.participants = w.HTML()
        self.participants.add_class("bw-participants")
        qr = w.Image(
            value=qr_png(self.join_url),
            format="png",
            layout=w.Layout(width="280px", height="280px"),
        )
        qr.add_class("bw-qr")
        join = w.VBox(
            [
                w.HTML(
                    f"<h2>{escape(self.lesson.title)}</h2><p>{escape(t('dash.join_heading'))}</p>"
                ),
                w.HTML(f"<p>{escape(t('dash.join_code'))}:</p>"),
                code,
                w.HTML(
                    f"<p>{escape(t('dash.join_url'))}: "
                    f'<span class="bw-join-url">{escape(self.join_url)}</span></p>'
                ),
                self.participants,
            ]
        )
        self.panels = {}
        sections: list[w.Widget] = [w.HTML(f"<h2>{escape(t('dash.results'))}</h2>")]
        sections += [self._scenario_section(s) for s in self.lesson.scenarios]
        if has_team_result(self.lesson):
            sections.append(self._team_section())
        names = NameSwapPanel(written, self.store, session, self.attach)
        self.body.children = [
            w.HBox([join, qr]),
            self._controls(),
            self.status,
            names,
            w.VBox(sections),
        ]
        show_status(self.status, "")
        self.refresh()
        self._start_polling()

    def _controls(self) -> w.VBox:
        assert self.session is not None and self.lesson is not None  # noqa: S101
        self.presenter_label = w.HTML()
        self.presenter_label.add_class("bw-now-open")
        previous = w.Button(description=t("dash.previous_question"), icon="arrow-left")
        forward = w.Button(description=t("dash.next_question"), icon="arrow-right")
        forward.add_class("bw-next-question")
        previous.on_click(guarded(self.status, button=previous)(lambda _: self.move_step(-1)))
        forward.on_click(guarded(self.status, button=forward)(lambda _: self.move_step(+1)))
        self.presenter_box = w.HBox([previous, forward, self.presenter_label])
        pause = w.Button(description=t("dash.pause"), icon="pause")
        pause.add_class("bw-pause")
        pause.on_click(guarded(self.status, button=pause)(lambda _: self.pause(True)))
        export = w.Button(description=t("dash.export"), icon="download")
        export.add_class("bw-export")
        export.on_click(guarded(self.status, button=export)(lambda _: self.export()))
        close = w.Button(description=t("dash.close"), icon="stop")
        close.add_class("bw-close-session")
        close.on_click(guarded(self.status, button=close)(lambda _: self.close_session()))
        self._show_presenter_state()
        return w.VBox([self.presenter_box, w.HBox([pause, export, close])])

    def _scenario_section(self, scenario: Scenario) -> w.VBox:
        assert self.session is not None and self.lesson is not None  # noqa: S101
        moderation = f"moderatie.ipynb?code={quote(self.session.code)}"
        panels = []
        for question in scenario.questions:
            panel = QuestionPanel(question, self.k, self.new_round, moderation)
            self.panels[question.key] = panel
            panels.append(panel)
        prompts = "".join(f"<li>{escape(p)}</li>" for p in scenario.discussion_prompts)
        return w.VBox(
            [
                w.HTML(f"<h2>{escape(scenario.title)}</h2>"),
                scenario_guide(self.lesson, scenario),
                *panels,
                w.HTML(f"<h3>{escape(t('dash.prompts'))}</h3><ul>{prompts}</ul>"),
            ]
        )

    def _team_section(self) -> w.VBox:
        """A staff session's team result (tabletop or self-scan), shown when the trainer reveals it."""
        self.team_chart = w.Image(format="png", layout=w.Layout(max_width="100%", display="none"))
        self.team_chart.add_class("bw-team-chart")
        self.team_summary = w.HTML()
        self.team_summary.add_class("bw-team-summary")
        self.team_revealed = False
        reveal = w.Button(description=t("dash.reveal"), icon="eye")
        reveal.add_class("bw-team-reveal")

        def toggle(_: object = None) -> None:
            self.team_revealed = not self.team_revealed
            reveal.description = t("dash.hide" if self.team_revealed else "dash.reveal")
            self.refresh()

        reveal.on_click(guarded(self.status, button=reveal)(toggle))
        box = w.VBox(
            [
                w.HTML(f"<h2>{escape(t('dash.team_result'))}</h2>"),
                reveal,
                self.team_chart,
                self.team_summary,
            ]
        )
        box.add_class("bw-team-result")
        return box

    def _show_team(self, counts: list[Count], rounds: dict[str, int]) -> None:
        assert self.lesson is not None  # noqa: S101
        view = team_view(self.lesson, counts, self.k, rounds)
        if view is None or not self.team_revealed or not view.visible:
            self.team_chart.layout.display = "none"
            self.team_summary.value = ""
            return
        png = team_png(view)
        if bytes(self.team_chart.value) != png:
            self.team_chart.value = png
        self.team_chart.layout.display = ""
        html = "<ul>" + "".join(f"<li>{escape(line)}</li>" for line in view.lines) + "</ul>"
        if view.priorities:
            heading = escape(t("scan.priorities", n=len(view.priorities)))
            items = "".join(f"<li>{escape(line)}</li>" for line in view.priorities)
            html += f'<h3>{heading}</h3><ol class="bw-team-priorities">{items}</ol>'
        self.team_summary.value = html

    def _pause_screen(self) -> w.VBox:
        resume = w.Button(description=t("dash.resume"), icon="play")
        resume.add_class("bw-resume")
        resume.on_click(guarded(self.status, button=resume)(lambda _: self.pause(False)))
        screen = w.VBox([w.HTML(f"<div>{escape(t('dash.pause_screen'))}</div>"), resume])
        screen.add_class("bw-pause-screen")
        return screen

    def pause(self, paused: bool) -> None:
        """Blank the projector (nothing of the session shows) or come back."""
        style = self.children[0]
        self.children = [style, self.pause_screen] if paused else [style, *self._main()]

    def _main(self) -> list[w.Widget]:
        return [w.HTML(f"<h1>{escape(t('dash.title'))}</h1>"), self.body]

    # -- presenter pace ------------------------------------------------------------------------
    def move_step(self, delta: int) -> None:
        assert self.session is not None and self.lesson is not None  # noqa: S101
        last = len(self.lesson.questions) - 1
        step = min(max(self.session.step + delta, 0), last)
        self.session = self.store.set_pace(self.session.code, "presenter", step)
        self._show_presenter_state()

    def _show_presenter_state(self) -> None:
        assert self.session is not None and self.lesson is not None  # noqa: S101
        presenter = self.session.pace == "presenter"
        self.presenter_box.layout.display = "" if presenter else "none"
        if presenter:
            n, total = self.session.step + 1, len(self.lesson.questions)
            prompt = self.lesson.questions[self.session.step].prompt
            self.presenter_label.value = (
                f"<p><strong>{escape(t('dash.now_open', n=n, total=total))}</strong>: "
                f"{escape(prompt)}</p>"
            )

    # -- live updates --------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read counts from the store and update the participant count and every panel."""
        if self.session is None or self.lesson is None:
            return
        with self._refresh_lock:
            code = self.session.code
            try:
                n = self.store.participant_count(code)
                results = session_results(self.store, self.lesson, code, self.k)
                approved = {
                    q.key: approved_texts(self.store, code, q, results[q.key][-1].round)
                    for q in self.lesson.questions
                    if q.is_open
                }
            except StoreUnavailable:
                log.warning("store unavailable during refresh")
                show_status(self.status, t("dash.store_down"))
                return
            self.participants.value = escape(t("dash.participants", n=n))
            for scenario in self.lesson.scenarios:
                latest = {q.key: results[q.key][-1] for q in scenario.questions}
                fired = fired_triggers(scenario, latest)
                for q in scenario.questions:
                    texts = [tr.prompt for tr in fired if tr.question == q.id]
                    self.panels[q.key].update(results[q.key], texts, approved.get(q.key, []))
            if has_team_result(self.lesson):
                self._show_team(self.store.counts(code), self.store.current_rounds(code))

    def new_round(self, question: Question) -> int:
        assert self.session is not None  # noqa: S101 - panels exist only with a session
        number = self.store.open_round(self.session.code, question.key)
        self.refresh()
        return number

    def export(self) -> ExportFiles:
        assert self.session is not None and self.lesson is not None  # noqa: S101
        files = export_session(self.store, self.session, self.lesson, self.k, self.export_folder)
        text = t("dash.exported", pdf=files.pdf, csv=files.csv, xlsx=files.xlsx)
        show_status(self.status, text, "bw-progress")
        return files

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
