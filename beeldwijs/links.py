"""Join links: the URL a student opens (or scans) to land in a session's lesson."""

from __future__ import annotations

import os
from urllib.parse import quote

DEFAULT_STUDENT_URL = "http://127.0.0.1:8866"


def student_base_url() -> str:
    """The student server's address, as ``beeldwijs start`` tells its kernels."""
    return os.environ.get("BEELDWIJS_STUDENT_URL", DEFAULT_STUDENT_URL).rstrip("/")


def join_url(lesson_id: str, code: str, base: str | None = None) -> str:
    root = (base or student_base_url()).rstrip("/")
    return f"{root}/voila/render/{quote(lesson_id)}.ipynb?code={quote(code)}"
