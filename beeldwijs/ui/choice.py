"""An accessible single-choice question: a real <fieldset> of radio inputs with visible labels.

ipywidgets' RadioButtons have no shared ``name`` and ToggleButtons show selection by CSS only
(docs/stack-facts.md), so this small anywidget renders native radio inputs that keyboards and screen
readers understand. All text is set with ``textContent``: nothing is parsed as HTML.
A legend or label in another language than the page's (a Dutch question in English chrome, each
language's own name in the language choice) carries its ``lang``, with ``dir="auto"`` so it
keeps its own writing direction on a right-to-left page (ui/lang.py).
"""

from __future__ import annotations

import anywidget
import ipywidgets
import traitlets

from beeldwijs.ui import lean

_ESM = """
let counter = 0;
function render({ model, el }) {
  const name = "bw-choice-" + (++counter) + "-" + Math.random().toString(36).slice(2, 8);
  const fieldset = document.createElement("fieldset");
  fieldset.className = "bw-choice";
  const legend = document.createElement("legend");
  fieldset.appendChild(legend);
  const list = document.createElement("div");
  list.className = "bw-choice-options";
  fieldset.appendChild(list);
  el.appendChild(fieldset);

  const mark = (node, lang) => {
    if (lang) { node.lang = lang; node.dir = "auto"; }
    else { node.removeAttribute("lang"); node.removeAttribute("dir"); }
  };
  const draw = () => {
    legend.textContent = model.get("legend");
    mark(legend, model.get("legend_lang"));
    legend.dir = "auto";  // a legend in several languages reads in its first one's direction
    const langs = model.get("option_langs");
    list.replaceChildren();
    const value = model.get("value");
    for (const [id, label] of model.get("options")) {
      const wrap = document.createElement("label");
      wrap.className = "bw-option" + (id === model.get("skip_id") ? " bw-option-skip" : "");
      const input = document.createElement("input");
      input.type = "radio";
      input.name = name;
      input.value = id;
      input.checked = id === value;
      input.disabled = model.get("disabled");
      input.addEventListener("change", () => {
        if (input.checked) { model.set("value", id); model.save_changes(); }
      });
      const span = document.createElement("span");
      span.textContent = label;
      mark(span, langs[id] || "");
      wrap.append(input, span);
      list.appendChild(wrap);
    }
  };
  model.on("change:options", draw);
  model.on("change:legend", draw);
  model.on("change:legend_lang", draw);
  model.on("change:option_langs", draw);
  model.on("change:disabled", draw);
  model.on("change:value", () => {
    for (const input of list.querySelectorAll("input")) input.checked = input.value === model.get("value");
  });
  draw();
}
export default { render };
"""


class ChoiceGroup(anywidget.AnyWidget):
    """Radio group; ``value`` is the chosen option id ('' when none). The kernel validates it."""

    _esm = _ESM
    layout = lean.no_model(ipywidgets.Layout)
    legend = traitlets.Unicode("", help="the question, read out as the group's name").tag(sync=True)
    options = traitlets.List(
        traitlets.Tuple(traitlets.Unicode(), traitlets.Unicode()),
        help="(id, label) pairs in display order",
    ).tag(sync=True)
    skip_id = traitlets.Unicode("", help="id of the skip option, styled apart").tag(sync=True)
    legend_lang = traitlets.Unicode("", help="the legend's language, '' for the page's").tag(
        sync=True
    )
    option_langs = traitlets.Dict(
        value_trait=traitlets.Unicode(), help="option id -> its label's language, if not the page's"
    ).tag(sync=True)
    value = traitlets.Unicode("", help="id of the chosen option").tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)
