// Bundles each Serf handler and the web app into one self-contained .mjs in
// bundle/, so the images need no node_modules. `node build.mjs` writes;
// tests import `bundleOptions` to compare a fresh build with what is committed.
import * as esbuild from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

export const entries = {
  'member-join': 'handlers/member-join.ts',
  'member-leave': 'handlers/member-leave.ts',
  'member-failed': 'handlers/member-failed.ts',
  'member-update': 'handlers/member-update.ts',
  'member-reap': 'handlers/member-reap.ts',
  reconcile: 'handlers/reconcile.ts',
  webapp: 'webapp/server.ts',
};

export const bundleOptions = {
  absWorkingDir: root,
  entryPoints: entries,
  outdir: 'bundle',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // Handlebars is CommonJS and calls require(); ESM output has no require.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  legalComments: 'none',
  logLevel: 'warning',
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await esbuild.build(bundleOptions);
}
