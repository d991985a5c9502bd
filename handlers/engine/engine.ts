import type { Io, PassReport } from '../cli/pass-runner.ts';
import { passRunner } from '../cli/pass-runner.ts';
import type { Settings } from '../cli/settings.ts';
import { CoalescedRuns } from './coalesced-runs.ts';
import type { WakeAnswer, WakeRequest } from '../cli/wake-engine.ts';
import { serveWakeUps } from './wake-server.ts';
import { watchMemberChanges } from './watch-members.ts';

/** How long a fresh engine waits for its agent to join before it lets HAProxy serve an empty pool. */
const OPEN_WAIT_MS = 10_000;

function answer(request: WakeRequest, report: PassReport): WakeAnswer {
  const rejected = request.names.filter((name) => report.rejected.has(name));
  return { ok: report.ok || (rejected.length === 0 && report.rejected.size > 0), rejected };
}

/**
 * The one engine: a long-running reconcile. Every member change reaches
 * HAProxy through one of its passes, whatever woke it: the agent's log
 * stream the moment memberlist learns of a change (before Serf's 1 s quiet
 * period for member events), a member event's handler, a backend's
 * `backend-ready` (SIGHUP from handlers.json), the interval, its own start.
 * Warm, it answers in a few ms where a Node process per event would first
 * take over 100 ms to start.
 */
export function runEngine(settings: Settings, io: Io): void {
  const runner = passRunner('reconcile', settings, io);
  let serving = false;
  // Its socket is also what haproxy's run script waits for: a (re)started ha
  // opens its HTTP port on the cluster's pool, never on an empty one that
  // answers 503 until the agent has joined.
  const serve = (why?: string) => {
    if (serving) return;
    serving = true;
    if (why) runner.log('warn', 'serving without a pool', { reason: why });
    serveWakeUps(settings.engineSocket, async (request) => answer(request, await runs.wake(request.event)), runner.log);
  };
  const runs = new CoalescedRuns(async (reasons) => {
    const report = await runner.run('reconcile', { woken_by: reasons.join(',') });
    if (report.joined) serve();
    return report;
  });
  setTimeout(() => serve(`the agent lists no other member after ${OPEN_WAIT_MS / 1000} s`), OPEN_WAIT_MS);
  process.on('SIGHUP', () => void runs.wake('sighup'));
  if (settings.monitorCmd !== undefined) watchMemberChanges(settings.monitorCmd, () => void runs.wake('monitor'), runner.log);
  if (settings.interval) setInterval(() => void runs.wake('interval'), settings.interval * 1000);
  void runs.wake('start');
}
