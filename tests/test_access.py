"""A logged-in mentor's view of the store (beeldwijs.facilitator.access) and schema v7."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from beeldwijs.content import Library
from beeldwijs.errors import StoreError, UnknownSession
from beeldwijs.facilitator import Dashboard
from beeldwijs.facilitator.access import OwnedStore, Viewer, current_viewer, facilitator_store
from beeldwijs.facilitator.moderation import ModerationView
from beeldwijs.store import ResponseStore, Submission
from beeldwijs.store.schema import SCHEMA_VERSION

A, B, COORD, ADMIN = "m-aaaa", "m-bbbb", "m-cccc", "m-dddd"
CLASS, TEAM = "beelden-en-jij", "staf-tabletop-incidentprotocol"
FIXTURE = Path(__file__).parent / "data" / "store-v6.sqlite"


def view(store: ResponseStore, subject: str, role: str = "mentor") -> OwnedStore:
    return OwnedStore(store, Viewer(subject, role), frozenset({TEAM}))


def answered(store: ResponseStore, code: str, n: int = 6) -> None:
    for i in range(n):
        store.join(code, f"t{i}")
        store.submit(Submission(code, f"t{i}", "s/q", "ja", f"{code}-{i}"))


def test_a_mentor_sees_and_steers_only_their_own_sessions(store: ResponseStore) -> None:
    mine = view(store, A).create_session(CLASS)
    assert mine.owner == A and store.session(mine.code).owner == A
    answered(store, mine.code)
    other = view(store, B)
    assert other.sessions() == [] and other.running_sessions() == []
    for attempt in (
        lambda: other.session(mine.code),
        lambda: other.counts(mine.code),
        lambda: other.participant_count(mine.code),
        lambda: other.close_session(mine.code),
        lambda: other.set_pace(mine.code, "presenter", 1),
        lambda: other.open_round(mine.code, "s/q"),
        lambda: other.new_moderation_token(mine.code),
        lambda: other.open_answers(mine.code, "s/q", 1),
        lambda: other.offer_handover(mine.code),
        lambda: other.set_tally(mine.code, "s/q", {"nee": 30}),
    ):
        with pytest.raises(UnknownSession):
            attempt()
    assert store.session(mine.code).is_open and store.session(mine.code).pace == "student"
    assert [(c.value, c.count) for c in store.counts(mine.code)] == [("ja", 6)]
    assert other.lesson_counts(CLASS) == []
    assert {c.session_code for c in view(store, A).lesson_counts(CLASS)} == {mine.code}


def test_coordinator_sees_team_sessions_and_every_class_in_the_overview(
    store: ResponseStore,
) -> None:
    lesson = view(store, A).create_session(CLASS)
    team = view(store, A).create_session(TEAM)
    answered(store, lesson.code)
    coordinator = view(store, COORD, "coordinator")
    assert [s.code for s in coordinator.sessions()] == [team.code]
    with pytest.raises(UnknownSession):
        coordinator.close_session(lesson.code)
    assert {c.session_code for c in coordinator.lesson_counts(CLASS)} == {lesson.code}
    admin = view(store, ADMIN, "admin")
    assert {s.code for s in admin.sessions()} == {lesson.code, team.code}


def test_only_the_admin_purges(store: ResponseStore) -> None:
    with pytest.raises(StoreError):
        view(store, A, "coordinator").purge(30)
    assert view(store, ADMIN, "admin").purge(30) == 0


def test_a_session_is_handed_to_a_colleague_with_a_one_time_code(store: ResponseStore) -> None:
    session = view(store, A).create_session(CLASS)
    code = view(store, A).offer_handover(session.code)
    assert len(code) == 8 and code not in str(store.session(session.code))
    taken = view(store, B).take_handover(code.lower())
    assert taken.owner == B and [s.code for s in view(store, B).sessions()] == [session.code]
    assert view(store, A).sessions() == []
    with pytest.raises(UnknownSession):  # used up
        view(store, COORD).take_handover(code)


def test_viewer_comes_from_the_server_set_environment() -> None:
    env = {"HTTP_X_BEELDWIJS_MENTOR": A, "HTTP_X_BEELDWIJS_ROLE": "coordinator"}
    assert current_viewer(env) == Viewer(A, "coordinator")
    assert current_viewer({"HTTP_X_BEELDWIJS_ROLE": "admin"}) is None  # laptop mode
    assert current_viewer({**env, "HTTP_X_BEELDWIJS_ROLE": "root"}) == Viewer(A, "mentor")
    assert current_viewer({"HTTP_X_BEELDWIJS_MENTOR": "anybody"}) is None


def test_laptop_mode_keeps_the_plain_store(store: ResponseStore, library: Library) -> None:
    assert facilitator_store(store, library, env={}) is store


def test_dashboard_and_moderation_of_a_logged_in_mentor(
    store: ResponseStore, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    a_session = view(store, A).create_session(CLASS)
    answered(store, a_session.code)
    monkeypatch.setenv("HTTP_X_BEELDWIJS_MENTOR", B)
    dash = Dashboard(library, store, poll_seconds=None)
    assert not hasattr(dash, "resume_picker")  # A's running session is not offered to B
    started = dash.start_session(CLASS)
    assert store.session(started.code).owner == B
    link = store.new_moderation_token(a_session.code)  # even with A's own moderation link
    monkeypatch.setenv("QUERY_STRING", f"code={a_session.code}&token={link}")
    moderation = ModerationView.from_request()
    assert moderation.code == "" and moderation.answers.children == ()


def test_database_of_the_previous_release_is_upgraded(tmp_path: Path) -> None:
    """tests/data/store-v6.sqlite was written by main's store before v7 (two sessions, one
    closed; 7 + 5 answers): it opens, migrates in place and counts the same."""
    db = tmp_path / "old.sqlite"
    shutil.copy(FIXTURE, db)
    store = ResponseStore(str(db))
    try:
        sessions = {s.lesson_id: s for s in store.sessions()}
        assert set(sessions) == {CLASS, TEAM}
        assert all(s.owner == "" for s in sessions.values())
        assert sessions[CLASS].class_label == "2B" and not sessions[TEAM].is_open
        counts = sorted((c.value, c.count) for c in store.counts(sessions[CLASS].code))
        assert counts == [("ja", 4), ("nee", 3)]
        assert sum(c.count for c in store.counts(sessions[TEAM].code)) == 5
        with store._read() as cur:
            cur.execute("SELECT value FROM meta WHERE key = 'schema_version'")
            assert cur.fetchone()[0] == str(SCHEMA_VERSION) == "9"
    finally:
        store.close()
