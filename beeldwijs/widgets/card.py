"""The scenario card: title, a calm content note when needed, the story and its chat."""

from __future__ import annotations

from html import escape

from beeldwijs.content.model import Scenario
from beeldwijs.texts import t
from beeldwijs.widgets import lean
from beeldwijs.widgets.chat import chat_html


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{escape(p.strip())}</p>" for p in text.splitlines() if p.strip())


class ScenarioCard(lean.VBox):
    """Shows a scenario's story; ``next_button`` leads to the questions."""

    def __init__(self, scenario: Scenario) -> None:
        super().__init__()
        self.add_class("bw-scenario")
        # one HTML widget for all the static text: one model instead of one per paragraph
        html = [f"<h2>{escape(scenario.title)}</h2>"]
        if scenario.content_note:
            note = escape(t("story.content_note", note=scenario.content_note))
            html.append(f'<p class="bw-warning">{note}</p>')
        html.append(_paragraphs(scenario.story.text))
        if scenario.story.chat is not None:
            html.append(f'<div class="bw-chat-view">{chat_html(scenario.story.chat)}</div>')
        self.next_button = lean.Button(description=t("story.to_questions"), button_style="primary")
        self.next_button.add_class("bw-next")
        self.children = [lean.HTML("".join(html)), self.next_button]
