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

// handlers/os/log.ts
function formatValue(value) {
  const text = String(value);
  return /^[A-Za-z0-9_.:/@+-]+$/.test(text) ? text : JSON.stringify(text);
}
function createLog(stream, component) {
  return (level, msg, fields = {}) => {
    const all = { level, component, msg, ...fields };
    const pairs = Object.entries(all).filter((pair) => pair[1] !== void 0).map(([key, value]) => `${key}=${formatValue(value)}`);
    stream.write(`${pairs.join(" ")}
`);
  };
}

// handlers/os/stderr-lines.ts
var import_node_fs2 = require("node:fs");
function descriptorLines(fd = 2, write = import_node_fs2.writeSync, stream = () => process.stderr) {
  let fallback2;
  return {
    write(text) {
      if (fallback2) return fallback2.write(text);
      const bytes = Buffer.from(text);
      let done = 0;
      try {
        while (done < bytes.length) done += write(fd, bytes, done);
      } catch {
        fallback2 = stream();
        fallback2.write(done === 0 ? text : bytes.subarray(done));
      }
      return true;
    }
  };
}

// handlers/cli/hand-over.ts
var import_node_net = require("node:net");

// handlers/cli/settings.ts
var SETTINGS = [
  { key: "nodesDir", flag: "nodes-dir", env: "NODES_DIR", fallback: "/nodes", help: "one JSON file per live backend" },
  { key: "template", flag: "template", env: "HAPROXY_TEMPLATE", fallback: "/usr/local/etc/haproxy/haproxy.cfg.hbs", help: "Handlebars template of the whole config" },
  { key: "config", flag: "config", env: "HAPROXY_CONFIG", fallback: "/usr/local/etc/haproxy/haproxy.cfg", help: "live HAProxy config" },
  { key: "checkCmd", flag: "check-cmd", env: "HAPROXY_CHECK_CMD", fallback: "haproxy -c -q -f", help: "validates a candidate config, given as last argument" },
  { key: "reloadCmd", flag: "reload-cmd", env: "HAPROXY_RELOAD_CMD", fallback: "s6-svc -2 /run/service/haproxy", help: "graceful reload (SIGUSR2 to the master)" },
  { key: "membersCmd", flag: "members-cmd", env: "SERF_MEMBERS_CMD", fallback: "serf members -format json", help: "live members, for reconcile" },
  { key: "membersRpc", flag: "members-rpc", env: "SERF_RPC_ADDR", fallback: "none", help: "the agent's RPC (host:port, token in SERF_RPC_AUTH): live members read over it, not by --members-cmd ('none': the command)" },
  { key: "role", flag: "role", env: "BACKEND_ROLE", fallback: "backend", help: "Serf role tag of the members that become servers" },
  { key: "adminSocket", flag: "admin-socket", env: "HAPROXY_ADMIN_SOCKET", fallback: "/run/haproxy/admin.sock", help: "HAProxy's runtime API; 'none' changes HAProxy by reloads only" },
  { key: "backend", flag: "backend", env: "HAPROXY_BACKEND", fallback: "webapps", help: "the backend whose servers the members are" },
  { key: "templateCache", flag: "template-cache", env: "HAPROXY_TEMPLATE_CACHE", fallback: "/var/lib/haproxy/template-cache.json", help: "the compiled template, kept between runs" },
  { key: "stateFile", flag: "state-file", env: "HAPROXY_STATE_FILE", fallback: "/var/lib/haproxy/server-state", help: "the config's server-state-file, written before a reload" },
  { key: "every", flag: "every", env: "RECONCILE_EVERY", fallback: "0", help: "reconcile only: keep running, again every N seconds and at once on SIGHUP (0: run once)" },
  { key: "monitorCmd", flag: "monitor-cmd", env: "SERF_MONITOR_CMD", fallback: "serf monitor -log-level=info", help: "reconcile --every only: the agent's log stream; a member change in it starts a run at once ('none': off)" },
  { key: "pipelineSocket", flag: "pipeline-socket", env: "PIPELINE_SOCKET", fallback: "/run/lb/pipeline.sock", help: "where the warm reconcile takes member events over (root only); 'none': every run does its own work" },
  { key: "drainMs", flag: "drain-ms", env: "DRAIN_TIMEOUT_MS", fallback: "2000", help: "how long a leaving server may finish its requests before they are cut" }
];

