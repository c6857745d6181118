"""The response store: sessions, anonymous participants, answers and rounds.

What is stored (and nothing else; see docs/privacy.md): a session's code, lesson id, state, the day
and minute it started and was closed, the mentor's class label ("2B"), its mode and what the
dashboard showed, the first names the mentor gave the lesson's fictional characters (chosen
from a fixed list); random participant tokens per session; per participant, question and round the
latest answer; counts the mentor entered (lessons without devices); the ids of submissions already
taken (so a resend is ignored); the current round per question. No names of people, IPs, user
agents, and no clock time of anything a student did.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import json
import secrets
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

from beeldwijs.errors import (
    SessionClosed,
    StoreError,
    StoreUnavailable,
    UnknownSession,
    WrongLesson,
)
from beeldwijs.store.backends import Backend, backend_for, db_target
from beeldwijs.store.schema import (
    INDEXES,
    MIGRATIONS,
    SCHEMA,
    SCHEMA_VERSION,
    SQLITE_MIGRATIONS,
)

SKIP_VALUE = "sla-over"  # beeldwijs.content.model.SKIP; the store does not import content
_SESSION_COLUMNS = (
    "code, lesson_id, state, created_on, pace, step, started, class_label, mode, ended, view, names, "
    "owner, class_size"
)
#: How a class answers: a device per student, one per group of 2–4, or none (the mentor counts).
MODES = ("devices", "groups", "none")
CLASS_LABEL_MAX = 20
CLASS_SIZE_MAX = 500  # a parents' evening or a year group in one session
#: For how long a closed lesson can be opened again from the dashboard ("Ongedaan maken"); the
#: students' devices keep looking at the session that long after they saw the close.
UNDO_MINUTES = 5

#: Session codes avoid look-alikes (0/O, 1/I/L, 2/Z, 5/S, 8/B, 6/G).
CODE_ALPHABET = "ACDEFHJKMNPRTUVWXY3479"
CODE_LENGTH = 6
HANDOVER_LENGTH = 8  # a handover code is longer than a join code: it hands over a whole class


def normalise_code(raw: str) -> str:
    """Upper-case a typed code and drop spaces and dashes."""
    return "".join(ch for ch in raw.upper() if ch.isalnum())


@dataclass(frozen=True)
class Session:
    code: str
    lesson_id: str
    state: str
    created_on: str
    pace: str = "student"  # "student": own tempo; "presenter": the mentor opens questions
    step: int = 0  # presenter pace: index of the last question students may answer
    started: str = ""  # "YYYY-MM-DDTHH:MM", local time (older sessions: midnight of their day)
    class_label: str = ""  # the mentor's label, e.g. "2B" (never a student's name)
    mode: str = "devices"  # one of MODES
    ended: str = ""  # "YYYY-MM-DDTHH:MM" when closed, "" while open
    view: str = ""  # what the dashboard showed (JSON, the dashboard's business)
    names: str = ""  # character names the mentor swapped for this session ("Noah=Daan")
    owner: str = ""  # pseudonym of the mentor who owns it (school server); "" = nobody
    class_size: int = 0  # students in the class, as the mentor set it; 0 = not set

    @property
    def is_open(self) -> bool:
        return self.state == "open"

    @property
    def view_data(self) -> dict[str, object]:
        """``view`` read back: the revealed and explained question keys, the slide ({} if odd)."""
        try:
            data = json.loads(self.view or "{}")
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}

    def explained(self) -> frozenset[str]:
        """Keys of the questions whose expert view the mentor has shown the class."""
        keys = self.view_data.get("explained", [])
        return (
            frozenset(k for k in keys if isinstance(k, str))
            if isinstance(keys, list)
            else frozenset()
        )


def retention_cutoff(older_than_days: int) -> str:
    """The first day kept when sessions older than ``older_than_days`` days are purged."""
    return (dt.date.today() - dt.timedelta(days=older_than_days)).isoformat()


def now_minute() -> str:
    """Local time to the minute: when a lesson started or closed (nothing finer is stored)."""
    return dt.datetime.now().isoformat(timespec="minutes")


def clean_label(raw: str) -> str:
    """A class label as stored: one line, at most CLASS_LABEL_MAX characters."""
    return " ".join(raw.split())[:CLASS_LABEL_MAX]


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Submission:
    """One answer as sent by a student; ``submission_id`` is made when the question is shown."""

    code: str
    token: str
    question_key: str
    value: str
    submission_id: str


@dataclass(frozen=True)
class OpenAnswer:
    """An open text answer as the mentor sees it: a random reference, never the token."""

    ref: str
    question_key: str
    round: int
    text: str
    status: str


@dataclass(frozen=True)
class SessionCount:
    session_code: str
    created_on: str
    question_key: str
    value: str
    count: int


@dataclass(frozen=True)
class Count:
    question_key: str
    round: int
    value: str
    count: int


class ResponseStore:
    """Thread-safe access to one database (SQLite file or PostgreSQL URL)."""

    def __init__(self, target: str | None = None) -> None:
        self.target = db_target(target)
        self.backend: Backend = backend_for(self.target)
        self._lock = threading.RLock()
        self._conn: Any = None
        self._prepared = False
        # Away right now (a page opened during an outage)? Then prepared before the first use,
        # where the caller handles StoreUnavailable (the student sees "probeer het zo opnieuw").
        with contextlib.suppress(StoreUnavailable):
            self._prepare()

    def _prepare(self) -> None:
        """Create or migrate the tables, once; after a failure, again before the next use."""
        self._prepared = True  # _read/_write below must not come back here
        try:
            if self._schema_is_current():
                return  # every student kernel opens a store: no write transaction when not needed
            with self._write() as cur:
                for statement in SCHEMA:
                    cur.execute(self._q(statement))
                self._migrate(cur)
                for statement in INDEXES:
                    cur.execute(statement)
        except BaseException:
            self._prepared = False
            raise

    def _schema_is_current(self) -> bool:
        """True when the database already has this version's tables (read only, no lock)."""
        try:
            with self._read() as cur:
                cur.execute("SELECT value FROM meta WHERE key = 'schema_version'")
                row = cur.fetchone()
        except Exception:  # noqa: BLE001 - no meta table yet (a new database), or unreachable
            self._reset()
            return False
        return row is not None and row[0] == str(SCHEMA_VERSION)

    def _migrate(self, cur: Any) -> None:
        """Bring an older database up to SCHEMA_VERSION; a new one just gets the version."""
        cur.execute("SELECT value FROM meta WHERE key = 'schema_version'")
        row = cur.fetchone()
        version = int(row[0]) if row else SCHEMA_VERSION
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"the database has schema version {version}; this Beeldwijs knows "
                f"{SCHEMA_VERSION}: update Beeldwijs"
            )
        own = SQLITE_MIGRATIONS if self.backend.name == "sqlite" else {}
        for target in range(version + 1, SCHEMA_VERSION + 1):
            for statement in (*MIGRATIONS.get(target, ()), *own.get(target, ())):
                cur.execute(statement)
        if version < 2:  # answers gain a random reference the dashboard may see
            cur.execute("SELECT session_code, token, question_key, round FROM answers")
            for key in cur.fetchall():
                cur.execute(
                    self._q(
                        "UPDATE answers SET ref = ? WHERE session_code = ? AND token = ? "
                        "AND question_key = ? AND round = ?"
                    ),
                    (uuid.uuid4().hex, *key),
                )
        cur.execute(
            self._q(
                "INSERT INTO meta (key, value) VALUES ('schema_version', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
            ),
            (str(SCHEMA_VERSION),),
        )

    # -- plumbing -------------------------------------------------------------------------------
    def _q(self, statement: str) -> str:
        return self.backend.sql(statement)

    def _connection(self) -> Any:
        if self._conn is None:
            self._conn = self.backend.connect()
        return self._conn

    @contextmanager
    def _write(self) -> Iterator[Any]:
        with self._lock:
            if not self._prepared:
                self._prepare()
            try:
                with self.backend.write(self._connection()) as cur:
                    yield cur
            except StoreError:
                self._reset()
                raise

    @contextmanager
    def _read(self) -> Iterator[Any]:
        with self._lock:
            if not self._prepared:
                self._prepare()
            try:
                with self.backend.read(self._connection()) as cur:
                    yield cur
            except StoreError:
                self._reset()
                raise

    def _reset(self) -> None:
        """Drop a connection that failed, so the next call reconnects."""
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):  # closing a broken connection may fail any way
                conn.close()

    def close(self) -> None:
        with self._lock:
            self._reset()

    # -- sessions -------------------------------------------------------------------------------
    def create_session(
        self,
        lesson_id: str,
        pace: str = "student",
        *,
        class_label: str = "",
        mode: str = "devices",
        owner: str = "",
    ) -> Session:
        if mode not in MODES:
            raise StoreError(f"unknown mode {mode!r}")
        started = now_minute()
        today, label = started[:10], clean_label(class_label)
        for _ in range(20):
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            with self._write() as cur:
                cur.execute(
                    self._q(
                        "INSERT INTO sessions (code, lesson_id, state, created_on, pace, "
                        "started, class_label, mode, owner) "
                        "VALUES (?, ?, 'open', ?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO NOTHING"
                    ),
                    (code, lesson_id, today, pace, started, label, mode, owner),
                )
                if cur.rowcount == 1:
                    return Session(
                        code, lesson_id, "open", today, pace, 0, started, label, mode, owner=owner
                    )
        raise StoreError("could not find a free session code")

    def session(self, code: str) -> Session:
        code = normalise_code(code)
        with self._read() as cur:
            cur.execute(
                self._q(f"SELECT {_SESSION_COLUMNS} FROM sessions WHERE code = ?"),
                (code,),
            )
            row = cur.fetchone()
        if row is None:
            raise UnknownSession(code)
        return Session(*row)

    def open_session(self, code: str, lesson_id: str | None = None) -> Session:
        """The session if students may join it (for ``lesson_id`` when given); raises otherwise."""
        found = self.session(code)
        if not found.is_open:
            raise SessionClosed(found.code)
        if lesson_id is not None and found.lesson_id != lesson_id:
            raise WrongLesson(found.code, found.lesson_id)
        return found

    def close_session(self, code: str) -> Session:
        """Close a session and replace every participant token by a new random one, so the
        token a device still holds no longer finds its answers (answers stay grouped per
        participant). On SQLite the write-ahead log, which keeps page images in the order the
        answers came in and the old tokens, is emptied into the database file."""
        found = self.session(code)
        ended = now_minute()
        with self._write() as cur:
            cur.execute(
                self._q("UPDATE sessions SET state = 'closed', ended = ? WHERE code = ?"),
                (ended, found.code),
            )
            self._replace_tokens(cur, found.code)
        with self._lock:
            self.backend.forget_order(self._connection())
        return replace(found, state="closed", ended=ended)

    def reopen_session(self, code: str) -> Session:
        """Undo a close (the dashboard offers it for a few minutes): students may answer again."""
        found = self.session(code)
        with self._write() as cur:
            cur.execute(
                self._q("UPDATE sessions SET state = 'open', ended = '' WHERE code = ?"),
                (found.code,),
            )
        return replace(found, state="open", ended="")

    def save_view(self, code: str, view: str) -> None:
        """Remember what the dashboard shows of a session, so a reload can show it again."""
        with self._write() as cur:
            cur.execute(self._q("UPDATE sessions SET view = ? WHERE code = ?"), (view, code))

    def running_sessions(self) -> list[Session]:
        """Open sessions, the newest start first."""
        query = f"SELECT {_SESSION_COLUMNS} FROM sessions WHERE state = 'open'"
        with self._read() as cur:
            cur.execute(self._q(query + " ORDER BY started DESC, code"))
            return [Session(*row) for row in cur.fetchall()]

    # -- settings of the installation ----------------------------------------------------------
    def remember(self, key: str, value: str) -> None:
        """Note a setting of this installation (not about anyone), e.g. the student server's
        address that `beeldwijs start` uses, for `beeldwijs session new`."""
        with self._write() as cur:
            cur.execute(
                self._q(
                    "INSERT INTO meta (key, value) VALUES (?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
                ),
                (f"setting:{key}", value),
            )

    def recall(self, key: str) -> str:
        """A setting noted with :meth:`remember` ('' when none)."""
        with self._read() as cur:
            cur.execute(self._q("SELECT value FROM meta WHERE key = ?"), (f"setting:{key}",))
            row = cur.fetchone()
        return str(row[0]) if row else ""

    # -- owners (a school server with mentor logins) --------------------------------------------
    def offer_handover(self, code: str) -> str:
        """A one-time code that lets a colleague take ``code`` over; only its hash is stored and
        a newer offer replaces an older one."""
        token = "".join(secrets.choice(CODE_ALPHABET) for _ in range(HANDOVER_LENGTH))
        found = self.session(code)
        with self._write() as cur:
            cur.execute(
                self._q("UPDATE sessions SET handover_hash = ? WHERE code = ?"),
                (_token_hash(token), found.code),
            )
        return token

    def take_handover(self, token: str, owner: str) -> Session:
        """The session offered under ``token`` now belongs to ``owner``; the code is used up."""
        token = normalise_code(token)
        with self._write() as cur:
            cur.execute(
                self._q(
                    "SELECT code FROM sessions WHERE handover_hash = ? AND handover_hash <> ''"
                ),
                (_token_hash(token),),
            )
            row = cur.fetchone()
            if row is None:
                raise UnknownSession(token)
            cur.execute(
                self._q("UPDATE sessions SET owner = ?, handover_hash = '' WHERE code = ?"),
                (owner, row[0]),
            )
        return self.session(row[0])

    # -- devices that opened the session's page ("can my students reach this?") ---------------
    def count_opened(self, code: str, devices: int = 1) -> None:
        """``devices`` more devices opened the page of the open session ``code`` (the student
        server counts each browser once); nothing about a device is stored."""
        with self._write() as cur:
            cur.execute(
                self._q(
                    "UPDATE sessions SET opened = opened + ? WHERE code = ? AND state = 'open'"
                ),
                (int(devices), normalise_code(code)),
            )

    def opened_count(self, code: str) -> int:
        """How many devices opened the page of session ``code``."""
        with self._read() as cur:
            cur.execute(
                self._q("SELECT opened FROM sessions WHERE code = ?"), (normalise_code(code),)
            )
            row = cur.fetchone()
        if row is None:
            raise UnknownSession(normalise_code(code))
        return int(row[0])

    # -- the moderation link --------------------------------------------------------------------
    def new_moderation_token(self, code: str) -> str:
        """A fresh secret for the session's moderation link; any earlier link stops working.
        Only its hash is stored."""
        token = secrets.token_urlsafe(18)
        with self._write() as cur:
            cur.execute(
                self._q("UPDATE sessions SET moderation_hash = ? WHERE code = ?"),
                (_token_hash(token), normalise_code(code)),
            )
        return token

    def moderation_allowed(self, code: str, token: str) -> bool:
        """True when ``token`` is the current moderation secret of the open session ``code``."""
        with self._read() as cur:
            cur.execute(
                self._q("SELECT moderation_hash, state FROM sessions WHERE code = ?"),
                (normalise_code(code),),
            )
            row = cur.fetchone()
        if row is None or not row[0] or row[1] != "open" or not token:
            return False
        return hmac.compare_digest(row[0], _token_hash(token))

    def _replace_tokens(self, cur: Any, code: str) -> None:
        """Each participant of ``code`` gets a fresh token (answers follow; no ON UPDATE
        CASCADE in the schema, so: new participant row, move the answers, drop the old row)."""
        cur.execute(self._q("SELECT token FROM participants WHERE session_code = ?"), (code,))
        for (old,) in cur.fetchall():
            new = secrets.token_hex(16)
            cur.execute(
                self._q("INSERT INTO participants (session_code, token) VALUES (?, ?)"),
                (code, new),
            )
            cur.execute(
                self._q("UPDATE answers SET token = ? WHERE session_code = ? AND token = ?"),
                (new, code, old),
            )
            cur.execute(
                self._q("DELETE FROM participants WHERE session_code = ? AND token = ?"),
                (code, old),
            )

    def set_pace(self, code: str, pace: str, step: int = 0) -> Session:
        """Switch between own tempo and presenter tempo; ``step`` is the last open question."""
        if pace not in ("student", "presenter"):
            raise StoreError(f"unknown pace {pace!r}")
        found = self.session(code)
        with self._write() as cur:
            cur.execute(
                self._q("UPDATE sessions SET pace = ?, step = ? WHERE code = ?"),
                (pace, step, found.code),
            )
        return replace(found, pace=pace, step=step)

    def set_names(self, code: str, names: str) -> Session:
        """Keep the session's name swaps (encoded by beeldwijs.content.names); students follow."""
        found = self.session(code)
        with self._write() as cur:
            cur.execute(
                self._q("UPDATE sessions SET names = ? WHERE code = ?"), (names, found.code)
            )
        return replace(found, names=names)

    def set_class_size(self, code: str, size: int) -> Session:
        """Keep the class size the mentor set (0: not set); the student server reads it."""
        found = self.session(code)
        size = max(0, min(CLASS_SIZE_MAX, int(size)))
        with self._write() as cur:
            cur.execute(
                self._q("UPDATE sessions SET class_size = ? WHERE code = ?"), (size, found.code)
            )
        return replace(found, class_size=size)

    def sessions(self, lesson_id: str | None = None) -> list[Session]:
        query = f"SELECT {_SESSION_COLUMNS} FROM sessions"
        args: tuple[str, ...] = ()
        if lesson_id is not None:
            query, args = query + " WHERE lesson_id = ?", (lesson_id,)
        with self._read() as cur:
            cur.execute(self._q(query + " ORDER BY started, code"), args)
            return [Session(*row) for row in cur.fetchall()]

    # -- participants ---------------------------------------------------------------------------
    def join(self, code: str, token: str) -> bool:
        """Register a participant token in an open session; False if it had joined before."""
        with self._write() as cur:
            self._require_open(cur, code)
            cur.execute(
                self._q(
                    "INSERT INTO participants (session_code, token) VALUES (?, ?) "
                    "ON CONFLICT (session_code, token) DO NOTHING"
                ),
                (code, token),
            )
            return bool(cur.rowcount == 1)

    def participant_count(self, code: str) -> int:
        with self._read() as cur:
            cur.execute(
                self._q("SELECT COUNT(*) FROM participants WHERE session_code = ?"), (code,)
            )
            return int(cur.fetchone()[0])

    def _require_open(self, cur: Any, code: str) -> None:
        cur.execute(self._q("SELECT state FROM sessions WHERE code = ?"), (code,))
        row = cur.fetchone()
        if row is None:
            raise UnknownSession(code)
        if row[0] != "open":
            raise SessionClosed(code)

    # -- rounds ---------------------------------------------------------------------------------
    def current_round(self, code: str, question_key: str) -> int:
        with self._read() as cur:
            return self._round(cur, code, question_key)

    def _round(self, cur: Any, code: str, question_key: str) -> int:
        cur.execute(
            self._q("SELECT round FROM rounds WHERE session_code = ? AND question_key = ?"),
            (code, question_key),
        )
        row = cur.fetchone()
        return int(row[0]) if row else 1

    def current_rounds(self, code: str) -> dict[str, int]:
        """The round of every question that has gone past round 1 (others are in round 1)."""
        with self._read() as cur:
            cur.execute(
                self._q("SELECT question_key, round FROM rounds WHERE session_code = ?"), (code,)
            )
            return {key: int(n) for key, n in cur.fetchall()}

    def open_round(self, code: str, question_key: str) -> int:
        """Start the next round (re-vote) on a question; returns its number."""
        with self._write() as cur:
            self._require_open(cur, code)
            new = self._round(cur, code, question_key) + 1
            cur.execute(
                self._q(
                    "INSERT INTO rounds (session_code, question_key, round) VALUES (?, ?, ?) "
                    "ON CONFLICT (session_code, question_key) DO UPDATE SET round = excluded.round"
                ),
                (code, question_key, new),
            )
            return new

    # -- answers --------------------------------------------------------------------------------
    def submit(self, sub: Submission) -> bool:
        """Store an answer in the question's current round; latest wins.

        Returns False when this ``submission_id`` was taken before (a resend): nothing changes.
        Raises SessionClosed/UnknownSession when the session does not take answers.
        """
        with self._write() as cur:
            self._require_open(cur, sub.code)
            cur.execute(
                self._q(
                    "INSERT INTO submissions (id, session_code) VALUES (?, ?) "
                    "ON CONFLICT (id) DO NOTHING"
                ),
                (sub.submission_id, sub.code),
            )
            if cur.rowcount != 1:
                return False
            cur.execute(
                self._q(
                    "INSERT INTO participants (session_code, token) VALUES (?, ?) "
                    "ON CONFLICT (session_code, token) DO NOTHING"
                ),
                (sub.code, sub.token),
            )
            round_no = self._round(cur, sub.code, sub.question_key)
            cur.execute(
                self._q(
                    "INSERT INTO answers (session_code, token, question_key, round, value, ref) "
                    "VALUES (?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (session_code, token, question_key, round) "
                    "DO UPDATE SET value = excluded.value, status = CASE "
                    "WHEN answers.value = excluded.value THEN answers.status ELSE 'new' END"
                ),
                (sub.code, sub.token, sub.question_key, round_no, sub.value, uuid.uuid4().hex),
            )
            return True

    def answers_of(self, code: str, token: str) -> dict[str, str]:
        """A participant's answers in each question's current round (to resume after a reload)."""
        with self._read() as cur:
            cur.execute(
                self._q(
                    "SELECT a.question_key, a.value FROM answers a "
                    "LEFT JOIN rounds r ON r.session_code = a.session_code "
                    "AND r.question_key = a.question_key "
                    "WHERE a.session_code = ? AND a.token = ? "
                    "AND a.round = COALESCE(r.round, 1)"
                ),
                (code, token),
            )
            return dict(cur.fetchall())

    def counts(self, code: str) -> list[Count]:
        """Answers per question, round and value, counted in the database (never raw rows),
        plus the counts the mentor entered (a lesson without devices)."""
        with self._read() as cur:
            cur.execute(
                self._q(
                    "SELECT question_key, round, value, SUM(n) FROM ("
                    "SELECT question_key, round, value, COUNT(*) AS n FROM answers "
                    "WHERE session_code = ? GROUP BY question_key, round, value "
                    "UNION ALL SELECT question_key, round, value, n FROM tallies "
                    "WHERE session_code = ? AND n > 0"
                    ") c GROUP BY question_key, round, value "
                    "ORDER BY question_key, round, value"
                ),
                (code, code),
            )
            return [Count(k, int(r), v, int(n)) for k, r, v, n in cur.fetchall()]

    def set_tally(self, code: str, question_key: str, counts: dict[str, int]) -> int:
        """The mentor's count of a question in its current round (a show of hands or answer
        cards): replaces what was entered before for that round; returns the round."""
        if any(n < 0 for n in counts.values()):
            raise StoreError("a count cannot be negative")
        with self._write() as cur:
            self._require_open(cur, code)
            round_no = self._round(cur, code, question_key)
            cur.execute(
                self._q(
                    "DELETE FROM tallies WHERE session_code = ? AND question_key = ? AND round = ?"
                ),
                (code, question_key, round_no),
            )
            for value, n in counts.items():
                if n:
                    cur.execute(
                        self._q(
                            "INSERT INTO tallies (session_code, question_key, round, value, n) "
                            "VALUES (?, ?, ?, ?, ?)"
                        ),
                        (code, question_key, round_no, value, int(n)),
                    )
            return round_no

    def lesson_counts(self, lesson_id: str, round_no: int = 1) -> list[SessionCount]:
        """Answers per session, question and value for every session of a lesson (one round),
        with the counts mentors entered (lessons without devices) added."""
        with self._read() as cur:
            cur.execute(
                # count per session first (index answers_by_round, no sort), then add the date
                self._q(
                    "SELECT c.session_code, s.created_on, c.question_key, c.value, c.n FROM ("
                    "SELECT session_code, question_key, value, COUNT(*) AS n FROM answers "
                    "WHERE round = ? AND session_code IN "
                    "(SELECT code FROM sessions WHERE lesson_id = ?) "
                    "GROUP BY session_code, question_key, value "
                    "UNION ALL SELECT session_code, question_key, value, n FROM tallies "
                    "WHERE round = ? AND n > 0 AND session_code IN "
                    "(SELECT code FROM sessions WHERE lesson_id = ?)"
                    ") c JOIN sessions s ON s.code = c.session_code"
                ),
                (round_no, lesson_id, round_no, lesson_id),
            )
            return [SessionCount(c, d, k, v, int(n)) for c, d, k, v, n in cur.fetchall()]

    # -- open answers (mentor only) -------------------------------------------------------------
    def open_answers(self, code: str, question_key: str, round_no: int) -> list[OpenAnswer]:
        """Open text answers of a question and round, in random order (by their random ref)."""
        with self._read() as cur:
            cur.execute(
                self._q(
                    "SELECT ref, question_key, round, value, status FROM answers "
                    "WHERE session_code = ? AND question_key = ? AND round = ? AND value <> ? "
                    "ORDER BY ref"
                ),
                (code, question_key, round_no, SKIP_VALUE),
            )
            return [OpenAnswer(r, k, int(n), v, st) for r, k, n, v, st in cur.fetchall()]

    def moderate(self, code: str, ref: str, status: str) -> None:
        """Approve an open answer for projection, or hide it again."""
        if status not in ("new", "approved", "hidden"):
            raise StoreError(f"unknown moderation status {status!r}")
        with self._write() as cur:
            cur.execute(
                self._q("UPDATE answers SET status = ? WHERE session_code = ? AND ref = ?"),
                (status, code, ref),
            )

    def delete_answer(self, code: str, ref: str) -> bool:
        """Delete one answer for good: its bytes are overwritten and pushed out of the WAL."""
        with self._write() as cur:
            cur.execute(
                self._q("DELETE FROM answers WHERE session_code = ? AND ref = ?"), (code, ref)
            )
            removed = cur.rowcount == 1
        if removed:
            with self._lock:
                self.backend.after_delete(self._connection())
        return removed

    # -- retention ------------------------------------------------------------------------------
    def purge(self, older_than_days: int) -> int:
        """Delete sessions created more than ``older_than_days`` days ago, with all their data."""
        cutoff = retention_cutoff(older_than_days)
        with self._write() as cur:
            cur.execute(self._q("DELETE FROM sessions WHERE created_on < ?"), (cutoff,))
            removed = int(cur.rowcount)
        if removed:
            with self._lock:
                self.backend.after_delete(self._connection())
        return removed
