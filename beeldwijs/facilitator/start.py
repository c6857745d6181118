"""The dashboard's first screen: running lessons to go back to, then a new lesson to start.

It explains itself: the pre-flight question whole, the lessons grouped by audience with readable
themes, minutes and a one-line summary, what the pace and the lesson mode mean in one line each.
Nothing chosen yet is a prompt, never an error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from itertools import groupby
from pathlib import Path

import ipywidgets as w

from beeldwijs.content.model import AUDIENCES, Lesson
from beeldwijs.facilitator.guide_panel import GuidePanel
from beeldwijs.facilitator.startchoice import StartChoice
from beeldwijs.store import Session
from beeldwijs.texts import NL, t
from beeldwijs.ui.html import Markup, html, join, style
from beeldwijs.ui.safe import guarded, show_status

CSS = """
.bw-stack { flex-direction: column; align-items: flex-start; }
.bw-stack > .widget-label { width: auto !important; max-width: none; white-space: normal;
  font-weight: 600; margin-bottom: 0.3rem; }
.bw-running { background: #eef4fb; border-left: 5px solid #1f5fa8; padding: 0.4rem 0.8rem;
  margin-bottom: 1rem; }
.bw-running-row { align-items: center; gap: 0.6rem; }
.bw-catalogue h3 { margin: 0.8rem 0 0.2rem; }
.bw-catalogue ul { margin: 0; padding-left: 1.2rem; }
.bw-catalogue li { margin: 0.25rem 0; }
.bw-catalogue .bw-chosen { background: #eef4fb; outline: 2px solid #1f5fa8; }
.bw-help-line { color: #404040; font-size: 1rem; margin: 0 0 0.6rem; }
.bw-start-screen .widget-radio, .bw-start-screen .widget-radio-box { width: auto !important;
  height: auto !important; }
.bw-start-screen .widget-radio-box label { white-space: normal; height: auto; line-height: 1.4;
  margin: 0.15rem 0; }
"""


def audience_name(audience: Sequence[str]) -> str:
    """'Onderbouw en bovenbouw': the first name as a heading, the others as words."""
    names = [t(f"start.audience.{a}") for a in audience]
    return t("start.audience_and").join([names[0], *(n.lower() for n in names[1:])])


def theme_name(theme: str) -> str:
    """A theme as the mentor reads it ("expose-accounts"), the slug when it has no text."""
    key = f"theme.{theme}"
    return t(key) if key in NL else theme


def one_line(text: str) -> str:
    """The first sentence of a summary."""
    for end in (". ", "? ", "! ", ": "):
        if end in text:
            return text[: text.index(end) + 1]
    return text


def audience_order(lesson: Lesson) -> tuple[int, ...]:
    return tuple(AUDIENCES.index(a) if a in AUDIENCES else len(AUDIENCES) for a in lesson.audience)


def grouped(lessons: Sequence[Lesson]) -> list[tuple[str, list[Lesson]]]:
    """Lessons per audience (brugklas first, staff last), by title within a group."""
    ordered = sorted(lessons, key=lambda le: (audience_order(le), le.title))
    return [
        (audience_name(audience), list(group))
        for audience, group in groupby(ordered, key=lambda le: le.audience)
    ]


def started_text(started: str, today: dt.date | None = None) -> str:
    """'vandaag 08:40' or '5-12-2026 08:40' ('' for an unknown start)."""
    if len(started) < 16:
        return ""
    day, time = started[:10], started[11:16]
    if day == (today or dt.date.today()).isoformat():
        return t("start.today", time=time)
    y, m, d = day.split("-")
    return t("start.on_day", day=f"{int(d)}-{int(m)}-{y}", time=time)


def lessons_without(lessons: Sequence[Lesson], avoid: Sequence[str]) -> list[Lesson]:
    """Lessons none of whose scenarios touch an avoided theme (pre-flight: live incident)."""
    return [le for le in lessons if not set(le.themes) & set(avoid)]


class StartScreen(w.VBox):
    """Choose a running lesson to resume, or a lesson, class, pace and mode to start."""

    def __init__(
        self,
        lessons: Sequence[Lesson],
        cases: Sequence[Lesson],
        running: Sequence[Session],
        on_start: Callable[[str, str, str, str], object],
        on_resume: Callable[[str], object],
        status: w.HTML,
        on_cards: Callable[[str], tuple[Path, Path]] | None = None,
    ) -> None:
        super().__init__()
        self.add_class("bw-start-screen")
        self.all_lessons = list(lessons)
        self.all_cases = list(cases)  # every scenario, startable alone (a losse casus)
        self.status = status
        self._on_start = on_start
        titles = {le.id: le.title for le in (*self.all_lessons, *self.all_cases)}

        self.preflight = w.RadioButtons(
            options=[(t("dash.preflight_no"), False), (t("dash.preflight_yes"), True)],
            description=t("dash.preflight"),
        )
        self.preflight.add_class("bw-stack")
        self.preflight.add_class("bw-preflight-question")
        themes = sorted({th for le in self.all_cases for th in le.themes})
        self.avoid = w.SelectMultiple(
            options=[(theme_name(th), th) for th in themes],
            description=t("dash.avoid_themes"),
            rows=min(len(themes), 8),
            style={"description_width": "initial"},
        )
        self.preflight_box = w.VBox(
            [
                w.HTML(html('<p class="bw-preflight">{}</p>', t("dash.preflight_advice"))),
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
        self.lesson_info.add_class("bw-lesson-info")
        self.guide_panel = GuidePanel()  # the chosen lesson's mentor guide, before the start
        self.catalogue = w.HTML()
        self.catalogue.add_class("bw-catalogue")
        self.lesson_picker.observe(self._describe_lesson, names="value")
        self.start_choice = StartChoice(self._filter_lessons)  # lesson or casus, reading level

        self.class_label = w.Text(
            description=t("start.class_label"),
            style={"description_width": "initial"},
            layout=w.Layout(width="30rem"),
        )
        self.class_label.add_class("bw-class-label")
        self.pace = w.RadioButtons(
            options=[(t("dash.pace_student"), "student"), (t("dash.pace_presenter"), "presenter")],
            description=t("dash.pace_label"),
        )
        self.pace.add_class("bw-stack")
        self.mode = w.RadioButtons(
            options=[
                (t("start.mode_devices"), "devices"),
                (t("start.mode_groups"), "groups"),
                (t("start.mode_none"), "none"),
            ],
            description=t("start.mode_label"),
        )
        self.mode.add_class("bw-stack")
        self.mode.add_class("bw-mode")
        self.start_button = w.Button(
            description=t("dash.start"), button_style="primary", icon="play"
        )
        self.start_button.add_class("bw-start-session")
        self.start_button.on_click(guarded(status, button=self.start_button)(self._start_clicked))
        self.cards_button = w.Button(description=t("cards.button"), icon="print")
        self.cards_button.add_class("bw-cards")
        self._on_cards = on_cards
        self.cards_button.on_click(guarded(status, button=self.cards_button)(self._cards_clicked))
        self._filter_lessons()

        screen: list[w.Widget] = [w.HTML(style(CSS), layout=w.Layout(display="none"))]
        if running:
            rows: list[w.Widget] = [w.HTML(html("<h2>{}</h2>", t("start.running_heading")))]
            for session in running:
                rows.append(self._running_row(session, titles, on_resume))
            box = w.VBox(rows)
            box.add_class("bw-running")
            screen.append(box)
        screen += [
            self.preflight,
            self.preflight_box,
            self.start_choice,
            self.lesson_picker,
            self.lesson_info,
            self.guide_panel,
            self.class_label,
            self.pace,
            w.HTML(html('<p class="bw-help-line">{}</p>', t("start.pace_help"))),
            self.mode,
            w.HTML(html('<p class="bw-help-line">{}</p>', t("start.mode_help"))),
            w.HBox([self.start_button, *([self.cards_button] if on_cards else [])]),
            status,
            self.catalogue,
        ]
        self.children = screen

    def _running_row(
        self, session: Session, titles: dict[str, str], on_resume: Callable[[str], object]
    ) -> w.HBox:
        text = t(
            "start.running_row",
            code=session.code,
            lesson=titles.get(session.lesson_id, session.lesson_id),
            label=session.class_label or t("start.no_label"),
            when=started_text(session.started),
        )
        resume = w.Button(description=f"{t('dash.resume_button')}: {session.code}")
        resume.add_class("bw-resume-session")
        resume.tooltip = text
        resume.on_click(guarded(self.status, button=resume)(lambda _: on_resume(session.code)))
        row = w.HBox([resume, w.HTML(html("<span>{}</span>", text))])
        row.add_class("bw-running-row")
        return row

    def _on_preflight(self, _change: object = None) -> None:
        self.preflight_box.layout.display = "" if self.preflight.value else "none"
        if not self.preflight.value:
            self.avoid.value = ()

    def offered(self) -> list[Lesson]:
        """What the picker lists: lessons or cases at the chosen level, without avoided themes."""
        chosen = self.start_choice.offered(self.all_lessons, self.all_cases)
        return lessons_without(chosen, tuple(self.avoid.value))

    def _filter_lessons(self, _change: object = None) -> None:
        lessons = self.offered()
        chosen = self.lesson_picker.value
        options: list[tuple[str, str | None]] = [(t("start.placeholder"), None)]
        options += [
            (f"{le.title} ({le.minutes} min)", le.id)
            for _, group in grouped(lessons)
            for le in group
        ]
        self.lesson_picker.options = options
        self.lesson_picker.value = chosen if chosen in {le.id for le in lessons} else None
        self._describe_lesson()

    def _describe_lesson(self, _change: object = None) -> None:
        lessons = self.offered()
        chosen = self.lesson_picker.value
        self.catalogue.value = self._catalogue_html(lessons, chosen)
        lesson = next((le for le in lessons if le.id == chosen), None)
        self.guide_panel.show(lesson)
        if lesson is None:
            key = "start.pick_prompt" if lessons else "dash.no_lessons"
            if not lessons and not self.avoid.value:
                key = "dash.no_level"
            self.lesson_info.value = html('<p class="bw-help-line">{}</p>', t(key))
            return
        meta = t(
            "dash.lesson_meta",
            audience=audience_name(lesson.audience),
            minutes=lesson.minutes,
            themes=", ".join(theme_name(th) for th in lesson.themes),
        )
        self.lesson_info.value = html("<p>{}</p><p><em>{}</em></p>", lesson.summary, meta)

    @staticmethod
    def _catalogue_html(lessons: Sequence[Lesson], chosen: str | None) -> Markup:
        groups = []
        for audience, group in grouped(lessons):
            items = []
            for le in group:
                line = t(
                    "start.lesson_line",
                    minutes=le.minutes,
                    themes=", ".join(theme_name(th) for th in le.themes),
                )
                items.append(
                    html(
                        '<li class="{}"><strong>{}</strong> · {}<br>{}</li>',
                        "bw-chosen" if le.id == chosen else "",
                        le.title,
                        line,
                        one_line(le.summary),
                    )
                )
            groups.append(html("<h3>{}</h3><ul>{}</ul>", audience, join(items)))
        return html("<h2>{}</h2>{}", t("start.catalogue_heading"), join(groups))

    def _cards_clicked(self, _button: object = None) -> None:
        if self.lesson_picker.value is None or self._on_cards is None:
            show_status(self.status, t("start.choose_first"), "bw-progress")
            return
        scenarios, answers = self._on_cards(self.lesson_picker.value)
        text = t(
            "cards.written", folder=scenarios.parent, scenarios=scenarios.name, answers=answers.name
        )
        show_status(self.status, text, "bw-progress")

    def _start_clicked(self, _button: object = None) -> None:
        if self.lesson_picker.value is None:
            show_status(self.status, t("start.choose_first"), "bw-progress")
            return
        show_status(self.status, t("dash.starting"), "bw-progress")
        self._on_start(
            self.lesson_picker.value, self.pace.value, self.class_label.value, self.mode.value
        )
