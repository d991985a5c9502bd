// Many backends: N webapps started at once beside one that serves already.
// How long until every one is UP in HAProxy's runtime and answering, what each handler
// run costs with that many members, and what a webapp container weighs.
import { setTimeout as sleep } from 'node:timers/promises';
import { containerMemory } from '../watch/container-memory.ts';
import { haLogLines } from '../ha-log/log-lines.ts';
import { enginePasses } from '../ha-log/engine-passes.ts';
import { serverStateLines } from '../ha-log/server-states.ts';
import { StatsWatch } from '../watch/stats-watch.ts';
import { mib, seconds, summarize } from '../report/summary.ts';
import { backendFigure, backendNames, requireLoadReport, type Scenario } from '../run/scenario.ts';

const WAIT_MS = 180_000;

export function manyBackends(count: number): Scenario {
  const base = `m${'0'.repeat(String(count).length)}`;
  const names = backendNames('m', 1, count);
  return {
    name: 'many-backends',
    title: `Scale: ${count} backends started at once`,
    connection: 'keep-alive',
    async run(bench) {
      await bench.startWebapp(base);
      await bench.converged([base]);
      await bench.startLoad();
      await sleep(2000);
      // Every 250 ms: whether a backend that serves already is marked DOWN while the others start.
      const stats = new StatsWatch(bench.ports, 250);

      const startAt = Date.now();
      const started = await Promise.allSettled(names.map((name) => bench.startWebapp(name)));
      const failedRuns = names.filter((_, i) => started[i]!.status === 'rejected');
      const running = names.filter((_, i) => started[i]!.status === 'fulfilled');
      bench.log(`${running.length} docker runs done after ${Date.now() - startAt} ms${failedRuns.length ? `, failed: ${failedRuns.join(' ')}` : ''}`);

      const settle = async (wait: (name: string) => Promise<number>) => {
        const outcomes = await Promise.allSettled(running.map(wait));
        const at: Record<string, number> = {};
        running.forEach((name, i) => {
          const o = outcomes[i]!;
          if (o.status === 'fulfilled') at[name] = o.value - startAt;
        });
        return at;
      };
      const [inRuntime, serving] = await Promise.all([
        settle((name) => bench.runtime.up(name, startAt, WAIT_MS)),
        settle((name) => bench.firstResponse(name, WAIT_MS)),
      ]);
      // From each container's own start too: docker's starts spread over the burst, and a start late in it says nothing of ha.
      const fromOwnStart: Record<string, { startedAtMs: number | undefined; servedAt: number | undefined }> = {};
      for (const name of running) {
        const start = await bench.started(name).catch(() => undefined);
        fromOwnStart[name] = { startedAtMs: start?.startedAtMs, servedAt: serving[name] === undefined ? undefined : startAt + serving[name] };
      }
      const missingRuntime = names.filter((n) => inRuntime[n] === undefined);
      const missingServing = names.filter((n) => serving[n] === undefined);
      const allInRuntimeMs = missingRuntime.length ? null : Math.max(...Object.values(inRuntime));
      const allServingMs = missingServing.length ? null : Math.max(...Object.values(serving));
      bench.log(`all UP in the runtime after ${allInRuntimeMs} ms, all serving after ${allServingMs} ms`);

      await sleep(3000);
      await stats.stop();
      // A new backend is not UP until its first check passes; only a spell after it served counts.
      const servingSince = (server: string): number =>
        server === base ? startAt : serving[server] === undefined ? Infinity : startAt + serving[server];
      const spells = stats.downSpells().filter((d) => d.fromMs >= servingSince(d.server));
      const webapps = [base, ...running].map((n) => bench.cluster.container(n));
      const memory = await containerMemory([...webapps, bench.cluster.container('ha')]);
      const logLines = await haLogLines(bench.cluster);
      const stateLog = serverStateLines(logLines, startAt);
      // Serf's events only (a member event, or the reconcile a backend-ready asks for): the periodic reconcile is not what a join costs.
      const runs = enginePasses(logLines).filter((r) => r.endedAtMs >= startAt && r.wokenBy !== undefined);
      const report = await requireLoadReport(bench.stopLoad());

      const webappBytes = webapps.map((c) => memory[c]).filter((b): b is number => b !== undefined);
      const perWebapp = summarize(webappBytes);
      const haBytes = memory[bench.cluster.container('ha')];
      const reloading = runs.filter((r) => r.reload).length;
      const at = (ms: number | undefined): string => (ms === undefined ? 'end' : `${seconds(bench.timeline.relative(ms))} s`);
      const spellNote = bench.mode === 'dns'
        ? "DOWN spells not read in this mode: the stats name DNS slots, not backends"
        : spells.length === 0
        ? 'no serving backend was marked DOWN during the start'
        : `marked DOWN in the stats while serving: ${spells.map((d) => `${d.server} ${at(d.fromMs)}–${at(d.toMs)}`).join(', ')}`;
      const downLog = stateLog.filter((l) => l.state === 'DOWN');
      const reasonNote = downLog.length === 0 ? [] : [`HAProxy's log: ${downLog.slice(0, 3).map((l) => `${l.server} DOWN (${l.reason})`).join('; ')}`];
      return {
        report,
        times: [
          { id: 'in-runtime', what: `start → UP in the runtime (max = all ${count})`, samplesMs: Object.values(inRuntime), missing: missingRuntime },
          { id: 'serving', what: `start → first response (max = all ${count})`, samplesMs: Object.values(serving), missing: missingServing },
          backendFigure('serving-from-start', 'container start → first response', fromOwnStart, (b) => (b.startedAtMs === undefined || b.servedAt === undefined ? null : Math.round(b.servedAt - b.startedAtMs))),
          { id: 'pass', what: 'engine pass (duration_ms)', samplesMs: runs.map((r) => r.durationMs), missing: [] },
        ],
        memory: perWebapp
          ? `webapp p50 ${mib(perWebapp.p50)} / max ${mib(perWebapp.max)} MiB; ha ${haBytes === undefined ? '?' : mib(haBytes)} MiB`
          : undefined,
        notes: [
          `${count} webapps started by parallel docker runs beside ${base}, which served already${failedRuns.length ? `; docker run failed for ${failedRuns.join(' ')}` : ''}`,
          `${runs.length} engine passes after the start, ${reloading} of them reloaded HAProxy`,
          `all UP in the runtime after ${allInRuntimeMs ?? 'never'} ms, all serving after ${allServingMs ?? 'never'} ms`,
          spellNote,
          ...reasonNote,
        ],
        raw: { count, downSpells: spells, serverStateLog: stateLog, allInRuntimeMs, allServingMs, inRuntime, serving, failedRuns, enginePasses: runs, memoryBytes: memory },
      };
    },
  };
}
