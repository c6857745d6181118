"""Tables of the response store, portable between SQLite (3.24+) and PostgreSQL."""

from __future__ import annotations

SCHEMA_VERSION = 1

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS sessions (
        code TEXT PRIMARY KEY,
        lesson_id TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('open', 'closed')),
        created_on TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS participants (
        session_code TEXT NOT NULL REFERENCES sessions (code) ON DELETE CASCADE,
        token TEXT NOT NULL,
        PRIMARY KEY (session_code, token)
    )""",
    """CREATE TABLE IF NOT EXISTS rounds (
        session_code TEXT NOT NULL REFERENCES sessions (code) ON DELETE CASCADE,
        question_key TEXT NOT NULL,
        round INTEGER NOT NULL,
        PRIMARY KEY (session_code, question_key)
    )""",
    """CREATE TABLE IF NOT EXISTS answers (
        session_code TEXT NOT NULL,
        token TEXT NOT NULL,
        question_key TEXT NOT NULL,
        round INTEGER NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (session_code, token, question_key, round),
        FOREIGN KEY (session_code, token)
            REFERENCES participants (session_code, token) ON DELETE CASCADE
    )""",
    """CREATE INDEX IF NOT EXISTS answers_by_question
        ON answers (session_code, question_key, round, value)""",
    """CREATE TABLE IF NOT EXISTS submissions (
        id TEXT PRIMARY KEY,
        session_code TEXT NOT NULL REFERENCES sessions (code) ON DELETE CASCADE
    )""",
)
