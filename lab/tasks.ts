// The lab's sequence, task by task, with the lab's names: ha, then s1, s2...
// Every step first waits until /nodes, haproxy.cfg, the stats page (servers
// UP) and `serf members` all agree, then takes its evidence.
import type { Cluster, HaPorts } from '../harness/docker/cluster.ts';
import { configServers, waitConverged } from '../harness/observe/cluster-state.ts';
import { dumpDom, screenshot } from './browser.ts';
import { dockerInspect, dockerLogs, dockerPs, dockerTop, handlerLines, haproxyConfig, nodesListing, serfMembers } from './evidence.ts';
import type { Report, ReportStep } from './report.ts';

export const TASK6_STARTED = ['s1', 's2', 's3', 's4', 's5', 's6', 's7'];
export const TASK6_STOPPED = ['s2', 's4', 's6'];
export const TASK6_FINAL = TASK6_STARTED.filter((s) => !TASK6_STOPPED.includes(s));

/** Wide enough for the stats tables without a scroll bar, tall enough for seven servers. */
const WINDOW = { width: 1400, height: 620 };

/** One cluster of the lab, its ha started, and where its evidence goes. */
export interface Stage {
  cluster: Cluster;
  ports: HaPorts;
  report: Report;
  log: (message: string) => void;
}

export async function startStage(cluster: Cluster, report: Report, log: (message: string) => void): Promise<Stage> {
  const stage = { cluster, ports: await cluster.startHa(), report, log };
  await converge(stage, []);
  return stage;
}

async function converge(stage: Stage, servers: string[]): Promise<void> {
  stage.log(`waiting for /nodes, haproxy.cfg, stats (UP) and serf members to list [${servers.join(', ')}]`);
  await waitConverged(stage.cluster, stage.ports, servers, 90_000);
}

/** haproxy.cfg, /nodes, docker ps and serf members, as they are at this step; file names start with `tag`. */
async function snapshot(stage: Stage, step: ReportStep, tag: string, moment: string): Promise<void> {
  const { cluster } = stage;
  const servers = Object.keys(await configServers(cluster)).sort().join(', ') || 'none';
  await step.write(`${tag}-haproxy.cfg`, `haproxy.cfg ${moment}; server lines: ${servers}`, await haproxyConfig(cluster));
  await step.write(`${tag}-nodes.txt`, `/nodes in ha ${moment}: \`ls -l\`, then each node file`, await nodesListing(cluster));
  await step.write(`${tag}-docker-ps.txt`, `\`docker ps\` ${moment} (the lab's containers only)`, await dockerPs(cluster));
  step.members = await serfMembers(cluster);
}

/** The stats page in the browser: a PNG, and the DOM it rendered, which must name every server. */
async function statsPage(stage: Stage, step: ReportStep, tag: string, servers: string[]): Promise<void> {
  const url = `http://127.0.0.1:${stage.ports.stats}/`;
  const png = `${tag}-stats.png`;
  const size = await screenshot(url, step.path(png), WINDOW);
  const shown = servers.length > 0 ? `${servers.join(', ')} UP` : 'no backend yet, the webapps backend empty';
  step.add(png, `HAProxy's stats page in headless Chromium (${size.width}×${size.height}): ${shown}`);
  const dom = await dumpDom(url);
  const missing = servers.filter((s) => !dom.includes(`#webapps/${s}"`));
  if (missing.length > 0) throw new Error(`Expected the stats page to list ${servers.join(', ')}, it lacks ${missing.join(', ')}`);
  await step.write(`${tag}-stats.dom.html`, 'the same page as the browser rendered it (`chromium --dump-dom`)', dom);
}

async function handlerLog(stage: Stage, step: ReportStep, name: string, what: string): Promise<void> {
  const lines = handlerLines(await dockerLogs(stage.cluster, 'ha'));
  await step.write(name, `ha's handler lines (every \`component=\` line of \`docker logs -t ha\`) ${what}`, lines);
}

