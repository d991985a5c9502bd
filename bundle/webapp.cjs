"use strict";

// webapp/server.ts
var import_node_os2 = require("node:os");

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

// webapp/lib/app.ts
var import_node_http = require("node:http");
var import_promises = require("node:timers/promises");

// webapp/lib/delay-body.ts
var MAX_DELAY_MS = 6e4;
var EXPECTED = `expected {"delay": integer 0..${MAX_DELAY_MS}}`;
var InvalidDelay = class extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = "InvalidDelay";
  }
};
function quote(text) {
  const shown = text.length > 60 ? `${text.slice(0, 60)}...` : text;
  return JSON.stringify(shown);
}
function describe(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return `${quote(value)} (string)`;
  if (typeof value === "number" || typeof value === "boolean") return `${String(value)} (${typeof value})`;
  return `an ${typeof value}`;
}
function parseDelayBody(body) {
  if (body.trim() === "") throw new InvalidDelay(`${EXPECTED}, got an empty body`);
  let parsed;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    throw new InvalidDelay(`${EXPECTED}, got ${quote(body)}`, { cause: error });
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new InvalidDelay(`${EXPECTED}, got ${describe(parsed)}`);
  }
  if (!("delay" in parsed)) throw new InvalidDelay(`${EXPECTED}, got no "delay" field`);
  const delay = parsed.delay;
  if (typeof delay !== "number" || !Number.isInteger(delay) || delay < 0 || delay > MAX_DELAY_MS) {
    throw new InvalidDelay(`expected "delay" to be an integer 0..${MAX_DELAY_MS}, got ${describe(delay)}`);
  }
  return delay;
}

// webapp/lib/drain.ts
function watchForQuiet(quietMs, maxMs) {
  let lastTouch = performance.now();
  const ended = new Promise((resolve) => {
    let quietTimer;
    const finish = (end) => {
      clearTimeout(quietTimer);
      clearTimeout(maxTimer);
      resolve(end);
    };
    const checkQuiet = () => {
      const idle = performance.now() - lastTouch;
      if (idle >= quietMs) finish("quiet");
      else quietTimer = setTimeout(checkQuiet, Math.max(1, quietMs - idle));
    };
    const maxTimer = setTimeout(() => finish("max"), maxMs);
    quietTimer = setTimeout(checkQuiet, quietMs);
  });
  return {
    touch() {
      lastTouch = performance.now();
    },
    ended
  };
}

