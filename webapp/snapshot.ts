// The entry of the webapp image's startup snapshot, built once at image build
// time against the image's own Node:
//   node --snapshot-blob webapp.blob --build-snapshot webapp-snapshot.cjs
// and run by s6 as `node --snapshot-blob webapp.blob`. Debian builds Node
// without a startup snapshot of its own, so every start bootstraps Node's
// internals from source: about 50 ms of the time from container start to
// traffic. A blob made here starts from that bootstrap already done.
//
// Nothing of the app runs at build time: its settings, host name and address
// belong to the container that starts, and node:http cannot be captured in a
// snapshot anyway. The app is required when the blob is started, from beside
// this file.
import { startupSnapshot } from 'node:v8';

// node:v8 is the one module loaded at build time (Node warns that others may
// come back out of sync from a snapshot); node:module is required at start.
const app = `${__dirname}/webapp.cjs`;
startupSnapshot.setDeserializeMainFunction(() => (require('node:module') as typeof import('node:module')).createRequire(app)(app));
