"use strict";

// handlers/member-reap.ts
var import_run_entry = require("./start.cjs");
(0, import_run_entry.main)("member-reap");
