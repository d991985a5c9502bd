// Bundles what ships into bundle/, so the images need no node_modules:
// bundle/handlers/ holds one small entry per file in handlers/, the code they
// share and Handlebars' compiler apart; bundle/webapp.cjs is the web app,
// self-contained, and bundle/node-snapshot.cjs the entry both images build
// their Node startup snapshot from (docker/node-snapshot.ts). `node build.mjs`
// writes; the tests import `builds` to compare a fresh build with what is committed.
//
// The handlers are CommonJS: Serf starts a Node process per event, and an
// ES module entry first starts Node's ESM loader, about 4 ms of every run
// here (an empty .mjs against an empty .cjs). esbuild splits only ES
// modules, so the split is made by hand: each entry requires start.cjs,
// which loads shared.cjs with V8's code cache.
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

/** Every .ts file directly in handlers/ is an entry: the list of entries is that folder. */
export const handlerEntries = Object.fromEntries(
  readdirSync(join(root, 'handlers'))
    .filter((file) => file.endsWith('.ts'))
    .sort()
    .map((file) => [file.slice(0, -'.ts'.length), `handlers/${file}`]),
);

// Handlebars' compiler requires source-map only to emit source maps, which we
// never ask for; without it, it falls back to a small stand-in of its own.
const withoutSourceMap = {
  name: 'without-source-map',
  setup(build) {
    build.onResolve({ filter: /^source-map$/ }, () => ({ path: 'source-map', namespace: 'omitted' }));
    build.onLoad({ filter: /.*/, namespace: 'omitted' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
  },
};

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  legalComments: 'none',
  logLevel: 'warning',
};

const handlers = { ...common, format: 'cjs', outdir: 'bundle/handlers', outExtension: { '.js': '.cjs' } };

/** Makes an import of `filter` a require of `path` beside the output, left to Node at run time. */
const apart = (name, filter, path) => ({
  name,
  setup(build) {
    build.onResolve({ filter }, () => ({ path, external: true }));
  },
});

export const builds = [
  // One per entry: `require('./start.cjs').main('<event>')`.
  { ...handlers, entryPoints: handlerEntries, plugins: [apart('start-apart', /\/cli\/run-entry\.ts$/, './start.cjs')] },
  // Loads shared.cjs through V8's code cache (handlers/os/code-cache.ts).
  { ...handlers, entryPoints: { start: 'handlers/cli/start.ts' }, plugins: [apart('shared-apart', /\/run-entry\.ts$/, './shared.cjs')] },
  // What every run needs, Handlebars' runtime included; the compiler is
  // required only by a run that finds the template changed. No import():
  // code run by vm.Script cannot import, so esbuild makes it a require.
  { ...handlers, entryPoints: { shared: 'handlers/cli/run-entry.ts' }, supported: { 'dynamic-import': false }, plugins: [apart('compiler-apart', /^handlebars$/, './handlebars.cjs')] },
  { ...handlers, entryPoints: { handlebars: 'node_modules/handlebars/lib/index.js' }, plugins: [withoutSourceMap] },
  // CommonJS: a startup snapshot's main function can require() a script but not import() it.
  { ...common, format: 'cjs', outExtension: { '.js': '.cjs' }, entryPoints: { webapp: 'webapp/server.ts', 'node-snapshot': 'docker/node-snapshot.ts' }, outdir: 'bundle' },
];

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // Cleared first, so a file an older build made (another name) does not linger.
  rmSync(join(root, 'bundle'), { recursive: true, force: true });
  for (const options of builds) await esbuild.build(options);
}
