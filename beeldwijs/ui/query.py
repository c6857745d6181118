"""The page request a Voilà kernel serves: its query string and the session code in it."""

from __future__ import annotations

import os
from urllib.parse import parse_qs

from beeldwijs.store import normalise_code


def code_from_query(query_string: str) -> str:
    """The session code in a join URL's query string ('' when absent)."""
    values = parse_qs(query_string).get("code", [""])
    return normalise_code(values[0])[:12]


def request_query_string() -> str:
    """The page request's query string, as Voilà hands it to the kernel.

    With preheated kernels the kernel started before the request: wait for it first
    (and never read it another way: a refilled kernel may carry the previous visitor's).
    """
    if os.environ.get("VOILA_PREHEAT") == "True":
        from voila.utils import wait_for_request

        wait_for_request()
    return os.environ.get("QUERY_STRING", "")
