"""Scenario and lesson content: the model, strict loading and the on-disk library."""

from beeldwijs.content.library import Library, default_root
from beeldwijs.content.model import Lesson, Question, Scenario

__all__ = ["Lesson", "Library", "Question", "Scenario", "default_root"]
