"""The help panel on every student screen (docs/architecture.md, product rule 5): one tap away, always there."""

from __future__ import annotations

import re
from html import escape

from beeldwijs.content.help import HelpRoute, routes_for
from beeldwijs.texts import t
from beeldwijs.ui import lean

_NUMBER = re.compile(r"\+?\d[\d -]*\d")


def phone_links(phones: str) -> str:
    """Escaped text with every number in it as a ``tel:`` link ("113 of 0800-0113")."""
    parts, end = [], 0
    for match in _NUMBER.finditer(phones):
        number = match.group()
        dial = "".join(c for c in number if c.isdigit() or c == "+")
        parts += [escape(phones[end : match.start()]), f'<a href="tel:{dial}">{escape(number)}</a>']
        end = match.end()
    return "".join(parts) + escape(phones[end:])


def help_html(routes: tuple[HelpRoute, ...], who: str = "students") -> str:
    items = []
    for route in routes:
        line = f"<strong>{escape(route.name)}</strong>: {escape(route.text)}"
        if route.phone:
            line += " " + escape(t("help.phone", phone="§")).replace("§", phone_links(route.phone))
        when = ", ".join(v for v in (route.hours, route.ages) if v)
        if when:
            line += f" ({escape(when)})"
        if route.url:
            line += (
                f' <a href="{escape(route.url)}" target="_blank" rel="noopener noreferrer">'
                f"{escape(route.url.removeprefix('https://'))}</a>"
            )
        items.append(f"<li>{line}</li>")
    suffix = "" if who == "students" else f"_{who}"
    return (
        f"<details><summary>{escape(t('help.heading' + suffix))}</summary>"
        f"<p>{escape(t('help.intro' + suffix))}</p><ul>{''.join(items)}</ul></details>"
    )


class HelpPanel(lean.HTML):
    """Help routes: the school's own plus national ones; ``show_for`` adds a scenario's routes.

    ``who`` answers (``Lesson.participants``): students, staff (a team session: the routes
    written for school staff) or parents (a parents' evening: the parents' routes);
    ``audience`` (the lesson's groups) shows the routes meant for some groups only, such as
    bovenbouw.
    """

    def __init__(self, who: str = "students", audience: tuple[str, ...] = ()) -> None:
        self.who = who
        self.audience = audience
        super().__init__(help_html(self._routes(()), who), _dom_classes=("bw-help",))
        self._route_ids: tuple[str, ...] = ()

    def _routes(self, route_ids: tuple[str, ...]) -> tuple[HelpRoute, ...]:
        return routes_for(
            route_ids, self.who == "staff", self.audience, parents=self.who == "parents"
        )

    def show_for(self, route_ids: tuple[str, ...]) -> None:
        self._route_ids = route_ids
        self.value = help_html(self._routes(route_ids), self.who)

    def relabel(self) -> None:
        """The same routes under headings in the language now in use."""
        self.show_for(self._route_ids)
