"""The presenting view's parts without a browser: slides, letters, chart colours and SVG, the
moderation page's token check (issue 14)."""

from __future__ import annotations

import uuid

from beeldwijs.content import Library
from beeldwijs.facilitator.analysis.aggregate import counts_frame, question_result
from beeldwijs.facilitator.charts import (
    BACKGROUND,
    PALETTE,
    ROUND_COLOURS,
    SCALE_COLOURS,
    SKIP_COLOUR,
    TRAFFIC,
    contrast,
    result_alt,
    result_svg,
    text_colour,
)
from beeldwijs.facilitator.moderation import ModerationView
from beeldwijs.facilitator.present import lettered, options_html, slides_of
from beeldwijs.store import ResponseStore, Submission
from beeldwijs.ui.image import svg_img

LESSON = "beelden-en-jij"


def test_every_chart_colour_has_3_to_1_against_the_background() -> None:
    colours = [*PALETTE, *TRAFFIC.values(), *SCALE_COLOURS, *ROUND_COLOURS, SKIP_COLOUR]
    low = {c: round(contrast(c, BACKGROUND), 2) for c in colours if contrast(c, BACKGROUND) < 3}
    assert low == {}
    assert round(contrast("#767676", "#FFFFFF"), 2) == 4.54  # the WCAG formula, checked
    assert contrast("#E69F00", "#FFFFFF") < 3  # the old orange would fail
    for colour in SCALE_COLOURS:
        assert contrast(text_colour(colour), colour) >= 4.5


def test_slides_follow_the_lesson(library: Library) -> None:
    lesson = library.lesson(LESSON)
    slides = slides_of(lesson)
    assert slides[0].kind == "join" and slides[1].kind == "story"
    assert slides[1].scenario == lesson.scenarios[0]
    assert [s.question for s in slides if s.kind == "question"] == list(lesson.questions)
    first = slides[2].question
    assert [letter for letter, _, _ in lettered(first)][:3] == ["A", "B", "C"]
    assert lettered(first)[-1][1] == "sla-over"
    html = options_html(first)
    assert html.count("<li>") == len(first.options) + 1


def test_chart_is_svg_with_a_text_alternative(library: Library, store: ResponseStore) -> None:
    question = library.lesson(LESSON).questions[0]
    code = store.create_session(LESSON).code
    ids = question.option_ids()
    for n, value in enumerate([ids[0]] * 4 + [ids[1]] * 2):
        store.submit(Submission(code, f"{n:032x}", question.key, value, uuid.uuid4().hex))
    result = question_result(counts_frame(store.counts(code)), question, 1, k=3)
    svg = result_svg([result])
    assert svg.lstrip().startswith(b"<?xml") and b"<svg" in svg
    assert result_svg([result]) == svg  # the same chart, the same bytes: no redraw
    alt = result_alt([result])
    assert alt.startswith("Staafdiagram") and f"{question.options[0].text}: 4" in alt
    img = svg_img(svg, 'a "quoted" <alt>')
    assert 'alt="a &#34;quoted&#34; &lt;alt&gt;"' in img


def test_moderation_page_needs_the_sessions_token(library: Library, store: ResponseStore) -> None:
    lesson = library.lesson(LESSON)
    open_q = next(q for q in lesson.questions if q.is_open)
    code = store.create_session(LESSON).code
    store.submit(Submission(code, "t1", open_q.key, "Niet doorsturen", "id-1"))
    token = store.new_moderation_token(code)
    for wrong in ("", "raden", token[:-1]):
        view = ModerationView(library, store, code, wrong)
        assert "werkt niet" in view.status.value and view.answers.children == ()
    view = ModerationView(library, store, code, token)
    rows = [r for box in view.answers.children for r in box.children if hasattr(r, "answer")]
    assert len(rows) == 1 and "Niet doorsturen" in rows[0].children[0].value
    store.new_moderation_token(code)  # a new link: this page stops working before it acts
    rows[0].children[1].click()
    assert "werkt niet" in view.status.value
    assert store.open_answers(code, open_q.key, 1)[0].status == "new"
