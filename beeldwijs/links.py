"""Join links: the URL a student opens (or scans) to land in a session's lesson."""

from __future__ import annotations

from urllib.parse import quote

from beeldwijs import settings


def student_base_url() -> str:
    """The student server's address, as ``beeldwijs start`` tells its kernels."""
    url = settings.value("student_url") or f"http://127.0.0.1:{settings.default('student_port')}"
    return str(url).rstrip("/")


def join_url(lesson_id: str, code: str, base: str | None = None) -> str:
    """The join page with the code: it finds the lesson itself, so one warm pool serves all.

    ``lesson_id`` is not part of the link (a shorter link to type); see :func:`lesson_url`.
    """
    del lesson_id
    root = (base or student_base_url()).rstrip("/")
    return f"{root}/voila/render/join.ipynb?code={quote(code)}"


def lesson_url(lesson_id: str, code: str, base: str | None = None) -> str:
    """The lesson's own page (no warm pool: every lesson notebook starts a fresh kernel)."""
    root = (base or student_base_url()).rstrip("/")
    return f"{root}/voila/render/{quote(lesson_id)}.ipynb?code={quote(code)}"
