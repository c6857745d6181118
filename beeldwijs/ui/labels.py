"""The words a question's options are shown with, the same on the student's screen and in charts."""

from __future__ import annotations

from beeldwijs.content.model import SKIP, Question
from beeldwijs.texts import t


def option_labels(question: Question) -> list[tuple[str, str]]:
    """(id, label) pairs shown to the student, skip last."""
    if question.type == "scale":
        pairs = [(o.id, t(f"scale.{o.id}")) for o in question.options]
    elif question.type == "traffic_light":
        pairs = [(o.id, t(f"traffic_light.{o.id}")) for o in question.options]
    else:
        pairs = [(o.id, o.text) for o in question.options]
    return pairs + [(SKIP, t("question.skip"))]


def content_option_ids(question: Question) -> list[str]:
    """The ids of the options whose label the content author wrote (not ours: a scale's, a
    traffic light's and the skip option's words are translated)."""
    if question.type in ("scale", "traffic_light"):
        return []
    return [o.id for o in question.options]