// webapp/lib/request-body.ts
var BodyTooLarge = class extends Error {
  constructor(limitBytes, declaredBytes) {
    super(`expected a body of at most ${limitBytes} bytes, got ${declaredBytes ?? "more"}`);
    this.name = "BodyTooLarge";
  }
};
function readBody(request, limitBytes) {
  const declared = Number(request.headers["content-length"]);
  if (declared > limitBytes) return Promise.reject(new BodyTooLarge(limitBytes, declared));
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    request.on("data", (chunk) => {
      size += chunk.length;
      if (size > limitBytes) reject(new BodyTooLarge(limitBytes));
      else chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

// webapp/lib/session-cookie.ts
var COOKIE_NAME = "session";
function sessionIdFromCookie(header) {
  if (header === void 0) return void 0;
  for (const pair of header.split(";")) {
    const separator = pair.indexOf("=");
    if (separator === -1) continue;
    if (pair.slice(0, separator).trim() !== COOKIE_NAME) continue;
    const value = pair.slice(separator + 1).trim();
    return value === "" ? void 0 : value;
  }
  return void 0;
}
function sessionCookie(sessionId) {
  return `${COOKIE_NAME}=${sessionId}; Path=/; HttpOnly; SameSite=Lax`;
}

// webapp/lib/sessions.ts
var import_node_crypto = require("node:crypto");
function newSessionId() {
  return (0, import_node_crypto.randomBytes)(18).toString("base64url");
}
function createSessionStore(limit) {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`expected the session limit to be a positive integer, got ${String(limit)}`);
  }
  const views = /* @__PURE__ */ new Map();
  return {
    visit(sessionId) {
      const known = sessionId !== void 0 ? views.get(sessionId) : void 0;
      const id = known !== void 0 && sessionId !== void 0 ? sessionId : newSessionId();
      const count = (known ?? 0) + 1;
      views.delete(id);
      views.set(id, count);
      if (views.size > limit) {
        const oldest = views.keys().next();
        if (!oldest.done) views.delete(oldest.value);
      }
      return { sessionId: id, views: count, isNew: known === void 0 };
    },
    get size() {
      return views.size;
    }
  };
}

// webapp/lib/app.ts
var MAX_DELAY_BODY_BYTES = 4096;
function createWebApp(options) {
  const { serverName, hostname: hostname2, address, log: log2 } = options;
  const sessions = createSessionStore(options.sessionLimit ?? 1e4);
  let delayMs = 0;
  let drainWatch;
  let requestsWhileDraining = 0;
  let closing = false;
  let drained;
  const send = (response, status, body) => {
    const text = JSON.stringify(body);
    if (closing) response.setHeader("connection", "close");
    response.writeHead(status, {
      "content-type": "application/json; charset=utf-8",
      "content-length": Buffer.byteLength(text),
      "cache-control": "no-store"
    });
    response.end(text);
  };
  const routes = /* @__PURE__ */ new Map([
    ["/", { methods: ["GET", "HEAD"], handle: greet }],
    ["/health", { methods: ["GET", "HEAD"], handle: (_, response) => health(response) }],
    ["/delay", { methods: ["POST"], handle: setDelay }]
  ]);
  async function greet(request, response) {
    const visit = sessions.visit(sessionIdFromCookie(request.headers.cookie));
    const delay = delayMs;
    if (delay > 0) await (0, import_promises.setTimeout)(delay);
    if (visit.isNew) response.setHeader("set-cookie", sessionCookie(visit.sessionId));
    send(response, 200, {
      message: `Hello from ${serverName}`,
      ip: address ?? null,
      hostname: hostname2,
      views: visit.views,
      session: visit.sessionId,
      delay
    });
  }
  function health(response) {
    if (drainWatch) send(response, 503, { status: "draining" });
    else send(response, 200, { status: "ok" });
  }
  async function setDelay(request, response) {
    try {
      delayMs = parseDelayBody(await readBody(request, MAX_DELAY_BODY_BYTES));
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        response.setHeader("connection", "close");
        return send(response, 400, { error: error.message });
      }
      if (error instanceof InvalidDelay) return send(response, 400, { error: error.message });
      throw error;
    }
    log2("info", "delay set", { delay_ms: delayMs });
    send(response, 200, { delay: delayMs });
  }
  async function route(request, response) {
    response.setHeader("x-backend", serverName);
    const path = (request.url ?? "/").split("?", 1)[0] ?? "/";
    if (drainWatch && path !== "/health") {
      drainWatch.touch();
      requestsWhileDraining += 1;
    }
    const found = routes.get(path);
    if (!found) return send(response, 404, { error: `no such path: ${path}` });
    const method = request.method ?? "";
    if (!found.methods.includes(method)) {
      response.setHeader("allow", found.methods.join(", "));
      return send(response, 405, { error: `expected ${found.methods.join(" or ")} for ${path}, got ${method}` });
    }
    await found.handle(request, response);
  }
  const server = (0, import_node_http.createServer)((request, response) => {
    route(request, response).catch((error) => {
      log2("error", "request failed", { path: request.url, error: error.message });
      if (!response.headersSent) send(response, 500, { error: "internal error" });
      else response.destroy();
    });
  });
  server.keepAliveTimeout = 3e4;
  async function runDrain() {
    const started2 = performance.now();
    const elapsed = () => Math.round(performance.now() - started2);
    drainWatch = watchForQuiet(options.drainQuietMs, options.drainMaxMs);
    log2("info", "drain started", { quiet_ms: options.drainQuietMs, max_ms: options.drainMaxMs });
    const end = await drainWatch.ended;
    log2("info", end === "quiet" ? "drain quiet reached" : "drain max reached", {
      elapsed_ms: elapsed(),
      requests_while_draining: requestsWhileDraining
    });
    closing = true;
    await new Promise((resolve) => server.close(() => resolve()));
    log2("info", "server closed", { elapsed_ms: elapsed(), requests_while_draining: requestsWhileDraining });
    return { end, requestsWhileDraining };
  }
  return {
    server,
    get draining() {
      return drainWatch !== void 0;
    },
    drain() {
      drained ??= runDrain();
      return drained;
    }
  };
}

