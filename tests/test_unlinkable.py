"""Issue 16: answers stay unlinkable after the lesson, and what is written is for this user only.

Each test reproduces an attack that worked before: the device's token still found its answers
in the database after closing; database and exports were readable by every user (0644 in 0755
folders); masking missed names and numbers split by invisible characters or in full-width
digits; the projector told the class how many answers waited for the next k; a 100,000-character
"answer" came straight back to the browser.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from beeldwijs.content import Library
from beeldwijs.facilitator import Dashboard
from beeldwijs.facilitator.masking import mask_text
from beeldwijs.store import ResponseStore, Submission
from beeldwijs.widgets import bounded

LESSON = "beelden-en-jij"
REPO = Path(__file__).resolve().parents[1]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_closing_a_session_replaces_every_participant_token(
    any_store: ResponseStore, library: Library
) -> None:
    code = any_store.create_session(LESSON).code
    questions = library.lesson(LESSON).questions
    tokens = [uuid.uuid4().hex for _ in range(3)]
    for i, token in enumerate(tokens):
        any_store.join(code, token)
        for q in questions[:2]:
            value = q.option_ids()[i % len(q.option_ids())] if not q.is_open else "tekst"
            any_store.submit(Submission(code, token, q.key, value, uuid.uuid4().hex))
    counts_before = any_store.counts(code)
    assert any_store.answers_of(code, tokens[0])  # the device's key finds its answers

    any_store.close_session(code)

    for token in tokens:
        assert any_store.answers_of(code, token) == {}
    kept = _tokens(any_store, "SELECT token FROM participants WHERE session_code = ?", code)
    in_answers = _tokens(
        any_store, "SELECT DISTINCT token FROM answers WHERE session_code = ?", code
    )
    assert len(kept) == 3 and not kept & set(tokens)
    assert in_answers == kept  # still one participant per device, under a new name
    assert any_store.counts(code) == counts_before
    assert any_store.participant_count(code) == 3
    if any_store.backend.name == "sqlite":
        path = Path(any_store.target)
        for file in path.parent.iterdir():
            data = file.read_bytes()
            assert not any(t.encode() in data for t in tokens), file.name


def _tokens(store: ResponseStore, query: str, code: str) -> set[str]:
    """What a copy of the database holds, read directly."""
    with store._read() as cur:
        cur.execute(store._q(query), (code,))
        return {row[0] for row in cur.fetchall()}


def test_database_file_and_folder_are_private(tmp_path: Path) -> None:
    before = os.umask(0o022)  # the usual umask: new files 0644 in 0755 folders
    try:
        store = ResponseStore(str(tmp_path / "data" / "beeldwijs.sqlite"))
        store.create_session(LESSON)
        modes = {f.name: _mode(f) for f in (tmp_path / "data").iterdir()}
        store.close()
    finally:
        os.umask(before)
    assert _mode(tmp_path / "data") == 0o700
    assert set(modes) >= {"beeldwijs.sqlite", "beeldwijs.sqlite-wal"}
    assert {name: oct(m) for name, m in modes.items() if m != 0o600} == {}


def test_an_existing_readable_database_is_made_private(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    ResponseStore(str(path)).close()
    path.chmod(0o644)
    ResponseStore(str(path)).close()
    assert _mode(path) == 0o600


def test_what_beeldwijs_writes_is_for_this_user_only(tmp_path: Path) -> None:
    """The command sets the umask its servers and kernels inherit: an export it writes (here
    the parent letter, Markdown and PDF) is 0600 in a 0700 folder."""
    out = tmp_path / "brief"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-m", "beeldwijs", "letter", "--school", "De School",
         "--dates", "2 t/m 20 september", "--out", str(out)],
        env=env, capture_output=True, text=True, timeout=300,
        preexec_fn=lambda: os.umask(0o022),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert _mode(out) == 0o700
    written = list(out.iterdir())
    assert written and all(_mode(f) == 0o600 for f in written), [oct(_mode(f)) for f in written]


@pytest.mark.parametrize(
    ("typed", "hidden"),
    [
        ("bel me: 06\u200b123\u200b45678", "12345678"),  # zero-width spaces in a number
        ("bel me: ０６１２３４５６７８", "１２３４５６７８"),  # full-width digits
        ("ik ben E\u200bmma uit 2b", "mma"),  # a name split by a zero-width space
        ("bel 06\u202a12345678\u202c", "12345678"),  # bidi controls inside a number
        ("dm @\u2060lisa_x", "lisa_x"),  # word joiner after the @
    ],
)
def test_masking_sees_through_invisible_and_full_width_characters(typed: str, hidden: str) -> None:
    masked = mask_text(typed)
    assert hidden not in masked and "[" in masked, masked


def test_projector_shows_no_count_of_answers_waiting_for_k(
    library: Library, store: ResponseStore
) -> None:
    """Fake participants: a line "1 nieuwe antwoorden komen in beeld zodra het er 5 zijn"
    told the class that the one answer after the fakes was a real student's."""
    dash = Dashboard(library, store, k=5, poll_seconds=None)
    code = dash.start_session(LESSON).code
    question = library.lesson(LESSON).questions[0]
    first = question.option_ids()[0]
    for i in range(5):
        store.submit(Submission(code, f"{i:032x}", question.key, first, uuid.uuid4().hex))
    panel = dash.panels[question.key]
    panel.reveal_button.click()
    dash.refresh()
    store.submit(Submission(code, f"{9:032x}", question.key, first, uuid.uuid4().hex))
    dash.refresh()
    assert "5 antwoorden" in panel.status.value
    assert "nieuwe antwoorden" not in panel.status.value
    assert "komen in beeld" not in panel.status.value


def test_a_huge_value_is_cut_before_it_is_echoed(monkeypatch: pytest.MonkeyPatch) -> None:
    field = bounded.Textarea()
    echoed: list[dict[str, object]] = []
    monkeypatch.setattr(field, "_send", lambda msg, buffers=None: echoed.append(msg))
    field.set_state({"value": "x" * 100_000})
    assert len(field.value) == bounded.TEXT_LIMIT
    assert echoed and all(len(str(m)) < 2 * bounded.TEXT_LIMIT for m in echoed)


def test_more_participants_than_the_class_has_are_flagged(
    library: Library, store: ResponseStore
) -> None:
    """Fake participants: one student joining four more times (a fresh token each time) counted
    as five students, so k = 5 no longer hid the one real answer. The mentor sets the class size;
    more participants than that are flagged on the dashboard."""
    dash = Dashboard(library, store, k=5, poll_seconds=None)
    code = dash.start_session(LESSON).code
    dash.class_size.field.value = 3
    for i in range(3):
        store.join(code, f"{i:032x}")
    dash.refresh()
    flag = dash.class_size.line  # on the mentor's side of the dashboard
    assert "3 deelnemers" in flag.value and "bw-too-many" not in flag.value
    for i in range(4):  # one student's four fake participants
        store.join(code, f"{100 + i:032x}")
    dash.refresh()
    assert "7 deelnemers" in flag.value
    assert "bw-too-many" in flag.value and "3 leerlingen" in flag.value
    assert store.session(code).class_size == 3  # kept: the student server's quota reads it
    again = Dashboard(library, store, k=5, poll_seconds=None, code=code)  # the mentor reloads
    assert again.class_size.field.value == 3
    dash.class_size.field.value = 0  # not set: nothing to compare with
    assert "bw-too-many" not in flag.value and store.session(code).class_size == 0
