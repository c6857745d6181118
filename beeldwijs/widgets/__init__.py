"""ipywidgets components of the student app (docs/architecture.md)."""

from beeldwijs.ui.choice import ChoiceGroup
from beeldwijs.widgets.browser_token import BrowserToken
from beeldwijs.widgets.card import ScenarioCard
from beeldwijs.widgets.chat import ChatView
from beeldwijs.widgets.help_panel import HelpPanel
from beeldwijs.widgets.player import LessonPlayer
from beeldwijs.widgets.question import QuestionView

__all__ = [
    "BrowserToken",
    "ChatView",
    "ChoiceGroup",
    "HelpPanel",
    "LessonPlayer",
    "QuestionView",
    "ScenarioCard",
]
