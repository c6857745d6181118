// Voilà renders the notebook on the server and leaves each output of a code cell in the page
// as <script type="application/vnd.voila.cell-output+json">; this puts each one in its place:
// a widget view (attached with Lumino where the script was), the server's HTML of a trusted
// output, or its plain text. Failed cells are already HTML from the template (block `error`).
import { Widget } from '@lumino/widgets';

export const WIDGET_VIEW = 'application/vnd.jupyter.widget-view+json';
const SELECTOR = 'script[type="application/vnd.voila.cell-output+json"]';

/** The page's outputs, each with the element that takes its place. */
export function takeOutputs(document) {
  return Array.from(document.querySelectorAll(SELECTOR), (script) => {
    const output = JSON.parse(script.textContent);
    const place = document.createElement('div');
    place.className = 'jp-OutputArea-output';
    script.replaceWith(place);
    return { output, place };
  });
}

/** Render one output into `place`; `manager` for widget views; `texts` the page's own words. */
export async function renderOutput({ output, place }, manager, texts) {
  const data = output.data || {};
  if (data[WIDGET_VIEW]) {
    return renderWidget(data[WIDGET_VIEW], place, manager, texts);
  }
  if (data['text/html'] !== undefined && output.trusted) {
    place.innerHTML = joined(data['text/html']);
  } else if (data['text/plain'] !== undefined) {
    const pre = document.createElement('pre');
    pre.textContent = joined(data['text/plain']);
    place.append(pre);
  }
}

async function renderWidget(view, place, manager, texts) {
  if (!view.model_id) {
    return; // a view that was closed before the page came
  }
  place.classList.add('jupyter-widgets');
  place.textContent = texts.loading;
  try {
    const model = await manager.get_model(view.model_id);
    const widgetView = await manager.create_view(model);
    place.textContent = '';
    place.classList.remove('jupyter-widgets');
    Widget.attach(widgetView.luminoWidget, place);
  } catch (error) {
    console.error('Beeldwijs student page: a widget could not be shown', error);
    place.textContent = texts.failed;
    place.setAttribute('role', 'alert');
  }
}

function joined(text) {
  return Array.isArray(text) ? text.join('') : String(text);
}
