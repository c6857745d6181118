"""The "type your code" form, shown when a join link has no usable session code."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w

from beeldwijs.texts import t
from beeldwijs.ui import lean
from beeldwijs.ui.html import html
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
        lean.HTML(html("<h2>{}</h2>", t("join.heading"))),
        lean.HTML(html('<p class="bw-error bw-join-message">{}</p>', message)),
        field,
        button,
        status,
    ]
