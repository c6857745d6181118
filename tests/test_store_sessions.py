"""Sessions as the mentor at the front of the class needs them (schema v5, issue 14): a start time
and class label, the running list newest first, undoing a close, the view a reload restores, the
moderation link's secret, and counts the mentor enters for a lesson without devices."""

from __future__ import annotations

import pytest

from beeldwijs.errors import SessionClosed, StoreError
from beeldwijs.store import CLASS_SIZE_MAX, ResponseStore, Submission
from beeldwijs.store.schema import SCHEMA_VERSION


def test_start_time_label_and_running_list_newest_first(any_store: ResponseStore) -> None:
    store = any_store
    first = store.create_session("les-a", class_label="  2B\n havo ")
    second = store.create_session("les-b", mode="groups")
    closed = store.create_session("les-c")
    store.close_session(closed.code)
    assert first.class_label == "2B havo" and store.session(first.code).class_label == "2B havo"
    assert len(first.started) == 16 and first.started[10] == "T"  # to the minute, no seconds
    assert first.started.startswith(first.created_on)
    assert store.session(second.code).mode == "groups"
    with store._write() as cur:  # the first lesson started earlier that day
        for code, started in ((first.code, "2026-12-07T08:10"), (second.code, "2026-12-07T10:05")):
            cur.execute(store._q("UPDATE sessions SET started = ? WHERE code = ?"), (started, code))
    assert [s.code for s in store.running_sessions()] == [second.code, first.code]
    with pytest.raises(StoreError):
        store.create_session("les", mode="telepathy")


def test_close_can_be_undone_and_view_is_kept(any_store: ResponseStore) -> None:
    store = any_store
    code = store.create_session("les").code
    store.save_view(code, '{"revealed": ["s/q"]}')
    closed = store.close_session(code)
    assert not closed.is_open and closed.ended and store.session(code).ended == closed.ended
    with pytest.raises(SessionClosed):
        store.submit(Submission(code, "t1", "s/q", "a", "id-1"))
    reopened = store.reopen_session(code)
    assert reopened.is_open and store.session(code).ended == ""
    assert store.submit(Submission(code, "t1", "s/q", "a", "id-1"))
    assert store.session(code).view == '{"revealed": ["s/q"]}'


def test_moderation_secret_is_bound_to_its_session(any_store: ResponseStore) -> None:
    store = any_store
    code = store.create_session("les").code
    other = store.create_session("les").code
    assert not store.moderation_allowed(code, "")  # no link made yet
    token = store.new_moderation_token(code)
    assert store.moderation_allowed(code, token)
    assert store.moderation_allowed(code.lower(), token)
    assert not store.moderation_allowed(code, "")
    assert not store.moderation_allowed(other, token)
    assert not store.moderation_allowed("AAAAAA", token)
    with store._read() as cur:  # only a hash is stored
        cur.execute(store._q("SELECT moderation_hash FROM sessions WHERE code = ?"), (code,))
        assert token not in cur.fetchone()[0]
    newer = store.new_moderation_token(code)
    assert not store.moderation_allowed(code, token) and store.moderation_allowed(code, newer)
    store.close_session(code)
    assert not store.moderation_allowed(code, newer)


def test_entered_counts_add_up_with_answers_and_follow_rounds(any_store: ResponseStore) -> None:
    store = any_store
    code = store.create_session("les", mode="none").code
    assert store.set_tally(code, "s/q", {"a": 12, "b": 7, "sla-over": 0}) == 1
    assert store.set_tally(code, "s/q", {"a": 11, "b": 8}) == 1  # corrected: replaces
    store.submit(Submission(code, "t1", "s/q", "a", "id-1"))  # a device may still answer
    assert [(c.round, c.value, c.count) for c in store.counts(code)] == [(1, "a", 12), (1, "b", 8)]
    store.open_round(code, "s/q")
    assert store.set_tally(code, "s/q", {"b": 20}) == 2
    assert [(c.round, c.value, c.count) for c in store.counts(code)][-1] == (2, "b", 20)
    with pytest.raises(StoreError):
        store.set_tally(code, "s/q", {"a": -1})
    store.close_session(code)
    with pytest.raises(SessionClosed):
        store.set_tally(code, "s/q", {"a": 3})


