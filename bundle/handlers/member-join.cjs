"use strict";

// handlers/member-join.ts
var import_run_entry = require("./start.cjs");
(0, import_run_entry.main)("member-join");
