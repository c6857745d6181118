// anywidget's front end (the npm package of the same version as the Python package) is one
// AMD module: `define(["@jupyter-widgets/base"], factory)`. The build (build.mjs) turns that
// last line into `export default factory`, so the factory is called here with the bundled base.
import factory from 'anywidget';

export default function anywidget(base) {
  return factory(base);
}
