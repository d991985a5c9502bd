"use strict";
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);

// handlers/cli/start.ts
var start_exports = {};
__export(start_exports, {
  main: () => main
});
module.exports = __toCommonJS(start_exports);
var import_node_path2 = require("node:path");

// handlers/os/code-cache.ts
var import_node_fs = require("node:fs");
var import_node_path = require("node:path");
var import_node_vm = require("node:vm");
var MAGIC = "serf-haproxy-autoscale code cache 3\n";
var wrap = (source) => `(function (exports, require, module, __filename, __dirname) { ${source}
});`;
function cachedDataFor(source, cacheFile) {
  let file;
  try {
    file = (0, import_node_fs.readFileSync)(cacheFile);
  } catch {
    return void 0;
  }
  const head = MAGIC.length + 8;
  if (file.length < head || file.toString("latin1", 0, MAGIC.length) !== MAGIC) return void 0;
  const sourceLength = file.readUInt32LE(MAGIC.length);
  const dataLength = file.readUInt32LE(MAGIC.length + 4);
  if (sourceLength !== source.length || file.length !== head + sourceLength + 2 * dataLength) return void 0;
  if (!file.subarray(head, head + sourceLength).equals(source)) return void 0;
  const data = file.subarray(head + sourceLength, head + sourceLength + dataLength);
  return data.equals(file.subarray(head + sourceLength + dataLength)) ? data : void 0;
}
function writeSynced(path, data) {
  const fd = (0, import_node_fs.openSync)(path, "w", 420);
  try {
    (0, import_node_fs.writeSync)(fd, data);
    (0, import_node_fs.fsyncSync)(fd);
  } finally {
    (0, import_node_fs.closeSync)(fd);
  }
}
function loadWithCodeCache(file, require2) {
  const source = (0, import_node_fs.readFileSync)(file);
  const cacheFile = `${file}.cache`;
  const cachedData = cachedDataFor(source, cacheFile);
  const script = new import_node_vm.Script(wrap(source.toString("utf8")), { filename: file, cachedData });
  const cache = cachedData === void 0 ? "missing" : script.cachedDataRejected ? "rejected" : "used";
  const module2 = { exports: {} };
  const run = script.runInThisContext();
  run.call(module2.exports, module2.exports, require2, module2, file, (0, import_node_path.dirname)(file));
  const save = () => {
    const data = script.createCachedData();
    const lengths = Buffer.alloc(8);
    lengths.writeUInt32LE(source.length, 0);
    lengths.writeUInt32LE(data.length, 4);
    const temp = `${cacheFile}.${process.pid}.tmp`;
    try {
      writeSynced(temp, Buffer.concat([Buffer.from(MAGIC, "latin1"), lengths, source, data, data]));
      (0, import_node_fs.renameSync)(temp, cacheFile);
      return true;
    } catch {
      try {
        (0, import_node_fs.unlinkSync)(temp);
      } catch {
      }
      return false;
    }
  };
  return { exports: module2.exports, cache, save };
}
function requireWithCodeCache(file, require2) {
  const loaded = loadWithCodeCache(file, require2);
  if (loaded.cache !== "used") process.once("exit", loaded.save);
  return loaded.exports;
}

// handlers/cli/start.ts
var { main } = requireWithCodeCache((0, import_node_path2.join)(__dirname, "shared.cjs"), require);
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  main
});
