// Your own app behind the load balancer (docs/agent-kit.md): three apps of
// different stacks carry the agent kit (nginx rebuilt with its two lines,
// Python's web server run as it is with the kit from a volume, one static
// binary FROM scratch). Each joins and serves, scales 1 → 3 → 1 under load and
// loses a container to SIGKILL with 0 failed requests, and each container's
// exit code is its app's.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { ComposeProject } from '../../harness/docker/compose.ts';
import { docker, dockerOk, requireEngine } from '../../harness/docker/docker.ts';
import type { HaPorts } from '../../harness/docker/cluster.ts';
import { waitFor } from '../../harness/docker/wait-for.ts';
import { formatReport, startLoad, type LoadReport } from '../../harness/load/load-generator.ts';
import { get, statsStatus } from '../../harness/observe/cluster-state.ts';

const tag = process.env.E2E_IMAGE_TAG || 'test';
const overlay = `${process.cwd()}/test/e2e/agent-kit/compose.yaml`;

interface AppStack {
  service: 'nginx' | 'python' | 'static';
  /** The app's own exit code on `docker stop`: nginx stops gracefully on its STOPSIGNAL (SIGQUIT), the others die of SIGTERM. */
  stopCode: number;
}
const STACKS: AppStack[] = [
  { service: 'nginx', stopCode: 0 },
  { service: 'python', stopCode: 143 },
  { service: 'static', stopCode: 143 },
];

