"""The start screen's two choices before the lesson picker: a whole lesson or a *losse casus*
(one scenario as a short session, content/cases.py), and the reading level (B1, or the simpler
A2 versions). The picker then lists what fits both."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w

from beeldwijs.content.model import LEVELS, Lesson
from beeldwijs.texts import t


class StartChoice(w.VBox):
    """Two radio groups; ``on_change`` runs when either changes."""

    def __init__(self, on_change: Callable[..., None]) -> None:
        style = {"description_width": "initial"}
        self.kind = w.RadioButtons(
            options=[(t("dash.kind_lesson"), "lesson"), (t("dash.kind_case"), "case")],
            description=t("dash.kind_label"),
            style=style,
        )
        self.kind.add_class("bw-start-kind")
        self.level = w.RadioButtons(
            options=[(t(f"dash.level_{level}"), level) for level in LEVELS],
            description=t("dash.level_label"),
            style=style,
        )
        self.level.add_class("bw-start-level")
        for choice in (self.kind, self.level):
            choice.observe(on_change, names="value")
        super().__init__([self.kind, self.level])

    def offered(self, lessons: list[Lesson], cases: list[Lesson]) -> list[Lesson]:
        """The lessons or the cases at the chosen level."""
        pool = lessons if self.kind.value == "lesson" else cases
        return [item for item in pool if item.level == self.level.value]
