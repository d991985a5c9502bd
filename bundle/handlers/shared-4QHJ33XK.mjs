import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  require_handlebars_runtime
} from "./shared-N5PQJP47.mjs";
import {
  __commonJS,
  __toESM
} from "./shared-XEJWW3LE.mjs";

// node_modules/handlebars/runtime.js
var require_runtime = __commonJS({
  "node_modules/handlebars/runtime.js"(exports, module) {
    module.exports = require_handlebars_runtime()["default"];
  }
});

// node_modules/minimist/index.js
var require_minimist = __commonJS({
  "node_modules/minimist/index.js"(exports, module) {
    "use strict";
    function hasKey(obj, keys) {
      var o = obj;
      keys.slice(0, -1).forEach(function(key2) {
        o = o[key2] || {};
      });
      var key = keys[keys.length - 1];
      return key in o;
    }
    function isNumber(x) {
      if (typeof x === "number") {
        return true;
      }
      if (/^0x[0-9a-f]+$/i.test(x)) {
        return true;
      }
      return /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(e[-+]?\d+)?$/.test(x);
    }
    function isConstructorOrProto(obj, key) {
      return key === "constructor" && typeof obj[key] === "function" || key === "__proto__";
    }
    module.exports = function(args, opts) {
      if (!opts) {
        opts = {};
      }
      var flags = {
        bools: {},
        strings: {},
        unknownFn: null
      };
      if (typeof opts.unknown === "function") {
        flags.unknownFn = opts.unknown;
      }
      if (typeof opts.boolean === "boolean" && opts.boolean) {
        flags.allBools = true;
      } else {
        [].concat(opts.boolean).filter(Boolean).forEach(function(key2) {
          flags.bools[key2] = true;
        });
      }
      var aliases = {};
      function aliasIsBoolean(key2) {
        return aliases[key2].some(function(x) {
          return flags.bools[x];
        });
      }
      Object.keys(opts.alias || {}).forEach(function(key2) {
        aliases[key2] = [].concat(opts.alias[key2]);
        aliases[key2].forEach(function(x) {
          aliases[x] = [key2].concat(aliases[key2].filter(function(y) {
            return x !== y;
          }));
        });
      });
      [].concat(opts.string).filter(Boolean).forEach(function(key2) {
        flags.strings[key2] = true;
        if (aliases[key2]) {
          [].concat(aliases[key2]).forEach(function(k) {
            flags.strings[k] = true;
          });
        }
      });
      var defaults = opts.default || {};
      var argv = { _: [] };
      function argDefined(key2, arg2) {
        return flags.allBools && /^--[^=]+$/.test(arg2) || flags.strings[key2] || flags.bools[key2] || aliases[key2];
      }
      function setKey(obj, keys, value2) {
        var o = obj;
        for (var i2 = 0; i2 < keys.length - 1; i2++) {
          var key2 = keys[i2];
          if (isConstructorOrProto(o, key2)) {
            return;
          }
          if (o[key2] === void 0) {
            o[key2] = {};
          }
          if (o[key2] === Object.prototype || o[key2] === Number.prototype || o[key2] === String.prototype) {
            o[key2] = {};
          }
          if (o[key2] === Array.prototype) {
            o[key2] = [];
          }
          o = o[key2];
        }
        var lastKey = keys[keys.length - 1];
        if (isConstructorOrProto(o, lastKey)) {
          return;
        }
        if (o === Object.prototype || o === Number.prototype || o === String.prototype) {
          o = {};
        }
        if (o === Array.prototype) {
          o = [];
        }
        if (o[lastKey] === void 0 || flags.bools[lastKey] || typeof o[lastKey] === "boolean") {
          o[lastKey] = value2;
        } else if (Array.isArray(o[lastKey])) {
          o[lastKey].push(value2);
        } else {
          o[lastKey] = [o[lastKey], value2];
        }
      }
      function setArg(key2, val, arg2) {
        if (arg2 && flags.unknownFn && !argDefined(key2, arg2)) {
          if (flags.unknownFn(arg2) === false) {
            return;
          }
        }
        var value2 = !flags.strings[key2] && isNumber(val) ? Number(val) : val;
        setKey(argv, key2.split("."), value2);
        (aliases[key2] || []).forEach(function(x) {
          setKey(argv, x.split("."), value2);
        });
      }
      Object.keys(flags.bools).forEach(function(key2) {
        setArg(key2, defaults[key2] === void 0 ? false : defaults[key2]);
      });
      var notFlags = [];
      if (args.indexOf("--") !== -1) {
        notFlags = args.slice(args.indexOf("--") + 1);
        args = args.slice(0, args.indexOf("--"));
      }
      for (var i = 0; i < args.length; i++) {
        var arg = args[i];
        var key;
        var next;
        if (/^--.+=/.test(arg)) {
          var m = arg.match(/^--([^=]+)=([\s\S]*)$/);
          key = m[1];
          var value = m[2];
          if (flags.bools[key]) {
            value = value !== "false";
          }
          setArg(key, value, arg);
        } else if (/^--no-.+/.test(arg)) {
          key = arg.match(/^--no-(.+)/)[1];
          setArg(key, false, arg);
        } else if (/^--.+/.test(arg)) {
          key = arg.match(/^--(.+)/)[1];
          next = args[i + 1];
          if (next !== void 0 && !/^(-|--)[^-]/.test(next) && !flags.bools[key] && !flags.allBools && (aliases[key] ? !aliasIsBoolean(key) : true)) {
            setArg(key, next, arg);
            i += 1;
          } else if (/^(true|false)$/.test(next)) {
            setArg(key, next === "true", arg);
            i += 1;
          } else {
            setArg(key, flags.strings[key] ? "" : true, arg);
          }
        } else if (/^-[^-]+/.test(arg)) {
          var letters = arg.slice(1, -1).split("");
          var broken = false;
          for (var j = 0; j < letters.length; j++) {
            next = arg.slice(j + 2);
            if (next === "-") {
              setArg(letters[j], next, arg);
              continue;
            }
            if (/[A-Za-z]/.test(letters[j]) && next[0] === "=") {
              setArg(letters[j], next.slice(1), arg);
              broken = true;
              break;
            }
            if (/[A-Za-z]/.test(letters[j]) && /-?\d+(\.\d*)?(e-?\d+)?$/.test(next)) {
              setArg(letters[j], next, arg);
              broken = true;
              break;
            }
            if (letters[j + 1] && letters[j + 1].match(/\W/)) {
              setArg(letters[j], arg.slice(j + 2), arg);
              broken = true;
              break;
            } else {
              setArg(letters[j], flags.strings[letters[j]] ? "" : true, arg);
            }
          }
          key = arg.slice(-1)[0];
          if (!broken && key !== "-") {
            if (args[i + 1] && !/^(-|--)[^-]/.test(args[i + 1]) && !flags.bools[key] && (aliases[key] ? !aliasIsBoolean(key) : true)) {
              setArg(key, args[i + 1], arg);
              i += 1;
            } else if (args[i + 1] && /^(true|false)$/.test(args[i + 1])) {
              setArg(key, args[i + 1] === "true", arg);
              i += 1;
            } else {
              setArg(key, flags.strings[key] ? "" : true, arg);
            }
          }
        } else {
          if (!flags.unknownFn || flags.unknownFn(arg) !== false) {
            argv._.push(flags.strings._ || !isNumber(arg) ? arg : Number(arg));
          }
          if (opts.stopEarly) {
            argv._.push.apply(argv._, args.slice(i + 1));
            break;
          }
        }
      }
      Object.keys(defaults).forEach(function(k) {
        if (!hasKey(argv, k.split("."))) {
          setKey(argv, k.split("."), defaults[k]);
          (aliases[k] || []).forEach(function(x) {
            setKey(argv, x.split("."), defaults[k]);
          });
        }
      });
      if (opts["--"]) {
        argv["--"] = notFlags.slice();
      } else {
        notFlags.forEach(function(k) {
          argv._.push(k);
        });
      }
      return argv;
    };
  }
});

