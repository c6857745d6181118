"""Widgets without their own Layout and Style models, for the student app.

Every ipywidgets ``DOMWidget`` creates a ``Layout`` widget on first use of its state, and
``HTML`` and ``Button`` a style widget too: three models (three ``comm_open`` messages the server
relays and the browser renders) for one paragraph. The student app sets neither (its look is
the stylesheet in ``style.py``), so these subclasses leave ``layout`` and ``style`` at ``None``
until code assigns one; the front end skips a null layout or style (``DOMWidgetView.setLayout``
and ``setStyle`` test for it). Hide a widget with the CSS class :data:`HIDDEN`, not
``widget.layout.display``. See docs/decisions.md "Performance and scale".

For the same reason a widget made while a student waits (joining, "Begin", the next question) is
made whole: its CSS classes (``_dom_classes=(…)``) and children go into the constructor, not into
``add_class`` or ``children = …`` right after it, which would each be one more message.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w
from ipywidgets.widgets.trait_types import InstanceDict
from ipywidgets.widgets.widget import widget_serialization
from ipywidgets.widgets.widget_button import ButtonStyle
from ipywidgets.widgets.widget_string import HTMLStyle

HIDDEN = "bw-hidden"


class _NoneByDefault(InstanceDict):  # type: ignore[misc]
    """``InstanceDict`` (a dict is still coerced) whose default is None, not a new widget."""

    def make_dynamic_default(self) -> None:
        return None


def no_model(klass: type) -> Any:
    """A ``layout``/``style`` trait that stays None until assigned (for custom widgets too)."""
    return _NoneByDefault(klass, allow_none=True).tag(sync=True, **widget_serialization)


class HTML(w.HTML):
    layout = no_model(w.Layout)
    style = no_model(HTMLStyle)


class Button(w.Button):
    layout = no_model(w.Layout)
    style = no_model(ButtonStyle)


class VBox(w.VBox):
    layout = no_model(w.Layout)


class HBox(w.HBox):
    layout = no_model(w.Layout)
