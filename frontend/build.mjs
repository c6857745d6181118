// `make frontend`: bundles src/ into the student template's static folder and writes
// build-inputs.json, the digest of every input and of the outputs (tests/test_frontend.py
// recomputes it: a change to src/, package.json or the lockfile without a rebuild fails).
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..');
const out = join(repo, 'beeldwijs/serve/share/jupyter/voila/templates/beeldwijs-student/static');
const INPUTS = ['build.mjs', 'package.json', 'package-lock.json', 'src', 'licenses'];
const OUTPUTS = ['student.js', 'student.css', 'THIRD-PARTY.txt'];

function files(path) {
  const full = join(here, path);
  try {
    return readdirSync(full, { withFileTypes: true })
      .flatMap((entry) => files(join(path, entry.name)))
      .sort();
  } catch {
    return [path];
  }
}

function digest(paths, root) {
  const hash = createHash('sha256');
  for (const path of paths) {
    hash.update(`${path}\n`);
    hash.update(readFileSync(join(root, path)));
  }
  return hash.digest('hex');
}

/** anywidget's bundle ends in an AMD `define([...], factory)`: make it an ES module export. */
const anywidgetAsModule = {
  name: 'anywidget-as-module',
  setup(b) {
    b.onLoad({ filter: /node_modules[\\/]anywidget[\\/]dist[\\/]index\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const amd = /define\(\["@jupyter-widgets\/base"\], (\w+)\);\s*$/;
      if (!amd.test(source)) {
        throw new Error('anywidget no longer ends in define([...], factory): check src/anywidget.js');
      }
      return { contents: source.replace(amd, 'export default $1;\n'), loader: 'js' };
    });
  },
};

/** Modules the page never runs: Node's `ws` (services' fallback when there is no window), the
 * slider's stylesheet (the page has no slider) and sanitize-html, which ipywidgets uses only for
 * a description with `description_allow_html` (src/manager.js shows those as text instead). */
const leftOut = {
  name: 'left-out',
  setup(b) {
    b.onResolve({ filter: /^ws$|^sanitize-html$|nouislider\.css$/ }, (args) => ({
      path: args.path,
      namespace: 'left-out',
    }));
    b.onLoad({ filter: /.*/, namespace: 'left-out' }, (args) => {
      if (args.path.endsWith('.css')) {
        return { contents: '', loader: 'css' };
      }
      const refusal = `throw new Error("${args.path} is not in the student page's bundle")`;
      return { contents: `module.exports = function () { ${refusal}; };`, loader: 'js' };
    });
  },
};

/** The kernel connection alone: services' kernel/default.js imports the package's index (every
 * service: sessions, contents, terminals, settings …) only for ServerConnection. */
const kernelOnly = {
  name: 'kernel-only',
  setup(b) {
    b.onResolve({ filter: /^\.\.$/ }, (args) => {
      if (!/@jupyterlab[\\/]services[\\/]lib[\\/]kernel[\\/]default\.js$/.test(args.importer)) {
        return undefined;
      }
      return { path: join(dirname(args.importer), '..', 'serverconnection.js') };
    });
  },
};

/** Every npm package with code in the bundle: name, version, licence and its licence text. */
function thirdParty(metafile) {
  const packages = new Set();
  for (const path of Object.keys(metafile.inputs)) {
    const found = path.match(/^(.*node_modules[\\/](?:@[^\\/]+[\\/])?[^\\/]+)[\\/]/);
    if (found) packages.add(found[1]);
  }
  const parts = [...packages].sort().map((folder) => {
    const meta = JSON.parse(readFileSync(join(here, folder, 'package.json'), 'utf8'));
    const own = readdirSync(join(here, folder)).find((name) => /^(licen[cs]e|copying)/i.test(name));
    // Jupyter's packages ship without one: their repositories' licence texts are in licenses/
    const scope = join(here, 'licenses', `${meta.name.split('/')[0]}.txt`);
    const file = own ? join(here, folder, own) : existsSync(scope) ? scope : null;
    if (!file) {
      throw new Error(`${meta.name} has no licence file: put its licence text in licenses/`);
    }
    const text = readFileSync(file, 'utf8').trim();
    return `${meta.name} ${meta.version} (${meta.license})\n\n${text}\n`;
  });
  const head = 'The student page\'s front end (student.js, student.css) bundles these packages.\n';
  return [head, ...parts].join(`\n${'-'.repeat(78)}\n\n`);
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  entryPoints: { student: join(here, 'src/index.js') },
  outdir: out,
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2020', 'safari14'],
  legalComments: 'none', // every bundled package's licence is in THIRD-PARTY.txt
  sourcemap: false,
  define: { 'process.env.NODE_ENV': '"production"' },
  loader: { '.svg': 'dataurl', '.woff': 'dataurl', '.woff2': 'dataurl', '.ttf': 'dataurl' },
  plugins: [anywidgetAsModule, leftOut, kernelOnly],
  logLevel: 'warning',
  metafile: true,
}).then((result) => {
  writeFileSync(join(out, 'THIRD-PARTY.txt'), thirdParty(result.metafile));
});
const stamp = {
  inputs: digest(INPUTS.flatMap(files), here),
  outputs: digest(OUTPUTS, out),
  files: OUTPUTS,
};
writeFileSync(join(here, 'build-inputs.json'), `${JSON.stringify(stamp, null, 2)}\n`);
console.log(`built ${OUTPUTS.join(', ')} in ${relative(repo, out)}`);
