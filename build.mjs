// Bundles what ships into bundle/, so the images need no node_modules:
// bundle/handlers/ holds one small entry per file in handlers/ and the chunks
// they share; bundle/webapp.cjs is the web app, self-contained, and
// bundle/webapp-snapshot.cjs the entry its image builds a startup snapshot
// from. `node build.mjs` writes; the tests import `builds` to compare a fresh
// build with what is committed.
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
  format: 'esm',
  outExtension: { '.js': '.mjs' },
  legalComments: 'none',
  logLevel: 'warning',
};

export const builds = [
  {
    ...common,
    entryPoints: handlerEntries,
    outdir: 'bundle/handlers',
    splitting: true,
    chunkNames: 'shared-[hash]',
    plugins: [withoutSourceMap],
    // Handlebars is CommonJS and calls require(); ESM output has no require.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  },
  // CommonJS: a startup snapshot's main function can require() the app but not import() it.
  {
    ...common,
    entryPoints: { webapp: 'webapp/server.ts', 'webapp-snapshot': 'webapp/snapshot.ts' },
    outdir: 'bundle',
    format: 'cjs',
    outExtension: { '.js': '.cjs' },
  },
];

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // Chunk names carry a content hash: clear the old ones rather than leave them to pile up.
  rmSync(join(root, 'bundle'), { recursive: true, force: true });
  for (const options of builds) await esbuild.build(options);
}
