// Secure by default: `docker compose up` with nothing set comes up with
// encrypted gossip and an RPC token (keygen generates both into a volume), a
// stranger without the key never joins, the operator's `serf members` still
// works; the user's own key wins, and only SERF_INSECURE=1 opens the cluster.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ComposeProject } from '../../harness/docker/compose.ts';
import { docker, dockerOk, requireEngine } from '../../harness/docker/docker.ts';
import { ensureImages, WEBAPP_IMAGE } from '../../harness/docker/images.ts';
import { parseSerfMembers } from '../../harness/observe/cluster-state.ts';
import { waitFor } from '../../harness/docker/wait-for.ts';

const BANNER = /Serf gossip is NOT encrypted/;

/** `serf info`'s own report: "encrypted = true" under "serf:" (here in its JSON form). */
async function gossipEncrypted(stack: ComposeProject, service: string): Promise<string> {
  const info = JSON.parse(await stack.run(['exec', '-T', service, 'serf', 'info', '-format', 'json'])) as { serf: { encrypted: string } };
  return info.serf.encrypted;
}

/** A bare Serf agent on the stack's network that keeps trying to join ha as a backend. */
async function startStranger(stack: ComposeProject, name: string, agentArgs: string[] = []): Promise<string> {
  const container = `${stack.name}-${name}`;
  await dockerOk([
    'run', '-d', '--name', container, '--hostname', name, '--network', await stack.network(),
    '--entrypoint', 'serf', stack.webappImage,
    'agent', '-node', name, '-tag', 'role=backend', '-tag', 'port=3000', '-retry-join', 'ha', '-retry-interval', '1s', ...agentArgs,
  ]);
  return container;
}

async function containerLogs(container: string): Promise<string> {
  const result = await docker(['logs', container]);
  return result.stdout + result.stderr;
}

describe('docker compose up with nothing set: encrypted gossip, RPC token', () => {
  const stack = new ComposeProject('secure');
  const strangers: string[] = [];

  before(async () => {
    await requireEngine();
    await stack.up(2);
    await waitFor('2 alive backends', () => stack.aliveBackends(), (b) => b.length === 2);
  });
  after(() => stack.down(...strangers));

  test('ha and the webapps report encrypted gossip, and no warning banner', async () => {
    assert.equal(await gossipEncrypted(stack, 'ha'), 'true');
    assert.equal(await gossipEncrypted(stack, 'webapp'), 'true');
    assert.doesNotMatch(await stack.logs('ha'), BANNER);
    assert.doesNotMatch(await stack.logs('webapp'), BANNER);
  });

  test('`docker compose exec ha serf members`, as the README says, lists ha and both webapps', async () => {
    // No -T: exactly the README's command; compose sees no terminal here and allocates none.
    const table = await stack.run(['exec', 'ha', 'serf', 'members']);
    const alive = table.split('\n').filter((line) => /\salive\s/.test(line));
    assert.equal(alive.length, 3, table);
    assert.equal(alive.filter((line) => /role=backend/.test(line)).length, 2, table);
  });

  test('the RPC token is required: the bare serf binary without it is refused', async () => {
    const anonymous = await stack.attempt(['exec', '-T', 'ha', '/usr/bin/serf', 'members']);
    assert.notEqual(anonymous.code, 0);
    assert.match(anonymous.stdout + anonymous.stderr, /Authentication required/);
  });

  test('an agent without the key never joins, however long it tries', async () => {
    const rogue = await startStranger(stack, 'rogue');
    strangers.push(rogue);
    await waitFor('the rogue to be refused 5 times', () => containerLogs(rogue), (l) => (l.match(/encryption is not configured/g) ?? []).length >= 5, 60_000);
    await sleep(5000);
    const members = await stack.serfMembers();
    assert.equal(members.length, 3, JSON.stringify(members));
    assert.ok(!members.some((m) => m.name === 'rogue'));
    assert.equal((await stack.aliveBackends()).length, 2);
  });

  test('a new webapp gets the same key: scaling to 3 keeps the key and the new one joins', async () => {
    // The key itself, not keygen's log: `up` may recreate the one-shot keygen
    // (when its image's tag moved, as when tests build the same tag with
    // `docker build`), and a new container's log starts empty.
    const key = () => stack.run(['exec', '-T', 'ha', 'cat', '/run/cluster-keys/serf_encrypt_key']);
    const before = await key();
    await stack.up(3, false);
    await waitFor('3 alive backends', () => stack.aliveBackends(), (b) => b.length === 3);
    assert.equal(await key(), before);
    assert.doesNotMatch(await stack.logs('keygen'), /generated serf_encrypt_key[\s\S]*generated serf_encrypt_key/);
    assert.equal(await gossipEncrypted(stack, 'ha'), 'true');
  });
});

describe('SERF_ENCRYPT_KEY from the user wins over the generated key', () => {
  let stack: ComposeProject;
  let key: string;
  const strangers: string[] = [];

  before(async () => {
    await requireEngine();
    // What `serf keygen` prints: 32 random bytes in base64.
    key = randomBytes(32).toString('base64');
    stack = new ComposeProject('userkey', { SERF_ENCRYPT_KEY: key });
    await stack.up(1);
    await waitFor('1 alive backend', () => stack.aliveBackends(), (b) => b.length === 1);
  });
  after(() => stack?.down(...strangers));

  test('an agent holding the user\'s key joins; the stack is encrypted', async () => {
    assert.equal(await gossipEncrypted(stack, 'ha'), 'true');
    strangers.push(await startStranger(stack, 'keyholder', ['-encrypt', key]));
    await waitFor('the key holder among the alive backends', () => stack.aliveBackends(), (b) => b.includes('keyholder'));
  });
});

describe('SERF_INSECURE=1: the only way to an open cluster, and it says so', () => {
  const stack = new ComposeProject('insecure', { SERF_INSECURE: '1' });

  before(async () => {
    await requireEngine();
    await stack.up(1);
    await waitFor('1 alive backend', () => stack.aliveBackends(), (b) => b.length === 1);
  });
  after(() => stack.down());

  test('gossip is not encrypted, the banner is in the logs, serf members still works', async () => {
    assert.equal(await gossipEncrypted(stack, 'ha'), 'false');
    assert.match(await stack.logs('ha'), BANNER);
    assert.equal(parseSerfMembers(await stack.run(['exec', '-T', 'webapp', 'serf', 'members', '-format', 'json'])).length, 2);
  });
});

describe('serf-agent refuses a contradictory or malformed opt-out, in one line', () => {
  const agent = (env: string[]) => docker(['run', '--rm', '--entrypoint', 'serf-agent', '-e', 'SERF_ROLE=backend', ...env.flatMap((e) => ['-e', e]), WEBAPP_IMAGE]);

  before(ensureImages);

  test('SERF_INSECURE=yes', async () => {
    const run = await agent(['SERF_INSECURE=yes']);
    assert.equal(run.code, 1);
    assert.equal(run.stderr, "serf-agent: SERF_INSECURE must be 1 (an open cluster) or unset, got 'yes'\n");
  });

  test('SERF_INSECURE=1 with SERF_ENCRYPT_KEY', async () => {
    const run = await agent(['SERF_INSECURE=1', `SERF_ENCRYPT_KEY=${randomBytes(32).toString('base64')}`]);
    assert.equal(run.code, 1);
    assert.equal(run.stderr, 'serf-agent: SERF_INSECURE=1 and SERF_ENCRYPT_KEY contradict each other: unset one\n');
  });
});
