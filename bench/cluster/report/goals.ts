import type { Mode, ScenarioName } from '../run/options.ts';
import type { RunResult } from '../run/run-result.ts';
import { markdownTable } from './markdown-table.ts';
import { seconds, summarize } from './summary.ts';

export interface GoalCheck {
  goal: string;
  mode: Mode;
  measured: string;
  met: boolean;
}

const ZERO_FAILURES: [ScenarioName, string][] = [
  ['scale-up', '0 failed requests while scaling up'],
  ['scale-down', '0 failed requests while scaling down'],
  ['crash', '0 failed GETs when 2 backends are SIGKILLed'],
  ['reload-storm', '0 failed requests during the reload storm'],
];

/** The issue's goals, checked against what was measured, for every mode that ran. */
export function checkGoals(results: readonly RunResult[]): GoalCheck[] {
  const checks: GoalCheck[] = [];
  for (const r of results) {
    const zero = ZERO_FAILURES.find(([name]) => name === r.scenario);
    if (zero && r.report) {
      checks.push({ goal: zero[1], mode: r.mode, measured: `${r.report.failed} failed of ${r.report.sent}`, met: r.report.failed === 0 && !r.error });
    }
    if (r.scenario === 'scale-up') {
      const traffic = r.times.find((t) => t.id === 'traffic');
      const s = summarize(traffic?.samplesMs ?? []);
      const missing = traffic?.missing.length ?? 0;
      checks.push({
        goal: 'time to traffic p50 ≤ 1.5 s',
        mode: r.mode,
        measured: s ? `p50 ${seconds(s.p50)} s${missing ? `, ${missing} never seen` : ''}` : 'not measured',
        met: s !== undefined && s.p50 <= 1500 && missing === 0,
      });
    }
    if (r.scenario === 'reload-storm' && r.census) {
      checks.push({
        goal: '≤ 2 HAProxy workers 5 s after the storm (master not counted)',
        mode: r.mode,
        measured: `${r.census.workers} workers, ${r.census.masters} master`,
        met: r.census.workers <= 2,
      });
    }
  }
  const lab = results.filter((r) => r.mode === 'restart');
  checks.push({
    goal: "the lab's way measured, not assumed",
    mode: 'restart',
    measured: `${lab.filter((r) => !r.error && r.report).length} of ${lab.length} scenarios ran with RELOAD_STRATEGY=restart`,
    met: lab.length > 0 && lab.every((r) => !r.error && r.report),
  });
  return checks;
}

export function goalsTable(checks: readonly GoalCheck[]): string {
  return markdownTable(['Goal', 'Mode', 'Measured', 'Met'], checks.map((c) => [c.goal, c.mode, c.measured, c.met ? 'yes' : '**no**']));
}
