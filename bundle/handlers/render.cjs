"use strict";

// handlers/render.ts
var import_run_entry = require("./shared.cjs");
(0, import_run_entry.main)("render");
