"""Shared fixtures: the real content library, a fresh SQLite store per test; the test tiers.

Tiers (docs/testing.md): every test gets the markers of what it starts (``server``: a Voilà
server, a kernel, nginx, a ``beeldwijs`` command or store writers; ``browser``; ``postgres``;
``container``),
from the fixtures it uses or from a marker it carries; a test with none of them is ``unit``, and a
``unit`` test that starts such a process fails (``make test-quick`` runs the unit tier).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import ipywidgets
import pytest

from beeldwijs.content import Library
from beeldwijs.store import ResponseStore
from tests.e2e_support import chromium
from tests.pgserver import PostgresServer

ROOT = Path(__file__).resolve().parents[1]

# `beeldwijs start` keeps 30 warm kernels for a class by default; the tests' servers (started as
# subprocesses, which inherit this) need only a few, on a 2-core machine shared with other runs.
os.environ.setdefault("BEELDWIJS_POOL_SIZE", "2")
# Their classes also come from one address (127.0.0.1): no limits per client address there;
# the tests of those limits (tests/test_admission.py) turn them on for their own servers.
os.environ.setdefault("BEELDWIJS_JOINS_PER_MINUTE", "0")
# Nothing a test runs may fall back to the user's own data folder (the default database lives
# there): one folder per test run, so runs never share or upgrade each other's database.
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="beeldwijs-test-data-")


#: Fixtures that start a server, a browser or PostgreSQL, by the tier they put a test in.
TIER_FIXTURES = {
    "server": {"app", "mod_app", "pg_app", "lan_app", "shared_run", "make_run", "student_server"},
    "browser": {"browser"},
    "postgres": {"postgres"},
}
SLOW_TIERS = ("server", "browser", "postgres", "container")
#: What a unit test may not start (looked for in the command line of every process it starts).
SERVER_COMMANDS = ("voila", "beeldwijs.serve", "beeldwijs start", "ipykernel_launcher", "nginx", "initdb", "pg_ctl",
                   "postgres", "chromium", "podman", "WebKitWebDriver")  # fmt: skip


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        for tier, names in TIER_FIXTURES.items():
            if fixtures & names:
                item.add_marker(tier)
        if item.get_closest_marker("browser"):
            item.add_marker("server")  # every browser test has a server to browse
        if not any(item.get_closest_marker(tier) for tier in SLOW_TIERS):
            item.add_marker("unit")


class _UnitTestStartedAServer(RuntimeError):
    pass


@pytest.fixture(autouse=True)
def _unit_tests_start_no_server(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A ``unit`` test that starts a server, kernel or browser is mis-tiered: it fails, naming it."""
    if request.node.get_closest_marker("unit") is None:
        return

    class UnitPopen(subprocess.Popen):  # type: ignore[type-arg]
        def __init__(self, args: object, *rest: object, **options: object) -> None:
            line = " ".join(map(str, args)) if isinstance(args, list | tuple) else str(args)
            started = [c for c in SERVER_COMMANDS if c in line]
            if started:
                raise _UnitTestStartedAServer(
                    f"a unit test started {started[0]} ({line[:120]}): mark it server (tests/conftest.py)"
                )
            super().__init__(args, *rest, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(subprocess, "Popen", UnitPopen)


@pytest.fixture(autouse=True)
def _umask_restored() -> Iterator[None]:
    """A test that runs the command in this process (``beeldwijs.cli.main``) leaves its umask 077
    behind; the next test gets the umask the run started with again."""
    before = os.umask(0o022)
    os.umask(before)
    yield
    os.umask(before)


@pytest.fixture(scope="session")
def library() -> Library:
    return Library(ROOT)


@pytest.fixture
def widget_updates(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """(widget class, trait) of every widget update sent from now on, in order: each is one
    message the server relays to the student's browser."""
    sent: list[tuple[str, str]] = []
    original = ipywidgets.Widget.send_state

    def recording(widget: ipywidgets.Widget, key: object = None) -> None:
        names = [key] if isinstance(key, str) else list(key or ["(all)"])
        sent.extend((type(widget).__name__, str(name)) for name in names)
        original(widget, key)

    monkeypatch.setattr(ipywidgets.Widget, "send_state", recording)
    return sent


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "store" / "beeldwijs.sqlite"


@pytest.fixture
def store(db_path: Path) -> Iterator[ResponseStore]:
    s = ResponseStore(str(db_path))
    yield s
    s.close()


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    server = PostgresServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_store(request: pytest.FixtureRequest, db_path: Path) -> Iterator[ResponseStore]:
    """The same store tests on a real SQLite file and on a real PostgreSQL server."""
    if request.param == "sqlite":
        target = str(db_path)
    else:
        server = request.getfixturevalue("postgres")
        target = server.create_database(f"t_{uuid.uuid4().hex[:12]}")
    s = ResponseStore(target)
    yield s
    s.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's Chromium, one per browser-test module (tests/e2e_support.py)."""
    with chromium() as b:
        yield b
