"use strict";

// handlers/reconcile.ts
var import_run_entry = require("./start.cjs");
(0, import_run_entry.main)("reconcile");
