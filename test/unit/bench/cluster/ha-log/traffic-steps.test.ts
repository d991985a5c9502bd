import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LogLine } from '../../../../../bench/cluster/ha-log/log-lines.ts';
import { trafficSteps } from '../../../../../bench/cluster/ha-log/traffic-steps.ts';

const T = 1_000_000;
const at = (ms: number, text: string): LogLine => ({ atMs: T + ms, text });

const KIT_LINE = 'lb/init: the app answers on port 3000 after 240 ms; announcing';
const webapp = [at(240, 'level=info component=webapp msg=listening port=3000 server_name=w2'), at(245, KIT_LINE)];
const ha = [
  at(100, '2026/11/26 19:00:00 [INFO] serf: EventMemberJoin: w20 172.18.0.9'),
  at(260, '2026/11/26 19:00:00 [INFO] serf: EventMemberJoin: w2 172.18.0.4'),
  at(270, '2026/11/26 19:00:00 [INFO] agent: Received event: user-event: backend-ready'),
  at(300, "[NOTICE]   (7) : CLI : 'server webapps/w2' : New server registered."),
  at(320, 'level=info component=reconcile msg=done event=reconcile runtime=applied runtime_added=1 runtime_removed=0 reload=no duration_ms=40'),
];

test('each step runs from the end of the one before, from the container start to the first response', () => {
  assert.deepEqual(trafficSteps(ha, webapp, { name: 'w2', startedAtMs: T, firstResponseAtMs: T + 330 }), {
    ms: { 'app listening': 240, 'kit announcing': 5, 'Serf join': 15, 'in the runtime': 40, 'first response': 30 },
    notFound: undefined,
    stampedEarly: [],
  });
});

test("a handler's done line that added a server or reloaded marks the runtime step when HAProxy's line is absent", () => {
  const withoutCli = ha.filter((l) => !l.text.includes('New server registered'));
  assert.equal(trafficSteps(withoutCli, webapp, { name: 'w2', startedAtMs: T, firstResponseAtMs: T + 330 }).ms['in the runtime'], 60);
  const reloaded = [...ha.slice(0, 3), at(400, 'level=info component=member-join msg=done event=member-join runtime=off reload=yes duration_ms=90')];
  assert.equal(trafficSteps(reloaded, webapp, { name: 'w2', startedAtMs: T, firstResponseAtMs: T + 450 }).ms['in the runtime'], 140);
});

test('a missing mark ends the breakdown there: no step spans it', () => {
  const noJoin = ha.filter((l) => !l.text.includes('EventMemberJoin: w2 '));
  assert.deepEqual(trafficSteps(noJoin, webapp, { name: 'w2', startedAtMs: T, firstResponseAtMs: T + 330 }), {
    ms: { 'app listening': 240, 'kit announcing': 5 },
    notFound: 'Serf join',
    stampedEarly: [],
  });
  assert.equal(trafficSteps(ha, webapp, { name: 'w2', startedAtMs: T, firstResponseAtMs: undefined }).notFound, 'first response');
  assert.equal(trafficSteps(ha, [], { name: 'w2', startedAtMs: T, firstResponseAtMs: T + 330 }).notFound, 'app listening');
});

test('a mark stamped before the one before it counts 0, never negative, and is named', () => {
  const lateListening = [at(265, 'level=info component=webapp msg=listening port=3000'), at(266, KIT_LINE)];
  const steps = trafficSteps(ha, lateListening, { name: 'w2', startedAtMs: T, firstResponseAtMs: T + 290 });
  assert.deepEqual(steps.ms, { 'app listening': 265, 'kit announcing': 1, 'Serf join': 0, 'in the runtime': 34, 'first response': 0 });
  assert.deepEqual(steps.stampedEarly, ['Serf join', 'first response']);
  assert.ok(Object.values(steps.ms).every((ms) => ms >= 0));
});

test("another backend's join, or its server registered before this one's join, is not this backend's", () => {
  const early = [at(50, "[NOTICE]   (7) : CLI : 'server webapps/w20' : New server registered."), ...ha];
  const steps = trafficSteps(early, webapp, { name: 'w2', startedAtMs: T, firstResponseAtMs: T + 330 });
  assert.equal(steps.ms['Serf join'], 15);
  assert.equal(steps.ms['in the runtime'], 40);
});
