"""Can my students reach this? The join link's address checked, and the devices that opened it.

A join link on a loopback address works on the mentor's own computer only; one on a private
(LAN) address only for devices on the same network: not for students on 4G, nor on a guest
Wi-Fi that keeps devices apart. :class:`ReachCheck` says so in Dutch, with what to do, and shows
live how many devices opened the session's page. The student server counts a device once per
browser (a cookie in that browser) in the store: a number, nothing per device
(beeldwijs.serve.admission). More devices that opened the page than participants means the page
arrives but its connection to the server does not, which the mentor is told too.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

import ipywidgets as w

from beeldwijs.texts import t
from beeldwijs.ui.html import html

#: Host names that only mean something inside a network (mDNS, home routers, intranets).
LOCAL_SUFFIXES = (".local", ".lan", ".home", ".internal", ".localdomain", ".home.arpa")


def link_reach(url: str) -> str:
    """``"loopback"``, ``"private"`` (a LAN address or name) or ``"public"`` for a join link."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        if host == "localhost" or host.endswith(".localhost"):
            return "loopback"
        if "." not in host or host.endswith(LOCAL_SUFFIXES):
            return "private"
        return "public"  # a name: whether it resolves publicly is the school's DNS
    if address.is_loopback:
        return "loopback"
    return "public" if address.is_global else "private"


class ReachCheck(w.VBox):
    """The warning for the join link (if any) and the live count of devices that opened it."""

    def __init__(self, url: str) -> None:
        self.reach = link_reach(url)
        host = urlsplit(url).hostname or url
        warning = w.HTML()
        warning.add_class("bw-reach-warning")
        if self.reach != "public":
            text = t(f"reach.{self.reach}", host=host)
            warning.value = html('<p role="alert"><strong>{}</strong></p>', text)
        self.count = w.HTML()
        self.count.add_class("bw-reach-count")
        super().__init__([warning, self.count])
        self.add_class("bw-reach")
        self.show(0, 0)

    def show(self, opened: int, participants: int) -> None:
        """The devices that opened the page; a hint when fewer of them take part."""
        line = t("reach.opened", n=opened) if opened else t("reach.none")
        shown = html('<p aria-live="polite">{}</p>', line)
        if opened > participants:
            shown += html('<p class="bw-reach-stuck">{}</p>', t("reach.stuck"))
        self.count.value = shown
