"""The help panel on every student screen (docs/architecture.md, product rule 5): one tap away, always there."""

from __future__ import annotations

from html import escape

from beeldwijs.content.help import HelpRoute, routes_for
from beeldwijs.texts import t
from beeldwijs.ui import lean


def help_html(routes: tuple[HelpRoute, ...], staff: bool = False) -> str:
    items = []
    for route in routes:
        line = f"<strong>{escape(route.name)}</strong>: {escape(route.text)}"
        if route.phone:
            line += f" {escape(t('help.phone', phone=route.phone))}"
        if route.url:
            line += (
                f' <a href="{escape(route.url)}" target="_blank" rel="noopener noreferrer">'
                f"{escape(route.url.removeprefix('https://'))}</a>"
            )
        items.append(f"<li>{line}</li>")
    suffix = "_staff" if staff else ""
    return (
        f"<details><summary>{escape(t('help.heading' + suffix))}</summary>"
        f"<p>{escape(t('help.intro' + suffix))}</p><ul>{''.join(items)}</ul></details>"
    )


class HelpPanel(lean.HTML):
    """Help routes: the school's own plus national ones; ``show_for`` adds a scenario's routes.

    ``staff`` (a lesson for staff only) shows the routes written for school staff.
    """

    def __init__(self, staff: bool = False) -> None:
        super().__init__(help_html(routes_for(staff=staff), staff), _dom_classes=("bw-help",))
        self.staff = staff

    def show_for(self, route_ids: tuple[str, ...]) -> None:
        self.value = help_html(routes_for(route_ids, self.staff), self.staff)
