"""The class size the mentor sets, and a warning when more participants joined than that.

k (the minimum number of answers before a result shows) protects one student only when every
participant is a different student. A student who joins again and again (each time with a fresh
browser token) counts as several; issue 16 beat k = 5 with 4 such fake participants. The mentor
knows how many students are in the room: more participants than that is shown on the dashboard,
so the mentor waits with "Toon resultaat" (docs/privacy.md).
"""

from __future__ import annotations

from html import escape

import ipywidgets as w

from beeldwijs.texts import t


class ClassSize(w.VBox):
    """A number field for the class size (0: not set) and the participants line that uses it."""

    def __init__(self) -> None:
        self.field = w.BoundedIntText(
            value=0, min=0, max=500, description=t("dash.class_size"),
            style={"description_width": "initial"},
        )  # fmt: skip
        self.field.add_class("bw-class-size")
        self.line = w.HTML()
        self.line.add_class("bw-class-size-line")  # the projected count is .bw-participants
        self._participants = 0
        self.field.observe(lambda _change: self.show(self._participants), names="value")
        super().__init__([self.line, self.field])

    def show(self, participants: int) -> None:
        """The live number of participants, flagged when it is above the class size."""
        self._participants = participants
        html = escape(t("dash.participants", n=participants))
        size = self.field.value
        if size and participants > size:
            html += (
                f'<p class="bw-too-many" role="alert">'
                f"{escape(t('dash.too_many', n=participants, size=size))}</p>"
            )
        self.line.value = html