// handlers/cli/hand-over.ts
var FLAG = "--pipeline-socket";
var SILENCE_MS = 1e4;
var fallback = SETTINGS.find((s) => s.flag === "pipeline-socket").fallback;
function runEnv(env) {
  const picked = {};
  for (const name of [...SETTINGS.map((s) => s.env), "DRY_RUN", "SERF_EVENT"]) {
    const value = env[name];
    if (value !== void 0) picked[name] = value;
  }
  return picked;
}
var isMemberEvent = (event) => event.startsWith("member-");
function handOverSocket(event, argv, env) {
  if (!isMemberEvent(event)) return void 0;
  if (["1", "true", "yes"].includes(env.DRY_RUN ?? "")) return void 0;
  let socket = env.PIPELINE_SOCKET || fallback;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--help" || arg.startsWith("--dry-run")) return void 0;
    if (arg === FLAG) socket = argv[++i] ?? "";
    else if (arg.startsWith(`${FLAG}=`)) socket = arg.slice(FLAG.length + 1);
  }
  return socket === "" || socket === "none" ? void 0 : socket;
}
function handOver(socketPath, request) {
  return new Promise((resolve) => {
    const socket = (0, import_node_net.connect)(socketPath);
    let pending = "";
    let outcome;
    socket.setEncoding("utf8");
    socket.setTimeout(SILENCE_MS, () => socket.destroy(new Error(`no answer for ${SILENCE_MS / 1e3} s`)));
    socket.on("connect", () => socket.end(`${JSON.stringify(request)}
`));
    socket.on("data", (chunk) => {
      pending += chunk;
      const newline = pending.indexOf("\n");
      if (newline < 0) return;
      const line = pending.slice(0, newline);
      let answer;
      try {
        answer = JSON.parse(line);
      } catch {
        socket.destroy(new Error(`answer not understood: ${line.slice(0, 80)}`));
        return;
      }
      outcome = "taken" in answer ? { kind: "taken" } : { kind: "declined", reason: answer.declined };
      socket.destroy();
      resolve(outcome);
    });
    socket.on("error", (error) => {
      outcome ??= { kind: "unavailable", reason: `${socketPath}: ${error.code ?? error.message}` };
    });
    socket.on("close", () => resolve(outcome ?? { kind: "unavailable", reason: `${socketPath}: closed without an answer` }));
  });
}

// handlers/cli/read-stdin.ts
var import_node_fs3 = require("node:fs");
var import_node_tty = require("node:tty");
async function readStdin() {
  if ((0, import_node_tty.isatty)(0)) return "";
  const chunks = [];
  const buffer = Buffer.alloc(64 * 1024);
  for (; ; ) {
    let length;
    try {
      length = (0, import_node_fs3.readSync)(0, buffer);
    } catch (error) {
      const code = error.code;
      if (code === "EAGAIN") {
        for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk));
        break;
      }
      if (code === "EBADF") break;
      throw error;
    }
    if (length === 0) break;
    chunks.push(Buffer.from(buffer.subarray(0, length)));
  }
  return Buffer.concat(chunks).toString("utf8");
}

// handlers/cli/start.ts
var shared = () => requireWithCodeCache((0, import_node_path2.join)(__dirname, "shared.cjs"), require);
function main(event) {
  const argv = process.argv.slice(2);
  const socket = handOverSocket(event, argv, process.env);
  if (!socket) {
    shared().main(event);
    return;
  }
  void readStdin().then(
    async (stdin) => {
      const outcome = await handOver(socket, { event, argv, env: runEnv(process.env), stdin });
      if (outcome.kind === "taken") return;
      if (outcome.kind === "declined" || !/ENOENT|ECONNREFUSED/.test(outcome.reason)) {
        createLog(descriptorLines(), event)("info", "running here, not handed over", { reason: outcome.reason });
      }
      shared().main(event, stdin);
    },
    // stdin could not be read: the run here reports it, as it always did.
    () => shared().main(event)
  );
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  main
});
