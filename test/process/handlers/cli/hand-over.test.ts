// A member event handed to the warm reconcile, as the ha image runs it: the
// bundled handlers against a real reconcile process on a unix socket.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { eventLine, HA, type Sandbox, sandbox } from '../../support/handler-sandbox.ts';

const w = (name: string, ip: string) => eventLine(name, ip, [['role', 'backend'], ['port', '3000']]);

interface Warm {
  socket: string;
  child: ChildProcess;
  /** What the warm process logged: its own runs' lines and the handed-over ones'. */
  log: () => string;
}

/** The warm reconcile of the sandbox, once it has reconciled and takes runs over. */
async function warmReconcile(t: TestContext, sb: Sandbox): Promise<Warm> {
  const socket = join(sb.dir, 'run', 'pipeline.sock');
  let child!: ChildProcess;
  let log = '';
  const ended = sb.handler('reconcile', '', {
    flags: { 'pipeline-socket': socket, every: '3600', 'monitor-cmd': 'none' },
    onSpawn: (c) => {
      child = c;
      c.stderr!.on('data', (chunk: Buffer) => (log += chunk));
    },
  });
  t.after(async () => {
    child.kill('SIGKILL');
    await ended;
  });
  for (let i = 0; i < 200 && !(/msg="taking member events over"/.test(log) && /msg=done event=reconcile/.test(log)); i++) await sleep(25);
  assert.match(log, /msg="taking member events over"/, log);
  return { socket, child, log: () => log };
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await sleep(25);
  }
  assert.fail(`timed out waiting for ${what}`);
}

/** Waits until the warm process has logged `count` handed-over runs' done or error lines; returns them. */
async function handedRuns(warm: Warm, count: number): Promise<string[]> {
  const runs = () => warm.log().split('\n').filter((line) => /handed_over=yes/.test(line));
  await until(async () => runs().length >= count, `${count} handed-over runs in the warm process's log`);
  return runs();
}

test("a member event runs in the warm reconcile: its handler exits once the run is queued, the run's lines go to the warm process's log", async (t) => {
  const sb = await sandbox(t);
  await sb.setMembers([HA]);
  const warm = await warmReconcile(t, sb);
  const flags = { 'pipeline-socket': warm.socket };

  const joined = await sb.handler('member-join', w('w1', '10.0.0.11'), { flags });
  assert.equal(joined.code, 0, joined.stderr);
  assert.equal(joined.stderr, '', 'taken over: the handler has nothing to say');
  assert.match((await handedRuns(warm, 1))[0]!, /msg=done event=member-join .*handed_over=yes/);
  assert.deepEqual(await sb.nodeFiles(), ['w1.json']);
  assert.deepEqual(await sb.servers(), ['server w1 10.0.0.11:3000 weight 1']);

  // A rejected member is the run's failure, said in the warm process's log: Serf is not held for it.
  const rejected = await sb.handler('member-join', w('bad name', '10.0.0.12'), { flags });
  assert.equal(rejected.code, 0, rejected.stderr);
  const lines = (await handedRuns(warm, 2)).join('\n');
  assert.match(warm.log(), /component=member-join msg="member rejected" reason="member \\"bad name\\":/);
  assert.match(lines, /msg=done event=member-join .*rejected=1 .*handed_over=yes/);

  const left = await sb.handler('member-leave', w('w1', '10.0.0.11'), { flags });
  assert.equal(left.code, 0, left.stderr);
  assert.match((await handedRuns(warm, 3))[2]!, /msg=done event=member-leave .*handed_over=yes/);
  assert.deepEqual(await sb.nodeFiles(), []);
});

test("handed-over runs go in their handlers' order: a join and the leave right behind it never swap", async (t) => {
  const sb = await sandbox(t);
  const warm = await warmReconcile(t, sb);
  const flags = { 'pipeline-socket': warm.socket };
  // As Serf runs them: one handler after the other, each gone before its run is done.
  for (let i = 0; i < 5; i++) {
    assert.equal((await sb.handler('member-join', w('flap', '10.0.0.31'), { flags })).code, 0);
    assert.equal((await sb.handler('member-leave', w('flap', '10.0.0.31'), { flags })).code, 0);
  }
  const runs = await handedRuns(warm, 10);
  assert.deepEqual(runs.map((line) => /event=(member-\w+)/.exec(line)?.[1]), Array.from({ length: 10 }, (_, i) => (i % 2 ? 'member-leave' : 'member-join')));
  assert.deepEqual(await sb.nodeFiles(), []);
  assert.deepEqual(await sb.servers(), []);
});

test('only root reaches the socket: its folder is 0700, the socket 0600', async (t) => {
  const sb = await sandbox(t);
  const warm = await warmReconcile(t, sb);
  assert.equal((await stat(dirname(warm.socket))).mode & 0o777, 0o700);
  assert.equal((await stat(warm.socket)).mode & 0o777, 0o600);
});

test("a handler whose settings differ from the warm process's runs itself, and says why", async (t) => {
  const sb = await sandbox(t);
  const warm = await warmReconcile(t, sb);
  const run = await sb.handler('member-join', w('w1', '10.0.0.11'), { flags: { 'pipeline-socket': warm.socket, 'drain-ms': '5' } });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /msg="running here, not handed over" reason="--drain-ms differs"/);
  assert.doesNotMatch(run.stderr, /handed_over/);
  assert.deepEqual(await sb.nodeFiles(), ['w1.json']);
});

