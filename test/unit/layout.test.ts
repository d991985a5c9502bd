// Names that several files spell out must agree: the entries (handlers/, the
// event table, Serf's handlers.json) and the paths (the ha image's ENV, the
// handlers' defaults).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SETTINGS } from '../../handlers/cli/options.ts';
import { EVENTS } from '../../handlers/pipeline/events.ts';
import { HA_CPU_SHARES } from '../../harness/docker/cluster.ts';

const root = process.cwd();

/** Entries that are no event: each the whole of an s6 service of the ha image, which runs it. */
const SERVICE_ENTRIES = { 'watch-certificates': 'certificates' };

test('every file in handlers/ is an event of the table or a service entry, and every event has its file', async () => {
  const files = (await readdir(join(root, 'handlers'))).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)).filter((f) => !(f in SERVICE_ENTRIES));
  assert.deepEqual(files.sort(), Object.keys(EVENTS).sort());
});

test('each service entry is run by its s6 service', async () => {
  for (const [entry, service] of Object.entries(SERVICE_ENTRIES)) {
    const run = await readFile(join(root, 's6-overlay/ha/etc/services.d', service, 'run'), 'utf8');
    assert.match(run, new RegExp(`^exec .*node --snapshot-blob /opt/lb/node\\.blob /opt/lb/handlers/${entry}\\.cjs$`, 'm'));
  }
});

test("Serf's handlers.json runs only shipped entries, and every member event has one", async () => {
  const { event_handlers: handlers } = JSON.parse(await readFile(join(root, 's6-overlay/ha/etc/serf/handlers.json'), 'utf8')) as { event_handlers: string[] };
  // A backend's "ready" wakes the warm reconcile (its s6 service) instead of starting a Node process.
  const nodeRuns = handlers.filter((h) => h !== 'user:backend-ready=s6-svc -h /run/service/reconcile');
  assert.equal(nodeRuns.length, handlers.length - 1, 'backend-ready signals the reconcile service');
  const wired = new Map(nodeRuns.map((h) => {
    // From the image's startup snapshot (docker/node-snapshot.ts): half the start of a bare `node`.
    const match = /^([\w:-]+)=node --snapshot-blob \/opt\/lb\/node\.blob \/opt\/lb\/handlers\/([\w-]+)\.cjs /.exec(h);
    assert.ok(match, `handler line not understood: ${h}`);
    return [match[1]!, match[2]!];
  }));
  for (const entry of wired.values()) assert.ok(entry in EVENTS, `handlers.json runs ${entry}, which is no entry`);
  for (const event of Object.keys(EVENTS).filter((e) => e.startsWith('member-'))) assert.equal(wired.get(event), event);
});

test("the ha image's ENV gives every path the handlers' defaults give", async () => {
  const dockerfile = await readFile(join(root, 'docker/Dockerfile'), 'utf8');
  const haStage = dockerfile.slice(dockerfile.indexOf('FROM base AS ha'), dockerfile.indexOf('FROM base AS webapp'));
  const env = Object.fromEntries([...haStage.matchAll(/^\s*(?:ENV\s+)?([A-Z_]+)=(\S+?)\s*\\?$/gm)].map((m) => [m[1]!, m[2]!]));
  for (const setting of SETTINGS.filter((s) => ['NODES_DIR', 'HAPROXY_TEMPLATE', 'HAPROXY_CONFIG', 'BACKEND_ROLE', 'HAPROXY_ADMIN_SOCKET', 'HAPROXY_STATE_FILE', 'HAPROXY_TEMPLATE_CACHE', 'PIPELINE_SOCKET'].includes(s.env))) {
    assert.equal(env[setting.env], setting.fallback, `${setting.env} in docker/Dockerfile`);
  }
});

test("compose.yaml gives the ha container the CPU weight the tests and the benchmark give it", async () => {
  const compose = await readFile(join(root, 'compose.yaml'), 'utf8');
  const ha = compose.slice(compose.indexOf('\n  ha:\n'), compose.indexOf('\n  webapp:\n'));
  assert.match(ha, new RegExp(`^    cpu_shares: ${HA_CPU_SHARES}$`, 'm'));
});
