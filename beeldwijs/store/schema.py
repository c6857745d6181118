"""Tables of the response store, portable between SQLite (3.26+) and PostgreSQL.

Tables that hold per-student rows are ``WITHOUT ROWID`` on SQLite (v4): a rowid table numbers
rows in arrival order, so the order in which students answered could be read back. Without a
rowid, rows are kept in the order of their primary key, whose random participant token says
nothing about time. PostgreSQL has no rowid (the backend drops the clause); its physical order
and ``xmin`` remain visible to a database administrator (docs/security.md).
"""

from __future__ import annotations

SCHEMA_VERSION = 9

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
        step INTEGER NOT NULL DEFAULT 0,
        started TEXT NOT NULL DEFAULT '',
        class_label TEXT NOT NULL DEFAULT '',
        mode TEXT NOT NULL DEFAULT 'devices',
        ended TEXT NOT NULL DEFAULT '',
        view TEXT NOT NULL DEFAULT '',
        moderation_hash TEXT NOT NULL DEFAULT '',
        names TEXT NOT NULL DEFAULT '',
        owner TEXT NOT NULL DEFAULT '',
        handover_hash TEXT NOT NULL DEFAULT '',
        opened INTEGER NOT NULL DEFAULT 0,
        class_size INTEGER NOT NULL DEFAULT 0
    )""",
    """CREATE TABLE IF NOT EXISTS participants (
        session_code TEXT NOT NULL REFERENCES sessions (code) ON DELETE CASCADE,
        token TEXT NOT NULL,
        PRIMARY KEY (session_code, token)
    ) WITHOUT ROWID""",
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
    ) WITHOUT ROWID""",
    # counts per session (dashboard) and per lesson and round (cross-class overview) read only
    # this index; round before question_key lets the overview group without sorting (v3)
    """CREATE INDEX IF NOT EXISTS answers_by_round
        ON answers (session_code, round, question_key, value)""",
    # counts the mentor entered for a lesson without a device per student (v5): a show of hands
    # or answer cards, one row per question, round and value; never a participant
    """CREATE TABLE IF NOT EXISTS tallies (
        session_code TEXT NOT NULL REFERENCES sessions (code) ON DELETE CASCADE,
        question_key TEXT NOT NULL,
        round INTEGER NOT NULL,
        value TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (session_code, question_key, round, value)
    )""",
    """CREATE TABLE IF NOT EXISTS submissions (
        id TEXT PRIMARY KEY,
        session_code TEXT NOT NULL REFERENCES sessions (code) ON DELETE CASCADE
    ) WITHOUT ROWID""",
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
    # v5 (the mentor at the front of the class): when the lesson started (to the minute) and the
    # class label the mentor gave it, the lesson mode, when it was closed (undo for a few
    # minutes), what the dashboard showed (reopened after a reload), the moderation link's hash;
    # the tallies table comes from SCHEMA
    5: (
        "ALTER TABLE sessions ADD COLUMN started TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE sessions ADD COLUMN class_label TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE sessions ADD COLUMN mode TEXT NOT NULL DEFAULT 'devices'",
        "ALTER TABLE sessions ADD COLUMN ended TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE sessions ADD COLUMN view TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE sessions ADD COLUMN moderation_hash TEXT NOT NULL DEFAULT ''",
        "UPDATE sessions SET started = created_on || 'T00:00' WHERE started = ''",
    ),
    # v6: the mentor's name swaps for the session ("Noah=Daan;Sem=Rayan", content/names.py)
    6: ("ALTER TABLE sessions ADD COLUMN names TEXT NOT NULL DEFAULT ''",),
    # v7 (a school server with mentor logins): the pseudonym of the mentor who owns the session
    # ('' = nobody: laptop mode and older sessions) and the hash of a pending handover code
    7: (
        "ALTER TABLE sessions ADD COLUMN owner TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE sessions ADD COLUMN handover_hash TEXT NOT NULL DEFAULT ''",
    ),
    # v8 ("can my students reach this?"): how many devices opened the session's page, a count
    # only (a device is told apart by a cookie in its own browser, nothing per device is stored)
    8: ("ALTER TABLE sessions ADD COLUMN opened INTEGER NOT NULL DEFAULT 0",),
    # v9 (issue 16): the class size the mentor set (0 = not set): the dashboard flags more
    # participants than that, and the student server lets the session hold that many kernels
    # plus a margin
    9: ("ALTER TABLE sessions ADD COLUMN class_size INTEGER NOT NULL DEFAULT 0",),
}

#: SQLite only, by version reached: v4 rebuilds the per-student tables WITHOUT ROWID. The new
#: answers table first refers to the new participants table, so dropping the old ones cascades
#: nowhere; renaming participants_v4 updates that reference (SQLite 3.26+).
SQLITE_MIGRATIONS: dict[int, tuple[str, ...]] = {
    4: (
        """CREATE TABLE participants_v4 (
            session_code TEXT NOT NULL REFERENCES sessions (code) ON DELETE CASCADE,
            token TEXT NOT NULL,
            PRIMARY KEY (session_code, token)
        ) WITHOUT ROWID""",
        "INSERT INTO participants_v4 (session_code, token) "
        "SELECT session_code, token FROM participants",
        """CREATE TABLE answers_v4 (
            session_code TEXT NOT NULL,
            token TEXT NOT NULL,
            question_key TEXT NOT NULL,
            round INTEGER NOT NULL,
            value TEXT NOT NULL,
            ref TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'approved', 'hidden')),
            PRIMARY KEY (session_code, token, question_key, round),
            FOREIGN KEY (session_code, token)
                REFERENCES participants_v4 (session_code, token) ON DELETE CASCADE
        ) WITHOUT ROWID""",
        "INSERT INTO answers_v4 (session_code, token, question_key, round, value, ref, status) "
        "SELECT session_code, token, question_key, round, value, ref, status FROM answers",
        """CREATE TABLE submissions_v4 (
            id TEXT PRIMARY KEY,
            session_code TEXT NOT NULL REFERENCES sessions (code) ON DELETE CASCADE
        ) WITHOUT ROWID""",
        "INSERT INTO submissions_v4 (id, session_code) SELECT id, session_code FROM submissions",
        "DROP TABLE answers",
        "DROP TABLE participants",
        "DROP TABLE submissions",
        "ALTER TABLE participants_v4 RENAME TO participants",
        "ALTER TABLE answers_v4 RENAME TO answers",
        "ALTER TABLE submissions_v4 RENAME TO submissions",
        """CREATE INDEX IF NOT EXISTS answers_by_round
            ON answers (session_code, round, question_key, value)""",
    ),
}

#: Created after migrations, since they use columns an older database gains only by migrating.
INDEXES = ("CREATE UNIQUE INDEX IF NOT EXISTS answers_by_ref ON answers (ref)",)
