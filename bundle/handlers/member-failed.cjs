"use strict";

// handlers/member-failed.ts
var import_run_entry = require("./shared.cjs");
(0, import_run_entry.main)("member-failed");
