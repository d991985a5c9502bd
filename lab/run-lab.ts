// The whole replay: tasks 0 to 5 on one cluster, task 6 on a fresh one, then
// index.md. Each cluster is removed when its part ends, failed or not.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cleanupThoroughly } from '../harness/docker/thorough-cleanup.ts';
import { Cluster } from '../harness/docker/cluster.ts';
import { HA_IMAGE, WEBAPP_IMAGE } from '../harness/docker/images.ts';
import { requireChromium } from './browser.ts';
import { indexMarkdown } from './index-md.ts';
import { Report } from './report.ts';
import { startStage, task6, tasks0to5 } from './tasks.ts';

const live = new Set<Cluster>();

async function withCluster(use: (cluster: Cluster) => Promise<void>): Promise<string> {
  const cluster = await Cluster.create('lab');
  live.add(cluster);
  try {
    await use(cluster);
  } finally {
    await cleanupThoroughly(cluster);
    live.delete(cluster);
  }
  return cluster.prefix;
}

/** For a signal or the time limit: removes every container and network the lab has right now. */
export async function removeLiveClusters(): Promise<void> {
  const outcomes = await Promise.allSettled([...live].map((cluster) => cleanupThoroughly(cluster)));
  for (const o of outcomes) if (o.status === 'rejected') console.error(String(o.reason));
}

function commit(): Promise<string> {
  return new Promise((resolve) => execFile('git', ['rev-parse', '--short', 'HEAD'], (error, out) => resolve(error ? 'unknown' : String(out).trim())));
}

export interface LabRun {
  report: Report;
  /** The name prefix of each cluster the replay made (and removed), in order. */
  prefixes: string[];
}

/** Replays the lab into `dir` (emptied first) and writes its index.md. */
export async function runLab(dir: string, log: (message: string) => void): Promise<LabRun> {
  requireChromium();
  const report = await Report.fresh(dir);
  const startedAt = new Date().toISOString();
  log('tasks 0 to 5: ha alone, then s1, then s2, then s1 stops');
  const first = await withCluster(async (cluster) => tasks0to5(await startStage(cluster, report, log)));
  log('task 6: ha alone, s1 to s7 start, s2, s4 and s6 stop');
  const second = await withCluster(async (cluster) => task6(await startStage(cluster, report, log)));
  const intro = [
    `Written by \`npm run lab\` at ${startedAt} from commit ${await commit()}, with the images \`${HA_IMAGE}\` and \`${WEBAPP_IMAGE}\` built from that tree.`,
    '',
    `Host names and Serf node names are the lab's: \`ha\`, \`s1\` to \`s7\`. The Docker container names carry a prefix (\`${first}-ha\`, \`${first}-s1\`... for tasks 0 to 5, \`${second}-...\` for task 6), so the replay never collides with another stack on the engine; ha's ports are published on 127.0.0.1 only, on free ports.`,
    '',
    'Before each step took its evidence, /nodes, the `server` lines of haproxy.cfg, the servers UP on the stats page and the alive backends of `serf members` all listed the same names.',
  ];
  await writeFile(join(dir, 'index.md'), indexMarkdown(intro, report.steps));
  return { report, prefixes: [first, second] };
}
