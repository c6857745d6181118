"""The class size the mentor sets, and a warning when more participants joined than that.

k (the minimum number of answers before a result shows) protects one student only when every
participant is a different student. A student who joins again and again (each time with a fresh
browser token) counts as several; issue 16 beat k = 5 with 4 such fake participants. The mentor
knows how many students are in the room: more participants than that is shown on the dashboard,
so the mentor waits with "Toon resultaat" (docs/privacy.md). The size is stored with the session
(schema v9): a reload keeps it, and the student server lets the session hold that many kernels
plus a margin (beeldwijs.serve.admission).
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from beeldwijs.store import CLASS_SIZE_MAX
from beeldwijs.texts import t
from beeldwijs.ui.html import html
from beeldwijs.ui.safe import guarded


class ClassSize(w.VBox):
    """A number field for the class size (0: not set) and the participants line that uses it."""

    def __init__(self, store: Any, code: str, size: int, status: w.HTML) -> None:
        self.field = w.BoundedIntText(
            value=size, min=0, max=CLASS_SIZE_MAX, description=t("dash.class_size"),
            style={"description_width": "initial"},
        )  # fmt: skip
        self.field.add_class("bw-class-size")
        self.line = w.HTML()
        self.line.add_class("bw-class-size-line")  # the projected count is .bw-participants
        self._participants = 0
        self._store, self._code = store, code
        self.field.observe(guarded(status)(self._changed), names="value")
        super().__init__([self.line, self.field])

    def _changed(self, _change: object) -> None:
        self._store.set_class_size(self._code, self.field.value)
        self.show(self._participants)

    def show(self, participants: int) -> None:
        """The live number of participants, flagged when it is above the class size."""
        self._participants = participants
        line = html("{}", t("dash.participants", n=participants))
        size = self.field.value
        if size and participants > size:
            line += html(
                '<p class="bw-too-many" role="alert">{}</p>',
                t("dash.too_many", n=participants, size=size),
            )
        self.line.value = line
