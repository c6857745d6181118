"""A PNG with a text alternative: ipywidgets' Image draws an <img> without ``alt`` (and its view
fails on a tooltip), so a chart or QR code had no name for a screen reader (WCAG 1.1.1).

``value`` (PNG bytes) and ``layout`` behave as on ipywidgets' Image; ``alt`` is the text read out
in place of the picture. The bytes travel as a binary buffer and are shown through a blob URL.
"""

from __future__ import annotations

import anywidget
import traitlets

_ESM = """
function render({ model, el }) {
  const img = document.createElement("img");
  img.style.maxWidth = "100%";
  img.style.width = "100%";
  img.style.height = "auto";
  let url = "";
  const draw = () => {
    const data = model.get("value");
    if (url) URL.revokeObjectURL(url);
    url = data && data.byteLength ? URL.createObjectURL(new Blob([data], { type: "image/png" })) : "";
    if (url) img.src = url; else img.removeAttribute("src");
    img.alt = model.get("alt");
  };
  model.on("change:value", draw);
  model.on("change:alt", draw);
  draw();
  el.appendChild(img);
}
export default { render };
"""


class PngImage(anywidget.AnyWidget):
    """An <img> with ``alt``; set ``value`` to PNG bytes."""

    _esm = _ESM
    value = traitlets.Bytes(b"", help="the PNG").tag(sync=True)
    alt = traitlets.Unicode("", help="the picture's text alternative").tag(sync=True)
