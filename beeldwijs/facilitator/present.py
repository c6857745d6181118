"""The presenting view: what the projector shows the class now, big, one thing at a time.

Slides in lesson order: how to join, then per scenario its story, each question with its options
(lettered A, B, C… as on the printed answer cards) and, once the mentor reveals it, the result in
place of the options; then the scenario's talking points. The question's own panel
(beeldwijs.facilitator.panels) draws the result, so the k rule and the stepping rule are the same
as in the full results list, which stays below for the mentor.

Keys (the page script in the Voilà template clicks the button with the class): → / PageDown
next (``bw-key-next``), ← / PageUp previous, T reveal (``bw-key-reveal``), U the expert view
(``bw-key-explain``), N new round (``bw-key-revote``), B or . pause (``bw-key-pause``). Presenter
remotes send PageUp/PageDown/B. Every button of the bar is reached by Tab too, with the
dashboard's visible focus ring.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from string import ascii_uppercase

import ipywidgets as w

from beeldwijs.content.model import Lesson, Question, Scenario
from beeldwijs.facilitator.panels import QuestionPanel
from beeldwijs.texts import t
from beeldwijs.ui.html import Markup, html, join, style
from beeldwijs.ui.labels import option_labels
from beeldwijs.ui.safe import guarded
from beeldwijs.ui.style import CSS as STUDENT_CSS  # the story's chat looks as on the phone
from beeldwijs.widgets.card import story_paragraphs
from beeldwijs.widgets.chat import chat_html

CSS = """
.bw-presenter { height: calc(100vh - 1.5rem); display: flex; flex-direction: column;
  box-sizing: border-box; }
.bw-stage { flex: 1 1 0; overflow: hidden auto; font-size: 1.7rem; line-height: 1.35;
  padding: 0.4rem 1rem; min-height: 0; }
