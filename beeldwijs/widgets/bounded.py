"""What a student's browser sends is cut to size in the kernel before ipywidgets echoes it.

ipywidgets 8 sends every value it receives straight back to the browser (``echo_update``)
before any validator runs, so a 9 MB "answer" came back as 9 MB and sat in the kernel and in the
server's write buffer (docs/security.md, floods). The server's websocket refuses frames above
``websocket_max_message_size``; this cuts what still fits to :data:`TEXT_LIMIT` characters. An
open answer above its 280 characters is still refused with a message (question.py), so a cut
text is never stored.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w

#: Characters kept of any text a browser sends (the longest answer allowed is 280).
TEXT_LIMIT = 1000


class Bounded:
    """Put first in a widget's bases: string values from the browser are cut before use."""

    def set_state(self, sync_data: dict[str, Any]) -> None:
        cut = {
            name: value[:TEXT_LIMIT] if isinstance(value, str) else value
            for name, value in sync_data.items()
        }
        super().set_state(cut)  # type: ignore[misc]


class Text(Bounded, w.Text):
    """A one-line field whose value is cut to :data:`TEXT_LIMIT`."""


class Textarea(Bounded, w.Textarea):
    """A text box whose value is cut to :data:`TEXT_LIMIT`."""