/** Tasks 0 to 5 on one cluster: ha alone, s1 joins, s2 joins, s1 stops. */
export async function tasks0to5(stage: Stage): Promise<void> {
  const { cluster, report } = stage;
  await snapshot(stage, report.step('t5', 'ha started alone'), 't4-1-ha-alone', 'with ha alone');

  await cluster.startWebapp('s1');
  await converge(stage, ['s1']);
  await snapshot(stage, report.step('t5', 's1 started'), 't4-2-s1-started', 'after s1 joined');

  await cluster.startWebapp('s2');
  await converge(stage, ['s1', 's2']);
  const both = report.step('t1', 'ha, s1 and s2 running');
  await statsPage(stage, both, 't1', ['s1', 's2']);
  for (const short of ['ha', 's1']) {
    const what = `\`docker top\` of ${short}: s6-svscan supervises every process${short === 'ha' ? ' (HAProxy, Serf, the reconcile loop)' : ' (the web app, Serf)'}`;
    await both.write(`t1-docker-top-${short}.txt`, what, await dockerTop(cluster, short));
  }
  both.members = await serfMembers(cluster);

  const logs = report.step('t3', 'ha started alone, then s1, then s2');
  for (const short of ['ha', 's1', 's2']) {
    const what = short === 'ha' ? 'Serf, HAProxy and the handlers' : 'Serf and the web app';
    await logs.write(`t2-logs-${short}.txt`, `\`docker logs -t ${short}\`: ${what}, both streams`, await dockerLogs(cluster, short));
  }
  await handlerLog(stage, logs, 't3-ha-handlers.log', 'once s1 and s2 joined');

  const joined = report.step('t5', 's2 started');
  await snapshot(stage, joined, 't4-3-s2-started', 'after s2 joined');
  for (const short of ['ha', 's1', 's2']) {
    const what = `\`docker inspect\` of ${short} (container ${cluster.container(short)}): image, command, environment, network, state`;
    await joined.write(`t4-3-inspect-${short}.json`, what, await dockerInspect(cluster, short));
  }

  await cluster.stop('s1');
  await converge(stage, ['s2']);
  const stopped = report.step('t5', 's1 stopped');
  await snapshot(stage, stopped, 't5-4-s1-stopped', 'after s1 stopped: s2 alone');
  await handlerLog(stage, stopped, 't5-4-ha-handlers.log', 'up to s1 leaving');
}

/** Task 6 on a fresh cluster: ha alone, s1..s7 start, s2, s4 and s6 stop. */
export async function task6(stage: Stage): Promise<void> {
  const { cluster, report } = stage;
  // The seed's task 6 screenshot: HAProxy before any backend has joined.
  const alone = report.step('t6', 'ha started alone');
  await statsPage(stage, alone, 't6-1-ha-alone', []);
  await snapshot(stage, alone, 't6-1-ha-alone', 'with ha alone');

  await Promise.all(TASK6_STARTED.map((s) => cluster.startWebapp(s)));
  await converge(stage, TASK6_STARTED);
  const started = report.step('t6', 's1 to s7 started');
  await statsPage(stage, started, 't6-2-seven-started', TASK6_STARTED);
  await snapshot(stage, started, 't6-2-seven-started', 'with s1 to s7 running');

  await Promise.all(TASK6_STOPPED.map((s) => cluster.stop(s)));
  await converge(stage, TASK6_FINAL);
  const stopped = report.step('t6', 's2, s4 and s6 stopped');
  await statsPage(stage, stopped, 't6-3-three-stopped', TASK6_FINAL);
  await snapshot(stage, stopped, 't6-3-three-stopped', `after s2, s4 and s6 stopped: ${TASK6_FINAL.join(', ')} left`);
  await handlerLog(stage, stopped, 't6-3-ha-handlers.log', 'for the whole of task 6');

  const final = Object.keys(await configServers(cluster)).sort();
  if (final.join() !== TASK6_FINAL.join()) throw new Error(`Expected haproxy.cfg to end with servers ${TASK6_FINAL.join(', ')}, got ${final.join(', ') || 'none'}`);
}