.bw-stage .widget-html-content { font-size: 1.7rem; line-height: 1.35; }
.bw-stage h2 { font-size: 2.2rem; margin: 0.2rem 0 0.6rem; line-height: 1.2; }
.bw-slide-kicker { color: #404040; font-size: 1.2rem; margin: 0; }
.bw-story-slide { display: flex; gap: 2rem; align-items: flex-start; font-size: 1.35rem; }
.bw-story-text { flex: 1 1 auto; }
.bw-story-text p { margin: 0 0 0.5rem; }
.bw-story-slide .bw-chat-view { flex: 0 0 24rem; font-size: 1rem; line-height: 1.3; }
.bw-story-slide .bw-chat { margin-top: 0; }
.bw-slide-options { list-style: none; padding: 0; margin: 0; }
.bw-slide-options li { display: flex; gap: 1rem; align-items: baseline; margin: 0.45rem 0;
  padding: 0.35rem 0.7rem; border: 3px solid #6b6b6b; border-radius: 0.6rem; }
.bw-letter { font-weight: 800; font-size: 2rem; min-width: 2.4rem; color: #0b4f8a; }
.bw-stage > .bw-chart { flex: 1 1 0; min-height: 0; }
.bw-stage > .bw-chart .widget-html-content { height: 100%; }
.bw-stage .bw-chart-img { height: 100%; width: 100%; object-fit: contain;
  object-position: left top; display: block; }
.bw-stage .bw-progress { font-size: 1.2rem; margin: 0; }
.bw-stage .bw-trigger { font-size: 1.3rem; margin: 0.3rem 0 0; }
.bw-present-bar { flex: 0 0 auto; align-items: center; gap: 0.5rem; border-top: 2px solid #ccc;
  padding: 0.3rem 0.5rem; background: #fff; }
.bw-present-bar .bw-bar-code { font-size: 1.3rem; font-weight: 700; margin-right: 0.5rem;
  white-space: nowrap; }
.bw-present-bar .jupyter-button, .bw-present-bar .widget-html { flex: 0 0 auto; }
.bw-present-bar .bw-confirm { flex: 0 1 auto; }
.bw-dash:has(.bw-presenter) { max-width: none; }
.bw-slide-join { display: flex; gap: 3rem; align-items: center; }
.bw-ended { font-size: 3.5rem; font-weight: 800; text-align: center; padding: 18vh 0 1rem; }
"""


@dataclass(frozen=True)
class Slide:
    """``kind``: "join", "story", "question" or "talk"."""

    kind: str
    scenario: Scenario | None = None
    question: Question | None = None


def slides_of(lesson: Lesson) -> list[Slide]:
    slides = [Slide("join")]
    for scenario in lesson.scenarios:
        slides.append(Slide("story", scenario))
        slides += [Slide("question", scenario, q) for q in scenario.questions]
        if scenario.discussion_prompts:
            slides.append(Slide("talk", scenario))
    return slides


def lettered(question: Question) -> list[tuple[str, str, str]]:
    """(letter, option id, label) for the answer cards: A, B, C… and the skip option last,
    without a letter."""
    pairs = option_labels(question)
    out = [(ascii_uppercase[n], oid, label) for n, (oid, label) in enumerate(pairs[:-1])]
    return out + [("–", pairs[-1][0], pairs[-1][1])]


def options_html(question: Question) -> Markup:
    if question.is_open:
        return Markup()
    items = join(
        html('<li><span class="bw-letter">{}</span><span>{}</span></li>', letter, label)
        for letter, _, label in lettered(question)
    )
    return html('<ul class="bw-slide-options">{}</ul>', items)


def story_html(scenario: Scenario) -> Markup:
    note = Markup()
    if scenario.content_note:
        note = html(
            '<p class="bw-warning">{}</p>', t("story.content_note", note=scenario.content_note)
        )
    chat = Markup()
    if scenario.story.chat is not None:
        chat = html('<div class="bw-chat-view">{}</div>', chat_html(scenario.story.chat))
    return html(
        '<h2>{title}</h2>{note}<div class="bw-story-slide"><div class="bw-story-text">'
        "{paragraphs}</div>{chat}</div>",
        title=scenario.title,
        note=note,
        paragraphs=story_paragraphs(scenario.story.text),
        chat=chat,
    )


class Presenter(w.VBox):
    """The projected part of the dashboard: a stage with one slide and a bar of controls."""

    def __init__(
        self,
        lesson: Lesson,
        panels: dict[str, QuestionPanel],
        join: w.Widget,
        code: str,
        status: w.HTML,
        *,
        on_slide: Callable[[int, Slide], object],
        on_pause: Callable[[], object],
        tally: Callable[[Question], w.Widget | None] = lambda _q: None,
        slide: int = 0,
    ) -> None:
        super().__init__()
        self.add_class("bw-presenter")
        self.add_class("bw-keys-scope")  # the page script's shortcuts act inside it only
        self.lesson = lesson
        self.slides = slides_of(lesson)
        self.panels = panels
        self.join = join
        self.code = code
        self.closed = False
        self._on_slide = on_slide
        self._tally = tally
        self.index = min(max(slide, 0), len(self.slides) - 1)
        self.stage = w.VBox()
        self.stage.add_class("bw-stage")
        self.previous = w.Button(description=t("present.previous"), icon="arrow-left")
        self.previous.add_class("bw-key-previous")
        self.previous.add_class("bw-slide-previous")
        self.next = w.Button(description=t("present.next"), icon="arrow-right")
        self.next.add_class("bw-key-next")
        self.next.add_class("bw-slide-next")
        self.previous.on_click(guarded(status, button=self.previous)(lambda _: self.move(-1)))
        self.next.on_click(guarded(status, button=self.next)(lambda _: self.move(+1)))
        self.counter = w.HTML()
        self.counter.add_class("bw-slide-counter")
        self.bar_code = w.HTML()
        self.bar_code.add_class("bw-bar-code")
        self.pause_button = w.Button(
            description=t("present.pause"), icon="pause", tooltip=t("dash.pause")
        )
        self.pause_button.add_class("bw-pause")
        self.pause_button.add_class("bw-key-pause")
        self.pause_button.on_click(guarded(status, button=self.pause_button)(lambda _: on_pause()))
        self.question_controls = w.HBox()
        self.bar = w.HBox()
        self.bar.add_class("bw-present-bar")
        self.children = [
            w.HTML(style(STUDENT_CSS + CSS), layout=w.Layout(display="none")),
            self.stage,
            self.bar,
        ]
        self.show()

    @property
    def slide(self) -> Slide:
        return self.slides[self.index]

    def move(self, delta: int) -> None:
        self.go(self.index + delta)

    def go(self, index: int) -> None:
        self.index = min(max(index, 0), len(self.slides) - 1)
        self.show()
        self._on_slide(self.index, self.slide)

    def set_closed(self, closed: bool) -> None:
        self.closed = closed
        self.show()

    def show(self) -> None:
        """Put the current slide on the stage (again: after a reveal, a close, an undo)."""
        slide = self.slide
        self.stage.children = self._content(slide)
        panel = self.panels.get(slide.question.key) if slide.question else None
        controls: list[w.Widget] = []
        if panel is not None:
            controls.append(panel.reveal_button)
            if panel.expert_button is not None:
                controls.append(panel.expert_button)
            if panel.must_explain_mark is not None:
                controls.append(panel.must_explain_mark)
            if not slide.question.is_open and not self.closed:  # type: ignore[union-attr]
                controls.append(panel.round_button)
        self.question_controls.children = controls
        self.previous.disabled = self.index == 0
        self.next.disabled = self.index == len(self.slides) - 1
        self.counter.value = html(
            "{}", t("present.slide_of", n=self.index + 1, total=len(self.slides))
        )
        code = t("present.ended") if self.closed else f"{t('dash.join_code')}: {self.code}"
        self.bar_code.value = html("{}", code) if self.code or self.closed else ""
        self.bar.children = [
            self.bar_code,
            self.previous,
            self.counter,
            self.next,
            self.question_controls,
            self.pause_button,
        ]

    def _content(self, slide: Slide) -> list[w.Widget]:
        if slide.kind == "join":
            if self.closed:
                ended = w.HTML(
                    html(
                        '<div class="bw-ended" role="status">{}</div><p style="text-align:center">{}</p>',
                        t("present.ended"),
                        t("present.ended_note"),
                    )
                )
                ended.add_class("bw-lesson-ended")
                return [ended]
            return [self.join]
        scenario = slide.scenario
        assert scenario is not None  # noqa: S101 - every other slide belongs to a scenario
        if slide.kind == "story":
            return [w.HTML(story_html(scenario))]
        if slide.kind == "talk":
            items = join(html("<li>{}</li>", p) for p in scenario.discussion_prompts)
            return [
                w.HTML(
                    html(
                        '<p class="bw-slide-kicker">{}</p><h2>{}</h2><ul>{}</ul>',
                        scenario.title,
                        t("present.prompts_heading"),
                        items,
                    )
                )
            ]
        question = slide.question
        assert question is not None  # noqa: S101
        panel = self.panels[question.key]
        number = self.lesson.questions.index(question) + 1
        kicker = t("present.question_of", n=number, total=len(self.lesson.questions))
        head = w.HTML(
            html(
                '<p class="bw-slide-kicker">{} · {}</p><h2>{}</h2>',
                kicker,
                scenario.title,
                question.prompt,
            )
        )
        if panel.expert_on:  # the end of the discussion: what experts say, in place of the chart
            return [head, panel.expert]
        if panel.revealed:
            return [head, panel.status, panel.chart, panel.triggers]
        tally = None if self.closed else self._tally(question)
        return [head, w.HTML(options_html(question)), *([tally] if tally else [])]


def question_index(slides: Sequence[Slide], lesson: Lesson, index: int) -> int | None:
    """The position in the lesson of the question on slide ``index`` (None: no question)."""
    question = slides[index].question
    return None if question is None else lesson.questions.index(question)
