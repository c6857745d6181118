"""Callbacks that never let an exception reach the student (Voilà would show a traceback).

Every widget callback goes through ``guarded``: it disables the triggering button while running,
logs the detail for the operator, shows one friendly Dutch line in the widget's status area and
re-enables the button in ``finally`` (the shape of ipywidgets' ``interactive.update``).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from html import escape
from typing import Any

import ipywidgets as w

from beeldwijs.texts import t

log = logging.getLogger("beeldwijs")


def show_status(status: w.HTML, text: str, css: str = "bw-error") -> None:
    status.value = f'<p class="{css}" role="status">{escape(text)}</p>' if text else ""


def guarded(
    status: w.HTML, *, button: w.Button | None = None
) -> Callable[[Callable[..., Any]], Callable[..., None]]:
    def decorate(func: Callable[..., Any]) -> Callable[..., None]:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> None:
            if button is not None:
                if button.disabled:  # a forged click on a disabled button does nothing
                    return
                button.disabled = True
            try:
                func(*args, **kwargs)
            except Exception:  # noqa: BLE001 - the UI edge: log it, tell the student kindly
                log.exception("callback %s failed", func.__qualname__)
                show_status(status, t("error.generic"))
            finally:
                if button is not None:
                    button.disabled = False

        return wrapper

    return decorate
