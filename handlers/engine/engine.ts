import type { Io, PassReport } from '../cli/pass-runner.ts';
import { passRunner } from '../cli/pass-runner.ts';
import type { Settings } from '../cli/settings.ts';
import { CoalescedRuns } from './coalesced-runs.ts';
import { serveWakeUps, type WakeAnswer, type WakeRequest } from './wake-server.ts';
import { watchMemberChanges } from './watch-members.ts';

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
  const runs = new CoalescedRuns((reasons) => runner.run('reconcile', { woken_by: reasons.join(',') }));
  serveWakeUps(settings.engineSocket, async (request) => answer(request, await runs.wake(request.event)), runner.log);
  process.on('SIGHUP', () => void runs.wake('sighup'));
  if (settings.monitorCmd !== undefined) watchMemberChanges(settings.monitorCmd, () => void runs.wake('monitor'), runner.log);
  if (settings.interval) setInterval(() => void runs.wake('interval'), settings.interval * 1000);
  void runs.wake('start');
}
