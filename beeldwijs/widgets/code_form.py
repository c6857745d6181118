"""The "type your code" form, shown when a join link has no usable session code."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

import ipywidgets as w

from beeldwijs.texts import t
from beeldwijs.ui import lean
from beeldwijs.ui.safe import guarded
from beeldwijs.widgets import bounded


def code_form(message: str, on_code: Callable[[str], None]) -> list[w.Widget]:
    """Heading, the Dutch message, a code field and its button; ``on_code`` gets the typed code."""
    field = bounded.Text(
        placeholder="ABC123", description=t("join.code_label"), _dom_classes=("bw-code-input",)
    )
    button = lean.Button(
        description=t("join.button"), button_style="primary", _dom_classes=("bw-join",)
    )
    status = lean.HTML()
    button.on_click(guarded(status, button=button)(lambda _: on_code(field.value)))
    return [
        lean.HTML(f"<h2>{escape(t('join.heading'))}</h2>"),
        lean.HTML(f'<p class="bw-error bw-join-message">{escape(message)}</p>'),
        field,
        button,
        status,
    ]
