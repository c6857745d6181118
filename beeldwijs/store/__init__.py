"""The response store shared by student kernels (writers) and the dashboard (reader)."""

from beeldwijs.store.backends import db_target, default_db_path
from beeldwijs.store.store import (
    CLASS_SIZE_MAX,
    CODE_ALPHABET,
    UNDO_MINUTES,
    Count,
    OpenAnswer,
    ResponseStore,
    Session,
    SessionCount,
    Submission,
    normalise_code,
    retention_cutoff,
)

__all__ = [
    "CLASS_SIZE_MAX",
    "CODE_ALPHABET",
    "UNDO_MINUTES",
    "Count",
    "OpenAnswer",
    "ResponseStore",
    "Session",
    "SessionCount",
    "Submission",
    "db_target",
    "default_db_path",
    "normalise_code",
    "retention_cutoff",
]