// handlers/cli/run-entry.ts
import { EventEmitter } from "node:events";

// handlers/pipeline/pipeline.ts
import { readFile as readFile2 } from "node:fs/promises";

// handlers/haproxy/admin-socket.ts
import { connect } from "node:net";
var AdminSocketUnavailable = class extends Error {
};
var UNAVAILABLE = /* @__PURE__ */ new Set(["ENOENT", "ECONNREFUSED", "ENOTSOCK", "EACCES"]);
function adminSocket(path, timeoutMs = 5e3) {
  return (command) => new Promise((resolve, reject) => {
    const socket = connect(path);
    let answer = "";
    socket.setEncoding("utf8");
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no answer from ${path} within ${timeoutMs} ms to '${command}'`)));
    socket.on("connect", () => socket.end(`${command}
`));
    socket.on("data", (chunk) => answer += chunk);
    socket.on("end", () => resolve(answer));
    socket.on("error", (error) => {
      reject(error.code && UNAVAILABLE.has(error.code) ? new AdminSocketUnavailable(`admin socket ${path}: ${error.code}`, { cause: error }) : error);
    });
  });
}

// handlers/haproxy/server-lines.ts
var SECTION = /^(global|defaults|frontend|backend|listen|userlist|peers|resolvers|cache|program|http-errors|ring|mailers)\b/;
var words = (line) => line.trim().split(/\s+/);
function isServerLine(line) {
  return /^\s+server\s/.test(line);
}
function serverLines(config, backend) {
  const servers = /* @__PURE__ */ new Map();
  let inBackend = false;
  let defaults = [];
  for (const line of config.split("\n")) {
    if (SECTION.test(line)) {
      const [keyword2, name] = words(line);
      inBackend = keyword2 === "backend" && name === backend;
      continue;
    }
    if (!inBackend) continue;
    const [keyword, ...rest] = words(line);
    if (keyword === "default-server") defaults = [...defaults, ...rest];
    else if (keyword === "server" && rest.length >= 2) servers.set(rest[0], { name: rest[0], hostport: rest[1], args: [...defaults, ...rest.slice(2)] });
  }
  return servers;
}
function configSkeleton(config) {
  return config.split("\n").filter((line) => !isServerLine(line)).join("\n");
}
function argument(line, keyword) {
  const at = line.args.lastIndexOf(keyword);
  return at === -1 ? void 0 : line.args[at + 1];
}

// handlers/haproxy/sync-runtime.ts
import { setTimeout as sleep } from "node:timers/promises";

// handlers/haproxy/runtime-state.ts
var RuntimeStateError = class extends Error {
};
function parseServersState(text) {
  const lines = text.split("\n").map((l) => l.trim()).filter(Boolean);
  if (lines[0] !== "1") throw new RuntimeStateError(`expected 'show servers state' format 1, got ${JSON.stringify(lines[0] ?? "")}`);
  const column = columnsOf(lines[1], "show servers state");
  const at = { name: column("srv_name"), address: column("srv_addr"), port: column("srv_port"), op: column("srv_op_state"), admin: column("srv_admin_state"), weight: column("srv_uweight") };
  return lines.slice(2).map((line) => {
    const fields = line.split(" ");
    return {
      name: fields[at.name],
      address: fields[at.address],
      port: Number(fields[at.port]),
      opState: Number(fields[at.op]),
      adminState: Number(fields[at.admin]),
      weight: Number(fields[at.weight])
    };
  });
}
function columnsOf(header, command) {
  if (!header?.startsWith("#")) throw new RuntimeStateError(`no column header in '${command}': ${JSON.stringify(header ?? "")}`);
  const columns = header.replace(/^#\s*/, "").split(" ");
  return (name) => {
    const at = columns.indexOf(name);
    if (at === -1) throw new RuntimeStateError(`'${command}' has no ${name} column`);
    return at;
  };
}
function parseConnectionsInUse(text, backend) {
  const lines = text.split("\n").map((l) => l.trim()).filter(Boolean);
  const column = columnsOf(lines[0], `show servers conn ${backend}`);
  const at = { id: column("bkname/svname"), used: column("used_cur") };
  const inUse = /* @__PURE__ */ new Map();
  for (const line of lines.slice(1)) {
    const fields = line.split(" ");
    inUse.set(fields[at.id].slice(backend.length + 1), Number(fields[at.used]));
  }
  return inUse;
}
function succeeded(answer) {
  const text = answer.trim();
  return text === "" || /^(New server registered\.|Server deleted\.)$/.test(text);
}

// handlers/haproxy/sync-runtime.ts
var RuntimeCommandError = class extends Error {
};
function withoutWeight(args) {
  const kept = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "weight") i++;
    else kept.push(args[i]);
  }
  return kept.join(" ");
}
var sameButWeight = (a, b) => a.hostport === b.hostport && withoutWeight(a.args) === withoutWeight(b.args);
function hostportOf(server) {
  return server.address.includes(":") ? `[${server.address}]:${server.port}` : `${server.address}:${server.port}`;
}
function planRuntime(wanted, filed, running) {
  const changes = { add: [], replace: [], reweight: [], remove: [] };
  const runningByName = new Map(running.map((s) => [s.name, s]));
  for (const line of wanted.values()) {
    const now = runningByName.get(line.name);
    if (!now) {
      changes.add.push(line);
      continue;
    }
    const before = filed.get(line.name);
    if (hostportOf(now) !== line.hostport || !before || !sameButWeight(before, line)) {
      changes.replace.push(line);
      continue;
    }
    const weight = argument(line, "weight") ?? "1";
    if (String(now.weight) !== weight) changes.reweight.push({ name: line.name, weight });
  }
  for (const server of running) if (!wanted.has(server.name)) changes.remove.push(server.name);
  return changes;
}
function isEmpty(changes) {
  return changes.add.length + changes.replace.length + changes.reweight.length + changes.remove.length === 0;
}
async function must(admin, command) {
  const answer = await admin(command);
  if (!succeeded(answer)) throw new RuntimeCommandError(`'${command}': ${answer.trim().split("\n")[0]}`);
}
async function addServer(admin, backend, line) {
  const id = `${backend}/${line.name}`;
  await must(admin, `add server ${id} ${line.hostport} ${line.args.join(" ")}`.trimEnd());
  if (line.args.includes("check")) await must(admin, `enable health ${id}`);
  await must(admin, `enable server ${id}`);
}
async function deleteServer(admin, backend, name) {
  const id = `${backend}/${name}`;
  await must(admin, `set server ${id} state maint`);
  await must(admin, `shutdown sessions server ${id}`);
  await must(admin, `del server ${id}`);
}
async function drainThenDelete(admin, names, settings) {
  const { backend, drainMs, pollMs = 50 } = settings;
  const state = settings.removal;
  for (const name of names) await must(admin, `set server ${backend}/${name} state ${state}`);
  const deadline = Date.now() + drainMs;
  let waiting = [...names];
  while (waiting.length > 0 && Date.now() < deadline) {
    const inUse = parseConnectionsInUse(await admin(`show servers conn ${backend}`), backend);
    const idle = waiting.filter((name) => (inUse.get(name) ?? 0) === 0);
    for (const name of idle) await deleteServer(admin, backend, name);
    waiting = waiting.filter((name) => !idle.includes(name));
    if (waiting.length > 0) await sleep(pollMs);
  }
  for (const name of waiting) await deleteServer(admin, backend, name);
  return waiting.length;
}
async function applyRuntime(changes, settings, admin) {
  const { backend } = settings;
  for (const line of changes.add) await addServer(admin, backend, line);
  for (const { name, weight } of changes.reweight) await must(admin, `set server ${backend}/${name} weight ${weight}`);
  for (const line of changes.replace) {
    await deleteServer(admin, backend, line.name);
    await addServer(admin, backend, line);
  }
  const cut = await drainThenDelete(admin, changes.remove, settings);
  return { added: changes.add.length + changes.replace.length, removed: changes.remove.length, reweighted: changes.reweight.length, cut };
}
async function runningServers(admin, backend) {
  return parseServersState(await admin(`show servers state ${backend}`));
}

// handlers/haproxy/change-haproxy.ts
var CLI_SAFE = /^[^;\\\s]+$/;
async function changeRunningHaproxy(rendered, live, target, admin) {
  if (live === void 0) return { path: "unavailable", reason: "no installed config yet" };
  if (configSkeleton(rendered) !== configSkeleton(live)) return { path: "reload", reason: "the config changed outside its server lines" };
  const wanted = serverLines(rendered, target.backend);
  for (const line of wanted.values()) {
    if (![line.name, line.hostport, ...line.args].every((word) => CLI_SAFE.test(word))) {
      return { path: "reload", reason: `server ${line.name}'s line has a character the runtime API would misread` };
    }
  }
  try {
    const changes = planRuntime(wanted, serverLines(live, target.backend), await runningServers(admin, target.backend));
    if (isEmpty(changes)) return { path: "runtime", result: { added: 0, removed: 0, reweighted: 0, cut: 0 } };
    return { path: "runtime", result: await applyRuntime(changes, target, admin) };
  } catch (error) {
    if (error instanceof AdminSocketUnavailable) return { path: "unavailable", reason: error.message };
    if (error instanceof RuntimeCommandError || error instanceof RuntimeStateError) return { path: "reload", reason: `runtime API refused: ${error.message}` };
    throw error;
  }
}

