"""The response store on a real SQLite file: sessions, idempotent answers, rounds, retention."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from beeldwijs.errors import SessionClosed, UnknownSession, WrongLesson
from beeldwijs.store import CODE_ALPHABET, ResponseStore, Submission, normalise_code
from beeldwijs.store.backends import db_target, default_db_path


def sub(code: str, token: str, value: str, sid: str, key: str = "s/q") -> Submission:
    return Submission(code, token, key, value, sid)


def test_sqlite_pragmas(store: ResponseStore, db_path: Path) -> None:
    conn = store._connection()
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 10_000
    assert conn.execute("PRAGMA secure_delete").fetchone()[0] == 1
    assert db_path.exists()


def test_session_codes_are_unambiguous(any_store: ResponseStore) -> None:
    store = any_store
    codes = {store.create_session("les").code for _ in range(50)}
    assert len(codes) == 50
    for code in codes:
        assert len(code) == 6 and set(code) <= set(CODE_ALPHABET)
        assert not set(code) & set("0O1IL2Z5S8B6G")
    assert normalise_code(" ab-c 12 ") == "ABC12"


def test_open_session_errors(any_store: ResponseStore) -> None:
    store = any_store
    session = store.create_session("les-a")
    assert store.open_session(session.code.lower(), "les-a").code == session.code
    with pytest.raises(WrongLesson) as wrong:
        store.open_session(session.code, "les-b")
    assert wrong.value.lesson_id == "les-a"
    with pytest.raises(UnknownSession):
        store.open_session("XXXXXX")
    store.close_session(session.code)
    with pytest.raises(SessionClosed):
        store.open_session(session.code)
    with pytest.raises(SessionClosed):
        store.submit(sub(session.code, "t", "a", "id-1"))


def test_latest_answer_wins_and_resend_is_ignored(any_store: ResponseStore) -> None:
    store = any_store
    code = store.create_session("les").code
    assert store.submit(sub(code, "t1", "a", "id-1"))
    assert not store.submit(sub(code, "t1", "a", "id-1"))  # resend of the same submission
    assert store.submit(sub(code, "t1", "b", "id-2"))  # the student changed the answer
    assert not store.submit(sub(code, "t1", "a", "id-1"))  # a late resend never overwrites
    assert store.answers_of(code, "t1") == {"s/q": "b"}
    assert [(c.value, c.count) for c in store.counts(code)] == [("b", 1)]
    assert store.participant_count(code) == 1


def test_join_counts_a_token_once(any_store: ResponseStore) -> None:
    store = any_store
    code = store.create_session("les").code
    assert store.join(code, "t1") is True
    assert store.join(code, "t1") is False
    assert store.join(code, "t2") is True
    assert store.participant_count(code) == 2


def test_rounds_keep_both_votes(any_store: ResponseStore) -> None:
    store = any_store
    code = store.create_session("les").code
    store.submit(sub(code, "t1", "a", "id-1"))
    store.submit(sub(code, "t2", "a", "id-2"))
    assert store.open_round(code, "s/q") == 2
    assert store.answers_of(code, "t1") == {}  # round 2 is still to be answered
    store.submit(sub(code, "t1", "b", "id-3"))
    counts = {(c.round, c.value): c.count for c in store.counts(code)}
    assert counts == {(1, "a"): 2, (2, "b"): 1}


def test_nothing_personal_is_stored(store: ResponseStore, db_path: Path) -> None:
    code = store.create_session("les").code
    store.submit(sub(code, "t1", "a", "id-1"))
    conn = sqlite3.connect(db_path)
    columns = {
        row[1]
        for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        for row in conn.execute(f"PRAGMA table_info({table})")
    }
    assert not columns & {"name", "ip", "user_agent", "user", "email", "created_at", "timestamp"}
    (day,) = conn.execute("SELECT created_on FROM sessions").fetchone()
    assert len(day) == 10  # a date, no clock time


def test_purge_removes_old_sessions_with_their_answers(any_store: ResponseStore) -> None:
    store = any_store
    old = store.create_session("les").code
    new = store.create_session("les").code
    store.submit(sub(old, "t1", "geheim-antwoord", "id-1"))
    store.submit(sub(new, "t1", "a", "id-2"))
    with store._write() as cur:  # age the first session
        cur.execute(
            store._q("UPDATE sessions SET created_on = '2000-01-01' WHERE code = ?"), (old,)
        )
    assert store.purge(30) == 1
    assert [s.code for s in store.sessions()] == [new]
    assert [(c.value, c.count) for c in store.counts(old)] == []
    assert [(c.value, c.count) for c in store.counts(new)] == [("a", 1)]
    with store._read() as cur:
        cur.execute("SELECT COUNT(*) FROM submissions")
        assert cur.fetchone()[0] == 1


def test_db_location_is_outside_the_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BEELDWIJS_DB", raising=False)
    root = Path(__file__).resolve().parents[1]
    assert not default_db_path().resolve().is_relative_to(root)
    monkeypatch.setenv("BEELDWIJS_DB", "/tmp/elders.sqlite")
    assert db_target() == "/tmp/elders.sqlite"
    assert db_target("x.sqlite") == "x.sqlite"


def test_open_answers_moderation_and_delete(any_store: ResponseStore) -> None:
    store = any_store
    code = store.create_session("les").code
    store.submit(sub(code, "t1", "Eerste antwoord", "id-1", key="s/open"))
    store.submit(sub(code, "t2", "sla-over", "id-2", key="s/open"))
    store.submit(sub(code, "t3", "Tweede antwoord", "id-3", key="s/open"))
    answers = store.open_answers(code, "s/open", 1)
    assert sorted(a.text for a in answers) == ["Eerste antwoord", "Tweede antwoord"]
    assert all(a.status == "new" and "t1" not in a.ref for a in answers)
    first = next(a for a in answers if a.text == "Eerste antwoord")
    store.moderate(code, first.ref, "approved")
    assert {a.text: a.status for a in store.open_answers(code, "s/open", 1)}["Eerste antwoord"] == (
        "approved"
    )
    store.submit(sub(code, "t1", "Ander antwoord", "id-4", key="s/open"))  # changed: moderate again
    assert {a.text: a.status for a in store.open_answers(code, "s/open", 1)}[
        "Ander antwoord"
    ] == "new"
    assert store.delete_answer(code, first.ref)
    assert [a.text for a in store.open_answers(code, "s/open", 1)] == ["Tweede antwoord"]


def test_deleted_text_leaves_no_bytes_on_disk(store: ResponseStore, db_path: Path) -> None:
    code = store.create_session("les").code
    secret = "GEHEIMTEKST-" + "x" * 40
    store.submit(sub(code, "t1", secret, "id-1", key="s/open"))
    store.submit(sub(code, "t2", "blijft staan", "id-2", key="s/open"))
    ref = next(a.ref for a in store.open_answers(code, "s/open", 1) if a.text == secret)
    files = [p for p in db_path.parent.iterdir() if p.name.startswith(db_path.name)]
    assert any(secret.encode() in p.read_bytes() for p in files)  # the probe can see it
    store.delete_answer(code, ref)
    for path in db_path.parent.iterdir():
        assert secret.encode() not in path.read_bytes(), path.name


def test_version_1_database_is_migrated(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    conn = sqlite3.connect(db_path)
    conn.executescript(
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        INSERT INTO meta VALUES ('schema_version', '1');
        CREATE TABLE sessions (code TEXT PRIMARY KEY, lesson_id TEXT NOT NULL,
            state TEXT NOT NULL, created_on TEXT NOT NULL);
        CREATE TABLE participants (session_code TEXT NOT NULL, token TEXT NOT NULL,
            PRIMARY KEY (session_code, token));
        CREATE TABLE answers (session_code TEXT NOT NULL, token TEXT NOT NULL,
            question_key TEXT NOT NULL, round INTEGER NOT NULL, value TEXT NOT NULL,
            PRIMARY KEY (session_code, token, question_key, round));
        INSERT INTO sessions VALUES ('ACDEFH', 'les', 'open', '2026-11-24');
        INSERT INTO participants VALUES ('ACDEFH', 't1');
        INSERT INTO answers VALUES ('ACDEFH', 't1', 's/open', 1, 'oud antwoord');
        """
    )
    conn.close()
    store = ResponseStore(str(db_path))
    assert store.session("ACDEFH").pace == "student"
    [answer] = store.open_answers("ACDEFH", "s/open", 1)
    assert answer.text == "oud antwoord" and len(answer.ref) == 32 and answer.status == "new"
    store.close()