def test_lesson_counts_include_entered_counts(any_store: ResponseStore) -> None:
    store = any_store
    code = store.create_session("les", mode="none").code
    store.set_tally(code, "s/q", {"a": 9, "b": 4})
    store.submit(Submission(code, "t1", "s/q", "a", "id-1"))
    rows = {}
    for c in store.lesson_counts("les"):
        rows[c.value] = rows.get(c.value, 0) + c.count
    assert rows == {"a": 10, "b": 4}


def test_version_4_database_gains_the_new_columns(any_store: ResponseStore) -> None:
    """A school's existing database (v4) is upgraded in place; its sessions keep their day."""
    store = any_store
    code = store.create_session("les").code
    store.submit(Submission(code, "t1", "s/q", "a", "id-1"))
    with store._write() as cur:  # make it a v4 database again
        columns = ("started", "class_label", "mode", "ended", "view", "moderation_hash", "names")
        columns += ("owner", "handover_hash", "opened", "class_size")
        for column in columns:
            cur.execute(f"ALTER TABLE sessions DROP COLUMN {column}")
        cur.execute("DROP TABLE tallies")
        cur.execute("UPDATE sessions SET created_on = '2026-11-24'")
        cur.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    upgraded = ResponseStore(store.target)
    try:
        session = upgraded.session(code)
        assert (session.started, session.class_label, session.mode) == (
            "2026-11-24T00:00",
            "",
            "devices",
        )
        assert session.names == ""  # v6: no name swaps yet
        assert session.owner == ""  # v7: nobody's (laptop mode and older sessions)
        assert upgraded.set_names(code, "Noah=Daan").names == upgraded.session(code).names
        assert [(c.value, c.count) for c in upgraded.counts(code)] == [("a", 1)]
        upgraded.set_tally(code, "s/q", {"b": 3})
        assert [(c.value, c.count) for c in upgraded.counts(code)] == [("a", 1), ("b", 3)]
        with upgraded._read() as cur:
            cur.execute("SELECT value FROM meta WHERE key = 'schema_version'")
            assert cur.fetchone()[0] == str(SCHEMA_VERSION) == "9"
    finally:
        upgraded.close()


def test_version_7_database_gains_the_count_and_the_class_size(any_store: ResponseStore) -> None:
    """A v7 database (before the opened count, v8, and the class size, v9) is upgraded in place
    on SQLite and PostgreSQL: its sessions have no class size until the mentor sets one."""
    store = any_store
    code = store.create_session("les", class_label="2B").code
    store.submit(Submission(code, "t1", "s/q", "a", "id-1"))
    with store._write() as cur:  # make it a v7 database again
        for column in ("opened", "class_size"):
            cur.execute(f"ALTER TABLE sessions DROP COLUMN {column}")
        cur.execute("UPDATE meta SET value = '7' WHERE key = 'schema_version'")
    upgraded = ResponseStore(store.target)
    try:
        session = upgraded.session(code)
        assert (session.class_label, session.class_size) == ("2B", 0)
        assert upgraded.opened_count(code) == 0
        assert upgraded.set_class_size(code, 27).class_size == 27
        assert upgraded.session(code).class_size == 27
        assert upgraded.set_class_size(code, 10_000).class_size == CLASS_SIZE_MAX
        assert [(c.value, c.count) for c in upgraded.counts(code)] == [("a", 1)]
        with upgraded._read() as cur:
            cur.execute("SELECT value FROM meta WHERE key = 'schema_version'")
            assert cur.fetchone()[0] == str(SCHEMA_VERSION) == "9"
    finally:
        upgraded.close()
