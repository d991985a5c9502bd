// Names that several files spell out must agree: the entries (handlers/,
// Serf's handlers.json) and the paths (the ha image's ENV, the handlers'
// defaults, the template).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SETTINGS } from '../../handlers/cli/settings.ts';
import { HA_CPU_SHARES } from '../../harness/docker/cluster.ts';

const root = process.cwd();
const MEMBER_EVENTS = ['member-failed', 'member-join', 'member-leave', 'member-reap', 'member-update'];

/** Entries that are no event: each the whole of an s6 service of the ha image, which runs it. */
const SERVICE_ENTRIES = { 'watch-certificates': 'certificates' };

test('handlers/ holds one entry per member event, reconcile and render, and the service entries', async () => {
  const files = (await readdir(join(root, 'handlers'))).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3));
  assert.deepEqual(files.sort(), [...MEMBER_EVENTS, 'reconcile', 'render', ...Object.keys(SERVICE_ENTRIES)].sort());
});

test('each service entry is run by its s6 service', async () => {
  for (const [entry, service] of Object.entries(SERVICE_ENTRIES)) {
    const run = await readFile(join(root, 's6-overlay/ha/etc/services.d', service, 'run'), 'utf8');
    assert.match(run, new RegExp(`^exec .*node --snapshot-blob /opt/lb/node\\.blob /opt/lb/handlers/${entry}\\.cjs$`, 'm'));
  }
});

test("Serf's handlers.json runs each member event's entry, and backend-ready wakes the engine", async () => {
  const { event_handlers: handlers } = JSON.parse(await readFile(join(root, 's6-overlay/ha/etc/serf/handlers.json'), 'utf8')) as { event_handlers: string[] };
  assert.ok(handlers.includes('user:backend-ready=s6-svc -h /run/service/reconcile'), 'backend-ready sends the engine SIGHUP');
  const wired = new Map(handlers.filter((h) => h.startsWith('member-')).map((h) => {
    // From the image's startup snapshot (docker/node-snapshot.ts): half the start of a bare `node`.
    const match = /^([\w:-]+)=node --snapshot-blob \/opt\/lb\/node\.blob \/opt\/lb\/handlers\/([\w-]+)\.cjs /.exec(h);
    assert.ok(match, `handler line not understood: ${h}`);
    return [match[1]!, match[2]!];
  }));
  assert.deepEqual([...wired.keys()].sort(), MEMBER_EVENTS);
  for (const [event, entry] of wired) assert.equal(entry, event);
});

test("the ha image's ENV gives the paths the handlers' defaults give, and names the admin socket the template reads", async () => {
  const dockerfile = await readFile(join(root, 'docker/Dockerfile'), 'utf8');
  const haStage = dockerfile.slice(dockerfile.indexOf('FROM base AS ha'), dockerfile.indexOf('FROM base AS webapp'));
  const env = Object.fromEntries([...haStage.matchAll(/^\s*(?:ENV\s+)?([A-Z_]+)=(\S+?)\s*\\?$/gm)].map((m) => [m[1]!, m[2]!]));
  for (const setting of SETTINGS.filter((s) => s.env !== undefined && s.env in env && s.fallback !== undefined)) {
    assert.equal(env[setting.env!], setting.fallback, `${setting.env} in docker/Dockerfile`);
  }
  assert.ok(env.HAPROXY_ADMIN_SOCKET, 'the image names the admin socket');
  assert.match(await readFile(join(root, 'templates/haproxy.cfg.hbs'), 'utf8'), /^ {4}stats socket "\$\{HAPROXY_ADMIN_SOCKET\}" /m);
});

test('compose.yaml gives the ha container the CPU weight the tests and the benchmark give it', async () => {
  const compose = await readFile(join(root, 'compose.yaml'), 'utf8');
  const ha = compose.slice(compose.indexOf('\n  ha:\n'), compose.indexOf('\n  webapp:\n'));
  assert.match(ha, new RegExp(`^    cpu_shares: ${HA_CPU_SHARES}$`, 'm'));
});
