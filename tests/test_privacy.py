"""Issue 5, items 6 and 8: what is stored, what can be read back, what is gone when deleted.

Real files and servers: the SQLite file with its -wal and -shm, a throw-away PostgreSQL server,
`beeldwijs start` with Debian's Chromium for the canary and the moderation page.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from beeldwijs.content import Library
from beeldwijs.store import ResponseStore, Submission
from tests.e2e_support import TIMEOUT_MS, chromium
from tests.running import App, db_files

LESSON = "beelden-en-jij"

#: Every column the store may have. A new column is a privacy decision: add it here knowingly,
#: and to docs/privacy.md. Nothing personal: no name, address, device, account or clock time.
ALLOWED_COLUMNS = {
    "meta": {"key", "value"},
    "sessions": {
        "code",
        "lesson_id",
        "state",
        "created_on",
        "pace",
        "step",
        "started",
        "class_label",
        "mode",
        "ended",
        "view",
        "moderation_hash",
        "names",  # first names given to the lesson's fictional characters, from a fixed list
        "owner",  # school server: the owning mentor's pseudonym (HMAC of the account's subject)
        "handover_hash",  # hash of a one-time code that hands the session to a colleague
        "opened",  # how many devices opened the session's page: a count, nothing per device
        "class_size",  # how many students the mentor says the class has: a count
    },
    "tallies": {"session_code", "question_key", "round", "value", "n"},
    "participants": {"session_code", "token"},
    "rounds": {"session_code", "question_key", "round"},
    "answers": {"session_code", "token", "question_key", "round", "value", "ref", "status"},
    "submissions": {"id", "session_code"},
}
FORBIDDEN_WORDS = ("name", "naam", "ip", "addr", "agent", "user", "email", "mail", "device",
                   "browser", "os", "time", "stamp", "at", "phone", "host", "login")  # fmt: skip


def columns(store: ResponseStore) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    with store._read() as cur:
        if store.backend.name == "sqlite":
            cur.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            for (table,) in cur.fetchall():
                cur.execute(f"PRAGMA table_info({table})")
                found[table] = {row[1] for row in cur.fetchall()}
        else:
            cur.execute(
                "SELECT table_name, column_name FROM information_schema.columns "
                "WHERE table_schema = 'public'"
            )
            for table, column in cur.fetchall():
                found.setdefault(table, set()).add(column)
    return found


def test_schema_has_only_allowed_columns(any_store: ResponseStore) -> None:
    assert columns(any_store) == ALLOWED_COLUMNS
    for table, names in ALLOWED_COLUMNS.items():
        for name in names:
            parts = name.split("_")
            assert not set(parts) & set(FORBIDDEN_WORDS), f"{table}.{name}"


def test_the_allow_list_check_can_fail(store: ResponseStore) -> None:
    with store._write() as cur:
        cur.execute("ALTER TABLE participants ADD COLUMN user_agent TEXT")
    assert columns(store) != ALLOWED_COLUMNS


# --------------------------------------------------------------------------- order


def sorted_differently(n: int) -> list[str]:
    """``n`` random tokens in an order that is not their sorted order (reversed)."""
    return sorted((uuid.uuid4().hex for _ in range(n)), reverse=True)


def test_storage_order_does_not_reveal_answer_order(store: ResponseStore, db_path: Path) -> None:
    """Who answered first cannot be read back: no rowid, rows kept in random-key order."""
    code = store.create_session(LESSON).code
    tokens = sorted_differently(30)  # the order in which the students answer
    for token in tokens:
        store.submit(Submission(code, token, "s/q", "a", uuid.uuid4().hex))
    conn = sqlite3.connect(db_path)
    try:
        for table in ("answers", "participants", "submissions"):
            with pytest.raises(sqlite3.OperationalError, match="no such column"):
                conn.execute(f"SELECT rowid FROM {table}")
        # a full scan of each table (status is in no index): the order rows are kept in
        stored = [t for t, _ in conn.execute("SELECT token, status FROM answers")]
        joined = [t for (t,) in conn.execute("SELECT token FROM participants")]
        by_ref = [t for (t,) in conn.execute("SELECT token FROM answers INDEXED BY answers_by_ref")]
    finally:
        conn.close()
    assert stored == joined == sorted(tokens) != tokens  # key order, not arrival order
    assert by_ref != tokens  # the mentor's random references are no counter either


def test_closing_a_session_clears_the_write_ahead_log(store: ResponseStore, db_path: Path) -> None:
    """The -wal file keeps page images in commit order: gone once the lesson is closed."""
    code = store.create_session(LESSON).code
    tokens = sorted_differently(10)
    for token in tokens:
        store.submit(Submission(code, token, "s/q", "a", uuid.uuid4().hex))
    wal = db_path.with_name(db_path.name + "-wal")
    assert tokens[0].encode() in wal.read_bytes()  # the probe sees the log
    store.close_session(code)
    assert not wal.exists() or wal.stat().st_size == 0


# --------------------------------------------------------------------------- retention


def age(store: ResponseStore, code: str, day: str = "2000-01-01") -> None:
    with store._write() as cur:
        cur.execute(store._q("UPDATE sessions SET created_on = ? WHERE code = ?"), (day, code))


def test_purge_command_removes_old_sessions_from_disk(db_path: Path) -> None:
    store = ResponseStore(str(db_path))
    old, new = store.create_session(LESSON).code, store.create_session(LESSON).code
    secret = "OUD-GEHEIM-" + uuid.uuid4().hex
    store.submit(Submission(old, uuid.uuid4().hex, "s/open", secret, uuid.uuid4().hex))
    store.submit(Submission(new, uuid.uuid4().hex, "s/open", "blijft", uuid.uuid4().hex))
    age(store, old)
    store.close()
    done = subprocess.run(
        [sys.executable, "-m", "beeldwijs", "purge", "--days", "30", "--db", str(db_path)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "1 sessie verwijderd" in done.stdout
    store = ResponseStore(str(db_path))
    assert [s.code for s in store.sessions()] == [new]
    store.close()
    for path in db_files(str(db_path)):
        assert secret.encode() not in path.read_bytes(), path.name


@pytest.mark.server
def test_start_purges_old_sessions(tmp_path: Path) -> None:
    app = App(tmp_path / "app")
    store = ResponseStore(app.db)
    old = store.create_session(LESSON).code
    store.submit(Submission(old, uuid.uuid4().hex, "s/q", "a", uuid.uuid4().hex))
    age(store, old, "2000-01-01")
    kept = store.create_session(LESSON).code
    store.close()
    app.args = ["--retention-days", "30"]
    app.start()
    app.stop()
    assert "1 sessie ouder dan 30 dagen verwijderd" in app.log()
    store = ResponseStore(app.db)
    assert [s.code for s in store.sessions()] == [kept]
    store.close()


# --------------------------------------------------------------------------- canaries

CANARY_UA = "BW-CANARY-UA/" + uuid.uuid4().hex[:8]
CANARY_IPS = ("203.0.113.77", "198.51.100.23", "192.0.2.44")  # documentation ranges


@pytest.mark.browser
def test_ip_and_user_agent_are_stored_and_logged_nowhere(tmp_path: Path, library: Library) -> None:
    """A student behind a proxy that forwards its address, with a recognisable browser."""
    app = App(tmp_path / "app")
    app.start()
    try:
        store = ResponseStore(app.db)
        code = store.create_session(LESSON).code
        store.close()
        lesson = library.lesson(LESSON)
        with chromium() as browser:
            context = browser.new_context(  # type: ignore[attr-defined]
                user_agent=CANARY_UA,
                extra_http_headers={
                    "X-Forwarded-For": f"{CANARY_IPS[0]}, {CANARY_IPS[1]}",
                    "X-Real-IP": CANARY_IPS[1],
                    "Forwarded": f"for={CANARY_IPS[2]};proto=http",
                },
            )
            page = context.new_page()
            page.set_default_timeout(TIMEOUT_MS)
            page.goto(app.join_url(code))
            page.locator(".bw-start").click()
            for n, question in enumerate(lesson.questions[:4]):
                page.locator(".bw-question .bw-progress").first.wait_for()
                view = page.locator(".bw-question")
                view.get_by_text(f"Vraag {n + 1} van").wait_for()
                if question.is_open:
                    view.locator("textarea").fill("Niet doorsturen.")
                else:
                    view.locator(".bw-option input").first.check()
                view.locator(".bw-submit").click()
                view.locator(".bw-saved").wait_for()
                view.locator(".bw-next").click()
            page.goto(f"{app.student}/voila/render/bestaat-niet.ipynb")  # an error, logged
            page.goto(f"{app.student}/voila/files/../x.sqlite")
            context.close()
        store = ResponseStore(app.db)
        assert len(store.answers_of(code, store_token(app.db, code))) == 4  # it did get stored
        store.close()
    finally:
        app.stop()
    assert "404 GET /voila/render/bestaat-niet.ipynb" in app.log()  # the log was written
    places = {p.name: p.read_bytes() for p in db_files(app.db)}
    places["servers.log"] = app.log_path.read_bytes()
    assert {"beeldwijs.sqlite", "beeldwijs.sqlite-wal", "servers.log"} <= set(places)
    for name, data in places.items():
        for canary in (CANARY_UA, *CANARY_IPS):
            assert canary.encode() not in data, (canary, name)
            assert canary.encode("utf-16-le") not in data, (canary, name)


def store_token(db: str, code: str) -> str:
    conn = sqlite3.connect(db)
    try:
        (token,) = conn.execute(
            "SELECT token FROM participants WHERE session_code = ?", (code,)
        ).fetchone()
        return str(token)
    finally:
        conn.close()


# --------------------------------------------------------------------------- deleting


@pytest.fixture(scope="module")
def mod_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    app = App(tmp_path_factory.mktemp("moderation")).start()
    yield app
    app.stop()


@pytest.mark.browser
def test_answer_deleted_on_the_moderation_page_leaves_no_bytes(
    mod_app: App, library: Library
) -> None:
    """The mentor deletes an open answer in Chromium: its text is in no file any more."""
    lesson = library.lesson(LESSON)
    open_question = next(q for q in lesson.questions if q.is_open)
    store = ResponseStore(mod_app.db)
    code = store.create_session(LESSON).code
    secret = "ANNA-UIT-3B-" + uuid.uuid4().hex  # an answer that names a classmate
    kept = "niet doorsturen en erover praten"
    for text in (secret, kept):
        store.submit(Submission(code, uuid.uuid4().hex, open_question.key, text, uuid.uuid4().hex))
    token = store.new_moderation_token(code)  # as the dashboard's moderation link carries it
    store.close()
    assert any(secret.encode() in p.read_bytes() for p in db_files(mod_app.db))  # probe sees it
    with chromium() as browser:
        page = browser.new_page()  # type: ignore[attr-defined]
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(f"{mod_app.facilitator}/voila/render/moderatie.ipynb?code={code}&token={token}")
        rows = page.locator(".bw-open-answer")
        rows.nth(1).wait_for()
        row = rows.filter(has_text=secret[12:])  # masked: the name part shows as [naam]
        assert row.count() == 1
        row.locator(".bw-delete").click()
        row.locator(".bw-delete", has_text="Echt verwijderen?").click()
        page.wait_for_function("() => document.querySelectorAll('.bw-open-answer').length === 1")
        assert kept in page.inner_text(".bw-open-answer")
        page.close()
    for path in db_files(mod_app.db):
        assert secret[12:].encode() not in path.read_bytes(), path.name
    store = ResponseStore(mod_app.db)
    assert [a.text for a in store.open_answers(code, open_question.key, 1)] == [kept]
    store.close()


@pytest.mark.postgres
def test_postgresql_delete_is_best_effort(postgres: Any) -> None:
    """PostgreSQL: the row is gone for every reader; its bytes may stay on disk (docs/security.md)."""
    url = postgres.create_database(f"d_{uuid.uuid4().hex[:12]}")
    store = ResponseStore(url)
    code = store.create_session(LESSON).code
    secret = "PG-GEHEIM-" + uuid.uuid4().hex
    store.submit(Submission(code, uuid.uuid4().hex, "s/open", secret, uuid.uuid4().hex))
    (ref,) = [a.ref for a in store.open_answers(code, "s/open", 1)]
    assert store.delete_answer(code, ref)
    store.close()
    with psycopg.connect(url, autocommit=True) as conn:
        hits = conn.execute("SELECT COUNT(*) FROM answers WHERE value = %s", (secret,))
        assert hits.fetchone() == (0,)
        conn.execute("CHECKPOINT")  # flush pages, so the files below are up to date
    files = [p for p in postgres.data.rglob("*") if p.is_file() and os.access(p, os.R_OK)]
    found = sorted(
        str(p.relative_to(postgres.data)).split("/")[0]
        for p in files
        if secret.encode() in p.read_bytes()
    )
    print(f"PostgreSQL after delete + VACUUM: secret bytes found in {found or 'no file'}")


V3_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO meta VALUES ('schema_version', '3');
CREATE TABLE sessions (code TEXT PRIMARY KEY, lesson_id TEXT NOT NULL, state TEXT NOT NULL,
    created_on TEXT NOT NULL, pace TEXT NOT NULL DEFAULT 'student', step INTEGER NOT NULL DEFAULT 0);
CREATE TABLE participants (session_code TEXT NOT NULL REFERENCES sessions (code) ON DELETE CASCADE,
    token TEXT NOT NULL, PRIMARY KEY (session_code, token));
CREATE TABLE rounds (session_code TEXT NOT NULL REFERENCES sessions (code) ON DELETE CASCADE,
    question_key TEXT NOT NULL, round INTEGER NOT NULL, PRIMARY KEY (session_code, question_key));
CREATE TABLE answers (session_code TEXT NOT NULL, token TEXT NOT NULL, question_key TEXT NOT NULL,
    round INTEGER NOT NULL, value TEXT NOT NULL, ref TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'new', PRIMARY KEY (session_code, token, question_key, round),
    FOREIGN KEY (session_code, token) REFERENCES participants (session_code, token) ON DELETE CASCADE);
CREATE INDEX answers_by_round ON answers (session_code, round, question_key, value);
CREATE UNIQUE INDEX answers_by_ref ON answers (ref);
CREATE TABLE submissions (id TEXT PRIMARY KEY,
    session_code TEXT NOT NULL REFERENCES sessions (code) ON DELETE CASCADE);
INSERT INTO sessions (code, lesson_id, state, created_on) VALUES ('ACDEFH', 'les', 'open', '2000-01-01');
INSERT INTO sessions (code, lesson_id, state, created_on) VALUES ('HJKMNP', 'les', 'open', '2999-01-01');
"""


