"""A button that asks before it acts: closing a lesson, a new voting round.

The first click shows the question with "yes" and "cancel" in place of the button; only "yes"
acts. Keyboard (the page script in the Voilà template): J is "yes", Escape is "cancel".
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w

from beeldwijs.texts import t
from beeldwijs.ui.html import html
from beeldwijs.ui.safe import guarded


class ConfirmButton(w.HBox):
    """``button`` asks ``question``; ``yes`` runs ``action``; ``cancel`` goes back."""

    def __init__(
        self,
        description: str,
        question: str,
        yes: str,
        action: Callable[[], object],
        status: w.HTML,
        *,
        icon: str = "",
        css: str = "",
    ) -> None:
        super().__init__()
        self.add_class("bw-confirm")
        self.button = w.Button(description=description, icon=icon)
        self.question = w.HTML(
            html('<span class="bw-confirm-question" role="alert">{}</span>', question)
        )
        self.yes = w.Button(description=yes, button_style="danger")
        self.yes.add_class("bw-confirm-yes")
        self.yes.add_class("bw-key-confirm")
        self.cancel = w.Button(description=t("end.cancel"))
        self.cancel.add_class("bw-confirm-cancel")
        self.cancel.add_class("bw-key-cancel")
        for extra in css.split():
            self.button.add_class(extra)
        self.button.on_click(guarded(status, button=self.button)(lambda _: self.ask(True)))
        self.cancel.on_click(guarded(status, button=self.cancel)(lambda _: self.ask(False)))

        def confirmed(_: object = None) -> None:
            self.ask(False)
            action()

        self.yes.on_click(guarded(status, button=self.yes)(confirmed))
        self.ask(False)

    def ask(self, asking: bool) -> None:
        self.children = [self.question, self.yes, self.cancel] if asking else [self.button]

    @property
    def disabled(self) -> bool:
        return bool(self.button.disabled)

    @disabled.setter
    def disabled(self, value: bool) -> None:
        self.button.disabled = value
        if value:
            self.ask(False)
