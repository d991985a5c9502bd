// Bundles what ships into bundle/, so the images need no node_modules: one
// self-contained file per entry in handlers/ (the folder is the list of
// entries), the web app, and the entry both images build their Node startup
// snapshot from (docker/node-snapshot.ts). `node build.mjs` writes; the
// tests import `build` to compare a fresh build with what is committed.
//
// CommonJS: Serf starts a Node process per member event, and an ES module
// entry first starts Node's ESM loader, about 4 ms of every run here; a
// startup snapshot's main function can require() a script but not import() it.
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

const handlers = Object.fromEntries(
  readdirSync(join(root, 'handlers'))
    .filter((file) => file.endsWith('.ts'))
    .sort()
    .map((file) => [`handlers/${file.slice(0, -'.ts'.length)}`, `handlers/${file}`]),
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

export const options = {
  absWorkingDir: root,
  entryPoints: { ...handlers, webapp: 'webapp/server.ts', 'node-snapshot': 'docker/node-snapshot.ts' },
  outdir: 'bundle',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [withoutSourceMap],
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // Cleared first, so a file an older build made (another name) does not linger.
  rmSync(join(root, 'bundle'), { recursive: true, force: true });
  await esbuild.build(options);
}
