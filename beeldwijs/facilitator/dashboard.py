"""The mentor's dashboard: pick a lesson, start a session, present it, steer the class.

Runs in its own Voilà server bound to localhost (never reachable by students). A background
thread polls the store every few seconds; widget updates from a thread reach the browser.
Results stay hidden until the mentor reveals them and until at least k students answered
(docs/architecture.md, product rule 2; the stepping rule is in beeldwijs.facilitator.panels).

Screens: the first screen (beeldwijs.facilitator.start), then a running session: the presenting
view on top (beeldwijs.facilitator.present: what the projector shows) and below it what is for
the mentor only: export, close (asks first, undo for UNDO_MINUTES), the moderation link for the
mentor's phone, the full results list. What is revealed and which slide is shown is kept in the
store; the page script puts ``?code=`` in the address, so a reload shows the same session again.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import threading
from pathlib import Path
from urllib.parse import quote

import ipywidgets as w
import segno

from beeldwijs.content import Library
from beeldwijs.content.model import Lesson, Question, Scenario
from beeldwijs.content.names import decode, renamed
from beeldwijs.documents.cards import write_cards
from beeldwijs.errors import SessionError, StoreUnavailable, UnknownSession
from beeldwijs.facilitator.access import facilitator_store, viewer_of
from beeldwijs.facilitator.analysis.aggregate import configured_k, fired_triggers
from beeldwijs.facilitator.classsize import ClassSize
from beeldwijs.facilitator.colleagues import HandoverOffer, HandoverTake
from beeldwijs.facilitator.confirm import ConfirmButton
from beeldwijs.facilitator.guide_panel import scenario_guide
from beeldwijs.facilitator.masking import mask_text
from beeldwijs.facilitator.namepanel import NameSwapPanel
from beeldwijs.facilitator.panels import QuestionPanel
from beeldwijs.facilitator.present import Presenter, Slide, question_index
from beeldwijs.facilitator.reach import ReachCheck
from beeldwijs.facilitator.report import (
    ExportFiles,
    default_export_folder,
    export_session,
    session_results,
)
from beeldwijs.facilitator.start import StartScreen
from beeldwijs.facilitator.tally import TallyForm
from beeldwijs.facilitator.teamview import has_team_result, team_svg, team_view
from beeldwijs.links import join_url, student_base_url
from beeldwijs.store import UNDO_MINUTES, Count, ResponseStore, Session
from beeldwijs.texts import t
from beeldwijs.ui.html import html, join, style
from beeldwijs.ui.image import svg_img
from beeldwijs.ui.query import code_from_query, request_query_string
from beeldwijs.ui.safe import guarded, show_status

log = logging.getLogger("beeldwijs")

CSS = """
.bw-dash { font-size: 1.2rem; max-width: 70rem; margin: 0 auto; color: #111;
  overflow-wrap: anywhere; }
.bw-dash .widget-html-content { font-size: 1.15rem; line-height: 1.45; }
.bw-join-code .widget-html-content { font-size: 5.5rem; font-weight: 800; letter-spacing: 0.5rem;
  font-family: monospace; line-height: 1.1; }
