"""The help panel on every student screen (DESIGN.md §5 rule 5): one tap away, always there."""

from __future__ import annotations

from html import escape

from beeldwijs.help import HelpRoute, routes_for
from beeldwijs.texts import t
from beeldwijs.widgets import lean


def help_html(routes: tuple[HelpRoute, ...]) -> str:
    items = []
    for route in routes:
        line = f"<strong>{escape(route.name)}</strong>: {escape(route.text)}"
        if route.phone:
            line += f" Bel {escape(route.phone)}."
        if route.url:
            line += (
                f' <a href="{escape(route.url)}" target="_blank" rel="noopener noreferrer">'
                f"{escape(route.url.removeprefix('https://'))}</a>"
            )
        items.append(f"<li>{line}</li>")
    return (
        f"<details><summary>{escape(t('help.heading'))}</summary>"
        f"<p>{escape(t('help.intro'))}</p><ul>{''.join(items)}</ul></details>"
    )


class HelpPanel(lean.HTML):
    """Help routes: the school's own plus national ones; ``show_for`` adds a scenario's routes."""

    def __init__(self) -> None:
        super().__init__(help_html(routes_for()))
        self.add_class("bw-help")

    def show_for(self, route_ids: tuple[str, ...]) -> None:
        self.value = help_html(routes_for(route_ids))