describe('the agent kit behind ha', () => {
  const stack = new ComposeProject('kit', { LB_IMAGE_TAG: tag }, [overlay]);
  let ports: HaPorts;

  /** Only `service` runs, with `count` containers; the demo webapp stays at 0 and ha keeps running. */
  const scale = (service: AppStack['service'], count: number) =>
    stack.run(['up', '-d', '--no-build', '--scale', 'webapp=0', ...STACKS.flatMap((s) => ['--scale', `${s.service}=${s.service === service ? count : 0}`])]);
  const running = async (service: string) => (await stack.run(['ps', '-q', service])).split('\n').filter(Boolean);
  const alive = async () => (await stack.serfMembers()).filter((m) => m.status === 'alive' && m.tags.role === 'backend').map((m) => m.name);
  const upInHaproxy = async () => Object.values(await statsStatus(ports)).filter((s) => s.startsWith('UP')).length;

  async function waitPool(count: number): Promise<void> {
    await waitFor(`${count} alive backends in serf members`, alive, (names) => names.length === count);
    await waitFor(`${count} servers UP in HAProxy, and no other`, async () => [await upInHaproxy(), Object.keys(await statsStatus(ports)).length], ([up, all]) => up === count && all === count);
  }

  // Few connections: Python's http.server accepts with a backlog of 5 and busybox's httpd of 9, and
  // HAProxy marks a server down at its first refused connection (the template's `observe layer4`).
  function load() {
    return startLoad({ url: `http://127.0.0.1:${ports.http}/`, rate: 100, connections: 4, keepAlive: true, timeoutMs: 5000 });
  }

  const assertNoFailure = async (what: string, report: LoadReport) => {
    console.log(`${what}: ${formatReport(report)}`);
    // On a failure, when it happened and what ha made of it.
    if (report.failed) console.log(JSON.stringify(report.perSecond), (await stack.logs('ha')).split('\n').filter((l) => !l.includes('[INFO]')).slice(-80).join('\n'));
    assert.equal(report.failed, 0, `${what}: ${formatReport(report)} ${report.errors.join('; ')}`);
    assert.ok(report.ok > 0, `${what}: some requests were answered`);
  };

  before(async () => {
    await requireEngine();
    // The rebuilt apps' Dockerfiles copy /lb from this image: it must exist before they build.
    await stack.run(['build', 'agent-kit']);
    await stack.run(['build']);
    await scale('nginx', 0);
    ports = { http: await stack.port('ha', 80), stats: await stack.port('ha', 1936) };
  });
  after(() => stack.down());

  /** One static app in the pool: its container and its name in Serf. */
  async function oneStaticBackend(): Promise<{ id: string; member: string }> {
    await scale('static', 1);
    await waitPool(1);
    const [id] = await running('static');
    const member = (await stack.serfMembers()).find((m) => m.tags.role === 'backend')!.name;
    return { id: id!, member };
  }

  /** Kills the static app (busybox httpd) in its container; returns once the container has exited. */
  async function killApp(id: string): Promise<void> {
    // In the FROM-scratch image only the kit's busybox can do this.
    await dockerOk(['exec', id, '/lb/bin/sh', '-c', 'kill -USR2 $(pidof httpd)']);
    await waitFor('the container to exit', () => dockerOk(['inspect', '-f', '{{.State.Running}} {{.State.ExitCode}}', id]), (s) => s.startsWith('false'));
    // busybox httpd dies of SIGUSR2: 128 + 12.
    assert.equal((await dockerOk(['inspect', '-f', '{{.State.ExitCode}}', id])).trim(), '140');
  }

  /** Its status in ha's agent once settled: `leaving` lasts until memberlist's own leave message follows the intent. */
  const settledStatus = async (name: string) =>
    waitFor(`${name} to settle in ha's members`, async () => (await stack.serfMembers()).find((m) => m.name === name)?.status ?? 'gone', (s) => s !== 'leaving' && s !== 'alive', 30_000);

  // These two run first, while no member has failed. Serf gossips a leave
  // intent to a few members picked at random, members that failed in the last
  // 30 s included (memberlist's GossipToTheDeadTime): in a cluster of ha and
  // a few just-killed containers, ha can miss the intent and record the
  // leave as `failed` (docs/agent-kit.md). Killed containers come later.
  test('when the app dies the agent leaves the cluster and the container exits with the app\'s code', async () => {
    const { id, member } = await oneStaticBackend();
    await killApp(id);
    assert.equal(await settledStatus(member), 'left', 'the agent left with its app instead of announcing a dead one');
    await waitPool(0);
    await scale('static', 0);
  });

  test('when the agent dies it is restarted and serves again; its app dying then takes it out too', async () => {
    const { id, member } = await oneStaticBackend();
    await dockerOk(['exec', id, '/lb/bin/sh', '-c', 'kill -KILL $(pidof serf)']);
    await waitFor('the agent restarted', () => docker(['logs', id]), (r) => r.stderr.includes('the agent exited; restarting it'), 20_000);
    await waitFor('the restarted agent to see ha', () => docker(['exec', id, '/lb/bin/serf', 'members', '-status=alive']), (r) => r.stdout.trim().split('\n').length >= 2, 20_000);
    await waitPool(1);
    assert.equal((await get(ports.http)).status, 200);

    await killApp(id);
    assert.equal(await settledStatus(member), 'left', 'the restarted agent left with its app');
    await waitPool(0);
    await scale('static', 0);
  });

  for (const app of STACKS) {
    test(`${app.service}: joins and serves, scales 1 → 3 → 1 and loses one to SIGKILL with 0 failed requests; exit codes are the app's`, async () => {
      await scale(app.service, 1);
      await waitPool(1);
      assert.equal((await get(ports.http)).status, 200);

      const scaling = load();
      await sleep(1000);
      await scale(app.service, 3);
      await waitPool(3);
      await sleep(1000);
      await scale(app.service, 1);
      await waitPool(1);
      await sleep(500);
      await assertNoFailure(`${app.service} scale 1->3->1`, await scaling.stop());

      await scale(app.service, 2);
      await waitPool(2);
      const killing = load();
      await sleep(1000);
      const [victim, survivor] = await running(app.service);
      await dockerOk(['kill', victim!]);
      await waitPool(1);
      await sleep(500);
      await assertNoFailure(`${app.service} docker kill`, await killing.stop());

      // docker stop: the agent leaves, the server drains, then the app gets its signal; its code is the container's.
      await dockerOk(['stop', survivor!]);
      assert.equal((await dockerOk(['inspect', '-f', '{{.State.ExitCode}}', survivor!])).trim(), String(app.stopCode));
      await waitPool(0);
      await scale(app.service, 0);
    });
  }

  test('bad input stops the container with one line saying what was expected and what came', async () => {
    const image = `lbe2e-kit-static:${tag}`;
    const cases: [string[], number, string][] = [
      [[image], 2, 'lb/init: expected LB_PORT to be the TCP port the app listens on, 1..65535, got nothing (set it in the environment)'],
      [['-e', 'LB_PORT=eighty', image], 2, 'lb/init: expected LB_PORT to be the TCP port the app listens on, 1..65535, got "eighty"'],
      [['-e', 'LB_PORT=8080', image, '/no/such/app'], 127, 'lb/init: expected the app\'s command after -- to be an executable in PATH, got "/no/such/app": No such file or directory'],
    ];
    for (const [args, code, line] of cases) {
      const result = await docker(['run', '--rm', '--network', 'none', ...args]);
      assert.equal(result.code, code, result.stderr);
      assert.equal(result.stderr, `${line}\n`);
    }
    // A setting only the Serf agent reads: its own line says what is wrong, and the kit stops rather than restart it forever.
    const agent = await docker(['run', '--rm', '--network', 'none', '-e', 'LB_PORT=8080', '-e', 'SERF_BIND_SUBNET=10.99.0.0/16', image]);
    assert.equal(agent.code, 2, agent.stderr);
    assert.match(agent.stderr, /^serf-agent: no address of this container is in SERF_BIND_SUBNET 10\.99\.0\.0\/16 \(it has: 127\.0\.0\.1\)$/m);
    assert.match(agent.stderr, /^lb\/init: the Serf agent stopped at its start \(the line above says why\); stopping the app$/m);
    // Read by announce, which joins later; checked at the agent's start all the same.
    const retry = await docker(['run', '--rm', '--network', 'none', '-e', 'LB_PORT=8080', '-e', 'SERF_RETRY_INTERVAL=5', image]);
    assert.equal(retry.code, 2, retry.stderr);
    assert.match(retry.stderr, /^serf-agent: SERF_RETRY_INTERVAL '5' is not a duration such as 1s or 500ms$/m);
  });
});
