"""The student's choice of language for the screens' own texts (buttons, notice, help, messages).

A radio group at the top of the student app, on the notice screen and after it: a newcomer picks
English or Ukrainian before reading the notice and can switch back at any moment. The choice is
this kernel's (one kernel per student page): :func:`beeldwijs.texts.set_language`, after which the
player redraws what is on screen in the new language and keeps what the student chose or typed.
Scenario texts stay Dutch. The group's name is written in every language it offers.
"""

from __future__ import annotations

from collections.abc import Callable

from beeldwijs.texts import STUDENT_LANGUAGES, language, set_language, t
from beeldwijs.ui.choice import ChoiceGroup


class LanguageChoice(ChoiceGroup):
    """``on_change()`` runs after the language changed; an unknown value is refused."""

    def __init__(self, on_change: Callable[[], None]) -> None:
        super().__init__(
            legend=t("intro.language"),
            options=list(STUDENT_LANGUAGES.items()),
            value=language(),
            _dom_classes=("bw-language",),
        )
        self._on_change = on_change
        self.observe(self._picked, names="value")

    def _picked(self, change: dict[str, object]) -> None:
        code = str(change["new"])
        if code not in STUDENT_LANGUAGES:  # a forged value: keep the language in use
            self.value = language()
            return
        if code != language():
            set_language(code)
            self._on_change()
