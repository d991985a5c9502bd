"use strict";
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __commonJS = (cb, mod) => function __require() {
  try {
    return mod || (0, cb[__getOwnPropNames(cb)[0]])((mod = { exports: {} }).exports, mod), mod.exports;
  } catch (e) {
    throw mod = 0, e;
  }
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));

// node_modules/minimist/index.js
var require_minimist = __commonJS({
  "node_modules/minimist/index.js"(exports2, module2) {
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
    module2.exports = function(args, opts) {
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

// handlers/cli/wake-engine.ts
var import_node_net = require("node:net");
var import_promises = require("node:timers/promises");

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
var import_node_fs = require("node:fs");
function descriptorLines(fd = 2, write = import_node_fs.writeSync, stream = () => process.stderr) {
  let fallback;
  return {
    write(text) {
      if (fallback) return fallback.write(text);
      const bytes = Buffer.from(text);
      let done = 0;
      try {
        while (done < bytes.length) done += write(fd, bytes, done);
      } catch {
        fallback = stream();
        fallback.write(done === 0 ? text : bytes.subarray(done));
      }
      return true;
    }
  };
}

// handlers/cli/read-stdin.ts
var import_node_fs2 = require("node:fs");
var import_node_tty = require("node:tty");
async function readStdin() {
  if ((0, import_node_tty.isatty)(0)) return "";
  const chunks = [];
  const buffer = Buffer.alloc(64 * 1024);
  for (; ; ) {
    let length;
    try {
      length = (0, import_node_fs2.readSync)(0, buffer);
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

// handlers/cli/settings.ts
var import_minimist = __toESM(require_minimist(), 1);
var SETTINGS = [
  { key: "nodesDir", flag: "nodes-dir", env: "NODES_DIR", fallback: "/nodes", kind: "text", help: "one JSON file per live backend" },
  { key: "template", flag: "template", env: "HAPROXY_TEMPLATE", fallback: "/usr/local/etc/haproxy/haproxy.cfg.hbs", kind: "text", help: "Handlebars template of the whole config" },
  { key: "config", flag: "config", env: "HAPROXY_CONFIG", fallback: "/usr/local/etc/haproxy/haproxy.cfg", kind: "text", help: "live HAProxy config" },
  { key: "checkCmd", flag: "check-cmd", env: "HAPROXY_CHECK_CMD", fallback: "haproxy -c -q -f", kind: "text", help: "validates a candidate config, given as last argument" },
  { key: "reloadCmd", flag: "reload-cmd", env: "HAPROXY_RELOAD_CMD", fallback: "s6-svc -2 /run/service/haproxy", kind: "text", help: "graceful reload (SIGUSR2 to the master)" },
  { key: "membersCmd", flag: "members-cmd", env: "SERF_MEMBERS_CMD", fallback: "serf members -format json", kind: "text", help: "live members, when no --members-rpc is given" },
  { key: "membersRpc", flag: "members-rpc", env: "SERF_RPC_ADDR", kind: "text", help: "the agent's RPC, host:port (token in SERF_RPC_AUTH): members read over it" },
  { key: "role", flag: "role", env: "BACKEND_ROLE", fallback: "backend", kind: "text", help: "Serf role tag of the members that become servers" },
  { key: "adminSocket", flag: "admin-socket", env: "HAPROXY_ADMIN_SOCKET", kind: "text", help: "HAProxy's runtime API (unset: reloads only)" },
  { key: "reloadStrategy", flag: "reload-strategy", env: "RELOAD_STRATEGY", fallback: "seamless", kind: "strategy", help: "seamless, or restart: the lab's reload per change" },
  { key: "backend", flag: "default-service", env: "LB_DEFAULT_SERVICE", fallback: "webapps", kind: "text", help: "the service a request no route matches goes to (none: a 404)" },
  { key: "stateFile", flag: "state-file", env: "HAPROXY_STATE_FILE", fallback: "/var/lib/haproxy/server-state", kind: "text", help: "the config's server-state-file, written before a reload" },
  { key: "drainMs", flag: "drain-ms", env: "DRAIN_TIMEOUT_MS", fallback: "2000", kind: "count", help: "how long a leaving server may finish its requests" },
  { key: "engineSocket", flag: "engine-socket", env: "ENGINE_SOCKET", fallback: "/run/lb/engine.sock", kind: "text", help: "where member-event handlers wake the engine" },
  // No variable: the ha image's environment holds RECONCILE_INTERVAL for its
  // engine's run script, and a reconcile run there by hand must stay one pass.
  { key: "interval", flag: "interval", kind: "count", help: "reconcile only: keep running as the engine, again every N seconds (the ha image: RECONCILE_INTERVAL)" },
  { key: "monitorCmd", flag: "monitor-cmd", env: "SERF_MONITOR_CMD", kind: "text", help: "the engine only: the agent's log stream, watched for member changes" }
];
var UsageError = class extends Error {
};
var HelpRequested = class extends Error {
};
function usage(entry) {
  const lines = SETTINGS.map((s) => {
    const from = [s.env && `env ${s.env}`, s.fallback !== void 0 && `default '${s.fallback}'`].filter(Boolean).join(", ");
    return `  --${s.flag.padEnd(16)} ${s.help}${from ? ` (${from})` : ""}`;
  });
  return [`usage: ${entry} [options]`, "", ...lines, `  --dry-run          print the config that would be written, change nothing (env DRY_RUN=1)`, `  --help             this text`, ""].join("\n");
}
function valueOf(setting, text) {
  if (setting.kind === "count") {
    if (!/^\d{1,7}$/.test(text)) throw new UsageError(`--${setting.flag} must be a whole number, got ${JSON.stringify(text)}`);
    return Number(text);
  }
  if (setting.kind === "strategy" && text !== "seamless" && text !== "restart") {
    throw new UsageError(`--${setting.flag} must be seamless or restart, got ${JSON.stringify(text)}`);
  }
  return text;
}
function parseSettings(argv, env) {
  const flags = SETTINGS.map((s) => s.flag);
  const args = (0, import_minimist.default)([...argv], {
    string: flags,
    boolean: ["dry-run", "help"],
    unknown: (arg) => {
      throw new UsageError(arg.startsWith("-") ? `unknown option ${arg}` : `unexpected argument ${JSON.stringify(arg)}`);
    }
  });
  const known = /* @__PURE__ */ new Set([...flags, "dry-run", "help", "_"]);
  const stray = Object.keys(args).find((key) => !known.has(key));
  if (stray !== void 0) throw new UsageError(`unknown option --${stray}`);
  if (args.help) throw new HelpRequested();
  const settings = { dryRun: Boolean(args["dry-run"]) || ["1", "true", "yes"].includes(env.DRY_RUN ?? "") };
  for (const setting of SETTINGS) {
    const given = args[setting.flag];
    if (given !== void 0 && (typeof given !== "string" || given === "")) throw new UsageError(`--${setting.flag} needs one non-empty value`);
    const text = given ?? (setting.env && env[setting.env] ? env[setting.env] : void 0) ?? setting.fallback;
    if (text !== void 0) settings[setting.key] = valueOf(setting, text);
  }
  return settings;
}
function settingsOrExit(entry, argv, env, out) {
  try {
    return parseSettings(argv, env);
  } catch (error) {
    if (error instanceof HelpRequested) {
      out.stdout.write(usage(entry));
      return 2;
    }
    if (error instanceof UsageError) {
      out.stderr.write(`${entry}: ${error.message}
${usage(entry)}`);
      return 2;
    }
    throw error;
  }
}

// handlers/cli/wake-engine.ts
var LISTEN_WAIT_MS = 3e4;
var ANSWER_WAIT_MS = 6e4;
function memberNames(stdin) {
  return stdin.split("\n").map((line) => line.split("	")[0].trim()).filter((name) => name !== "");
}
function askEngine(socketPath, request) {
  return new Promise((resolve, reject) => {
    const socket = (0, import_node_net.connect)(socketPath);
    let text = "";
    socket.setEncoding("utf8");
    socket.setTimeout(ANSWER_WAIT_MS, () => socket.destroy(new Error(`no answer from ${socketPath} in ${ANSWER_WAIT_MS / 1e3} s`)));
    socket.on("connect", () => socket.end(`${JSON.stringify(request)}
`));
    socket.on("data", (chunk) => text += chunk);
    socket.on("error", reject);
    socket.on("end", () => {
      let answer;
      try {
        answer = JSON.parse(text);
      } catch {
        answer = void 0;
      }
      const a = answer;
      if (typeof a !== "object" || a === null || typeof a.ok !== "boolean" || !Array.isArray(a.rejected)) {
        reject(new Error(`answer not understood: ${JSON.stringify(text.slice(0, 80))}`));
        return;
      }
      resolve({ ok: a.ok, rejected: a.rejected.map(String), error: typeof a.error === "string" ? a.error : void 0 });
    });
  });
}
async function askWhenListening(socketPath, request) {
  const deadline = Date.now() + LISTEN_WAIT_MS;
  for (; ; ) {
    try {
      return await askEngine(socketPath, request);
    } catch (error) {
      const code = error.code;
      if (!(code === "ENOENT" || code === "ECONNREFUSED") || Date.now() >= deadline) throw error;
      await (0, import_promises.setTimeout)(100);
    }
  }
}
function wakeEngine(event) {
  const stderr = descriptorLines();
  const settings = settingsOrExit(event, process.argv.slice(2), process.env, { stdout: process.stdout, stderr });
  if (typeof settings === "number") {
    process.exitCode = settings;
    return;
  }
  const log = createLog(stderr, event);
  void (async () => {
    const names = memberNames(await readStdin());
    const answer = await askWhenListening(settings.engineSocket, { event, names });
    if (answer.ok && answer.rejected.length === 0) return;
    log("warn", "not applied", { members: names.join(","), rejected: answer.rejected.join(",") || void 0, reason: answer.error });
    process.exitCode = 1;
  })().catch((error) => {
    log("error", "engine not reached; its next pass applies this event", { members: void 0, reason: error.message });
    process.exitCode = 1;
  });
}

// handlers/member-failed.ts
wakeEngine("member-failed");
