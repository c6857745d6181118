"""The scenario card: title, a calm content note when needed, the story and its chat."""

from __future__ import annotations

from html import escape

import ipywidgets as w

from beeldwijs.content.model import Scenario
from beeldwijs.texts import t
from beeldwijs.widgets import lean
from beeldwijs.widgets.chat import ChatView


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{escape(p.strip())}</p>" for p in text.splitlines() if p.strip())


class ScenarioCard(lean.VBox):
    """Shows a scenario's story; ``next_button`` leads to the questions."""

    def __init__(self, scenario: Scenario) -> None:
        super().__init__()
        self.add_class("bw-scenario")
        parts: list[w.Widget] = [lean.HTML(f"<h2>{escape(scenario.title)}</h2>")]
        if scenario.content_note:
            note = escape(t("story.content_note", note=scenario.content_note))
            parts.append(lean.HTML(f'<p class="bw-warning">{note}</p>'))
        parts.append(lean.HTML(_paragraphs(scenario.story.text)))
        if scenario.story.chat is not None:
            parts.append(ChatView(scenario.story.chat))
        self.next_button = lean.Button(description=t("story.to_questions"), button_style="primary")
        self.next_button.add_class("bw-next")
        parts.append(self.next_button)
        self.children = parts