// handlers/haproxy/install-config.ts
import { readFile, rename as rename2, unlink as unlink2 } from "node:fs/promises";

// handlers/os/atomic-write.ts
import { open, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
var written = 0;
function tempPathFor(path) {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${++written}.tmp`);
}
async function writeFileAtomic(path, data, mode = 420) {
  const temp = tempPathFor(path);
  try {
    await writeFileSynced(temp, data, mode);
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => {
    });
    throw error;
  }
}
async function writeFileSynced(path, data, mode = 420) {
  const file = await open(path, "w", mode);
  try {
    await file.writeFile(data);
    await file.chmod(mode);
    await file.sync();
  } finally {
    await file.close();
  }
}

// handlers/os/process-group.ts
function killGroup(leaderPid) {
  try {
    process.kill(-leaderPid, "SIGKILL");
  } catch (error) {
    if (error.code !== "ESRCH") throw error;
  }
}

// handlers/os/run-command.ts
var TIMEOUT_MS = 3e4;
var spawnLoaded;
var loadSpawn = () => spawnLoaded ??= import("node:child_process").then((m) => m.spawn);
function commandRunner(timeoutMs = TIMEOUT_MS) {
  return async (commandLine, args = []) => {
    const spawn = await loadSpawn();
    return new Promise((resolve) => {
      const child = spawn("/bin/sh", ["-c", `${commandLine} "$@"`, "sh", ...args], { stdio: ["ignore", "pipe", "pipe"], detached: true });
      let stdout = "";
      let output = "";
      let timedOut = false;
      child.stdout.on("data", (chunk) => {
        stdout += chunk;
        output += chunk;
      });
      child.stderr.on("data", (chunk) => output += chunk);
      const timer = setTimeout(() => {
        timedOut = true;
        if (child.pid !== void 0) killGroup(child.pid);
      }, timeoutMs);
      const finish = (result) => {
        clearTimeout(timer);
        resolve(result);
      };
      child.on("error", (error) => finish({ code: 127, stdout, output: error.message }));
      child.on("close", (code, signal) => finish({ code: code ?? 128, stdout, output: signal ? `${output}killed by ${signal}` : output }));
      child.on("exit", (_code, signal) => {
        if (!timedOut) return;
        child.stdout.destroy();
        child.stderr.destroy();
        finish({ code: 128 + 9, stdout, output: `${output}killed by ${signal ?? "SIGKILL"} after ${timeoutMs} ms` });
      });
    });
  };
}
var runCommand = commandRunner();
function firstLine(output) {
  const lines = output.split("\n").map((l) => l.trim()).filter(Boolean);
  return lines.find((l) => /ALERT|error|fatal/i.test(l)) ?? lines[0] ?? "(no output)";
}

// handlers/haproxy/install-config.ts
var ConfigCheckError = class extends Error {
};
async function readIfExists(path) {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if (error.code === "ENOENT") return void 0;
    throw error;
  }
}
async function installConfig(liveConfig, rendered, checkCmd, run, beforeInstall = async () => {
}) {
  if (await readIfExists(liveConfig) === rendered) return "unchanged";
  const candidate = `${liveConfig}.candidate`;
  try {
    await writeFileSynced(candidate, rendered);
    const check = checkCmd === null ? { code: 0, output: "" } : await run(checkCmd, [candidate]);
    if (check.code !== 0) {
      throw new ConfigCheckError(`candidate config rejected by '${checkCmd}' (exit ${check.code}): ${firstLine(check.output)}; last good config kept`);
    }
    await beforeInstall();
    await rename2(candidate, liveConfig);
  } catch (error) {
    await unlink2(candidate).catch(() => {
    });
    throw error;
  }
  return "installed";
}

// handlers/haproxy/reload-haproxy.ts
import { access, unlink as unlink3, writeFile } from "node:fs/promises";
import { join as join2 } from "node:path";

// handlers/haproxy/server-state-file.ts
async function saveServerState(admin, stateFile) {
  let state;
  try {
    state = await admin("show servers state");
  } catch (error) {
    if (error instanceof AdminSocketUnavailable) return;
    throw error;
  }
  await writeFileAtomic(stateFile, state);
}

// handlers/haproxy/reload-haproxy.ts
var ReloadError = class extends Error {
};
function pendingMarker(nodesDir) {
  return join2(nodesDir, ".reload-pending");
}
async function markReloadPending(nodesDir) {
  await writeFile(pendingMarker(nodesDir), "");
}
async function reloadHaproxy(reloadCmd, nodesDir, run) {
  const marker = pendingMarker(nodesDir);
  await markReloadPending(nodesDir);
  const result = await run(reloadCmd);
  if (result.code !== 0) {
    throw new ReloadError(`reload command '${reloadCmd}' failed (exit ${result.code}): ${firstLine(result.output)}; will retry on the next event`);
  }
  await unlink3(marker);
}
async function isReloadPending(nodesDir) {
  try {
    await access(pendingMarker(nodesDir));
    return true;
  } catch {
    return false;
  }
}
async function tellHaproxy(step, config, via, settings, run, admin) {
  if (step === "starting") {
    await unlink3(pendingMarker(settings.nodesDir)).catch(() => {
    });
    return false;
  }
  const owed = await isReloadPending(settings.nodesDir);
  if (!owed && (via === "runtime" || config === "unchanged")) return false;
  await saveServerState(admin, settings.stateFile);
  await reloadHaproxy(settings.reloadCmd, settings.nodesDir, run);
  return true;
}

// handlers/haproxy/render-config.ts
var import_runtime = __toESM(require_runtime(), 1);
import { readFileSync } from "node:fs";

// handlers/members/validate-member.ts
import { isIPv6 } from "node:net";

// handlers/members/special-address.ts
function ipv4Kind([a, b, c, d]) {
  if (a === 0) return "unspecified";
  if (a === 127) return "loopback";
  if (a >= 224 && a <= 239) return "multicast";
  if (a === 255 && b === 255 && c === 255 && d === 255) return "broadcast";
  return void 0;
}
function ipv6Bytes(address) {
  const tail = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(address);
  const text = tail ? `${address.slice(0, -tail[0].length)}0:0` : address;
  const [head = "", rest] = text.split("::");
  const before = head === "" ? [] : head.split(":");
  const after = rest === void 0 || rest === "" ? [] : rest.split(":");
  const groups = rest === void 0 ? before : [...before, ...Array(8 - before.length - after.length).fill("0"), ...after];
  const bytes = groups.flatMap((group) => {
    const value = Number.parseInt(group, 16);
    return [value >> 8, value & 255];
  });
  if (tail) bytes.splice(12, 4, ...tail.slice(1).map(Number));
  return bytes;
}
function specialKind(address) {
  if (!address.includes(":")) return ipv4Kind(address.split(".").map(Number));
  const bytes = ipv6Bytes(address);
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 255 && bytes[11] === 255) return ipv4Kind(bytes.slice(12));
  if (bytes.every((b) => b === 0)) return "unspecified";
  if (bytes.slice(0, 15).every((b) => b === 0) && bytes[15] === 1) return "loopback";
  if (bytes[0] === 255) return "multicast";
  return void 0;
}

// handlers/members/validate-member.ts
var NODE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
var DECIMAL = /^[0-9]{1,5}$/;
var IPV4 = /^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$/;
var DEFAULT_PORT = 3e3;
var DEFAULT_WEIGHT = 1;
var MAX_WEIGHT = 256;
var InvalidMember = class extends Error {
};
function quoted(value) {
  const shown = value.length > 80 ? `${value.slice(0, 80)}...` : value;
  return JSON.stringify(shown);
}
function checkName(name) {
  if (!NODE_NAME.test(name)) {
    throw new InvalidMember(`node name must match ${NODE_NAME.source}, got ${quoted(name)}`);
  }
  return name;
}
function checkAddress(address) {
  if (!IPV4.test(address) && !(/^[0-9A-Fa-f:.]+$/.test(address) && isIPv6(address))) {
    throw new InvalidMember(`address must be an IPv4 or IPv6 literal, got ${quoted(address)}`);
  }
  const kind = specialKind(address);
  if (kind) throw new InvalidMember(`address ${quoted(address)} is ${kind}, not a backend's own address`);
  return address;
}
function checkInteger(what, value, fallback, min, max) {
  if (value === void 0) return fallback;
  const n = DECIMAL.test(value) ? Number(value) : NaN;
  if (!(n >= min && n <= max)) {
    throw new InvalidMember(`${what} tag must be an integer from ${min} to ${max}, got ${quoted(value)}`);
  }
  return n;
}

// handlers/members/tags.ts
function readTags(tags) {
  const sorted = [...tags].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0);
  return {
    port: checkInteger("port", tags.get("port"), DEFAULT_PORT, 1, 65535),
    weight: checkInteger("weight", tags.get("weight"), DEFAULT_WEIGHT, 0, MAX_WEIGHT),
    // fromEntries defines own properties, so a `__proto__` tag stays a plain key.
    all: Object.fromEntries(sorted)
  };
}
var TEMPLATE_KEY = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;
var TEMPLATE_VALUE = /^[A-Za-z0-9_.:/@+=,-]{0,128}$/;
function templateTags(tags) {
  const shown = [];
  const hidden = [];
  for (const [key, value] of Object.entries(tags)) {
    if (TEMPLATE_KEY.test(key) && TEMPLATE_VALUE.test(value)) shown.push([key, value]);
    else hidden.push(key);
  }
  return { shown: Object.fromEntries(shown), hidden };
}

