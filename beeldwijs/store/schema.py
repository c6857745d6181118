"""Tables of the response store, portable between SQLite (3.24+) and PostgreSQL."""

from __future__ import annotations

SCHEMA_VERSION = 3

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS sessions (
        code TEXT PRIMARY KEY,
        lesson_id TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('open', 'closed')),
        created_on TEXT NOT NULL,
        pace TEXT NOT NULL DEFAULT 'student' CHECK (pace IN ('student', 'presenter')),
        step INTEGER NOT NULL DEFAULT 0
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
        ref TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'approved', 'hidden')),
        PRIMARY KEY (session_code, token, question_key, round),
        FOREIGN KEY (session_code, token)
            REFERENCES participants (session_code, token) ON DELETE CASCADE
    )""",
    # counts per session (dashboard) and per lesson and round (cross-class overview) read only
    # this index; round before question_key lets the overview group without sorting (v3)
    """CREATE INDEX IF NOT EXISTS answers_by_round
        ON answers (session_code, round, question_key, value)""",
    """CREATE TABLE IF NOT EXISTS submissions (
        id TEXT PRIMARY KEY,
        session_code TEXT NOT NULL REFERENCES sessions (code) ON DELETE CASCADE
    )""",
)

#: Statements that bring a database of an older schema version up to date, by version reached.
MIGRATIONS: dict[int, tuple[str, ...]] = {
    2: (
        "ALTER TABLE sessions ADD COLUMN pace TEXT NOT NULL DEFAULT 'student'",
        "ALTER TABLE sessions ADD COLUMN step INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE answers ADD COLUMN ref TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE answers ADD COLUMN status TEXT NOT NULL DEFAULT 'new'",
    ),
    3: ("DROP INDEX IF EXISTS answers_by_question",),  # replaced by answers_by_round
}

#: Created after migrations, since they use columns an older database gains only by migrating.
INDEXES = ("CREATE UNIQUE INDEX IF NOT EXISTS answers_by_ref ON answers (ref)",)
