"""The mentor guide on the dashboard: before the start, and beside each scenario during the lesson.

The widget tests drive the real dashboard over a real store; the browser test opens the guide in
Chromium on the facilitator server the way a mentor does.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from markupsafe import escape

from beeldwijs.content import Library
from beeldwijs.content.cases import case_lesson
from beeldwijs.content.facts import facts_for
from beeldwijs.documents.handleiding import handleiding_markdown
from beeldwijs.documents.textdoc import md_escape
from beeldwijs.facilitator import Dashboard
from beeldwijs.store import ResponseStore
from beeldwijs.texts import t
from tests.e2e_support import TIMEOUT_MS, running_app
from tests.shared import html_text, with_class

LESSON = "mentorles-victim-blaming-shame-sexting"


def test_the_guide_shows_before_the_start_and_follows_the_choice(
    library: Library, store: ResponseStore
) -> None:
    dash = Dashboard(library, store, k=5, poll_seconds=None)
    screen = dash.start_screen
    screen.lesson_picker.value = LESSON
    lesson = library.lesson(LESSON)
    assert lesson.guide is not None
    html = screen.guide_panel.value
    assert escape(lesson.guide.goals[0]) in html and escape(lesson.guide.disclosure) in html
    assert escape(t("guide.disclosure")) in html and "Beloof geen geheimhouding" in html
    screen.lesson_picker.value = "staf-tabletop-incidentprotocol"
    assert escape(lesson.guide.goals[0]) not in screen.guide_panel.value
    assert "vertrouwensinspecteur" in screen.guide_panel.value  # the staff part of the guide


def test_each_scenario_shows_its_plan_and_the_facts_behind_it(
    library: Library, store: ResponseStore
) -> None:
    dash = Dashboard(library, store, k=5, poll_seconds=None)
    dash.start_session(LESSON)
    lesson = library.lesson(LESSON)
    # the mentor's part below the presenting view: per scenario its part of the guide
    guides = with_class(dash.body, "bw-guide-scenario")
    for guide, scenario in zip(guides, lesson.scenarios, strict=True):
        assert "min" in guide.value
        ids = (*scenario.facts, *(f for q in scenario.questions for f in q.facts))
        for fact in facts_for(ids):
            assert escape(fact.statement) in guide.value and fact.checked in guide.value


def test_toon_uitleg_verplicht_stands_beside_the_question(
    library: Library, store: ResponseStore
) -> None:
    """The guide's explain list marks the questions whose expert view carries safety lines
    (Daan's first step: "betaal niets", HelpWanted, 113): beside "Toon uitleg" in the results list
    and on the presenting view's bar, in the scenario's part of the guide, and in the printed guide."""
    lesson_id = "onderbouw-druk-en-delen"
    lesson = library.lesson(lesson_id)
    daan = next(s for s in lesson.scenarios if s.id == "sextortion-geld-daan")
    first_step = daan.question("eerste-stap")
    assert first_step.key in lesson.must_explain()
    dash = Dashboard(library, store, k=5, poll_seconds=None)
    dash.start_session(lesson_id)
    marked = {key for key, panel in dash.panels.items() if panel.must_explain_mark is not None}
    assert marked == lesson.must_explain()
    assert "Toon uitleg verplicht" in html_text(dash.panels[first_step.key])
    presenter = dash.presenter
    assert presenter is not None
    unmarked = next(q for q in daan.questions if q.key not in marked)
    for question, mark in ((first_step, True), (unmarked, False)):
        presenter.go(next(i for i, s in enumerate(presenter.slides) if s.question == question))
        bar = html_text(presenter.question_controls)
        assert ("Toon uitleg verplicht" in bar) is mark, question.id
    guides = with_class(dash.body, "bw-guide-scenario")
    part = guides[lesson.scenarios.index(daan)].value
    assert "Toon uitleg verplicht" in part and escape(first_step.prompt) in part
    md = handleiding_markdown(lesson)
    assert "Toon uitleg verplicht" in md and md_escape(first_step.prompt) in md
    # a losse casus has no guide: its questions with safety lines are marked all the same
    assert first_step.key in case_lesson(daan).must_explain()


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    with running_app(tmp_path_factory.mktemp("e2e-guide"), k=5) as running:
        yield running


@pytest.mark.browser
def test_a_mentor_opens_the_guide_in_the_browser(app: dict[str, str], browser) -> None:
    lesson = Library().lesson(LESSON)
    assert lesson.guide is not None
    page = browser.new_context().new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(app["dashboard"])
    page.locator(".bw-lesson-picker select").select_option(
        label=f"{lesson.title} ({lesson.minutes} min)"
    )
    guide = page.locator(".bw-guide details")
    guide.locator("summary").click()
    disclosure = guide.get_by_role("heading", name=t("guide.disclosure"))
    disclosure.wait_for()
    assert disclosure.is_visible()
    assert lesson.guide.goals[0] in guide.inner_text()
    page.get_by_text("Ik bepaal het tempo", exact=True).click()
    page.click(".bw-start-session")
    beside = page.locator(".bw-guide-scenario details").first
    beside.locator("summary").click()
    assert t("guide.panel_facts") in beside.inner_text()
    page.context.close()
