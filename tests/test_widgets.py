"""The student app driven from Python, as ipywidgets' own tests do: set values, click, check the store."""

from __future__ import annotations

import json
import re
import threading

import pytest
from markupsafe import escape

from beeldwijs.content import Library
from beeldwijs.content.help import routes_for
from beeldwijs.content.model import SKIP
from beeldwijs.errors import StoreUnavailable
from beeldwijs.store import UNDO_MINUTES, ResponseStore
from beeldwijs.ui.labels import option_labels
from beeldwijs.ui.query import code_from_query
from beeldwijs.widgets import LessonPlayer, QuestionView, ScenarioCard
from beeldwijs.widgets import question as question_module
from beeldwijs.widgets.chat import chat_html
from beeldwijs.widgets.join import JoinApp
from beeldwijs.widgets.player import STUDENT_PACE_SLOWER

LESSON = "beelden-en-jij"
TOKEN = "0123456789abcdef0123456789abcdef"


def joined_player(
    library: Library, store: ResponseStore, code: str, token: str = TOKEN
) -> LessonPlayer:
    player = LessonPlayer(library.lesson(LESSON), store, code)
    player.browser_token.token = token  # what the browser sends back from localStorage
    return player


def on_screen(player: LessonPlayer) -> list[object]:
    """Every widget on the player's screen, nested ones included."""
    found, todo = [], list(player.screen.children)
    while todo:
        widget = todo.pop(0)
        found.append(widget)
        todo.extend(getattr(widget, "children", ()))
    return found


def screen_text(player: LessonPlayer) -> str:
    return " ".join(w.value for w in on_screen(player) if isinstance(getattr(w, "value", 0), str))


def current_question(player: LessonPlayer) -> QuestionView:
    card, child = player.screen.children  # the story above its question, on one screen
    assert isinstance(card, ScenarioCard) and card.scenario.questions.count(child.question) == 1
    assert isinstance(child, QuestionView)
    return child


def answer(view: QuestionView, value: str | None = None) -> None:
    if view.choice is not None:
        view.choice.value = value or view.question.option_ids()[0]
    else:
        assert view.text is not None
        view.text.value = value or "Niet doorsturen."
    view.submit_button.click()


def answer_all(player: LessonPlayer) -> None:
    """Answer every question in turn and go on, until the end screen."""
    while not player._finished:
        view = current_question(player)
        answer(view)
        view.next_button.click()


def start(player: LessonPlayer) -> None:
    (begin,) = [c for c in on_screen(player) if "bw-start" in getattr(c, "_dom_classes", ())]
    begin.click()  # "Begin" on the anonymity notice


def test_code_from_query_string() -> None:
    assert code_from_query("code=abc-123&x=1") == "ABC123"
    assert code_from_query("") == ""


def test_whole_lesson_lands_in_the_store(library: Library, store: ResponseStore) -> None:
    code = store.create_session(LESSON).code
    player = joined_player(library, store, code)
    assert "anoniem" in screen_text(player)
    start(player)
    questions = library.lesson(LESSON).questions
    for _ in questions:
        view = current_question(player)
        answer(view)
        assert view.done
        assert "Opgeslagen" in view.status.value
        view.next_button.click()
    assert "Klaar" in player.screen.children[0].value
    assert store.participant_count(code) == 1
    assert set(store.answers_of(code, TOKEN)) == {q.key for q in questions}


def test_reload_continues_without_a_second_participant(
    library: Library, store: ResponseStore
) -> None:
    code = store.create_session(LESSON).code
    first = joined_player(library, store, code)
    start(first)
    for _ in range(2):
        view = current_question(first)
        answer(view)
        view.next_button.click()
    again = joined_player(library, store, code)  # same browser token after a reload
    assert "Verder waar je was" in [
        c.description for c in on_screen(again) if hasattr(c, "description")
    ]
    start(again)
    view = current_question(again)
    assert view.question == library.lesson(LESSON).questions[2]
    assert store.participant_count(code) == 1


def test_skip_is_stored_apart(library: Library, store: ResponseStore) -> None:
    code = store.create_session(LESSON).code
    player = joined_player(library, store, code)
    start(player)
    view = current_question(player)
    answer(view, SKIP)
    assert store.answers_of(code, TOKEN) == {view.question.key: SKIP}


