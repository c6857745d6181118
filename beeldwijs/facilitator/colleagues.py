"""A lesson handed to a colleague, and the admin's retention, as buttons (school server).

On a school server with mentor logins every session belongs to a mentor
(beeldwijs.facilitator.access); these widgets are the pages' side of what the store already
guards:

- :class:`HandoverOffer` (the mentor's part of a running lesson): a one-time code for a
  colleague. Only its hash is stored; a newer code replaces an older one; the lesson stays the
  mentor's until the code is used.
- :class:`HandoverTake` (the dashboard's first screen): the colleague types the code and the
  lesson is theirs, opened at once. A wrong or used code gets a Dutch message and nothing else.
- :class:`RetentionPanel` (the overview, admin role only): the retention period, how many
  lessons are older, and deleting them after a confirmation.

Without a login (the laptop, the shared password) none of them is shown: sessions have no owner
there, and the retention runs at every ``beeldwijs start`` and with ``beeldwijs purge``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w

from beeldwijs import settings
from beeldwijs.errors import UnknownSession
from beeldwijs.facilitator.confirm import ConfirmButton
from beeldwijs.store import Session, retention_cutoff
from beeldwijs.texts import t
from beeldwijs.ui.html import html
from beeldwijs.ui.safe import guarded, show_status


class HandoverOffer(w.VBox):
    """A button that makes the one-time code for handing lesson ``code`` to a colleague."""

    def __init__(self, store: Any, code: str, status: w.HTML) -> None:
        self.store, self.code = store, code
        self.button = w.Button(description=t("hand.offer"), icon="share")
        self.button.add_class("bw-handover-offer")
        self.button.on_click(guarded(status, button=self.button)(lambda _: self.offer()))
        self.shown = w.HTML()
        self.shown.add_class("bw-handover-code")
        super().__init__([self.button, self.shown])

    def offer(self) -> str:
        token = str(self.store.offer_handover(self.code))
        self.shown.value = html(
            '<p role="status">{} <strong class="bw-handover-token">{}</strong></p><p>{}</p>',
            t("hand.offered_code"),
            token,
            t("hand.offered"),
        )
        return token


class HandoverTake(w.VBox):
    """The code from a colleague: the lesson becomes this mentor's and ``on_taken`` opens it."""

    def __init__(self, store: Any, on_taken: Callable[[Session], object]) -> None:
        self.store, self.on_taken = store, on_taken
        self.status = w.HTML()
        self.field = w.Text(
            description=t("hand.code_label"), style={"description_width": "initial"}
        )
        self.field.add_class("bw-handover-field")
        self.button = w.Button(description=t("hand.take"), icon="sign-in")
        self.button.add_class("bw-handover-take")
        self.button.on_click(guarded(self.status, button=self.button)(lambda _: self.take()))
        super().__init__(
            [
                w.HTML(html("<h2>{}</h2>", t("hand.take_heading"))),
                w.HBox([self.field, self.button]),
                self.status,
            ]
        )
        self.add_class("bw-handover")

    def take(self) -> Session | None:
        typed = self.field.value.strip()[:40]
        if not typed:
            show_status(self.status, t("hand.empty"))
            return None
        try:
            session = self.store.take_handover(typed)
        except UnknownSession:
            show_status(self.status, t("hand.wrong"))
            return None
        self.field.value = ""
        show_status(self.status, "")
        self.on_taken(session)
        return session


class RetentionPanel(w.VBox):
    """The admin's retention: how many lessons are older than the period, and delete them."""

    def __init__(self, store: Any, days: int | None = None) -> None:
        super().__init__()
        self.add_class("bw-retention")
        self.store = store
        self.days = int(settings.value("retention_days") if days is None else days)
        self.status = w.HTML()
        self.summary = w.HTML()
        self.purge_button = ConfirmButton(
            t("retention.purge", days=self.days),
            t("retention.question", days=self.days),
            t("retention.yes"),
            self.purge,
            self.status,
            icon="trash",
            css="bw-purge",
        )
        self.children = [
            w.HTML(html("<h2>{}</h2>", t("retention.heading"))),
            self.summary,
            self.purge_button,
            self.status,
        ]
        self.show()

    def older(self) -> int:
        cutoff = retention_cutoff(self.days)
        return sum(s.created_on < cutoff for s in self.store.sessions())

    def show(self) -> None:
        self.summary.value = html(
            "<p>{}</p>", t("retention.policy", days=self.days, n=self.older())
        )

    def purge(self) -> int:
        removed = int(self.store.purge(self.days))
        show_status(self.status, t("retention.done", n=removed), "bw-progress")
        self.show()
        return removed