def test_version_3_database_loses_its_rowids_and_nothing_else(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    conn = sqlite3.connect(db_path)
    conn.executescript(V3_SCHEMA)
    tokens = sorted_differently(6)
    for n, token in enumerate(tokens):
        code = "ACDEFH" if n % 2 else "HJKMNP"
        conn.execute("INSERT INTO participants VALUES (?, ?)", (code, token))
        conn.execute("INSERT INTO answers VALUES (?, ?, 's/q', 1, 'a', ?, 'new')",
                     (code, token, uuid.uuid4().hex))  # fmt: skip
        conn.execute("INSERT INTO submissions VALUES (?, ?)", (uuid.uuid4().hex, code))
    conn.commit()
    conn.close()
    store = ResponseStore(str(db_path))
    assert store.counts("HJKMNP")[0].count == 3 and store.counts("ACDEFH")[0].count == 3
    conn = sqlite3.connect(db_path)
    try:
        tables = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'"))
        assert set(tables) == set(ALLOWED_COLUMNS)  # no *_v4 left behind
        for table in ("participants", "answers", "submissions"):
            assert tables[table].rstrip().endswith("WITHOUT ROWID"), table
        assert re.search(r'REFERENCES "?participants"? \(', tables["answers"])
        indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
        assert {"answers_by_round", "answers_by_ref"} <= indexes
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()
    assert store.purge(30) == 1  # the foreign keys still cascade
    assert store.counts("ACDEFH") == [] and store.participant_count("ACDEFH") == 0
    assert store.participant_count("HJKMNP") == 3
    store.close()