def test_forged_values_are_refused(library: Library, store: ResponseStore) -> None:
    code = store.create_session(LESSON).code
    player = joined_player(library, store, code)
    start(player)
    view = current_question(player)
    assert view.choice is not None
    view.choice.value = "<img src=x onerror=alert(1)>"  # the browser can set anything
    view.submit_button.click()
    assert not view.done and store.answers_of(code, TOKEN) == {}
    assert "Kies eerst een antwoord" in view.status.value
    answer(view)
    for _ in range(5):  # clicks on the (disabled) button after saving change nothing
        view.submit_button.click()
    assert len(store.counts(code)) == 1


def test_a_saved_answer_sends_three_updates_confirmation_first(
    library: Library, widget_updates: list[tuple[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every update is a message the server relays while the whole class answers at once: a
    quick save sends the confirmation, "Volgende" in place of "Verstuur" and the frozen answer,
    no "saving…" and no button toggles (docs/decisions.md, "Performance and scale")."""
    monkeypatch.setattr(question_module, "SAVING_NOTICE_AFTER", 60.0)  # a quick save, surely
    for question in (library.lesson(LESSON).questions[0], next(
        q for q in library.lesson(LESSON).questions if q.is_open
    )):  # fmt: skip
        view = QuestionView(question, number=1, total=1, save=lambda *_: True, on_next=lambda: None)
        control = view.choice or view.text
        assert control is not None
        control.value = question.option_ids()[0] if view.choice else "Niet doorsturen."
        del widget_updates[:]
        view.submit_button.click()
        assert view.done and "Opgeslagen" in view.status.value
        assert widget_updates == [
            ("HTML", "value"),
            ("HBox", "children"),
            (type(control).__name__, "disabled"),
        ]


def test_a_slow_save_says_so_and_holds_the_button(library: Library) -> None:
    notice_shown = threading.Event()

    def slow_save(_value: str, _sid: str) -> bool:
        notice_shown.wait(timeout=30)  # the save lasts until the student has been told
        return True

    view = QuestionView(
        library.lesson(LESSON).questions[0], number=1, total=1, save=slow_save, on_next=lambda: None
    )
    view.status.observe(
        lambda change: "Bezig met opslaan" in change["new"] and notice_shown.set(), names="value"
    )
    answer(view)
    assert notice_shown.is_set() and view.submit_button.disabled
    assert view.done and "Opgeslagen" in view.status.value


def test_a_slow_failing_save_lets_the_student_retry(library: Library) -> None:
    notice_shown = threading.Event()

    def slow_outage(_value: str, _sid: str) -> bool:
        notice_shown.wait(timeout=30)
        raise StoreUnavailable("database is locked")

    view = QuestionView(
        library.lesson(LESSON).questions[0],
        number=1,
        total=1,
        save=slow_outage,
        on_next=lambda: None,
    )
    view.status.observe(
        lambda change: "Bezig met opslaan" in change["new"] and notice_shown.set(), names="value"
    )
    answer(view)
    assert notice_shown.is_set() and not view.done
    assert "nog niet opgeslagen" in view.status.value and not view.submit_button.disabled


def test_a_double_click_on_next_moves_on_once(library: Library) -> None:
    moves: list[int] = []
    view = QuestionView(
        library.lesson(LESSON).questions[0], number=1, total=1, save=lambda *_: True,
        on_next=lambda: moves.append(1),
    )  # fmt: skip
    view.next_button.click()  # before saving: nothing to move on to
    answer(view)
    view.next_button.click()
    view.next_button.click()  # the second click of a double click, queued behind the first
    assert moves == [1]


def test_bad_token_from_browser_is_replaced(library: Library, store: ResponseStore) -> None:
    code = store.create_session(LESSON).code
    player = joined_player(library, store, code, token="'; DROP TABLE answers; --")
    assert len(player.participant) == 32 and player.participant != TOKEN


def test_unknown_code_asks_for_the_code(library: Library, store: ResponseStore) -> None:
    player = LessonPlayer(library.lesson(LESSON), store, "QQQQQQ")
    assert "De code QQQQQQ kennen we niet" in screen_text(player)
    code = store.create_session(LESSON).code
    field, button = player.screen.children[2], player.screen.children[3]
    field.value = code.lower()
    button.click()
    assert player.code == code


def test_closed_and_wrong_lesson_codes(library: Library, store: ResponseStore) -> None:
    closed = store.create_session(LESSON).code
    store.close_session(closed)
    assert "al afgelopen" in screen_text(LessonPlayer(library.lesson(LESSON), store, closed))
    other = store.create_session("een-andere-les").code
    text = screen_text(LessonPlayer(library.lesson(LESSON), store, other))
    assert "hoort bij een andere les" in text and f"een-andere-les.ipynb?code={other}" in text


def test_store_outage_keeps_the_answer_for_a_retry(
    library: Library, store: ResponseStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = store.create_session(LESSON).code
    player = joined_player(library, store, code)
    start(player)
    view = current_question(player)
    real_submit = store.submit

    def down(_submission: object) -> bool:
        raise StoreUnavailable("database is locked")

    monkeypatch.setattr(store, "submit", down)
    answer(view)
    assert not view.done and "nog niet opgeslagen" in view.status.value
    assert "Traceback" not in view.status.value
    first_id = view.submission_id
    monkeypatch.setattr(store, "submit", real_submit)
    view.submit_button.click()  # the same answer, the same submission id
    assert view.done and view.submission_id == first_id
    assert store.answers_of(code, TOKEN) == {view.question.key: view.question.option_ids()[0]}


def test_chat_text_is_escaped(library: Library) -> None:
    scenario = library.scenario("cyberbaiting-meneer-bakker")
    html = chat_html(scenario.story.chat)
    assert "<script" not in html and "bw-msg" in html
    from dataclasses import replace

    from beeldwijs.content.model import Chat, ChatMessage

    evil = Chat(
        "whatsapp", "<b>x</b>", (ChatMessage("<img src=x onerror=alert(1)>", "</div><script>"),)
    )
    rendered = chat_html(replace(evil))
    assert "<img" not in rendered and "<script" not in rendered


def test_help_panel_is_on_every_screen(library: Library, store: ResponseStore) -> None:
    code = store.create_session(LESSON).code
    player = joined_player(library, store, code)
    start(player)
    for _ in range(3):
        assert player.help_panel in player.children
        assert (
            "Kindertelefoon" in player.help_panel.value and "0800-0432" in player.help_panel.value
        )
        view = current_question(player)
        answer(view)
        view.next_button.click()


def test_presenter_pace_waits_for_the_mentor(library: Library, store: ResponseStore) -> None:
    session = store.create_session(LESSON, pace="presenter")
    player = joined_player(library, store, session.code)
    start(player)
    view = current_question(player)
    assert view.question == library.lesson(LESSON).questions[0]
    answer(view)
    view.next_button.click()
    assert "Wacht even" in screen_text(player)  # question 2 is not open yet
    player.follow(store.set_pace(session.code, "presenter", step=1))
    view = current_question(player)
    assert view.question == library.lesson(LESSON).questions[1]


def test_at_the_mentors_pace_the_expert_view_waits_for_the_discussion(
    library: Library, store: ResponseStore
) -> None:
    """Presenter pace: after answering the student reads "bespreek het eerst in de klas"; the
    expert view (and a knowledge question's verdict) appears when the mentor shows it."""
    session = store.set_pace(store.create_session(LESSON).code, "presenter", 2)
    player = joined_player(library, store, session.code)
    start(player)
    first, _, third = library.lesson(LESSON).questions[:3]
    view = current_question(player)
    answer(view)
    assert "Bespreek het eerst in de klas" in view.status.value
    assert first.expert_view[:40] not in screen_text(player)
    player.follow(store.session(session.code))  # the mentor has not explained yet: no change
    assert view.held and first.expert_view[:40] not in view.status.value
    store.save_view(session.code, json.dumps({"revealed": [first.key], "explained": [first.key]}))
    player.follow(store.session(session.code))
    assert first.expert_view[:40] in view.status.value and not view.held
    assert "Opgeslagen" in view.status.value
    view.next_button.click()
    answer(current_question(player))  # already explained before answering: shown at once
    store.save_view(session.code, json.dumps({"explained": [first.key, third.key]}))
    player.follow(store.session(session.code))
    current_question(player).next_button.click()
    view = current_question(player)
    assert view.question == third and third.type == "knowledge"
    answer(view, third.correct)
    assert "Goed" in view.status.value and third.explanation[:40] in view.status.value


def test_the_end_screen_recaps_only_what_the_mentor_has_explained(
    library: Library, store: ResponseStore
) -> None:
    """A student who pressed "Volgende" before "Toon uitleg" reads the expert view on the end
    screen once the mentor shows it, and nothing the mentor has not shown."""
    lesson = library.lesson(LESSON)
    first, second, third = lesson.questions[:3]
    last = len(lesson.questions) - 1
    session = store.set_pace(store.create_session(LESSON).code, "presenter", last)
    player = joined_player(library, store, session.code)
    start(player)
    answer_all(player)  # every question answered before any explanation
    end = screen_text(player)
    assert "Wat deskundigen zeggen, per vraag" in end
    recapped = [q for q in lesson.questions if q.expert_view or q.explanation]
    assert "De uitleg bij de vragen komt hier te staan zodra je mentor die" in end
    assert not any(escape(q.expert_view[:40]) in end for q in recapped if q.expert_view)
    store.save_view(session.code, json.dumps({"explained": [first.key, third.key]}))
    player.follow(store.session(session.code))  # the mentor shows two: the end screen follows
    end = screen_text(player)
    assert escape(first.expert_view[:40]) in end and escape(third.explanation[:40]) in end
    assert escape(second.expert_view[:40]) not in end
    right = dict(option_labels(third))[third.correct]
    assert escape(f"Het goede antwoord: {right}") in re.sub("<[^>]+>", "", end)  # text only
    assert f"De uitleg bij 2 van de {len(recapped)} vragen" in end and "De rest komt" in end
    assert player.help_panel.value.startswith("<details open>")  # the routes in view at the end


def finished_and_halfway(
    library: Library, store: ResponseStore
) -> tuple[str, LessonPlayer, LessonPlayer]:
    """At the mentor's pace with every question open and none explained: the session's code, a
    student who finished, and one who answered the first question (its expert view held)."""
    last = len(library.lesson(LESSON).questions) - 1
    session = store.set_pace(store.create_session(LESSON).code, "presenter", last)
    finished = joined_player(library, store, session.code)
    start(finished)
    answer_all(finished)
    halfway = joined_player(library, store, session.code, token="f" * 32)
    start(halfway)
    answer(current_question(halfway))  # saved; the expert view waits for the discussion
    assert current_question(halfway).held
    return session.code, finished, halfway


def test_closing_the_lesson_releases_every_expert_view_to_the_end_screen(
    library: Library, store: ResponseStore
) -> None:
    """At the mentor's pace the mentor ran out of time: no "Toon uitleg" at all. When the mentor
    closes the lesson, a student who finished and one still at a question (answered, waiting for
    the discussion) both read every expert view on the end screen at their next poll."""
    lesson = library.lesson(LESSON)
    code, finished, halfway = finished_and_halfway(library, store)
    recapped = [q for q in lesson.questions if q.expert_view or q.explanation]
    texts = [escape((q.explanation or q.expert_view)[:40]) for q in recapped]
    assert not any(text in screen_text(finished) for text in texts)
    closed = store.close_session(code)
    for player in (finished, halfway):
        player.follow(closed)
        end = screen_text(player)
        assert all(text in end for text in texts), end
        assert "Je mentor heeft de les afgesloten. De uitleg bij alle vragen" in end
        assert "De rest komt" not in end and "Wat je hebt beantwoord, is opgeslagen" in end
        assert player.browser_token is not None
        assert player.browser_token.forget == "closed"  # the device keeps nothing of the code
        assert not player._stop.is_set()  # the mentor may still undo the close
    halfway._closed_seen -= UNDO_MINUTES * 60 + 1  # past the undo: the device stops looking
    halfway.follow(closed)
    assert halfway._stop.is_set() and not finished._stop.is_set()


def test_undoing_the_close_brings_the_students_back_where_they_were(
    library: Library, store: ResponseStore
) -> None:
    """A close by mistake, undone within the minutes the dashboard allows: a student who was at a
    question is back at the first question without an answer, with the expert views held again
    for the discussion; a student who had finished has the recap as it was."""
    code, finished, halfway = finished_and_halfway(library, store)
    first = current_question(halfway)
    closed = store.close_session(code)
    for player in (finished, halfway):
        player.follow(closed)
    reopened = store.reopen_session(code)
    for player in (finished, halfway):
        player.follow(reopened)
    second = current_question(halfway)  # the next question, not the end screen
    assert second.question != first.question and not halfway._finished
    answer(second)
    assert second.question.after_discussion and second.held  # for the discussion again
    end = screen_text(finished)
    assert "De uitleg bij de vragen komt hier te staan zodra je mentor" in end
    assert "afgesloten" not in end and not finished._stop.is_set()


def test_at_the_students_own_pace_the_end_screen_recaps_every_expert_view(
    library: Library, store: ResponseStore
) -> None:
    session = store.create_session(LESSON)
    lesson = library.lesson(LESSON)
    player = joined_player(library, store, session.code)
    start(player)
    answer_all(player)
    end = screen_text(player)
    recapped = [q for q in lesson.questions if q.expert_view or q.explanation]
    assert all(escape((q.explanation or q.expert_view)[:40]) in end for q in recapped)
    assert "De rest komt" not in end


def test_at_the_students_own_pace_the_expert_view_follows_the_answer(
    library: Library, store: ResponseStore
) -> None:
    session = store.create_session(LESSON)  # the students' own pace (also: alone, a losse casus)
    player = joined_player(library, store, session.code)
    start(player)
    view = current_question(player)
    answer(view)
    assert view.question.expert_view[:40] in view.status.value and not view.held
    assert "Bespreek het eerst" not in view.status.value


def test_the_player_asks_less_often_under_the_students_own_pace(
    library: Library, store: ResponseStore
) -> None:
    """Under the mentor's pace a step must show at once; under the student's own pace only a
    re-vote or the end can come, and 300 kernels asking every 2 s cost real CPU."""
    session = store.create_session(LESSON, pace="presenter")
    player = LessonPlayer(library.lesson(LESSON), store, session.code, poll_seconds=2.0)
    assert player.poll_interval() == 2.0
    player.follow(store.set_pace(session.code, "student", step=0))
    assert player.poll_interval() == 2.0 * STUDENT_PACE_SLOWER > 2.0


def test_revote_brings_the_question_back(library: Library, store: ResponseStore) -> None:
    session = store.create_session(LESSON, pace="presenter")
    player = joined_player(library, store, session.code)
    start(player)
    first = library.lesson(LESSON).questions[0]
    view = current_question(player)
    answer(view, first.option_ids()[0])
    view.next_button.click()
    assert "Wacht even" in screen_text(player)
    store.open_round(session.code, first.key)
    player.follow(store.session(session.code), store.current_rounds(session.code))
    assert "Nieuwe stemronde" in player.screen.children[0].value
    view = player.screen.children[1]
    assert isinstance(view, QuestionView) and view.question == first
    answer(view, first.option_ids()[1])
    view.next_button.click()
    assert "Wacht even" in screen_text(player)
    counts = {(c.round, c.value) for c in store.counts(session.code)}
    assert counts == {(1, first.option_ids()[0]), (2, first.option_ids()[1])}
    player.follow(store.session(session.code), store.current_rounds(session.code))
    assert "Wacht even" in screen_text(player)  # answered in round 2: not asked a third time


def test_staff_decision_branch_skips_the_other_route(
    library: Library, store: ResponseStore
) -> None:
    lesson = library.lesson("staf-tabletop-incidentprotocol")
    scenario = lesson.scenarios[0]
    first = scenario.questions[0]
    branch = next(o for o in first.options if o.next is not None)
    assert scenario.questions[1].id != branch.next  # the branch passes a question by
    code = store.create_session(lesson.id).code
    player = LessonPlayer(lesson, store, code)
    player.browser_token.token = TOKEN
    start(player)
    view = current_question(player)
    assert view.question == first
    answer(view, branch.id)
    view.next_button.click()
    view = current_question(player)
    assert view.question.id == branch.next


@pytest.mark.parametrize(
    ("lesson_id", "heading", "intro", "not_for"),
    [
        ("ouderavond-beelden", "Hulp en advies voor ouders", "genoeg ouders", "Je mentor"),
        (
            "staf-tabletop-incidentprotocol",
            "Hulp en advies voor school",
            "genoeg collega",
            "Je mentor",
        ),
        (LESSON, "Hulp nodig?", "je mentor kan niet zien", "De mentor van uw kind"),
    ],
)
def test_intro_and_help_speak_to_who_answers(
    library: Library,
    store: ResponseStore,
    lesson_id: str,
    heading: str,
    intro: str,
    not_for: str,
) -> None:
    """Parents at a parents' evening, staff in a team session: their notice, rules and help."""
    lesson = library.lesson(lesson_id)
    code = store.create_session(lesson_id).code
    app = JoinApp(library, store, f"code={code}")  # the join page every participant opens
    assert app.player is not None
    app.player.browser_token.token = TOKEN
    notice = app.player.intro.text.value
    assert lesson.title in notice and intro in notice
    if lesson.participants != "students":
        assert "Voordat u begint" in notice and "je mentor" not in notice.lower()
    start(app.player)
    for _ in lesson.questions[:4]:
        view = current_question(app.player)
        card = app.player.screen.children[0]
        assert isinstance(card, ScenarioCard)
        panel = app.player.help_panel.value
        assert heading in panel and not_for not in panel
        routes = routes_for(
            card.scenario.help_routes,
            lesson.participants == "staff",
            lesson.audience,
            parents=lesson.participants == "parents",
        )  # the scenario's routes, from the list for who answers
        assert routes and all(escape(route.name) in panel for route in routes)
        answer(view)
        view.next_button.click()
