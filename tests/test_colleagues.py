"""Handover and retention as buttons, and the CLI seen through the mentor (issue 15.3).

The widgets run against a real store with the mentor's view set the way the school server sets
it (the kernel's environment). B's forged attempts on A's session: a guessed or used code, a
click on a button B does not have, ``beeldwijs results``/``session close``/``purge`` from B's
kernel. The browser proof with real logins is in tests/test_oidc.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from beeldwijs.content import Library
from beeldwijs.facilitator import Dashboard
from beeldwijs.facilitator.colleagues import HandoverOffer, HandoverTake, RetentionPanel
from beeldwijs.facilitator.overview import Overview
from beeldwijs.store import ResponseStore
from tests.shared import widget_tree
from tests.test_access import ADMIN, CLASS, A, B, answered, view

REPO = Path(__file__).resolve().parents[1]


def as_mentor(monkeypatch: pytest.MonkeyPatch, subject: str, role: str = "mentor") -> None:
    monkeypatch.setenv("HTTP_X_BEELDWIJS_MENTOR", subject)
    monkeypatch.setenv("HTTP_X_BEELDWIJS_ROLE", role)


def find(widget: object, kind: type) -> list:
    return [w for w in widget_tree(widget) if isinstance(w, kind)]


def test_handover_through_the_dashboards(
    store: ResponseStore, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    as_mentor(monkeypatch, A)
    anna = Dashboard(library, store, poll_seconds=None)
    assert find(anna, HandoverTake)  # the first screen offers taking a colleague's lesson
    session = anna.start_session(CLASS)
    answered(store, session.code)
    [offer] = find(anna, HandoverOffer)
    offer.button.click()
    token = offer.shown.value.split('bw-handover-token">')[1].split("<")[0]
    assert len(token) == 8 and token not in str(store.session(session.code))

    as_mentor(monkeypatch, B)
    bart = Dashboard(library, store, poll_seconds=None)
    [take] = find(bart, HandoverTake)
    for forged in ("", "AAAAAAAA", session.code, token[:-1]):  # empty, guessed, the join code
        take.field.value = forged
        take.button.click()
        assert bart.session is None and store.session(session.code).owner == A
        assert "klopt niet" in take.status.value or "Vul eerst" in take.status.value
    take.field.value = f"  {token.lower()} "
    take.button.click()
    assert bart.session is not None and bart.session.code == session.code
    assert store.session(session.code).owner == B

    anna.refresh()  # Anna's open dashboard learns at its next refresh
    assert anna.session is None and "nu van je collega" in anna.status.value
    as_mentor(monkeypatch, A)
    assert session.code not in str(
        [s.code for s in Dashboard(library, store, poll_seconds=None).store.sessions()]
    )
    take_again = find(Dashboard(library, store, poll_seconds=None), HandoverTake)[0]
    take_again.field.value = token  # used up: Anna cannot take it back with the old code
    take_again.button.click()
    assert store.session(session.code).owner == B


def test_laptop_mode_has_no_handover(
    store: ResponseStore, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HTTP_X_BEELDWIJS_MENTOR", raising=False)
    dash = Dashboard(library, store, poll_seconds=None)
    assert not find(dash, HandoverTake)
    dash.start_session(CLASS)
    assert not find(dash, HandoverOffer)
    assert not find(Overview(library, store), RetentionPanel)


def test_retention_and_purge_only_for_the_admin(
    store: ResponseStore, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = view(store, A).create_session(CLASS)
    new = view(store, A).create_session(CLASS)
    with store._write() as cur:
        cur.execute(store._q("UPDATE sessions SET created_on = '2020-01-01' WHERE code = ?"),
                    (old.code,))  # fmt: skip
    for role in ("mentor", "coordinator"):
        as_mentor(monkeypatch, A, role)
        assert not find(Overview(library, store), RetentionPanel)
    as_mentor(monkeypatch, ADMIN, "admin")
    [panel] = find(Overview(library, store), RetentionPanel)
    assert "Bewaartermijn: 30 dagen. Lessen die ouder zijn: 1." in panel.summary.value
    panel.purge_button.button.click()  # asks first
    assert {s.code for s in store.sessions()} == {old.code, new.code}
    panel.purge_button.yes.click()
    assert [s.code for s in store.sessions()] == [new.code]
    assert "1 les verwijderd." in panel.status.value and "ouder zijn: 0" in panel.summary.value


def cli(db: str, *args: str, mentor: str = "", role: str = "mentor") -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HTTP_X_BEELDWIJS")}
    if mentor:
        env |= {"HTTP_X_BEELDWIJS_MENTOR": mentor, "HTTP_X_BEELDWIJS_ROLE": role}
    env["PYTHONPATH"] = str(REPO)
    return subprocess.run(
        [sys.executable, "-m", "beeldwijs", *args, "--db", db],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_cli_from_a_mentors_kernel_sees_only_their_sessions(store: ResponseStore) -> None:
    session = view(store, A).create_session(CLASS)
    answered(store, session.code)
    db = store.target
    mine = cli(db, "results", session.code, mentor=A)
    assert mine.returncode == 0 and json.loads(mine.stdout)["session"] == session.code
    for argv in (("results", session.code), ("session", "close", session.code)):
        forged = cli(db, *argv, mentor=B)
        assert forged.returncode == 1 and forged.stdout == ""
        assert "UnknownSession" in forged.stderr  # as for a code that does not exist
    refused = cli(db, "purge", "--days", "0", mentor=B)
    assert refused.returncode == 1 and store.session(session.code).is_open
    assert cli(db, "results", session.code).returncode == 0  # the ICT provider's shell