// webapp/lib/network-address.ts
var import_node_os = require("node:os");
function firstExternalIpv4(interfaces = (0, import_node_os.networkInterfaces)()) {
  for (const addresses of Object.values(interfaces)) {
    const found = addresses?.find((address) => address.family === "IPv4" && !address.internal);
    if (found) return found.address;
  }
  return void 0;
}

// webapp/lib/notify-ready.ts
var import_node_fs = require("node:fs");
function notifyReady(fd) {
  try {
    (0, import_node_fs.writeSync)(fd, "\n");
    (0, import_node_fs.closeSync)(fd);
  } catch (error) {
    throw new Error(`failed to notify readiness on fd ${fd}: ${error.message}`, { cause: error });
  }
}

// webapp/lib/settings.ts
var SettingsError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "SettingsError";
  }
};
function integerFrom(env, name, fallback, max) {
  const text = env[name];
  if (text === void 0 || text === "") return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value > max) {
    throw new SettingsError(`expected ${name} to be an integer 0..${max}, got ${JSON.stringify(text)}`);
  }
  return value;
}
function serverNameFrom(env, fallback) {
  const name = env.SERVER_NAME || fallback;
  if (!/^[\x21-\x7e]+$/.test(name)) {
    throw new SettingsError(`expected SERVER_NAME to be printable ASCII without spaces, got ${JSON.stringify(name)}`);
  }
  return name;
}
function readSettings(env, hostname2) {
  const hour = 36e5;
  return {
    port: integerFrom(env, "PORT", 3e3, 65535),
    serverName: serverNameFrom(env, hostname2),
    drainQuietMs: integerFrom(env, "DRAIN_QUIET_MS", 1500, hour),
    drainMaxMs: integerFrom(env, "DRAIN_MAX_MS", 8e3, hour),
    notifyFd: env.NOTIFY_FD ? integerFrom(env, "NOTIFY_FD", 0, 1023) : void 0
  };
}

// webapp/server.ts
var log = createLog(process.stdout, "webapp");
var started = performance.now();
var sinceStart = () => Math.round(performance.now() - started);
function settingsOrExit() {
  try {
    return readSettings(process.env, (0, import_node_os2.hostname)());
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    log("error", error.message);
    process.exit(2);
  }
}
var settings = settingsOrExit();
var app = createWebApp({
  serverName: settings.serverName,
  hostname: (0, import_node_os2.hostname)(),
  address: firstExternalIpv4(),
  drainQuietMs: settings.drainQuietMs,
  drainMaxMs: settings.drainMaxMs,
  log
});
app.server.on("error", (error) => {
  log("error", `failed to listen: ${error.message}`, { port: settings.port });
  process.exit(1);
});
app.server.listen(settings.port, () => {
  const bound = app.server.address();
  const port = typeof bound === "object" && bound !== null ? bound.port : settings.port;
  log("info", "listening", { port, server_name: settings.serverName, startup_ms: sinceStart() });
  for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => onStopSignal(signal));
  if (settings.notifyFd !== void 0) {
    try {
      notifyReady(settings.notifyFd);
    } catch (error) {
      log("error", error.message);
      process.exit(1);
    }
  }
});
function onStopSignal(signal) {
  if (app.draining) {
    log("warn", "signal ignored, already draining", { signal });
    return;
  }
  const drainStarted = performance.now();
  log("info", "stop signal", { signal });
  app.drain().then(() => {
    log("info", "exiting", { code: 0, drain_ms: Math.round(performance.now() - drainStarted) });
  });
}