// handlers/pool/server.ts
function sameServer(a, b) {
  return a.name === b.name && a.address === b.address && a.port === b.port && a.weight === b.weight && JSON.stringify(a.tags) === JSON.stringify(b.tags);
}
function byName(a, b) {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
function toServer(member, updated) {
  const name = checkName(member.name);
  const address = checkAddress(member.address);
  const { port, weight, all } = readTags(member.tags);
  return { name, address, port, weight, tags: all, updated };
}

// handlers/haproxy/render-config.ts
var Runtime = import_runtime.default;
var TemplateError = class extends Error {
};
function templateContext(servers) {
  return {
    // HAProxy reads the text after the last colon as the port, so IPv6 needs brackets.
    servers: [...servers].sort(byName).map((b) => ({
      ...b,
      hostport: b.address.includes(":") ? `[${b.address}]:${b.port}` : `${b.address}:${b.port}`,
      tags: templateTags(b.tags).shown
    })),
    count: servers.length
  };
}
var COMPILE_OPTIONS = { noEscape: true, strict: true };
function readCache(cacheFile) {
  if (cacheFile === void 0) return void 0;
  try {
    return JSON.parse(readFileSync(cacheFile, "utf8"));
  } catch {
    return void 0;
  }
}
async function templateSpec(source, cacheFile) {
  const cached = readCache(cacheFile);
  if (cached?.source === source && typeof cached.spec === "string") return cached.spec;
  const { default: Handlebars } = await import("./shared-6JCZGV4V.mjs");
  const spec = String(Handlebars.precompile(source, COMPILE_OPTIONS));
  if (cacheFile !== void 0) await writeFileAtomic(cacheFile, JSON.stringify({ source, spec })).catch(() => {
  });
  return spec;
}
var lastCompiled;
async function compiledTemplate(source, cacheFile) {
  if (lastCompiled?.source === source && lastCompiled.cacheFile === cacheFile) return lastCompiled.template;
  const spec = await templateSpec(source, cacheFile);
  const template = Runtime.create().template(new Function(`return ${spec}`)());
  lastCompiled = { source, cacheFile, template };
  return template;
}
var oneLine = (error) => error.message.split("\n").filter(Boolean).join(" ");
async function renderConfig(source, servers, cacheFile) {
  try {
    return (await compiledTemplate(source, cacheFile))(templateContext(servers));
  } catch (error) {
    throw new TemplateError(`template does not render: ${oneLine(error)}`, { cause: error });
  }
}

// handlers/os/lock.ts
import { mkdir, realpath } from "node:fs/promises";
import { createConnection, createServer } from "node:net";
import { setTimeout as sleep2 } from "node:timers/promises";
var LockTimeout = class extends Error {
};
function fnv1a64(text) {
  let hash = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(text)) hash = (hash ^ BigInt(byte)) * 0x100000001b3n & 0xffffffffffffffffn;
  return hash.toString(16).padStart(16, "0");
}
async function lockName(nodesDir) {
  return `\0serf-haproxy-autoscale/nodes-lock/${fnv1a64(await realpath(nodesDir))}`;
}
function bind(name, accepted) {
  return new Promise((resolve, reject) => {
    const server = createServer((socket) => {
      accepted.add(socket.on("error", () => {
      }).on("close", () => accepted.delete(socket)));
      socket.unref();
    });
    server.once("error", (error) => error.code === "EADDRINUSE" ? resolve(void 0) : reject(error));
    server.listen({ path: name }, () => resolve(server.unref()));
  });
}
function holderGone(name, deadline) {
  return new Promise((resolve) => {
    const socket = createConnection({ path: name });
    const timer = setTimeout(() => socket.destroy(), Math.max(0, deadline - Date.now()));
    socket.on("error", () => {
    });
    socket.on("close", (hadError) => {
      clearTimeout(timer);
      if (hadError) sleep2(5).then(() => resolve());
      else resolve();
    });
  });
}
async function withLock(nodesDir, work, options = {}) {
  const { timeoutMs = 6e4 } = options;
  await mkdir(nodesDir, { recursive: true });
  const name = await lockName(nodesDir);
  const deadline = Date.now() + timeoutMs;
  const accepted = /* @__PURE__ */ new Set();
  let server;
  while (!(server = await bind(name, accepted))) {
    if (Date.now() >= deadline) {
      throw new LockTimeout(`nodes directory ${nodesDir} still locked after ${timeoutMs} ms (another run holds @${name.slice(1)})`);
    }
    await holderGone(name, deadline);
  }
  try {
    return await work();
  } finally {
    for (const socket of accepted) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
}

// handlers/pool/nodes-store.ts
import { readFileSync as readFileSync2 } from "node:fs";
import { readdir, unlink as unlink4 } from "node:fs/promises";
import { join as join3 } from "node:path";

// handlers/os/in-parallel.ts
async function inParallel(items, limit, task) {
  let next = 0;
  let failure;
  const worker = async () => {
    while (failure === void 0 && next < items.length) {
      const index = next++;
      try {
        await task(items[index], index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== void 0) throw failure.error;
}

// handlers/pool/nodes-store.ts
function serverFile(nodesDir, name) {
  return join3(nodesDir, `${checkName(name)}.json`);
}
function checkStoredServer(file, value) {
  const b = value;
  if (typeof b !== "object" || b === null) throw new InvalidMember("not a JSON object");
  checkName(String(b.name));
  if (`${b.name}.json` !== file) throw new InvalidMember(`name ${JSON.stringify(b.name)} does not match the file name`);
  checkAddress(String(b.address));
  if (!Number.isInteger(b.port) || b.port < 1 || b.port > 65535) throw new InvalidMember("port out of range");
  if (!Number.isInteger(b.weight) || b.weight < 0 || b.weight > MAX_WEIGHT) throw new InvalidMember("weight out of range");
  return {
    name: b.name,
    address: b.address,
    port: b.port,
    weight: b.weight,
    tags: typeof b.tags === "object" && b.tags !== null ? b.tags : {},
    updated: String(b.updated ?? "")
  };
}
async function listFiles(nodesDir) {
  try {
    return await readdir(nodesDir);
  } catch (error) {
    if (error.code === "ENOENT") return [];
    throw error;
  }
}
var IO_CONCURRENCY = 16;
async function readStore(nodesDir) {
  const files = (await listFiles(nodesDir)).filter((file) => !file.startsWith(".") && file.endsWith(".json")).sort();
  const servers = [];
  const problems = [];
  for (const file of files) {
    try {
      servers.push(checkStoredServer(file, JSON.parse(readFileSync2(join3(nodesDir, file), "utf8"))));
    } catch (error) {
      problems.push({ file, reason: error.message });
    }
  }
  return { servers: servers.sort(byName), problems };
}
function applyChanges(current, changes) {
  const next = new Map(current.map((b) => [b.name, b]));
  for (const change of changes) {
    if (change.kind === "remove") {
      next.delete(change.name);
      continue;
    }
    const old = next.get(change.server.name);
    next.set(change.server.name, old && sameServer(old, change.server) ? old : change.server);
  }
  return [...next.values()].sort(byName);
}
async function saveStore(nodesDir, before, after) {
  const old = new Map(before.map((b) => [b.name, b]));
  const changed = after.filter((server) => {
    const previous = old.get(server.name);
    old.delete(server.name);
    return !(previous && sameServer(previous, server));
  });
  await inParallel(changed, IO_CONCURRENCY, (server) => writeFileAtomic(serverFile(nodesDir, server.name), `${JSON.stringify(server, null, 2)}
`));
  let removed = 0;
  await inParallel([...old.keys()], IO_CONCURRENCY, async (name) => {
    try {
      await unlink4(serverFile(nodesDir, name));
      removed++;
    } catch (error) {
      if (error.code !== "ENOENT") throw error;
    }
  });
  return changed.length + removed;
}

// handlers/pool/debris.ts
import { mkdir as mkdir2, readdir as readdir2, rename as rename3, stat, unlink as unlink5 } from "node:fs/promises";
import { join as join4 } from "node:path";
var CORRUPT_DIR = ".corrupt";
var TEMP_FILE = /^\..+\.(\d+)\.\d+\.tmp$/;
var OLD_LOCK_FILES = /* @__PURE__ */ new Set([".lock", ".lock.break"]);
var TEMP_MAX_AGE_MS = 6e4;
function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}
async function isDebris(nodesDir, file) {
  if (OLD_LOCK_FILES.has(file)) return true;
  const temp = TEMP_FILE.exec(file);
  if (!temp) return false;
  if (!alive(Number(temp[1]))) return true;
  try {
    return Date.now() - (await stat(join4(nodesDir, file))).mtimeMs > TEMP_MAX_AGE_MS;
  } catch {
    return false;
  }
}
async function clearDebris(nodesDir, problems, log, dryRun) {
  if (dryRun) {
    for (const { file, reason } of problems) log("warn", "nodes file skipped", { file, reason });
    return;
  }
  const files = await readdir2(nodesDir).catch(() => []);
  for (const file of files) {
    if (await isDebris(nodesDir, file)) await unlink5(join4(nodesDir, file)).catch(() => {
    });
  }
  if (problems.length === 0) return;
  await mkdir2(join4(nodesDir, CORRUPT_DIR), { recursive: true });
  for (const { file, reason } of problems) {
    await rename3(join4(nodesDir, file), join4(nodesDir, CORRUPT_DIR, file));
    log("warn", "nodes file moved aside", { file, reason, to: `${CORRUPT_DIR}/` });
  }
}

// handlers/pipeline/decide-changes.ts
function eachMember(members, decide) {
  const verdict = { changes: [], rejected: [], ignored: [], warnings: [] };
  for (const member of members) {
    try {
      decide(member, verdict);
    } catch (error) {
      if (!(error instanceof InvalidMember)) throw error;
      verdict.rejected.push(`member ${quoted(member.name)}: ${error.message}`);
    }
  }
  return verdict;
}
function isOurs(member, rules, verdict) {
  if (member.role === rules.role) return true;
  verdict.ignored.push(`${checkName(member.name)}: role ${quoted(member.role)} is not ${quoted(rules.role)}`);
  return false;
}
function put(member, current, rules, verdict) {
  const server = toServer(member, rules.now);
  verdict.changes.push({ kind: "put", server });
  const old = current.find((c) => c.name === server.name);
  const { hidden } = templateTags(server.tags);
  if (hidden.length > 0 && !(old && sameServer(old, server))) {
    verdict.warnings.push({ msg: "tags hidden from the template", reason: `${server.name}: ${hidden.map(quoted).join(", ")} (not a plain key and token)` });
  }
}
function putMembers(members, current, rules) {
  return eachMember(members, (member, verdict) => {
    if (isOurs(member, rules, verdict)) put(member, current, rules, verdict);
  });
}
function putOrRemoveMembers(members, current, rules) {
  return eachMember(members, (member, verdict) => {
    if (isOurs(member, rules, verdict)) put(member, current, rules, verdict);
    else verdict.changes.push({ kind: "remove", name: member.name });
  });
}
function removeMembers(members, _current, _rules) {
  return eachMember(members, (member, verdict) => {
    verdict.changes.push({ kind: "remove", name: checkName(member.name) });
  });
}
function keepOnlyMembers(members, current, rules) {
  const verdict = putMembers(members, current, rules);
  const keep = new Set(verdict.changes.map((c) => c.kind === "put" ? c.server.name : c.name));
  const gone = current.map(({ name }) => name).filter((name) => !keep.has(name));
  if (rules.mayRemove === false && gone.length > 0) {
    verdict.warnings.push({ msg: "removals refused", reason: `serf members lists no member but the agent itself, which has not rejoined its cluster: kept ${gone.length} server(s) it does not list (${gone.join(", ")})` });
    return verdict;
  }
  for (const name of gone) verdict.changes.push({ kind: "remove", name });
  return verdict;
}
function keepStore(_members, _current, _rules) {
  return { changes: [], rejected: [], ignored: [], warnings: [] };
}

// handlers/pipeline/events.ts
var EVENTS = {
  "member-join": { members: "event", decide: putMembers, haproxy: "apply", removal: "drain" },
  "member-update": { members: "event", decide: putOrRemoveMembers, haproxy: "apply", removal: "drain" },
  "member-leave": { members: "event-names", decide: removeMembers, haproxy: "apply", removal: "drain" },
  // A failed member gets no new request at all, not even a sticky client's.
  "member-failed": { members: "event-names", decide: removeMembers, haproxy: "apply", removal: "maint" },
  "member-reap": { members: "event-names", decide: removeMembers, haproxy: "apply", removal: "maint" },
  reconcile: { members: "serf", decide: keepOnlyMembers, haproxy: "apply", removal: "drain" },
  render: { members: "none", decide: keepStore, haproxy: "starting", removal: "maint" }
};

// handlers/members/event-lines.ts
function unescapeField(value) {
  return value.replace(/\\([tn])/g, (_, c) => c === "t" ? "	" : "\n");
}
function parseTags(field) {
  const tags = /* @__PURE__ */ new Map();
  let lastKey;
  for (const piece of field.split(",")) {
    if (piece === "") continue;
    const eq = piece.indexOf("=");
    if (eq === -1) {
      if (lastKey !== void 0) tags.set(lastKey, `${tags.get(lastKey)},${piece}`);
      continue;
    }
    lastKey = piece.slice(0, eq);
    tags.set(lastKey, piece.slice(eq + 1));
  }
  return tags;
}
function tagsReadOneWay(field, role) {
  const pieces = field === "" ? [] : field.split(",");
  const keys = pieces.map((piece) => piece.split("=").length === 2 ? piece.slice(0, piece.indexOf("=")) : void 0);
  if (keys.some((key) => key === void 0) || new Set(keys).size !== keys.length) return false;
  const rolePiece = pieces.find((piece) => piece.startsWith("role="));
  if ((rolePiece ?? "role=") !== `role=${role}`) return false;
  return pieces.length - (rolePiece === void 0 ? 0 : 1) <= 1;
}
function parseMemberLines(input) {
  const parsed = [];
  input.split("\n").forEach((raw, index) => {
    const text = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (text.trim() === "") return;
    const line = index + 1;
    const fields = text.split("	");
    if (fields.length < 3) {
      parsed.push({ ok: false, line, reason: `expected name<TAB>address<TAB>role<TAB>tags, got ${fields.length} field(s)` });
      return;
    }
    const [name, address, role, tags = ""] = fields.map(unescapeField);
    const member = { name, address, role, tags: parseTags(tags) };
    parsed.push({ ok: true, line, member: tagsReadOneWay(tags, role) ? member : { ...member, tagsUncertain: true } });
  });
  return parsed;
}

// handlers/members/serf-members.ts
var MembersError = class extends Error {
};
function hostOf(addr) {
  const bracketed = /^\[(.*)\]:\d+$/.exec(addr);
  if (bracketed) return bracketed[1];
  const colon = addr.lastIndexOf(":");
  return colon === -1 ? addr : addr.slice(0, colon);
}
function agentView(json) {
  let parsed;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new MembersError(`serf members output is not JSON: ${error.message}`);
  }
  if (!Array.isArray(parsed?.members)) throw new MembersError('serf members output has no "members" array');
  const listed = parsed.members.filter((m) => typeof m === "object" && m !== null);
  const alive2 = listed.filter((m) => typeof m === "object" && m !== null && m.status === "alive").map((m) => {
    const tags = /* @__PURE__ */ new Map();
    if (typeof m.tags === "object" && m.tags !== null) {
      for (const [key, value] of Object.entries(m.tags)) tags.set(key, String(value));
    }
    const name = typeof m.name === "string" ? m.name : "";
    const address = typeof m.addr === "string" ? hostOf(m.addr) : "";
    return { name, address, role: tags.get("role") ?? "", tags };
  });
  return { alive: alive2, listed: listed.length };
}
async function listAliveMembers(membersCmd, run) {
  const result = await run(membersCmd);
  if (result.code !== 0) {
    throw new MembersError(`'${membersCmd}' failed (exit ${result.code}): ${firstLine(result.output)}`);
  }
  return agentView(result.stdout);
}

// handlers/pipeline/read-members.ts
async function readMembers(source, inputs) {
  if (source === "none") return { members: [], rejected: [] };
  if (source === "serf") {
    const view = await listAliveMembers(inputs.membersCmd, inputs.run);
    return { members: view.alive, rejected: [], agentAlone: view.listed <= 1 };
  }
  const read = { members: [], rejected: [] };
  for (const line of parseMemberLines(await inputs.eventText())) {
    if (line.ok) read.members.push(line.member);
    else read.rejected.push(`line ${line.line}: ${line.reason}`);
  }
  inputs.log("info", "members read", { members: read.members.length + read.rejected.length });
  if (source === "event") read.members = await settleUncertainTags(read.members, inputs);
  return read;
}
async function settleUncertainTags(members, inputs) {
  const uncertain = members.filter((m) => m.tagsUncertain && m.role === inputs.role);
  if (uncertain.length === 0) return members;
  let alive2;
  try {
    alive2 = new Map((await listAliveMembers(inputs.membersCmd, inputs.run)).alive.map((m) => [m.name, m]));
  } catch (error) {
    for (const m of uncertain) inputs.log("warn", "member left to reconcile", { name: m.name, reason: `tags can be read two ways and ${error.message}` });
    return members.filter((m) => !uncertain.includes(m));
  }
  return members.flatMap((m) => {
    if (!uncertain.includes(m)) return [m];
    const listed = alive2.get(m.name);
    if (!listed) inputs.log("info", "member left to reconcile", { name: m.name, reason: "tags can be read two ways and serf members does not list it alive" });
    return listed ? [listed] : [];
  });
}

// handlers/pipeline/pipeline.ts
async function runPipeline(event, ctx) {
  const plan = EVENTS[event];
  const { options } = ctx;
  const eventText = plan.members.startsWith("event") ? await ctx.eventText() : "";
  const input = { ...ctx, eventText: async () => eventText };
  if (options.dryRun) return printConfig(plan, input);
  return withLock(options.nodesDir, async () => {
    const { before, verdict, after } = await decidePool(plan, input);
    const storeChanges = await saveStore(options.nodesDir, before, after);
    const template = await readFile2(options.template, "utf8");
    const rendered = await renderConfig(template, after, options.templateCache);
    const runtime = await changeRuntime(plan, rendered, input);
    const viaRuntime = runtime?.path === "runtime";
    const owe = viaRuntime ? void 0 : () => markReloadPending(options.nodesDir);
    const config = await installConfig(options.config, rendered, viaRuntime ? null : options.checkCmd, ctx.run, owe);
    const reload = await tellHaproxy(plan.haproxy, config, viaRuntime ? "runtime" : "reload", options, ctx.run, ctx.admin);
    return { verdict, servers: after.length, storeChanges, config, runtime, reload };
  });
}
async function decidePool(plan, ctx) {
  const { options, log } = ctx;
  const store = await readStore(options.nodesDir);
  await clearDebris(options.nodesDir, store.problems, log, options.dryRun);
  const read = await readMembers(plan.members, { eventText: ctx.eventText, membersCmd: options.membersCmd, role: options.role, run: ctx.run, log });
  const verdict = plan.decide(read.members, store.servers, { role: options.role, now: ctx.now().toISOString(), mayRemove: !read.agentAlone });
  verdict.rejected.unshift(...read.rejected);
  for (const reason of verdict.rejected) log("warn", "member rejected", { reason });
  for (const reason of verdict.ignored) log("info", "member ignored", { reason });
  for (const { msg, reason } of verdict.warnings) log("warn", msg, { reason });
  return { before: store.servers, verdict, after: applyChanges(store.servers, verdict.changes) };
}
async function changeRuntime(plan, rendered, ctx) {
  const { options } = ctx;
  if (plan.haproxy === "starting" || options.adminSocket === "none") return void 0;
  const live = await readIfExists(options.config);
  const outcome = await changeRunningHaproxy(rendered, live, { backend: options.backend, removal: plan.removal, drainMs: Number(options.drainMs) }, ctx.admin);
  if (outcome.path === "reload") ctx.log("warn", "runtime API not used, reloading instead", { reason: outcome.reason });
  if (plan.members === "serf" && outcome.path === "runtime" && outcome.result.added + outcome.result.removed + outcome.result.reweighted > 0 && live === rendered) {
    ctx.log("warn", "runtime drift repaired", { added: outcome.result.added, removed: outcome.result.removed, reweighted: outcome.result.reweighted });
  }
  return outcome;
}
async function printConfig(plan, ctx) {
  const { verdict, after } = await decidePool(plan, ctx);
  const template = await readFile2(ctx.options.template, "utf8");
  ctx.stdout.write(await renderConfig(template, after));
  return { verdict, servers: after.length, storeChanges: 0, config: "dry-run", runtime: void 0, reload: false };
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

// handlers/cli/options.ts
var import_minimist = __toESM(require_minimist(), 1);
var UsageError = class extends Error {
};
var HelpRequested = class extends Error {
};
var SETTINGS = [
  { key: "nodesDir", flag: "nodes-dir", env: "NODES_DIR", fallback: "/nodes", help: "one JSON file per live backend" },
  { key: "template", flag: "template", env: "HAPROXY_TEMPLATE", fallback: "/usr/local/etc/haproxy/haproxy.cfg.hbs", help: "Handlebars template of the whole config" },
  { key: "config", flag: "config", env: "HAPROXY_CONFIG", fallback: "/usr/local/etc/haproxy/haproxy.cfg", help: "live HAProxy config" },
  { key: "checkCmd", flag: "check-cmd", env: "HAPROXY_CHECK_CMD", fallback: "haproxy -c -q -f", help: "validates a candidate config, given as last argument" },
  { key: "reloadCmd", flag: "reload-cmd", env: "HAPROXY_RELOAD_CMD", fallback: "s6-svc -2 /run/service/haproxy", help: "graceful reload (SIGUSR2 to the master)" },
  { key: "membersCmd", flag: "members-cmd", env: "SERF_MEMBERS_CMD", fallback: "serf members -format json", help: "live members, for reconcile" },
  { key: "role", flag: "role", env: "BACKEND_ROLE", fallback: "backend", help: "Serf role tag of the members that become servers" },
  { key: "adminSocket", flag: "admin-socket", env: "HAPROXY_ADMIN_SOCKET", fallback: "/run/haproxy/admin.sock", help: "HAProxy's runtime API; 'none' changes HAProxy by reloads only" },
  { key: "backend", flag: "backend", env: "HAPROXY_BACKEND", fallback: "webapps", help: "the backend whose servers the members are" },
  { key: "templateCache", flag: "template-cache", env: "HAPROXY_TEMPLATE_CACHE", fallback: "/var/lib/haproxy/template-cache.json", help: "the compiled template, kept between runs" },
  { key: "stateFile", flag: "state-file", env: "HAPROXY_STATE_FILE", fallback: "/var/lib/haproxy/server-state", help: "the config's server-state-file, written before a reload" },
  { key: "every", flag: "every", env: "RECONCILE_EVERY", fallback: "0", help: "reconcile only: keep running, again every N seconds and at once on SIGHUP (0: run once)" },
  { key: "monitorCmd", flag: "monitor-cmd", env: "SERF_MONITOR_CMD", fallback: "serf monitor -log-level=info", help: "reconcile --every only: the agent's log stream; a member change in it starts a run at once ('none': off)" },
  { key: "drainMs", flag: "drain-ms", env: "DRAIN_TIMEOUT_MS", fallback: "2000", help: "how long a leaving server may finish its requests before they are cut" }
];
function usage(entry) {
  const lines = SETTINGS.map((s) => `  --${s.flag.padEnd(12)} ${s.help} (env ${s.env}, default '${s.fallback}')`);
  return [
    `usage: ${entry} [options] < members`,
    "",
    ...lines,
    `  --dry-run      print the config that would be written, change nothing (env DRY_RUN=1)`,
    `  --help         this text`,
    ""
  ].join("\n");
}
function parseOptions(argv, env) {
  const strings = SETTINGS.map((s) => s.flag);
  const known = /* @__PURE__ */ new Set([...strings, "dry-run", "help", "_"]);
  const args = (0, import_minimist.default)([...argv], {
    string: strings,
    boolean: ["dry-run", "help"],
    unknown: (arg) => {
      if (arg.startsWith("-")) throw new UsageError(`unknown option ${arg}`);
      throw new UsageError(`unexpected argument ${JSON.stringify(arg)}`);
    }
  });
  for (const key of Object.keys(args)) {
    if (!known.has(key)) throw new UsageError(`unknown option --${key}`);
  }
  if (args.help) throw new HelpRequested();
  const options = {};
  for (const s of SETTINGS) {
    const value = args[s.flag] ?? (env[s.env] || void 0) ?? s.fallback;
    if (typeof value !== "string" || value === "") throw new UsageError(`--${s.flag} needs a non-empty value`);
    options[s.key] = value;
  }
  if (!/^\d{1,7}$/.test(String(options.drainMs))) throw new UsageError(`--drain-ms must be a whole number of milliseconds, got ${JSON.stringify(options.drainMs)}`);
  if (!/^\d{1,6}$/.test(String(options.every))) throw new UsageError(`--every must be a whole number of seconds, got ${JSON.stringify(options.every)}`);
  options.dryRun = Boolean(args["dry-run"]) || ["1", "true", "yes"].includes(env.DRY_RUN ?? "");
  return options;
}

// handlers/cli/read-stdin.ts
import { readSync } from "node:fs";
import { isatty } from "node:tty";
async function readStdin() {
  if (isatty(0)) return "";
  const chunks = [];
  const buffer = Buffer.alloc(64 * 1024);
  for (; ; ) {
    let length;
    try {
      length = readSync(0, buffer);
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

// handlers/cli/repeat.ts
async function repeat(run, seconds, wakeups, until) {
  let asked = false;
  let wake;
  const onWake = () => {
    asked = true;
    wake?.();
  };
  wakeups.on("wake", onWake);
  until?.addEventListener("abort", () => wake?.());
  while (!until?.aborted) {
    asked = false;
    await run();
    if (asked || until?.aborted) continue;
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, seconds * 1e3);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    wake = void 0;
  }
  wakeups.off("wake", onWake);
}

// handlers/cli/run-entry.ts
function processIo() {
  return {
    argv: process.argv.slice(2),
    env: process.env,
    readStdin,
    stdout: process.stdout,
    stderr: process.stderr,
    run: runCommand,
    now: () => /* @__PURE__ */ new Date()
  };
}
function optionsOrExit(event, io) {
  try {
    return parseOptions(io.argv, io.env);
  } catch (error) {
    if (error instanceof HelpRequested) {
      io.stdout.write(usage(event));
      return 2;
    }
    if (error instanceof UsageError) {
      io.stderr.write(`${event}: ${error.message}
${usage(event)}`);
      return 2;
    }
    throw error;
  }
}
async function runEntry(event, io) {
  const started = process.hrtime.bigint();
  const duration = () => Number((process.hrtime.bigint() - started) / 1000000n);
  const log = createLog(io.stderr, event);
  const options = optionsOrExit(event, io);
  if (typeof options === "number") return options;
  try {
    const admin = io.admin ?? adminSocket(options.adminSocket);
    const outcome = await runPipeline(event, { options, admin, eventText: io.readStdin, stdout: io.stdout, run: io.run, now: io.now, log });
    const runtime = outcome.runtime;
    const changed = runtime?.path === "runtime" ? runtime.result : void 0;
    log("info", "done", {
      event,
      serf_event: io.env.SERF_EVENT,
      applied: outcome.verdict.changes.length,
      rejected: outcome.verdict.rejected.length,
      ignored: outcome.verdict.ignored.length,
      backends: outcome.servers,
      store_changes: outcome.storeChanges,
      config: outcome.config,
      runtime: runtime?.path === "runtime" ? "applied" : runtime?.path === "reload" ? "fallback" : "off",
      runtime_added: changed?.added,
      runtime_removed: changed?.removed,
      runtime_cut: changed && changed.cut > 0 ? changed.cut : void 0,
      reload: outcome.reload ? "yes" : "no",
      duration_ms: duration()
    });
    return outcome.verdict.rejected.length > 0 ? 1 : 0;
  } catch (error) {
    log("error", error.message, { event, duration_ms: duration() });
    return 1;
  }
}
function repeating(event, io) {
  if (event !== "reconcile") return void 0;
  try {
    const options = parseOptions(io.argv, io.env);
    return Number(options.every) > 0 ? options : void 0;
  } catch {
    return void 0;
  }
}
function main(event) {
  const io = processIo();
  const once = () => runEntry(event, io).then(
    (code) => process.exitCode = code,
    (error) => {
      process.stderr.write(`${event}: ${error.stack ?? String(error)}
`);
      process.exitCode = 1;
    }
  );
  const options = repeating(event, io);
  if (!options) {
    void once();
    return;
  }
  const wakeups = new EventEmitter();
  const wake = () => wakeups.emit("wake");
  process.on("SIGHUP", wake);
  if (options.monitorCmd !== "none") void import("./shared-QQSJYXWN.mjs").then((m) => m.watchMemberChanges(options.monitorCmd, wake, createLog(io.stderr, event)));
  void repeat(once, Number(options.every), wakeups);
}

export {
  main
};
