// stack.yaml on a real multi-node Docker Swarm: three Docker-in-Docker nodes
// on this machine (one manager, two workers), ha replicated on two of them,
// the web apps scaled, updated and killed under load sent to both ha's
// published ports on 127.0.0.1. Every step reports its failed requests.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { formatReport, startLoad, type LoadReport } from '../../harness/load/load-generator.ts';
import { docker } from '../../harness/docker/docker.ts';
import { ensureImages, WEBAPP_IMAGE } from '../../harness/docker/images.ts';
import { configServers, serfMembers } from '../../harness/observe/cluster-state.ts';
import { Swarm } from '../../harness/swarm/swarm.ts';
import { HA_SERVICE, SwarmStack, WEBAPP_SERVICE } from '../../harness/swarm/swarm-stack.ts';
import { waitFor } from '../../harness/docker/wait-for.ts';

const NODES = ['m1', 'w1', 'w2'];
// ha runs on the manager and the first worker; the second worker is the one that dies.
const HA_NODES = ['m1', 'w1'];
const OVERLAY = /^10\.77\./;

type StepReports = Record<string, LoadReport>;

describe('serf-agent on Swarm: SERF_BIND_SUBNET', () => {
  before(ensureImages);

  for (const [subnet, reason] of [
    ['10.0.0.0/33', /SERF_BIND_SUBNET '10\.0\.0\.0\/33' is not an IPv4 subnet/],
    ['192.0.2.0/24', /no address of this container is in SERF_BIND_SUBNET 192\.0\.2\.0\/24/],
  ] as const) {
    test(`refuses ${subnet} with one clear line, before starting any agent`, async () => {
      const run = await docker(['run', '--rm', '--network', 'none', '-e', 'SERF_ROLE=backend', '-e', `SERF_BIND_SUBNET=${subnet}`, '--entrypoint', 'serf-agent', WEBAPP_IMAGE]);
      assert.equal(run.code, 1);
      assert.match(run.stderr, reason);
      assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
    });
  }
});

// Bounded, so a swarm that never converges fails the run instead of holding CI.
const LOAD_CONNECTIONS = 20;

