import type { Mode } from '../run/options.ts';
import type { RunResult } from '../run/run-result.ts';
import { markdownTable } from './markdown-table.ts';
import { seconds, summarize } from './summary.ts';

export interface GoalCheck {
  goal: string;
  mode: Mode;
  measured: string;
  met: boolean;
}

/** The issue's limits, in ms. */
export const LIMITS = { trafficP50: 300, trafficMax: 600, leaverOut: 3000 };

const figure = (r: RunResult | undefined, id: string) => r?.times.find((t) => t.id === id);

/** Scale-50's failures per phase, when it measured them. */
function phaseFailures(r: RunResult): string {
  const failed = r.raw.failed as { up: number; down: number } | undefined;
  return failed ? ` (up ${failed.up}, down ${failed.down})` : '';
}

function zeroFailures(r: RunResult): GoalCheck | undefined {
  if (!r.report) return undefined;
  return {
    goal: `0 failed requests: ${r.scenario}`,
    mode: r.mode,
    measured: `${r.report.failed} failed of ${r.report.sent}${phaseFailures(r)}${r.error ? ', run failed' : ''}`,
    met: r.report.failed === 0 && !r.error,
  };
}

/**
 * Ours only: a membership change goes through the runtime API, never a
 * reload (the storm's reloads are forced, not counted; the services
 * scenario's new service is one, checked on its own).
 */
function noReloads(results: readonly RunResult[]): GoalCheck | undefined {
  const ours = results.filter((r) => r.mode === 'seamless' && r.scenario !== 'reload-storm' && r.scenario !== 'services');
  if (ours.length === 0) return undefined;
  const unknown = ours.filter((r) => r.reloads === null);
  const total = ours.reduce((sum, r) => sum + (r.reloads ?? 0), 0);
  const where = ours.filter((r) => (r.reloads ?? 0) > 0).map((r) => `${r.scenario} ${r.reloads}`);
  return {
    goal: '0 reloads for membership changes',
    mode: 'seamless',
    measured: `${total} in ${ours.length - unknown.length} scenarios${where.length ? ` (${where.join(', ')})` : ''}${unknown.length ? `, not known for ${unknown.map((r) => r.scenario).join(', ')}` : ''}`,
    met: total === 0 && unknown.length === 0,
  };
}

/** Time to traffic from the container's start, one backend at a time under load (scale-up). */
function trafficFromStart(r: RunResult | undefined): GoalCheck | undefined {
  const traffic = figure(r, 'traffic-start');
  if (!r || !traffic) return undefined;
  const s = summarize(traffic.samplesMs);
  const missing = traffic.missing.length;
  return {
    goal: `time to traffic from container start under load: p50 ≤ ${seconds(LIMITS.trafficP50)} s, max ≤ ${seconds(LIMITS.trafficMax)} s`,
    mode: r.mode,
    measured: s ? `p50 ${seconds(s.p50)} s, max ${seconds(s.max)} s (n=${s.n})${missing ? `, ${missing} never seen` : ''}` : 'not measured',
    met: s !== undefined && s.p50 <= LIMITS.trafficP50 && s.max <= LIMITS.trafficMax && missing === 0,
  };
}

function fasterThanDns(ours: RunResult | undefined, dns: RunResult | undefined): GoalCheck | undefined {
  if (!ours) return undefined;
  const p50 = (r: RunResult | undefined) => summarize(figure(r, 'traffic-start')?.samplesMs ?? [])?.p50;
  const [mine, theirs] = [p50(ours), p50(dns)];
  return {
    goal: 'time to traffic p50 lower than the dns mode in the same run',
    mode: 'seamless',
    measured: mine === undefined ? 'not measured' : theirs === undefined ? `${seconds(mine)} s; dns mode not measured in this run` : `${seconds(mine)} s vs dns ${seconds(theirs)} s`,
    met: mine !== undefined && theirs !== undefined && mine < theirs,
  };
}

/** A burst of backends at once: from each container's start to its first response, p50 and max no later than the dns mode's. */
function burstNoLaterThanDns(ours: RunResult | undefined, dns: RunResult | undefined): GoalCheck | undefined {
  const of = (r: RunResult | undefined) => summarize(figure(r, 'serving-from-start')?.samplesMs ?? []);
  const [mine, theirs] = [of(ours), of(dns)];
  if (!ours || !mine) return undefined;
  const missing = figure(ours, 'serving-from-start')?.missing.length ?? 0;
  return {
    goal: 'many at once: container start → first response, p50 and max no later than the dns mode',
    mode: 'seamless',
    measured: `p50 ${seconds(mine.p50)} s, max ${seconds(mine.max)} s${theirs ? ` vs dns ${seconds(theirs.p50)} s, ${seconds(theirs.max)} s` : '; dns mode not measured in this run'}${missing ? `, ${missing} never served` : ''}`,
    met: theirs !== undefined && mine.p50 <= theirs.p50 && mine.max <= theirs.max && missing === 0,
  };
}

/** Ours only: servers of several services change through the runtime API; a new service is one seamless reload. */
function serviceReloads(r: RunResult | undefined): GoalCheck | undefined {
  const reloads = r?.raw.reloads as { scaling: number; newService: number } | undefined;
  if (!r || !reloads) return undefined;
  return {
    goal: 'services: 0 reloads while their servers change, exactly 1 for a new service',
    mode: r.mode,
    measured: `${reloads.scaling} while scaling, ${reloads.newService} for the 4th service`,
    met: reloads.scaling === 0 && reloads.newService === 1,
  };
}

function leaversOut(r: RunResult): GoalCheck | undefined {
  const out = figure(r, 'out-after-stopped');
  if (!out) return undefined;
  const s = summarize(out.samplesMs);
  const missing = out.missing.length;
  return {
    goal: `every leaver out of the runtime ≤ ${seconds(LIMITS.leaverOut)} s after its container stopped: ${r.scenario}`,
    mode: r.mode,
    measured: s ? `max ${seconds(s.max)} s (n=${s.n})${missing ? `, ${missing} never out` : ''}` : 'not measured',
    met: s !== undefined && s.max <= LIMITS.leaverOut && missing === 0,
  };
}

/** The issue's goals, checked against what was measured, for every mode that ran where the goal applies. */
export function checkGoals(results: readonly RunResult[]): GoalCheck[] {
  const scaleUp = (mode: Mode) => results.find((r) => r.scenario === 'scale-up' && r.mode === mode);
  const checks = [
    ...results.map(zeroFailures),
    noReloads(results),
    trafficFromStart(scaleUp('seamless')),
    fasterThanDns(scaleUp('seamless'), scaleUp('dns')),
    burstNoLaterThanDns(results.find((r) => r.scenario === 'many-backends' && r.mode === 'seamless'), results.find((r) => r.scenario === 'many-backends' && r.mode === 'dns')),
    serviceReloads(results.find((r) => r.scenario === 'services' && r.mode === 'seamless')),
    ...results.map(leaversOut),
  ];
  return checks.filter((c): c is GoalCheck => c !== undefined);
}

export function goalsTable(checks: readonly GoalCheck[]): string {
  return markdownTable(['Goal', 'Mode', 'Measured', 'Met'], checks.map((c) => [c.goal, c.mode, c.measured, c.met ? 'yes' : '**no**']));
}
