"""Callbacks that never let an exception reach the student (Voilà would show a traceback).

Every widget callback goes through ``guarded``: it ignores a click on a disabled button, logs the
detail for the operator and shows one friendly Dutch line in the widget's status area. By default
it also disables the triggering button while running and re-enables it in ``finally`` (the shape
of ipywidgets' ``interactive.update``); the student's own buttons skip that (``hold=False``).

In a kernel, ipykernel sends whatever is written to ``sys.stderr`` to the browser as a ``stream``
message: a log line, and with ``log.exception`` a whole traceback, would travel over the student's
websocket (the page does not show it, but any script on the socket reads it). So on import,
inside a kernel, :func:`keep_logs_off_the_page` sends log records and warnings to the kernel
process's own stderr instead: the terminal of the server that started it.
"""

from __future__ import annotations

import functools
import io
import logging
import os
import sys
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from beeldwijs.texts import t
from beeldwijs.ui.html import html

log = logging.getLogger("beeldwijs")


class _ServerLogHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to the kernel process's real stderr (marker class: installed once)."""


def _process_stderr() -> io.TextIOBase | None:
    """The kernel process's own stderr, or None outside an ipykernel kernel.

    ipykernel replaces ``sys.stderr`` with an ``OutStream`` that forwards to the browser, and
    redirects file descriptor 2 into a pipe that it forwards too; ``OutStream.fileno()`` gives
    the copy it kept of the original descriptor (ipykernel routes its own log there the same way).
    """
    stream = sys.stderr
    if type(stream).__module__ != "ipykernel.iostream":
        return None
    try:
        fd = stream.fileno()
    except (OSError, ValueError):  # io.UnsupportedOperation: fd capture is off, fd 2 is real
        return sys.__stderr__  # type: ignore[return-value]
    return io.TextIOWrapper(
        io.FileIO(os.dup(fd), "w"), encoding="utf-8", errors="replace", write_through=True
    )


def keep_logs_off_the_page() -> bool:
    """Inside a kernel: log records and warnings go to the server's terminal, never the page.

    Returns True when the handler is (already) installed, False outside a kernel.
    """
    root = logging.getLogger()
    if any(isinstance(h, _ServerLogHandler) for h in root.handlers):
        return True
    stream = _process_stderr()
    if stream is None:
        return False
    handler = _ServerLogHandler(stream)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("[%(levelname)s %(name)s] %(message)s"))
    root.addHandler(handler)  # "beeldwijs", "Comm" (ipykernel's comm errors) and the rest
    logging.captureWarnings(True)  # warnings.warn would print to sys.stderr too
    return True


keep_logs_off_the_page()


def show_status(status: w.HTML, text: str, css: str = "bw-error") -> None:
    status.value = html('<p class="{}" role="status">{}</p>', css, text) if text else ""


def guarded(
    status: w.HTML, *, button: w.Button | None = None, hold: bool = True
) -> Callable[[Callable[..., Any]], Callable[..., None]]:
    """``button``: a click while it is disabled does nothing (the browser can send one anyway).
    ``hold``: disable ``button`` while the callback runs. The student's send and next buttons
    do without (two widget messages per click; the callback itself ignores a second click)."""

    def decorate(func: Callable[..., Any]) -> Callable[..., None]:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> None:
            holding = button is not None and hold
            if button is not None:
                if button.disabled:  # a forged click on a disabled button does nothing
                    return
                if holding:
                    button.disabled = True
            try:
                func(*args, **kwargs)
            except Exception:  # the UI edge: log it, tell the student kindly
                log.exception("callback %s failed", func.__qualname__)
                show_status(status, t("error.generic"))
            finally:
                if holding:
                    button.disabled = False  # type: ignore[union-attr]

        return wrapper

    return decorate
