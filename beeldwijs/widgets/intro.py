"""The first screen of every lesson: the anonymity notice, the ground rules and "Begin".

It is on screen while the student joins, not after: on the join page a pooled kernel builds it
before anyone asks for the page, so the student reads the notice while the browser's report of
the session code and token is handled. The lesson's title follows when the lesson is known, and
"Begin" becomes "Verder waar je was" for a returning participant. A click on "Begin" before the
join has finished is kept and carried out once it has (:meth:`IntroScreen.ready`).
"""

from __future__ import annotations

from collections.abc import Callable

from beeldwijs.texts import t
from beeldwijs.ui import lean
from beeldwijs.ui.html import Markup, html, join
from beeldwijs.ui.lang import content_block
from beeldwijs.ui.safe import guarded


def _markup(title: str, groups: bool = False, who: str = "students") -> Markup:
    """The notice and rules for ``who`` answers: students, or staff or parents in their words."""

    suffix = "" if who == "students" else f"_{who}"  # intro.heading_staff, …_parents
    rules = join(html("<li>{}</li>", rule) for rule in t(f"intro.rules{suffix}").split("|"))
    heading = content_block(title, "h2") if title else ""
    group = html('<p class="bw-groups-notice">{}</p>', t("intro.groups")) if groups else ""
    return html(
        '{heading}<div class="bw-notice bw-anonymity"><p><strong>{title}</strong></p>'
        "<p>{anonymous}</p>{group}<p>{not_for_reporting}</p></div>"
        "<h3>{rules_heading}</h3><ul>{rules}</ul>",
        heading=heading,
        title=t(f"intro.heading{suffix}"),
        anonymous=t(f"intro.anonymous{suffix}"),
        group=group,
        not_for_reporting=t(f"intro.not_for_reporting{suffix}"),
        rules_heading=t(f"intro.rules_heading{suffix}"),
        rules=rules,
    )


class IntroScreen(lean.VBox):
    """Notice, rules and the start button (class ``bw-start``); one HTML widget for the text."""

    def __init__(self) -> None:
        self.text = lean.HTML(_markup(""))  # the lesson's title follows (show_title)
        self.status = lean.HTML()
        self.start = lean.Button(
            description=t("intro.start"), button_style="primary", _dom_classes=("bw-start",)
        )
        super().__init__([self.text, self.start, self.status], _dom_classes=("bw-intro",))
        # not held disabled while it runs: the screen it is on is replaced (two messages fewer)
        self._click = guarded(self.status, button=self.start, hold=False)(self._on_click)
        self.start.on_click(self._click)
        self._on_begin: Callable[[], None] | None = None
        self._clicked_early = False
        self._begun = False  # a double click begins once
        self._title, self._groups, self._who = "", False, "students"
        self._resumed = False

    def show_title(self, title: str, *, groups: bool = False, who: str = "students") -> None:
        """The lesson is known: its title above the notice ("Begin" waits for the join);
        ``groups``: one device per group, the notice says what that means; ``who``: students,
        staff or parents (``Lesson.participants``), each addressed in their own words."""
        self._title, self._groups, self._who = title, groups, who
        self.text.value = _markup(title, groups, who)
        self._on_begin = None

    def relabel(self) -> None:
        """The same notice in the language now in use (texts.set_language)."""
        self.text.value = _markup(self._title, self._groups, self._who)
        self.start.description = t("intro.continue" if self._resumed else "intro.start")

    def ready(self, *, resumed: bool, on_begin: Callable[[], None]) -> None:
        """The student has joined: "Begin" (or "Verder waar je was") now starts the lesson."""
        self._resumed = resumed
        self.start.description = t("intro.continue" if resumed else "intro.start")
        self._on_begin = on_begin
        if self._clicked_early:
            self._clicked_early = False
            self._click()

    def _on_click(self, _button: object = None) -> None:
        if self._begun:
            return
        if self._on_begin is None:  # still joining: start as soon as the join is done
            self._clicked_early = True
            return
        self._on_begin()
        self._begun = True