describe('Docker Swarm: 3 nodes, 2 ha replicas, web apps under load', { timeout: 15 * 60_000 }, () => {
  let swarm: Swarm | undefined;
  let stack: SwarmStack;
  const figures: string[] = [];

  /** Steady load on each ha's published port while `action` runs, then until every ha has converged. */
  async function underLoad(step: string, action: () => Promise<void>): Promise<StepReports> {
    const loads = await Promise.all(HA_NODES.map(async (node) => {
      const { http } = await stack.haPorts(node);
      return [node, startLoad({ url: `http://127.0.0.1:${http}/`, rate: 100, connections: LOAD_CONNECTIONS, keepAlive: true, timeoutMs: 5000 })] as const;
    }));
    await sleep(1000);
    const started = Date.now();
    await action();
    await sleep(500);
    const reports: StepReports = {};
    for (const [node, load] of loads) reports[node] = await load.stop();
    for (const [node, report] of Object.entries(reports)) {
      const line = `step=${step} via=${node} seconds=${Math.round((Date.now() - started) / 1000)} ${formatReport(report)}`;
      figures.push(line);
      console.log(`swarm: ${line}${report.errors.length > 0 ? ` errors: ${report.errors.join('; ')}` : ''}`);
    }
    return reports;
  }

  const failedOf = (reports: StepReports) => Object.values(reports).reduce((sum, r) => sum + r.failed, 0);
  const describeFailures = (reports: StepReports) => Object.entries(reports).map(([n, r]) => `${n}: ${formatReport(r)} ${r.errors.join('; ')}`).join(' | ');

  before(async () => {
    swarm = await Swarm.create(NODES.map((name) => ({ name, publish: HA_NODES.includes(name) ? [80, 1936] : [] })));
    stack = await SwarmStack.deploy(swarm, HA_NODES);
    await stack.service(['scale', '-d', `${WEBAPP_SERVICE}=6`]);
    await stack.waitConverged(NODES, HA_NODES, 6);
  });
  after(async () => {
    console.log(`swarm: figures per step\n${figures.join('\n')}`);
    await swarm?.cleanup();
  });

  test('6 web apps spread over the 3 nodes; both ha list all 6 at their overlay addresses', async () => {
    const byNode = await stack.webappsByNode(NODES);
    assert.deepEqual(NODES.filter((n) => byNode[n]!.length === 0), [], `a node without web apps: ${JSON.stringify(byNode)}`);
    for (const node of HA_NODES) {
      const servers = Object.values(await configServers(stack, node));
      assert.equal(servers.length, 6);
      assert.deepEqual(servers.filter((address) => !OVERLAY.test(address)), [], 'servers at an address off the overlay');
      const lbs = (await serfMembers(stack, node)).filter((m) => m.tags.role === 'lb' && m.status === 'alive');
      assert.equal(lbs.length, 2, 'each ha sees both ha agents');
    }
  });

  test('docker service scale 6 → 10 → 2: 0 failed requests', async () => {
    for (const replicas of [10, 2]) {
      const reports = await underLoad(`scale-to-${replicas}`, async () => {
        await stack.service(['scale', '-d', `${WEBAPP_SERVICE}=${replicas}`]);
        await stack.waitConverged(NODES, HA_NODES, replicas);
      });
      assert.equal(failedOf(reports), 0, describeFailures(reports));
    }
    await stack.service(['scale', '-d', `${WEBAPP_SERVICE}=6`]);
    await stack.waitConverged(NODES, HA_NODES, 6);
  });

  test('a rolling update of the web apps (start-first): 0 failed requests, every task replaced', async () => {
    const before = Object.values(await stack.webappsByNode(NODES)).flat();
    const reports = await underLoad('rolling-update', async () => {
      await stack.service(['update', '--force', '--detach=false', '-q', WEBAPP_SERVICE]);
      const { webapps } = await stack.waitConverged(NODES, HA_NODES, 6);
      assert.deepEqual(webapps.filter((id) => before.includes(id)), [], 'old tasks still in service');
    });
    assert.equal(failedOf(reports), 0, describeFailures(reports));
  });

  test('one ha replica killed: the other serves without a failure; Swarm restarts it and the pair re-converges', async () => {
    const [killed] = await stack.containers('w1', HA_SERVICE);
    const reports = await underLoad('ha-replica-killed', async () => {
      await swarm!.docker('w1', ['kill', killed!]);
      await waitFor('a new ha task on w1', () => stack.containers('w1', HA_SERVICE), (ids) => ids.length === 1 && ids[0] !== killed, 120_000);
      await stack.waitConverged(NODES, HA_NODES, 6);
      await waitFor('each ha to see exactly 2 alive ha agents', () => Promise.all(HA_NODES.map(async (n) => (await serfMembers(stack, n)).filter((m) => m.tags.role === 'lb' && m.status === 'alive').length)), (counts) => counts.every((c) => c === 2));
      await sleep(2000);
    });
    assert.equal(reports.m1!.failed, 0, `the surviving ha failed requests: ${describeFailures(reports)}`);
    // Requests sent to the dead replica's own node fail until its replacement
    // serves: cut or refused while no task listens there. Never a 503: the
    // new HAProxy opens its port only once its engine has installed the pool.
    const w1 = reports.w1!;
    figures.push(`step=ha-replica-killed w1_reset=${w1.failures.reset} w1_refused=${w1.failures.connect} w1_5xx=${w1.failures.http5xx}`);
    assert.equal(w1.failures.http5xx, 0, `503s from a replica without its pool: ${describeFailures(reports)}`);
    assert.equal(w1.failed, w1.failures.reset + w1.failures.connect, describeFailures(reports));
    const last = w1.perSecond.slice(-3, -1);
    assert.ok(last.every((s) => s.ok > 0 && s.failed === 0), `the restarted replica serves again: ${JSON.stringify(last)}`);
  });

  test('a worker node killed: its web apps leave both pools, Swarm replaces them on the other nodes', async () => {
    const lost = (await stack.webappsByNode(['w2'])).w2!;
    assert.ok(lost.length > 0, 'w2 runs web apps before it dies');
    const reports = await underLoad('worker-node-killed', async () => {
      await swarm!.killNode('w2');
      const { webapps } = await stack.waitConverged(HA_NODES, HA_NODES, 6, 300_000);
      assert.deepEqual(webapps.filter((id) => lost.includes(id)), []);
    });
    figures.push(`step=worker-node-killed lost_backends=${lost.length}`);
    // A GET whose server vanished is retried on another one (retry-on
    // all-retryable-errors, redispatch): a new connection to a lost host
    // fails within timeout connect. What cannot be retried is a request
    // already sent when the host vanished without a FIN: one in flight, or
    // one sent on an idle server connection HAProxy kept for reuse. It waits
    // until Serf declares the host's members failed and the handler ends
    // their sessions before deleting them (shutdown sessions): the load
    // generator sees a hang-up then, or a timeout if its 5 s ran out first.
    // Each of the load's keep-alive connections has at most one such
    // request (measured: 0 to 6 per entry), never a stream of them, and
    // nothing else fails: no refused connection, no 5xx. Closing server
    // connections after each response (http-server-close) removed the
    // second kind but failed the reload storm and 2 -> 50 -> 2 on this machine.
    for (const [node, report] of Object.entries(reports)) {
      const lostInFlight = report.failures.timeout + report.failures.reset;
      assert.ok(report.failed <= LOAD_CONNECTIONS && report.failed === lostInFlight, `via ${node}: ${describeFailures(reports)}`);
    }
  });
});