test('with no warm process, or a dead one, the handler runs itself without a word about it', async (t) => {
  const sb = await sandbox(t);
  const absent = await sb.handler('member-join', w('w1', '10.0.0.11'), { flags: { 'pipeline-socket': join(sb.dir, 'absent.sock') } });
  assert.equal(absent.code, 0, absent.stderr);
  assert.doesNotMatch(absent.stderr, /handed|running here/);

  const warm = await warmReconcile(t, sb);
  warm.child.kill('SIGKILL');
  await new Promise((resolve) => warm.child.once('close', resolve));
  // Its socket file is left behind, and refuses.
  const dead = await sb.handler('member-join', w('w2', '10.0.0.12'), { flags: { 'pipeline-socket': warm.socket } });
  assert.equal(dead.code, 0, dead.stderr);
  assert.doesNotMatch(dead.stderr, /handed|running here/);
  assert.deepEqual(await sb.nodeFiles(), ['w1.json', 'w2.json']);
});

test('a handler killed once it handed its run over: the warm process finishes the run, and takes the next one', async (t) => {
  const sb = await sandbox(t);
  const warm = await warmReconcile(t, sb);
  const argv = ['--nodes-dir', sb.nodes, '--template', sb.template, '--config', sb.config, '--check-cmd', '! grep -q BROKEN',
    '--reload-cmd', `sha256sum ${sb.config} | cut -c1-64 >> ${join(sb.dir, 'reloads')}`, '--members-cmd', `cat ${sb.members}`, '--pipeline-socket', warm.socket];
  const request = { event: 'member-join', argv, env: { SERF_EVENT: 'member-join' }, stdin: w('gone', '10.0.0.21') };
  // What a SIGKILLed handler leaves: its request sent, its end of the socket closed, nobody reading the answer.
  await new Promise<void>((resolve, reject) => {
    const socket = connect(warm.socket);
    socket.on('error', reject);
    socket.on('connect', () => socket.end(`${JSON.stringify(request)}\n`, () => (socket.destroy(), resolve())));
  });
  await until(async () => (await sb.nodeFiles()).includes('gone.json'), 'the abandoned run to be done');

  const next = await sb.handler('member-join', w('w1', '10.0.0.11'), { flags: { 'pipeline-socket': warm.socket } });
  assert.equal(next.code, 0, next.stderr);
  assert.match((await handedRuns(warm, 2))[1]!, /msg=done event=member-join .*handed_over=yes/);
  assert.deepEqual(await sb.nodeFiles(), ['gone.json', 'w1.json']);
});

test('ten handlers at once: the warm process runs them one at a time, and none is lost', async (t) => {
  const sb = await sandbox(t);
  const warm = await warmReconcile(t, sb);
  const names = Array.from({ length: 10 }, (_, i) => `c${i}`);
  const runs = await Promise.all(names.map((name, i) => sb.handler('member-join', w(name, `10.0.1.${i + 1}`), { flags: { 'pipeline-socket': warm.socket } })));
  for (const run of runs) assert.equal(run.code, 0, run.stderr);
  assert.equal((await handedRuns(warm, 10)).filter((line) => /msg=done event=member-join/.test(line)).length, 10);
  assert.deepEqual(await sb.nodeFiles(), names.map((n) => `${n}.json`));
  assert.equal((await sb.servers()).length, 10);
});