.bw-join-url { font-size: 1.4rem; word-break: break-all; }
.bw-qr-img { display: block; width: 100%; height: auto; }
.bw-team-chart .bw-chart-img { display: block; max-width: 100%; height: auto; }
.bw-participants .widget-html-content { font-size: 2rem; font-weight: 700; color: #0b4f8a; }
.bw-too-many { font-size: 1.2rem; background: #fff4e5; border-left: 5px solid #a35200;
  padding: 0.4rem 0.8rem; color: #111; }
.bw-dash button.jupyter-button { width: auto; padding: 0 1rem; }
.bw-result { border-top: 2px solid #ccc; padding-top: 0.6rem; margin-top: 0.6rem; }
.bw-hidden-result { color: #444; font-style: italic; }
.bw-trigger { background: #fff4e5; border-left: 5px solid #a35200; padding: 0.5rem 0.8rem; }
.bw-must-explain { font-weight: 700; color: #7a2e00; border: 2px solid #7a2e00; border-radius: 0.3rem;
  padding: 0.1rem 0.4rem; align-self: center; }
.bw-expert-text { background: #eef4fb; border-left: 5px solid #1f5fa8; padding: 0.5rem 0.8rem; }
/* visible focus for a mentor on the keyboard or a presenter remote: 3 px at 6.4:1 on white */
.bw-dash button:focus-visible, .bw-dash a:focus-visible, .bw-dash input:focus-visible,
.bw-dash select:focus-visible, .bw-dash textarea:focus-visible, .bw-dash summary:focus-visible {
  outline: 3px solid #1f5fa8 !important; outline-offset: 2px; }
.bw-pause-screen { position: fixed; inset: 0; z-index: 10000; background: #000; margin: 0; }
.bw-pause-screen button { opacity: 0; position: absolute; bottom: 1rem; right: 1rem; }
.bw-pause-screen button:focus, .bw-pause-screen button:hover { opacity: 1; }
.bw-mentor-area { border-top: 6px solid #1f5fa8; margin-top: 1.5rem; padding-top: 0.6rem; }
.bw-mentor-area > .widget-html:first-child h2 { color: #1f5fa8; }
.bw-preflight { background: #fff4e5; padding: 0.5rem 0.8rem; }
.bw-dash .widget-button { font-size: 1.1rem; min-height: 2.6rem; }
.widget-radio-box input[type="radio"] { width: 24px; height: 24px; margin: 0 0.5rem 0 0; }
.widget-radio-box label { display: flex; align-items: center; min-height: 2rem; }
"""


def qr_svg(url: str) -> bytes:
    """The QR code of ``url`` as one SVG path on white, one unit a module: sharp at any size,
    without blurred or seamed module edges (``crispEdges``)."""
    buf = io.BytesIO()
    segno.make(url, error="m").save(
        buf, kind="svg", scale=1, border=2, omitsize=True, xmldecl=False, svgclass=None,
        lineclass=None, light="#fff",
    )  # fmt: skip
    return buf.getvalue().replace(b"<svg ", b'<svg shape-rendering="crispEdges" ', 1)


def qr_image(url: str, alt: str, pixels: int) -> w.HTML:
    """The QR code as a picture ``pixels`` wide, with its text alternative."""
    qr = w.HTML(svg_img(qr_svg(url), alt, "bw-qr-img"), layout=w.Layout(width=f"{pixels}px"))
    qr.add_class("bw-qr")
    return qr


def moderation_url(code: str, token: str, base: str | None = None) -> str:
    """The moderation page on the student server (reachable from the mentor's phone)."""
    root = (base or student_base_url()).rstrip("/")
    return f"{root}/voila/render/moderatie.ipynb?code={quote(code)}&token={quote(token)}"


def minutes_since(stamp: str, now: dt.datetime | None = None) -> float:
    """Minutes from a stored minute ("2026-12-08T09:20") until now (infinite when unknown)."""
    try:
        then = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return float("inf")
    return ((now or dt.datetime.now()) - then).total_seconds() / 60


def view_of(session: Session) -> dict[str, object]:
    """What the dashboard showed of ``session`` (revealed and explained question keys, slide)."""
    return session.view_data


class Dashboard(w.VBox):
    """Start or resume a session for a lesson, present it and follow the class's answers."""

    def __init__(
        self,
        library: Library | None = None,
        store: ResponseStore | None = None,
        *,
        k: int | None = None,
        poll_seconds: float | None = 2.0,
        export_folder: Path | None = None,
        code: str = "",
    ) -> None:
        super().__init__()
        self.add_class("bw-dash")
        self.library = library or Library()
        self.store = facilitator_store(store, self.library)  # a logged-in mentor: own sessions
        self.k = k if k is not None else configured_k()
        self.poll_seconds = poll_seconds
        self.export_folder = export_folder or default_export_folder()
        self.session: Session | None = None
        self.lesson: Lesson | None = None
        self.panels: dict[str, QuestionPanel] = {}
        self.presenter: Presenter | None = None
        self._tallies: dict[str, TallyForm] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._refresh_lock = threading.Lock()
        self._undo_timer: threading.Timer | None = None
        self.status = w.HTML()
        self.all_lessons = self.library.lessons()
        self.all_cases = self.library.cases()  # every scenario, startable alone
        self.title = w.HTML(html("<h1>{}</h1>", t("dash.title")))
        self.marker = w.HTML()  # the session shown, for the page script (address ?code=)
        self.marker.add_class("bw-session-marker")
        self.body = w.VBox()
        self.pause_screen = self._pause_screen()
        self.style = w.HTML(style(CSS), layout=w.Layout(display="none"))
        self.children = [self.style, *self._main()]
        if code:
            self.open_code(code)
        else:
            self.show_start()

    @classmethod
    def from_request(cls) -> Dashboard:
        """The dashboard for this page: the session in ``?code=`` (a reload) or the first screen."""
        return cls(code=code_from_query(request_query_string()))

    def _main(self) -> list[w.Widget]:
        return [self.marker, self.title, self.body]

    def _mark(self, code: str) -> None:
        self.marker.value = html('<span data-bw-session="{}" hidden></span>', code)

    # -- choosing and starting -----------------------------------------------------------------
    def show_start(self, _button: object = None) -> None:
        """The first screen; a running session keeps running and is listed there."""
        self.session = None
        self.lesson = None
        self.presenter = None
        self._mark("")
        self.title.layout.display = ""
        show_status(self.status, "")
        self.start_screen = StartScreen(
            self.all_lessons,
            self.all_cases,
            self.store.running_sessions(),
            on_start=lambda lesson, pace, label, mode: self.start_session(
                lesson, pace, class_label=label, mode=mode
            ),
            on_resume=self.open_code,
            status=self.status,
            on_cards=lambda lesson_id: write_cards(
                self.library.lesson(lesson_id), self.export_folder
            ),
        )
        # school server: a colleague's lesson taken over by its one-time code
        take = [HandoverTake(self.store, self.attach)] if viewer_of(self.store) else []
        self.body.children = [*take, self.start_screen]

    def open_code(self, code: str) -> None:
        try:
            session = self.store.session(code)
            self.library.lesson(session.lesson_id)
        except (SessionError, KeyError, ValueError):
            self.show_start()
            show_status(self.status, t("mod.unknown", code=code))
            return
        self.attach(session)

    def start_session(
        self, lesson_id: str, pace: str = "student", *, class_label: str = "", mode: str = "devices"
    ) -> Session:
        session = self.store.create_session(
            lesson_id, pace=pace, class_label=class_label, mode=mode
        )
        self.attach(session)
        return session

    # -- the running session -------------------------------------------------------------------
    def attach(self, session: Session) -> None:
        """Show ``session``: presenting view, the mentor's part, live updates; restores what was
        revealed and the slide that was shown."""
        self.session = session
        written = self.library.lesson(session.lesson_id)
        self.lesson = renamed(written, decode(session.names))  # the mentor's name swaps
        self.join_url = join_url(session.lesson_id, session.code)
        view = view_of(session)
        revealed = set(view.get("revealed", []))  # type: ignore[call-overload]
        self.panels = {}
        self._tallies = {}
        sections: list[w.Widget] = [w.HTML(html("<h2>{}</h2>", t("present.all_results")))]
        sections += [self._scenario_section(s) for s in self.lesson.scenarios]
        if has_team_result(self.lesson):
            sections.append(self._team_section())
        for key, panel in self.panels.items():
            if key in revealed:
                panel.set_revealed(True)
            panel.explained = key in session.explained()  # the devices keep showing it
        slide = view.get("slide", 0)
        self.presenter = Presenter(
            self.lesson,
            self.panels,
            self._join_slide(),
            session.code if session.mode != "none" else "",
            self.status,
            on_slide=self._on_slide,
            on_pause=lambda: self.pause(True),
            tally=self._tally_for if session.mode == "none" else lambda _q: None,
            slide=slide if isinstance(slide, int) else 0,
        )
        names = NameSwapPanel(written, self.store, session, self.attach)
        # on the mentor's side: more participants than students (stored: the student server's quota)
        self.class_size = ClassSize(self.store, session.code, session.class_size, self.status)
        self.reach = ReachCheck(self.join_url)  # can the students reach the link?
        extras: list[w.Widget] = [self.reach] if session.mode != "none" else []
        if viewer_of(self.store):  # school server: hand the lesson to a colleague
            extras.append(HandoverOffer(self.store, session.code, self.status))
        self.body.children = [
            self.presenter,
            self._mentor_area([*extras, self.class_size, names, *sections]),
        ]
        self.title.layout.display = "none"
        self._mark(session.code)
        show_status(self.status, "")
        self._show_state()
        self.refresh()
        self._start_polling()

    def _join_slide(self) -> w.Widget:
        assert self.session is not None and self.lesson is not None  # noqa: S101
        self.participants = w.HTML()
        self.participants.add_class("bw-participants")
        title = html("<h2>{}</h2>", self.lesson.title)
        if self.session.mode == "none":
            return w.VBox(
                [w.HTML(html("{}<p>{}</p>", title, t("present.join_none"))), self.participants]
            )
        heading = "present.join_groups" if self.session.mode == "groups" else "present.join_devices"
        code = w.HTML(html('<div aria-label="code">{}</div>', self.session.code))
        code.add_class("bw-join-code")
        qr = qr_image(self.join_url, t("dash.qr_text", url=self.join_url), 300)
        join = w.VBox(
            [
                w.HTML(html("{}<p>{}</p>", title, t(heading))),
                w.HTML(html("<p>{}:</p>", t("dash.join_code"))),
                code,
                w.HTML(
                    html(
                        '<p>{}: <span class="bw-join-url">{}</span></p>',
                        t("dash.join_url"),
                        self.join_url,
                    )
                ),
                self.participants,
            ]
        )
        box = w.HBox([join, qr])
        box.add_class("bw-slide-join")
        return box

    def _mentor_area(self, sections: list[w.Widget]) -> w.VBox:
        """Below the projected part: for the mentor only."""
        assert self.session is not None  # noqa: S101
        export = w.Button(description=t("dash.export"), icon="download")
        export.add_class("bw-export")
        export.on_click(guarded(self.status, button=export)(lambda _: self.export()))
        self.close_button = ConfirmButton(
            t("dash.close"),
            t("end.close_question"),
            t("end.confirm_close"),
            self.close_session,
            self.status,
            icon="stop",
            css="bw-close-session",
        )
        self.undo_button = w.Button(description=t("end.undo"), icon="undo")
        self.undo_button.add_class("bw-undo-close")
        self.undo_button.on_click(
            guarded(self.status, button=self.undo_button)(lambda _: self.undo_close())
        )
        home = w.Button(description=t("end.home"), icon="home")
        home.add_class("bw-home")
        home.on_click(guarded(self.status, button=home)(self.show_start))
        self.modlink_button = w.Button(description=t("modlink.show"), icon="mobile")
        self.modlink_button.add_class("bw-modlink-toggle")
        self.modlink = w.VBox(layout=w.Layout(display="none"))
        self.modlink.add_class("bw-modlink")
        self.modlink_button.on_click(
            guarded(self.status, button=self.modlink_button)(lambda _: self.toggle_modlink())
        )
        has_open = any(q.is_open for q in self.lesson.questions) if self.lesson else False
        box = w.VBox(
            [
                w.HTML(
                    html(
                        '<h2>{}</h2><p class="bw-keys">{}</p>',
                        t("present.mentor_heading"),
                        t("present.keys"),
                    )
                ),
                w.HBox([export, self.close_button, self.undo_button, home]),
                self.status,
                *([self.modlink_button, self.modlink] if has_open else []),
                w.VBox(sections),
            ]
        )
        box.add_class("bw-mentor-area")
        return box

    def _scenario_section(self, scenario: Scenario) -> w.VBox:
        assert self.lesson is not None  # noqa: S101
        panels = []
        for question in scenario.questions:
            panel = QuestionPanel(
                question,
                self.k,
                self.new_round,
                self._on_reveal,
                on_explain=self._on_explain,
                must_explain=question.key in self.lesson.must_explain(),
            )
            self.panels[question.key] = panel
            panels.append(panel)
        prompts = join(html("<li>{}</li>", p) for p in scenario.discussion_prompts)
        return w.VBox(
            [
                w.HTML(html("<h2>{}</h2>", scenario.title)),
                scenario_guide(self.lesson, scenario),
                *panels,
                w.HTML(html("<h3>{}</h3><ul>{}</ul>", t("dash.prompts"), prompts)),
            ]
        )

    def _tally_for(self, question: Question) -> TallyForm | None:
        assert self.session is not None  # noqa: S101
        if question.is_open:
            return None
        if question.key not in self._tallies:
            self._tallies[question.key] = TallyForm(
                question, self.store, self.session.code, self.refresh
            )
        return self._tallies[question.key]

    def _team_section(self) -> w.VBox:
        """A staff session's team result (tabletop or self-scan), shown when the trainer reveals it."""
        self.team_chart = w.HTML(layout=w.Layout(display="none"))
        self._team_drawn: object = None  # what the chart shows (lesson, k, counts, rounds)
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
                w.HTML(html("<h2>{}</h2>", t("dash.team_result"))),
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
        # drawn again only when the answers changed: drawing takes seconds, a refresh comes every 2 s
        drawn = (self.lesson.id, self.k, tuple(counts), tuple(sorted(rounds.items())))
        if drawn != self._team_drawn:
            self.team_chart.value = svg_img(team_svg(view), t("dash.team_chart_text"))
            self._team_drawn = drawn
        self.team_chart.layout.display = ""
        summary = html("<ul>{}</ul>", join(html("<li>{}</li>", line) for line in view.lines))
        if view.priorities:
            summary += html(
                '<h3>{}</h3><ol class="bw-team-priorities">{}</ol>',
                t("scan.priorities", n=len(view.priorities)),
                join(html("<li>{}</li>", line) for line in view.priorities),
            )
        self.team_summary.value = summary

    def _pause_screen(self) -> w.VBox:
        resume = w.Button(description=t("end.pause_resume"), icon="play")
        resume.add_class("bw-resume")
        resume.add_class("bw-key-resume")
        resume.on_click(guarded(self.status, button=resume)(lambda _: self.pause(False)))
        screen = w.VBox([resume])  # nothing else: a black screen, the class sees nothing
        screen.add_class("bw-pause-screen")
        screen.add_class("bw-keys-scope")
        return screen

    def pause(self, paused: bool) -> None:
        """Blank the projector (nothing of the session shows, all black) or come back."""
        self.children = [self.style, self.pause_screen] if paused else [self.style, *self._main()]

    # -- slides, reveals and what a reload brings back -----------------------------------------
    def _on_slide(self, index: int, slide: Slide) -> None:
        """Presenter pace: the question on the slide is open for the class."""
        assert self.session is not None and self.lesson is not None  # noqa: S101
        position = question_index([slide], self.lesson, 0)
        if self.session.pace == "presenter" and position is not None and self.session.is_open:
            self.session = self.store.set_pace(self.session.code, "presenter", position)
        self._save_view()

    def _on_reveal(self, _question: Question, _revealed: bool) -> None:
        if self.presenter is not None:
            self.presenter.show()
        self._save_view()

    def _on_explain(self) -> None:
        if self.presenter is not None:
            self.presenter.show()
        self._save_view()

    def _save_view(self) -> None:
        if self.session is None or self.presenter is None:
            return
        revealed = sorted(key for key, panel in self.panels.items() if panel.revealed)
        explained = sorted(key for key, panel in self.panels.items() if panel.explained)
        view = json.dumps(
            {"revealed": revealed, "explained": explained, "slide": self.presenter.index}
        )
        self.store.save_view(self.session.code, view)

    def _show_state(self) -> None:
        """Open or closed: what applies is enabled, the projector shows the code or the end."""
        assert self.session is not None and self.presenter is not None  # noqa: S101
        closed = not self.session.is_open
        undo = closed and minutes_since(self.session.ended) < UNDO_MINUTES
        self.undo_button.layout.display = "" if undo else "none"
        self.close_button.layout.display = "none" if closed else ""
        self.modlink_button.disabled = closed
        if closed:
            self.modlink.layout.display = "none"
        for panel in self.panels.values():
            if hasattr(panel, "round_button"):
                panel.round_button.disabled = closed
        self.presenter.set_closed(closed)

    # -- live updates --------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read counts from the store and update the participant count and every panel."""
        if self.session is None or self.lesson is None:
            return
        with self._refresh_lock:
            code = self.session.code
            try:
                n = self.store.participant_count(code)
                opened = self.store.opened_count(code)
                results = session_results(self.store, self.lesson, code, self.k)
                open_qs = [q for q in self.lesson.questions if q.is_open]
                answers = {
                    q.key: self.store.open_answers(code, q.key, results[q.key][-1].round)
                    for q in open_qs
                }
            except UnknownSession:  # handed to a colleague (school server)
                self.show_start()
                show_status(self.status, t("hand.gone"))
                return
            except StoreUnavailable:
                log.warning("store unavailable during refresh")
                show_status(self.status, t("dash.store_down"))
                return
            if self.session.mode == "none":
                self.participants.value = html("{}", t("dash.no_devices"))
            else:
                key = "dash.groups" if self.session.mode == "groups" else "dash.participants"
                self.participants.value = html("{}", t(key, n=n))
            self.class_size.show(n)
            self.reach.show(opened, n)
            for scenario in self.lesson.scenarios:
                latest = {q.key: results[q.key][-1] for q in scenario.questions}
                fired = fired_triggers(scenario, latest)
                for q in scenario.questions:
                    texts = [tr.prompt for tr in fired if tr.question == q.id]
                    found = answers.get(q.key, [])
                    approved = [mask_text(a.text) for a in found if a.status == "approved"]
                    waiting = sum(a.status == "new" for a in found)
                    self.panels[q.key].update(results[q.key], texts, approved, waiting)
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
        text = t(
            "dash.exported",
            folder=files.pdf.parent,
            pdf=files.pdf.name,
            csv=files.csv.name,
            xlsx=files.xlsx.name,
        )
        show_status(self.status, text, "bw-progress")
        return files

    # -- ending --------------------------------------------------------------------------------
    def close_session(self) -> None:
        """Close (after the mentor confirmed): no more answers, the projector shows the end."""
        if self.session is None:
            return
        self.session = self.store.close_session(self.session.code)
        show_status(self.status, t("end.closed", minutes=UNDO_MINUTES), "bw-progress")
        self._show_state()
        self._undo_timer = threading.Timer(UNDO_MINUTES * 60, self._undo_expired)
        self._undo_timer.daemon = True
        self._undo_timer.start()

    def _undo_expired(self) -> None:
        if self.session is not None and not self.session.is_open:
            self.undo_button.layout.display = "none"

    def undo_close(self) -> None:
        assert self.session is not None  # noqa: S101
        current = self.store.session(self.session.code)
        if current.is_open:
            self.session = current
        elif minutes_since(current.ended) >= UNDO_MINUTES:
            show_status(self.status, t("end.too_late", minutes=UNDO_MINUTES))
            self.undo_button.layout.display = "none"
            return
        else:
            self.session = self.store.reopen_session(current.code)
        show_status(self.status, t("end.undone"), "bw-progress")
        self._show_state()

    # -- the moderation link for the mentor's phone --------------------------------------------
    def toggle_modlink(self) -> None:
        """Show a fresh moderation link and QR (the previous link stops working), or hide it."""
        assert self.session is not None  # noqa: S101
        if self.modlink.layout.display != "none":
            self.modlink.layout.display = "none"
            self.modlink_button.description = t("modlink.show")
            return
        token = self.store.new_moderation_token(self.session.code)
        self.moderation_link = moderation_url(self.session.code, token)
        qr = qr_image(self.moderation_link, t("modlink.qr_text"), 220)
        self.modlink.children = [
            w.HTML(
                html(
                    '<p class="bw-warning">{note}</p><p><a class="bw-modlink-url" href="{link}" '
                    'target="_blank" rel="noopener noreferrer">{link}</a></p>',
                    note=t("modlink.note"),
                    link=self.moderation_link,
                )
            ),
            qr,
        ]
        self.modlink.layout.display = ""
        self.modlink_button.description = t("modlink.hide")

    # -- polling -------------------------------------------------------------------------------
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
            except Exception:  # keep polling; the mentor sees the last good view
                log.exception("dashboard refresh failed")
