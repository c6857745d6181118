"""Every exception Beeldwijs raises on purpose.

    BeeldwijsError
    ├── ContentError          a scenario, lesson or help file is wrong (carries every problem found)
    ├── StoreError            the response store could not do what was asked
    │   └── StoreUnavailable  the database could not be reached or stayed locked (retry later)
    └── SessionError          a session code cannot be used
        ├── UnknownSession    no session has this code
        ├── SessionClosed     the session exists but is closed
        └── WrongLesson       the session belongs to another lesson

Library code raises these; only the user interface edge (widget callbacks, CLI) catches them.
"""

from __future__ import annotations

from dataclasses import dataclass


class BeeldwijsError(Exception):
    """Base class of all Beeldwijs errors."""


@dataclass(frozen=True)
class ContentProblem:
    """One thing wrong in a content file: where (file, key path, YAML line) and what."""

    file: str
    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.path or '/'}: {self.message}"


class ContentError(BeeldwijsError):
    """One or more content files are invalid; ``problems`` lists each with file and key path."""

    def __init__(self, problems: list[ContentProblem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class StoreError(BeeldwijsError):
    """The response store refused or failed an operation."""


class StoreUnavailable(StoreError):
    """The database could not be reached or stayed busy; the caller may retry."""


class SessionError(BeeldwijsError):
    """A session code cannot be used; ``code`` is the normalised code."""

    def __init__(self, code: str, detail: str = "") -> None:
        self.code = code
        super().__init__(f"{type(self).__name__}: {code!r} {detail}".strip())


class UnknownSession(SessionError):
    """No session has this code."""


class SessionClosed(SessionError):
    """The session exists but the mentor closed it."""


class WrongLesson(SessionError):
    """The session belongs to another lesson than the one opened."""

    def __init__(self, code: str, lesson_id: str) -> None:
        self.lesson_id = lesson_id
        super().__init__(code, f"belongs to lesson {lesson_id!r}")
