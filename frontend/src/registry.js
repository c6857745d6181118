// The widget classes the student page can show: a static registry, no module loading.
// Only what is bundled here answers; anything else is refused with a console error and the
// page shows its Dutch "this part failed" text in the widget's place (src/outputs.js).
import * as base from '@jupyter-widgets/base';
import {
  ButtonModel,
  ButtonStyleModel,
  ButtonView,
} from '@jupyter-widgets/controls/lib/widget_button';
import {
  BoxModel,
  BoxView,
  HBoxModel,
  HBoxView,
  VBoxModel,
  VBoxView,
} from '@jupyter-widgets/controls/lib/widget_box';
import {
  HTMLModel,
  HTMLStyleModel,
  HTMLView,
  LabelModel,
  LabelStyleModel,
  LabelView,
  TextModel,
  TextStyleModel,
  TextView,
  TextareaModel,
  TextareaView,
} from '@jupyter-widgets/controls/lib/widget_string';
import { DescriptionStyleModel } from '@jupyter-widgets/controls/lib/widget_description';
import anywidget from './anywidget.js';

const controls = {
  BoxModel, BoxView, HBoxModel, HBoxView, VBoxModel, VBoxView,
  ButtonModel, ButtonStyleModel, ButtonView,
  HTMLModel, HTMLStyleModel, HTMLView, LabelModel, LabelStyleModel, LabelView,
  TextModel, TextStyleModel, TextView, TextareaModel, TextareaView,
  DescriptionStyleModel,
};

/** module name → its classes (the versions are those of the bundled packages, package.json). */
export const MODULES = {
  '@jupyter-widgets/base': base,
  '@jupyter-widgets/controls': controls,
  anywidget: anywidget(base),
};

/** The class `name` of `module`, or an Error saying what the page cannot show. */
export function lookup(name, module, version) {
  const found = MODULES[module] && MODULES[module][name];
  if (!found) {
    return new Error(
      `Beeldwijs student page: no widget class ${name} from ${module}@${version} in this page's ` +
        'bundle (frontend/src/registry.js)'
    );
  }
  return found;
}
