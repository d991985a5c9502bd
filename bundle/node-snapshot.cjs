"use strict";

// docker/node-snapshot.ts
var import_node_v8 = require("node:v8");
import_node_v8.startupSnapshot.setDeserializeMainFunction(() => {
  const script = process.argv[1];
  if (!script) {
    process.stderr.write("usage: node --snapshot-blob node.blob <script> [args]: the script to run is missing\n");
    process.exit(2);
  }
  const { createRequire } = require("node:module");
  createRequire(script)(script);
});
