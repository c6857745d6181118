"""Shared fixtures: the real content library, a fresh SQLite store per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from beeldwijs.content import Library
from beeldwijs.store import ResponseStore

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def library() -> Library:
    return Library(ROOT)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "store" / "beeldwijs.sqlite"


@pytest.fixture
def store(db_path: Path) -> ResponseStore:
    s = ResponseStore(str(db_path))
    yield s
    s.close()
