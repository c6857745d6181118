"""The dashboard's name swap: give a character another first name for this session.

For a character who shares a name with a student in the class. The mentor picks the new name
from a list (content/names.py: nothing typed is stored); the swap is kept with the session and
every student's screen follows within one poll. Best done before the class starts: the
dashboard redraws its results with the new names, and a student who had picked an answer but
not yet sent it picks it again.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w

from beeldwijs.content.model import Lesson
from beeldwijs.content.names import alternatives, characters, decode, encode
from beeldwijs.store import ResponseStore, Session
from beeldwijs.texts import t
from beeldwijs.ui.html import html
from beeldwijs.ui.safe import guarded, show_status


class NameSwapPanel(w.VBox):
    """One drop-down per character of ``lesson`` (the lesson as written, without swaps)."""

    def __init__(
        self,
        lesson: Lesson,
        store: ResponseStore,
        session: Session,
        on_saved: Callable[[Session], None],
    ) -> None:
        self.store, self.session, self.on_saved = store, session, on_saved
        current = decode(session.names)
        others = alternatives(lesson)
        self.pickers: dict[str, w.Dropdown] = {}
        for name in characters(lesson):
            picker = w.Dropdown(
                options=[(t("names.keep", name=name), name), *((n, n) for n in others)],
                value=current.get(name, name),
                description=name,
                style={"description_width": "initial"},
                layout=w.Layout(width="19rem"),
            )
            picker.add_class("bw-name-swap")
            self.pickers[name] = picker
        self.status = w.HTML()
        save = w.Button(description=t("names.save"), icon="exchange")
        save.add_class("bw-name-save")
        save.on_click(guarded(self.status, button=save)(lambda _: self.save()))
        children: list[w.Widget] = [
            w.HTML(html("<h3>{}</h3><p>{}</p>", t("names.heading"), t("names.help"))),
        ]
        if self.pickers:
            children += [w.HBox(list(self.pickers.values()), layout=w.Layout(flex_flow="row wrap"))]
            children += [save, self.status]
        else:
            children += [w.HTML(html("<p>{}</p>", t("names.none")))]
        super().__init__(children)
        self.add_class("bw-names")

    def swaps(self) -> dict[str, str]:
        return {name: picker.value for name, picker in self.pickers.items()}

    def save(self) -> Session:
        """Keep the chosen names with the session; a name given to two characters is refused."""
        chosen = [new for old, new in self.swaps().items() if new != old]
        kept = [old for old, new in self.swaps().items() if new == old]
        if len(set(chosen)) < len(chosen) or set(chosen) & set(kept):
            show_status(self.status, t("names.twice"))
            return self.session
        self.session = self.store.set_names(self.session.code, encode(self.swaps()))
        show_status(self.status, t("names.saved"), "bw-progress")
        self.on_saved(self.session)
        return self.session
