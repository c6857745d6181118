"""Counts the mentor enters in a lesson without devices: hands or answer cards per option.

The counts go to the store as tallies (never as participants), in the question's current round,
so the chart, the k rule, re-votes, triggers and the report follow as in a lesson with devices.
Counting is optional: "Niet tellen" leaves the question without a result.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w

from beeldwijs.content.model import Question
from beeldwijs.facilitator.present import lettered
from beeldwijs.store import ResponseStore
from beeldwijs.texts import t
from beeldwijs.ui.html import html
from beeldwijs.ui.safe import guarded, show_status


def parse_counts(raw: dict[str, str], labels: dict[str, str]) -> dict[str, int]:
    """Typed counts per option id; an empty field is 0. Raises ValueError with a Dutch message
    naming the option when a field is not a whole number of 0 or more."""
    counts = {}
    for oid, text in raw.items():
        text = text.strip() or "0"
        if not text.isdigit():
            raise ValueError(t("tally.bad", label=labels[oid]))
        counts[oid] = int(text)
    return counts


class TallyForm(w.VBox):
    """One field per option (A, B, C… and skip), save or skip counting."""

    def __init__(
        self, question: Question, store: ResponseStore, code: str, on_saved: Callable[[], object]
    ) -> None:
        super().__init__()
        self.add_class("bw-tally")
        self.question = question
        self.status = w.HTML()
        self.labels = {}
        self.fields: dict[str, w.Text] = {}
        for letter, oid, label in lettered(question):
            name = f"{letter} {label}" if letter != "–" else label
            field = w.Text(
                placeholder="0",
                description=letter if letter != "–" else t("dash.skipped"),
                tooltip=label,
                layout=w.Layout(width="11rem"),
                style={"description_width": "initial"},
            )
            field.add_class("bw-tally-field")
            self.fields[oid] = field
            self.labels[oid] = name
        save = w.Button(description=t("tally.save"), button_style="primary")
        save.add_class("bw-tally-save")
        skip = w.Button(description=t("tally.skip"))
        skip.add_class("bw-tally-skip")

        def saved(_: object = None) -> None:
            try:
                counts = parse_counts({k: f.value for k, f in self.fields.items()}, self.labels)
            except ValueError as exc:
                show_status(self.status, str(exc))  # the typed values stay in their fields
                return
            store.set_tally(code, question.key, counts)
            show_status(self.status, t("tally.saved"), "bw-progress")
            on_saved()

        save.on_click(guarded(self.status, button=save)(saved))
        skip.on_click(
            guarded(self.status, button=skip)(
                lambda _: show_status(self.status, t("tally.skipped"), "bw-progress")
            )
        )
        self.children = [
            w.HTML(html("<h3>{}</h3>", t("tally.heading"))),
            w.HBox(list(self.fields.values()), layout=w.Layout(flex_flow="row wrap")),
            w.HBox([save, skip]),
            self.status,
        ]
