// The entry both images build their Node startup snapshot from, once, at
// image build time against the image's own Node:
//   node --snapshot-blob /opt/lb/node.blob --build-snapshot /opt/lb/node-snapshot.cjs
// Every Node the images start runs as `node --snapshot-blob /opt/lb/node.blob
// <script> [args]`, which runs <script> with the same argv as `node <script>`.
//
// Debian builds Node without a startup snapshot or a code cache of its own,
// so every start compiles Node's internals from source: in the ha image
// `node -e 0` takes 180-270 ms, a member-join handed over 300-330 ms; from
// this blob, an empty script 105-135 ms and that member-join 130-175 ms.
// The webapp's time to traffic gains the same.
//
// Nothing of the script runs at build time: its settings, host name and
// address belong to the container that starts, and node:http cannot be
// captured in a snapshot anyway (Node 20). Loading node:net and the like
// into it made no start faster: a larger blob takes longer to read.
import { startupSnapshot } from 'node:v8';

// node:v8 is the one module loaded at build time (Node warns that others may
// come back out of sync from a snapshot); node:module is required at start.
startupSnapshot.setDeserializeMainFunction(() => {
  const script = process.argv[1];
  if (!script) {
    process.stderr.write('usage: node --snapshot-blob node.blob <script> [args]: the script to run is missing\n');
    process.exit(2);
  }
  const { createRequire } = require('node:module') as typeof import('node:module');
  createRequire(script)(script);
});
