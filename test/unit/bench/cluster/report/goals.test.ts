import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkGoals } from '../../../../../bench/cluster/report/goals.ts';
import type { Mode, ScenarioName } from '../../../../../bench/cluster/run/options.ts';
import type { RunResult } from '../../../../../bench/cluster/run/run-result.ts';
import type { TimeFigure } from '../../../../../bench/cluster/run/scenario.ts';
import type { LoadReport } from '../../../../../harness/load/load-report.ts';

function result(scenario: ScenarioName, mode: Mode, { failed = 0, reloads = 0 as number | null, times = [] as TimeFigure[], raw = {} } = {}): RunResult {
  const report = { sent: 1000, ok: 1000 - failed, failed } as LoadReport;
  return {
    scenario, title: scenario, mode, shape: { rate: 400, connections: 40, connection: 'new', timeoutMs: 5000 },
    loadStartedAt: null, wallMs: 1, report, times, census: null, processes: null, memory: null, notes: [], events: [],
    enginePasses: [], reloads, raw, error: null,
  };
}

const fromStart = (...samplesMs: number[]): TimeFigure => ({ id: 'traffic-start', what: 'container start → first response', samplesMs, missing: [] });
const leavers = (...samplesMs: number[]): TimeFigure => ({ id: 'out-after-stopped', what: 'container stopped → out of the runtime', samplesMs, missing: [] });
const met = (checks: ReturnType<typeof checkGoals>) => Object.fromEntries(checks.map((c) => [`${c.goal} [${c.mode}]`, c.met]));

test('every goal met: zero failures everywhere, no reload, fast traffic, faster than DNS, leavers out in time', () => {
  const checks = checkGoals([
    result('scale-up', 'seamless', { times: [fromStart(200, 250, 300, 550)] }),
    result('scale-up', 'dns', { times: [fromStart(900, 1200)] }),
    result('scale-50', 'seamless', { times: [leavers(0, 1200, 3000)], raw: { failed: { up: 0, down: 0 } } }),
    result('reload-storm', 'seamless', { reloads: 0 }),
  ]);
  assert.deepEqual(met(checks), {
    '0 failed requests: scale-up [seamless]': true,
    '0 failed requests: scale-up [dns]': true,
    '0 failed requests: scale-50 [seamless]': true,
    '0 failed requests: reload-storm [seamless]': true,
    '0 reloads for membership changes [seamless]': true,
    'time to traffic from container start under load: p50 ≤ 0.30 s, max ≤ 0.60 s [seamless]': true,
    'time to traffic p50 lower than the dns mode in the same run [seamless]': true,
    'every leaver out of the runtime ≤ 3.00 s after its container stopped: scale-50 [seamless]': true,
  });
  assert.equal(checks.find((c) => c.goal.startsWith('0 failed requests: scale-50'))?.measured, '0 failed of 1000 (up 0, down 0)');
});

test('each limit missed is a goal not met', () => {
  const checks = checkGoals([
    result('scale-up', 'seamless', { failed: 3, reloads: 2, times: [fromStart(310, 320, 330)] }),
    result('scale-up', 'dns', { times: [fromStart(300, 300, 300)] }),
    result('scale-down', 'seamless', { reloads: null, times: [leavers(100, 3001)] }),
  ]);
  assert.deepEqual(met(checks), {
    '0 failed requests: scale-up [seamless]': false,
    '0 failed requests: scale-up [dns]': true,
    '0 failed requests: scale-down [seamless]': true,
    '0 reloads for membership changes [seamless]': false,
    'time to traffic from container start under load: p50 ≤ 0.30 s, max ≤ 0.60 s [seamless]': false,
    'time to traffic p50 lower than the dns mode in the same run [seamless]': false,
    'every leaver out of the runtime ≤ 3.00 s after its container stopped: scale-down [seamless]': false,
  });
  assert.equal(checks.find((c) => c.goal === '0 reloads for membership changes')?.measured, '2 in 1 scenarios (scale-up 2), not known for scale-down');
});

test('a max within the limit but a p50 over it, or a backend never seen, misses the time-to-traffic goal', () => {
  const slowMedian = checkGoals([result('scale-up', 'seamless', { times: [fromStart(350, 350, 100)] })]);
  assert.equal(slowMedian.find((c) => c.goal.startsWith('time to traffic from'))?.met, false);
  const unseen = checkGoals([result('scale-up', 'seamless', { times: [{ ...fromStart(100), missing: ['w8'] }] })]);
  assert.equal(unseen.find((c) => c.goal.startsWith('time to traffic from'))?.met, false);
});

test('without a dns run the comparison is not met, and says why', () => {
  const check = checkGoals([result('scale-up', 'seamless', { times: [fromStart(100)] })]).find((c) => c.goal.includes('dns mode'));
  assert.deepEqual([check?.met, check?.measured], [false, '0.10 s; dns mode not measured in this run']);
});

test('a burst is judged from each container\'s own start: p50 and max both no later than the dns mode', () => {
  const burst = (...samplesMs: number[]): TimeFigure => ({ id: 'serving-from-start', what: 'container start → first response', samplesMs, missing: [] });
  const judge = (ours: number[], theirs: number[]) =>
    checkGoals([result('many-backends', 'seamless', { times: [burst(...ours)] }), result('many-backends', 'dns', { times: [burst(...theirs)] })])
      .find((c) => c.goal.startsWith('many at once'));
  assert.deepEqual([judge([500, 900, 2000], [600, 1000, 2500])?.met, judge([500, 900, 2000], [600, 1000, 2500])?.measured], [true, 'p50 0.90 s, max 2.00 s vs dns 1.00 s, 2.50 s']);
  assert.equal(judge([500, 900, 3000], [600, 1000, 2500])?.met, false, 'a later max');
  assert.equal(judge([500, 1100, 2000], [600, 1000, 2500])?.met, false, 'a later p50');
});

test('services: a reload while servers change, or none or two for a new service, misses the goal; they are not membership reloads', () => {
  const judge = (scaling: number, newService: number) => {
    const checks = checkGoals([result('services', 'seamless', { reloads: scaling + newService, raw: { reloads: { scaling, newService } } })]);
    return [checks.find((c) => c.goal.startsWith('services:'))?.met, checks.find((c) => c.goal.startsWith('0 reloads for membership'))];
  };
  assert.deepEqual(judge(0, 1), [true, undefined]);
  assert.equal(judge(1, 1)[0], false);
  assert.equal(judge(0, 0)[0], false);
  assert.equal(judge(0, 2)[0], false);
});
