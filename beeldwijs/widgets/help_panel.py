"""The help panel on every student screen (docs/architecture.md, product rule 5): one tap away, always there."""

from __future__ import annotations

import re

from beeldwijs.content.help import HelpRoute, routes_for
from beeldwijs.texts import language, t_in
from beeldwijs.ui import lean
from beeldwijs.ui.html import Markup, html, join
from beeldwijs.ui.lang import content_block, ours, translated_in

_NUMBER = re.compile(r"\+?\d[\d -]*\d")


def phone_links(phones: str) -> Markup:
    """Escaped text with every number in it as a ``tel:`` link ("113 of 0800-0113")."""
    parts: list[str] = []
    end = 0
    for match in _NUMBER.finditer(phones):
        number = match.group()
        dial = "".join(c for c in number if c.isdigit() or c == "+")
        parts += [phones[end : match.start()], html('<a href="tel:{}">{}</a>', dial, number)]
        end = match.end()
    return join([*parts, phones[end:]])


def help_html(
    routes: tuple[HelpRoute, ...],
    who: str = "students",
    *,
    expanded: bool = False,
    lang: str | None = None,
) -> Markup:
    """The panel: our heading, intro and "Bel …" in ``lang`` (default: the language in use);
    the list of routes (the organisations' names and texts) Dutch, left to right. A
    ``<details>`` under "Hulp nodig?", open when ``expanded``."""
    lang = lang or language()
    items = []
    for route in routes:
        line = html("<strong>{}</strong>: {}", route.name, route.text)
        if route.phone:
            phone = translated_in(lang, "help.phone", phone=phone_links(route.phone))
            line += html(" {}", ours(phone, lang))
        when = ", ".join(v for v in (route.hours, route.ages) if v)
        if when:
            line += html(" ({})", when)
        if route.url:
            line += html(
                ' <a href="{}" target="_blank" rel="noopener noreferrer">{}</a>',
                route.url,
                route.url.removeprefix("https://"),
            )
        items.append(html("<li>{}</li>", line))
    suffix = "" if who == "students" else f"_{who}"
    return html(
        "<details{}><summary>{}</summary><p>{}</p>{}</details>",
        Markup(" open") if expanded else Markup(),
        t_in(lang, "help.heading" + suffix),
        t_in(lang, "help.intro" + suffix),
        content_block(html("<ul>{}</ul>", join(items))),
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
        self._expanded = False

    def _routes(self, route_ids: tuple[str, ...]) -> tuple[HelpRoute, ...]:
        return routes_for(
            route_ids, self.who == "staff", self.audience, parents=self.who == "parents"
        )

    def show_for(self, route_ids: tuple[str, ...], *, expanded: bool = False) -> None:
        """The school's and national routes plus ``route_ids``; ``expanded``: shown open (the end
        screen: after the lesson the routes are in view, not behind a tap)."""
        self._route_ids, self._expanded = route_ids, expanded
        self.value = help_html(self._routes(route_ids), self.who, expanded=expanded)

    def relabel(self) -> None:
        """The same routes under headings in the language now in use."""
        self.show_for(self._route_ids, expanded=self._expanded)
