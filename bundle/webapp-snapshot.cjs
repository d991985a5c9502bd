"use strict";

// webapp/snapshot.ts
var import_node_v8 = require("node:v8");
var app = `${__dirname}/webapp.cjs`;
import_node_v8.startupSnapshot.setDeserializeMainFunction(() => require("node:module").createRequire(app)(app));
