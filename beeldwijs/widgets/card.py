"""The scenario card: title, a calm content note when needed, the story and its chat.

Shown above the scenario's questions on the same screen: on a phone the student scrolls from the
story to the question, one round trip to the kernel fewer than a separate card with a button.
"""

from __future__ import annotations

from beeldwijs.content.model import Scenario
from beeldwijs.ui import lean
from beeldwijs.ui.html import Markup, html, join
from beeldwijs.ui.lang import content, content_block, translated
from beeldwijs.widgets.chat import chat_html


def story_paragraphs(text: str) -> Markup:
    """Each line of a story's text as a paragraph."""
    return join(html("<p>{}</p>", p.strip()) for p in text.splitlines() if p.strip())


def card_html(scenario: Scenario) -> Markup:
    """Title, content note, story and chat as one piece of escaped HTML; the author's words
    marked Dutch, our own ("Let op", "Foto") in the language in use (ui/lang.py)."""
    parts = [content_block(scenario.title, "h2")]
    if scenario.content_note:
        note = translated("story.content_note", note=content(scenario.content_note))
        parts.append(html('<p class="bw-warning">{}</p>', note))
    parts.append(content_block(story_paragraphs(scenario.story.text)))
    if scenario.story.chat is not None:
        parts.append(html('<div class="bw-chat-view">{}</div>', chat_html(scenario.story.chat)))
    return join(parts)


class ScenarioCard(lean.HTML):
    """A scenario's story, shown above each of its questions (one HTML widget: one model).

    The player keeps one card and changes ``scenario`` when the next question belongs to another
    scenario, so a scenario's questions add no widget for the story.
    """

    def __init__(self, scenario: Scenario) -> None:
        super().__init__(card_html(scenario), _dom_classes=("bw-scenario",))
        self.scenario = scenario

    def show(self, scenario: Scenario) -> None:
        if scenario is not self.scenario:
            self.scenario = scenario
            self.value = card_html(scenario)

    def relabel(self) -> None:
        """The same story with our own words in the language now in use."""
        self.value = card_html(self.scenario)
