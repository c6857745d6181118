"""A picture with its text alternative, the one way both dashboards show one: an SVG (a chart,
a QR code) as an ``<img>`` with ``alt`` inside an HTML fragment. Sharp at any projector size,
read out by a screen reader (WCAG 1.1.1), and compared as a string, so an unchanged picture
is not sent again.
"""

from __future__ import annotations

import base64

from beeldwijs.ui.html import Markup, html


def svg_img(svg: bytes, alt: str, css: str = "bw-chart-img") -> Markup:
    """An ``<img>`` of ``svg`` with its text alternative (both escaped)."""
    data = base64.b64encode(svg).decode("ascii")
    return html('<img class="{}" src="data:image/svg+xml;base64,{}" alt="{}">', css, data, alt)
