import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LOAD_THREAD_NICE } from '../../../harness/load/load-thread.ts';
import { LOAD_GROUP_SHARES } from '../../../harness/load/thread-cpu-group.ts';
import { checkGoals, goalsTable, type GoalCheck } from './goals.ts';
import type { Machine } from '../run/machine.ts';
import { resultsTable } from './markdown-table.ts';
import type { BenchOptions } from '../run/options.ts';
import type { RunResult } from '../run/run-result.ts';
import { renderChart } from './svg-chart.ts';

export interface BenchRecord {
  startedAt: string;
  wallMs: number;
  command: string;
  machine: Machine;
  options: BenchOptions;
  results: RunResult[];
  goals: GoalCheck[];
}

export function benchRecord(startedAt: number, argv: string[], machine: Machine, options: BenchOptions, results: RunResult[]): BenchRecord {
  return {
    startedAt: new Date(startedAt).toISOString(),
    wallMs: Date.now() - startedAt,
    command: ['node scripts/run-ts.mjs bench/cluster/main.ts', ...argv].join(' '),
    machine,
    options,
    results,
    goals: checkGoals(results),
  };
}

/** latest.md, latest.json and one SVG per scenario in `outDir`; each file appears whole or not at all. */
export async function writeResults(outDir: string, record: BenchRecord): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const files: [string, string][] = [
    ['latest.md', markdown(record)],
    ['latest.json', `${JSON.stringify(record, null, 2)}\n`],
    ...scenarioNames(record).map((name): [string, string] => {
      const runs = record.results.filter((r) => r.scenario === name);
      return [`${name}.svg`, renderChart(`${runs[0]!.title} — ${runs[0]!.shape.rate} req/s`, runs)];
    }),
  ];
  for (const [name, text] of files) {
    const path = join(outDir, name);
    await writeFile(`${path}.tmp`, text);
    await rename(`${path}.tmp`, path);
  }
  return files.map(([name]) => join(outDir, name));
}

function scenarioNames(record: BenchRecord): string[] {
  return [...new Set(record.results.map((r) => r.scenario))];
}

export function markdown(record: BenchRecord): string {
  const { machine } = record;
  const minutes = `${Math.floor(record.wallMs / 60_000)} min ${Math.round((record.wallMs % 60_000) / 1000)} s`;
  const lines = [
    '# Cluster benchmark',
    '',
    `Run ${record.startedAt} on ${machine.cpus} CPUs and ${machine.memoryGiB} GiB, Docker ${machine.docker}, HAProxy ${machine.haproxy}, published ports through ${machine.publishedPorts}, Docker's /docker cgroup at cpu.shares ${machine.containersWeight}, bare \`node -e 0\` ${machine.nodeStartMs} ms (p50), commit ${machine.commit}.`,
    `Total wall time ${minutes}. Command: \`${record.command}\`.`,
    '',
    'Every scenario runs once per mode, each time on a fresh cluster with the same webapp image:',
    "`seamless` (this project: Serf, the handlers change HAProxy through its runtime API and reload only when more",
    "than servers changed), `restart` (the lab's way: Serf, a new `haproxy -D -sf <old pid>` per change, the",
    'runtime API off with `HAPROXY_ADMIN_SOCKET=none`) and `dns` (HAProxy alone, the same image and our template\'s',
    'settings, `server-template web 60 webapp:3000 resolvers docker init-addr none` on Docker\'s DNS, `timeout resolve 1s`;',
    'its webapps keep trying to join a Serf agent that is not there, which changes nothing HAProxy sees).',
    'Load is open-loop at a fixed rate to the ha container\'s published port on 127.0.0.1, from a thread of this process at a',
    'higher priority (nice ' + LOAD_THREAD_NICE + ') and in a CPU group of its own weighed like Docker\'s (cpu.shares ' + LOAD_GROUP_SHARES + '),',
    'standing in for a client on another machine (see harness/load/load-thread.ts and thread-cpu-group.ts);',
    'the connection shape is chosen per scenario and is the same in every mode ("new conn/req" is the lab\'s clients\' shape).',
    '',
    resultsTable(record.results),
    '',
    'Failed: requests that did not get a complete 2xx/3xx, by cause: connect (no connection), reset (connection lost),',
    'timeout (no complete answer within 5 s of the scheduled send), 5xx, other (4xx and anything else).',
    'Reloads: engine passes that reloaded HAProxy (`reload=yes` in ha\'s log) after the load started; the storm\'s reloads',
    'are forced and not counted there, and the dns mode has no handler. Times are nearest-rank p50 / p95 / max over',
    'the backends. "In the runtime" is read off the stats page every 100 ms in every mode: a server row named after the',
    'backend (ours) or a DNS slot holding the container\'s address (dns), UP; "out of the runtime" is deleted, or in',
    'maintenance (a DNS slot whose name no longer resolves to it); a health check\'s DOWN is not out. "Container start" is',
    'the container\'s `State.StartedAt` (same clock: the engine is local), "first response" the first ok request the',
    'load generator got with that `x-backend`. HAProxy processes: workers serve traffic; in seamless and dns mode the',
    'master is counted apart, in restart mode every `haproxy -D` process serves and there is no master. Memory: HAProxy',
    'RSS sums every haproxy process, master included; webapp memory is `docker stats` MemUsage per container.',
    '',
    '## Goals',
    '',
    goalsTable(record.goals),
    '',
    '## Scenarios',
  ];
  for (const name of scenarioNames(record)) {
    const runs = record.results.filter((r) => r.scenario === name);
    lines.push('', `### ${name}: ${runs[0]!.title}`, '', `![${name}](${name}.svg)`, '');
    for (const r of runs) {
      const report = r.report;
      const latency = report ? `latency p50 ${report.latencyMs.p50} ms, p99 ${report.latencyMs.p99} ms, max ${report.latencyMs.max} ms; ${report.missed} sends waited for a free connection` : 'no load report';
      lines.push(`- **${r.mode}** (${Math.round(r.wallMs / 1000)} s): ${[...r.notes, latency].join('; ')}.`);
      if (report && report.errors.length > 0) lines.push(`  First errors: ${report.errors.map((e) => `\`${e}\``).join(', ')}.`);
      if (r.error) lines.push(`  **Error**: ${r.error}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
