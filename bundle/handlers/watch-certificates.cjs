"use strict";

// handlers/haproxy/admin-socket.ts
var import_node_net = require("node:net");
var AdminSocketUnavailable = class extends Error {
};
var UNAVAILABLE = /* @__PURE__ */ new Set(["ENOENT", "ECONNREFUSED", "ENOTSOCK", "EACCES"]);
function adminSocket(path, timeoutMs = 5e3) {
  return (command) => new Promise((resolve, reject) => {
    const socket = (0, import_node_net.connect)(path);
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

// handlers/tls/applied-store.ts
var import_promises3 = require("node:fs/promises");
var import_node_path3 = require("node:path");

// handlers/os/atomic-write.ts
var import_promises = require("node:fs/promises");
var import_node_path = require("node:path");
var written = 0;
function tempPathFor(path) {
  return (0, import_node_path.join)((0, import_node_path.dirname)(path), `.${(0, import_node_path.basename)(path)}.${process.pid}.${++written}.tmp`);
}
async function writeFileAtomic(path, data, mode = 420) {
  const temp = tempPathFor(path);
  try {
    await writeFileSynced(temp, data, mode);
    await (0, import_promises.rename)(temp, path);
  } catch (error) {
    await (0, import_promises.unlink)(temp).catch(() => {
    });
    throw error;
  }
}
async function writeFileSynced(path, data, mode = 420) {
  const file = await (0, import_promises.open)(path, "w", mode);
  try {
    await file.writeFile(data);
    await file.chmod(mode);
    await file.sync();
  } finally {
    await file.close();
  }
}

// handlers/tls/certificate-files.ts
var import_node_crypto = require("node:crypto");
var import_promises2 = require("node:fs/promises");
var import_node_path2 = require("node:path");
var CERTIFICATE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*\.pem$/;
function hashOf(pem) {
  return (0, import_node_crypto.createHash)("sha256").update(pem).digest("hex");
}
async function readCertificateFiles(dir) {
  const found = /* @__PURE__ */ new Map();
  let names;
  try {
    names = await (0, import_promises2.readdir)(dir);
  } catch (error) {
    if (error.code === "ENOENT") return found;
    throw error;
  }
  for (const name of names.filter((n) => n.endsWith(".pem") && !n.startsWith(".")).sort()) {
    const path = (0, import_node_path2.join)(dir, name);
    try {
      if (!(await (0, import_promises2.stat)(path)).isFile()) continue;
      const pem = await (0, import_promises2.readFile)(path, "utf8");
      found.set(name, { name, pem, hash: hashOf(pem) });
    } catch (error) {
      if (error.code !== "ENOENT") throw error;
    }
  }
  return found;
}

// handlers/tls/applied-store.ts
var AppliedStore = class {
  crtList;
  certsDir;
  constructor(tlsDir) {
    this.crtList = (0, import_node_path3.join)(tlsDir, "crt-list");
    this.certsDir = (0, import_node_path3.join)(tlsDir, "certs");
  }
  /** The name HAProxy knows a certificate by: its copy's path. */
  pathOf(name) {
    return (0, import_node_path3.join)(this.certsDir, name);
  }
  /** name → hash of every certificate the crt-list names and whose copy is there. */
  async read() {
    const applied = /* @__PURE__ */ new Map();
    let list = "";
    try {
      list = await (0, import_promises3.readFile)(this.crtList, "utf8");
    } catch (error) {
      if (error.code !== "ENOENT") throw error;
    }
    for (const line of list.split("\n").map((l) => l.trim()).filter(Boolean)) {
      const name = line.slice(this.certsDir.length + 1);
      if (!line.startsWith(`${this.certsDir}/`) || name.includes("/")) continue;
      try {
        applied.set(name, hashOf(await (0, import_promises3.readFile)(line, "utf8")));
      } catch (error) {
        if (error.code !== "ENOENT") throw error;
      }
    }
    return applied;
  }
  /** The key is in there: root alone reads it. */
  async keep(name, pem) {
    await writeFileAtomic(this.pathOf(name), pem, 384);
  }
  async forget(name) {
    await (0, import_promises3.unlink)(this.pathOf(name)).catch((error) => {
      if (error.code !== "ENOENT") throw error;
    });
  }
  /** Sorted, so the file reads the same for the same certificates. */
  async writeList(names) {
    const lines = [...names].sort().map((name) => `${this.pathOf(name)}
`);
    await writeFileAtomic(this.crtList, lines.join(""), 384);
  }
};

// handlers/tls/certificate-sync.ts
var import_node_crypto3 = require("node:crypto");

// handlers/tls/check-pem.ts
var import_node_crypto2 = require("node:crypto");
var CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
var PRIVATE_KEY = /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----[\s\S]+?-----END (?:[A-Z]+ )?PRIVATE KEY-----/;
function pemProblem(pem, now = /* @__PURE__ */ new Date()) {
  const certificates = pem.match(CERTIFICATE) ?? [];
  const keyText = PRIVATE_KEY.exec(pem)?.[0];
  if (certificates.length === 0) return "expected a certificate (BEGIN CERTIFICATE) and its private key in one PEM file, found no certificate";
  if (keyText === void 0) return "expected a certificate and its private key (BEGIN PRIVATE KEY) in one PEM file, found no private key";
  let certificate;
  try {
    certificate = new import_node_crypto2.X509Certificate(certificates[0]);
  } catch (error) {
    return `expected a readable certificate, got one that does not parse (${firstLine(error)})`;
  }
  let key;
  try {
    key = (0, import_node_crypto2.createPrivateKey)(keyText);
  } catch (error) {
    return `expected a readable private key, got one that does not parse (${firstLine(error)})`;
  }
  if (!certificate.checkPrivateKey(key)) return `expected the private key of ${subjectOf(certificate)}, got another key`;
  const notAfter = new Date(certificate.validTo);
  if (notAfter.getTime() <= now.getTime()) return `expected a valid certificate, got ${subjectOf(certificate)} expired on ${notAfter.toISOString()}`;
  return void 0;
}
function subjectOf(certificate) {
  return certificate.subjectAltName ? `the certificate for ${certificate.subjectAltName}` : `the certificate of ${certificate.subject.replace(/\n/g, ", ")}`;
}
function firstLine(error) {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0];
}

// handlers/tls/plan-changes.ts
function planChanges(files, applied, refused) {
  const changes = [];
  for (const file of files.values()) {
    if (refused.get(file.name) === file.hash) continue;
    const current = applied.get(file.name);
    if (current === void 0) changes.push({ kind: "add", file });
    else if (current !== file.hash) changes.push({ kind: "replace", file });
  }
  for (const name of applied.keys()) if (!files.has(name)) changes.push({ kind: "remove", name });
  return changes;
}

// handlers/tls/ssl-runtime.ts
var CertificateRefused = class extends Error {
  name = "CertificateRefused";
};
function payloadOf(pem) {
  return pem.replace(/\r/g, "").split("\n").filter((line) => line.trim() !== "").join("\n");
}
async function expect(admin, command, success, what) {
  const answer = await admin(command);
  if (success.test(answer)) return;
  const reason = answer.trim().split("\n").filter(Boolean).join(": ") || "no answer";
  throw new CertificateRefused(`${what}: ${reason}`);
}
async function setAndCommit(admin, path, pem) {
  await expect(admin, `set ssl cert ${path} <<
${payloadOf(pem)}
`, /^Transaction (created|updated)/m, "set ssl cert refused");
  try {
    await expect(admin, `commit ssl cert ${path}`, /^Success!/m, "commit ssl cert refused");
  } catch (error) {
    await admin(`abort ssl cert ${path}`).catch(() => {
    });
    throw error;
  }
}
async function addCertificate(admin, crtList, path, pem) {
  await expect(admin, `new ssl cert ${path}`, /^New empty certificate store/m, "new ssl cert refused");
  try {
    await setAndCommit(admin, path, pem);
    await expect(admin, `add ssl crt-list ${crtList} ${path}`, /^Success!/m, "add ssl crt-list refused");
  } catch (error) {
    await admin(`del ssl cert ${path}`).catch(() => {
    });
    throw error;
  }
}
function replaceCertificate(admin, path, pem) {
  return setAndCommit(admin, path, pem);
}
async function removeCertificate(admin, crtList, path) {
  await expect(admin, `del ssl crt-list ${crtList} ${path}`, /deleted in crtlist|not found|No such/i, "del ssl crt-list refused");
  await expect(admin, `del ssl cert ${path}`, /deleted!|unknown|No such|not found/i, "del ssl cert refused");
}
async function listedCertificates(admin, crtList) {
  const answer = await admin(`show ssl crt-list ${crtList}`);
  if (!answer.startsWith("# ")) throw new Error(`show ssl crt-list ${crtList}: expected the list, got '${answer.trim().split("\n")[0]}'`);
  return answer.split("\n").slice(1).map((line) => line.trim().split(/\s+/)[0]).filter(Boolean);
}

// handlers/tls/certificate-sync.ts
var CertificateSync = class {
  constructor(options) {
    this.options = options;
  }
  options;
  applied;
  refused = /* @__PURE__ */ new Map();
  /** One look; resolves to the number of changes HAProxy took. Throws when HAProxy cannot be asked (not started yet). */
  async once() {
    const { certsDir, store } = this.options;
    const applied = this.applied ??= await store.read();
    await this.matchRunning(applied);
    const files = await readCertificateFiles(certsDir);
    for (const name of this.refused.keys()) if (files.get(name)?.hash !== this.refused.get(name)) this.refused.delete(name);
    let taken = 0;
    for (const change of planChanges(files, applied, this.refused)) {
      if (await this.apply(change, applied)) taken += 1;
    }
    return taken;
  }
  /**
   * A reload between a runtime change and the file written after it starts
   * a worker on the list before the change: what it names, not our record,
   * is what HAProxy serves. Where they differ the record follows HAProxy
   * (an unknown hash), so the plan adds, replaces or removes again.
   */
  async matchRunning(applied) {
    const { store, admin, log: log2 } = this.options;
    const listed = new Set(await listedCertificates(admin, store.crtList));
    const differ = [];
    for (const name of [...applied.keys()].filter((n) => !listed.has(store.pathOf(n)))) {
      applied.delete(name);
      differ.push(name);
    }
    for (const path of listed) {
      const name = path.slice(path.lastIndexOf("/") + 1);
      if (path !== store.pathOf(name) || applied.has(name)) continue;
      applied.set(name, "");
      differ.push(name);
    }
    if (differ.length > 0) log2("warn", "HAProxy serves other certificates than recorded (a reload raced a change); applying again", { files: differ.join(",") });
  }
  async apply(change, applied) {
    const { store, admin, log: log2 } = this.options;
    if (change.kind === "remove") {
      await removeCertificate(admin, store.crtList, store.pathOf(change.name));
      applied.delete(change.name);
      await store.forget(change.name);
      await store.writeList(applied.keys());
      log2("info", "certificate removed", { file: change.name });
      return true;
    }
    const { file } = change;
    const problem = CERTIFICATE_NAME.test(file.name) ? pemProblem(file.pem, this.options.now?.()) : `expected a file name of letters, digits, '.', '_' or '-' ending in .pem, got '${file.name}'`;
    if (problem !== void 0) return this.refuse(file, problem);
    try {
      if (change.kind === "add") await addCertificate(admin, store.crtList, store.pathOf(file.name), file.pem);
      else await replaceCertificate(admin, store.pathOf(file.name), file.pem);
    } catch (error) {
      if (error instanceof CertificateRefused) return this.refuse(file, error.message);
      throw error;
    }
    applied.set(file.name, file.hash);
    await store.keep(file.name, file.pem);
    if (change.kind === "add") await store.writeList(applied.keys());
    log2("info", change.kind === "add" ? "certificate added" : "certificate replaced", { file: file.name, names: namesOf(file.pem) });
    return true;
  }
  refuse(file, reason) {
    this.refused.set(file.name, file.hash);
    const kept = this.applied?.has(file.name) ? "the certificate served before is kept" : "nothing served for it";
    this.options.log("warn", "certificate refused", { file: file.name, reason, kept });
    return false;
  }
};
function namesOf(pem) {
  try {
    const certificate = new import_node_crypto3.X509Certificate(pem);
    return certificate.subjectAltName?.replace(/DNS:|IP Address:/g, "").replace(/, /g, ",");
  } catch {
    return void 0;
  }
}

// handlers/tls/watch-loop.ts
var import_promises4 = require("node:timers/promises");
async function watchEvery(intervalMs, look, log2, signal) {
  let waitingSaid = false;
  let lastError = "";
  while (!signal?.aborted) {
    try {
      await look();
      waitingSaid = false;
      lastError = "";
    } catch (error) {
      if (error instanceof AdminSocketUnavailable) {
        if (!waitingSaid) log2("info", "waiting for HAProxy's admin socket", { reason: error.message });
        waitingSaid = true;
      } else {
        const message = error instanceof Error ? error.message : String(error);
        if (message !== lastError) log2("error", "certificates not applied, retrying", { reason: message.split("\n")[0] });
        lastError = message;
      }
    }
    await (0, import_promises4.setTimeout)(intervalMs, void 0, { signal }).catch(() => {
    });
  }
}

// handlers/watch-certificates.ts
var log = createLog(descriptorLines(), "certificates");
var env = process.env;
var sync = new CertificateSync({
  certsDir: env.LB_CERTS_DIR || "/etc/lb/certs",
  store: new AppliedStore(env.LB_TLS_DIR || "/run/haproxy/tls"),
  admin: adminSocket(env.HAPROXY_ADMIN_SOCKET || "/run/haproxy/admin.sock"),
  log
});
void watchEvery(Number(env.LB_CERTS_INTERVAL_MS) || 1e3, () => sync.once(), log);
