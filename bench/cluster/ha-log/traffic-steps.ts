import type { LogLine } from './log-lines.ts';

/** The steps from a webapp's container start to its first response through HAProxy, in order. */
// The webapp's backend-ready user event is not a step: ha's warm reconcile
// wakes on the join its agent logs, before the gossiped event arrives.
export const TRAFFIC_STEPS = ['app listening', 'kit announcing', 'Serf join', 'in the runtime', 'first response'] as const;
export type TrafficStep = (typeof TRAFFIC_STEPS)[number];

export interface TrafficSteps {
  /** Ms each step took from the end of the one before (the first from State.StartedAt), whole ms. */
  ms: Partial<Record<TrafficStep, number>>;
  /** The first step whose mark was not found: it and every step after it are left out. */
  notFound: TrafficStep | undefined;
  /**
   * Steps whose mark was stamped before the previous one's and count 0.
   * Docker stamps a line when it reads it, a little after it was written, and
   * two containers' logs are read apart: the app's `listening` may be stamped
   * after Serf's join it led to, a first response before ha's line.
   */
  stampedEarly: TrafficStep[];
}

export interface TrafficMarks {
  name: string;
  /** State.StartedAt, epoch ms. */
  startedAtMs: number;
  /** The load generator's first ok response from the backend, epoch ms. */
  firstResponseAtMs: number | undefined;
}

const runtimeDone = (text: string): boolean => {
  const done = /\bmsg=done\b.*\bruntime_added=(\d+)/.exec(text);
  return (done !== null && Number(done[1]) > 0) || (/\bmsg=done\b/.test(text) && /\breload=yes\b/.test(text));
};

/**
 * Each step's share of a time to traffic, read from the webapp's log (`msg=listening`,
 * then the kit's `the app answers`) and ha's (Serf's join, then HAProxy's `New server registered` or a
 * handler's done line that added a server or reloaded). ha's marks are each looked
 * for after the one before it in ha's log; a step is never negative and never spans
 * a missing mark.
 */
export function trafficSteps(ha: readonly LogLine[], webapp: readonly LogLine[], marks: TrafficMarks): TrafficSteps {
  const { name, startedAtMs } = marks;
  const after = (lines: readonly LogLine[], fromMs: number, test: (text: string) => boolean): number | undefined =>
    lines.find((l) => l.atMs >= fromMs && test(l.text))?.atMs;
  let haAt = startedAtMs;
  const inHaLog = (test: (text: string) => boolean) => () => {
    const found = after(ha, haAt, test);
    if (found !== undefined) haAt = found;
    return found;
  };
  const finders: Record<TrafficStep, () => number | undefined> = {
    // The app listens once per container: its line counts wherever it was stamped.
    'app listening': () => after(webapp, -Infinity, (t) => /\bmsg=listening\b/.test(t)),
    // The kit's probe got its first answer and starts the announce.
    'kit announcing': () => after(webapp, -Infinity, (t) => t.startsWith('lb/init: the app answers')),
    'Serf join': inHaLog((t) => t.includes(`serf: EventMemberJoin: ${name} `)),
    'in the runtime': inHaLog((t) => t.includes(`'server webapps/${name}' : New server registered`) || runtimeDone(t)),
    'first response': () => marks.firstResponseAtMs,
  };
  const result: TrafficSteps = { ms: {}, notFound: undefined, stampedEarly: [] };
  let at = startedAtMs;
  for (const step of TRAFFIC_STEPS) {
    const found = finders[step]();
    if (found === undefined) return { ...result, notFound: step };
    if (found < at) result.stampedEarly.push(step);
    result.ms[step] = Math.round(Math.max(0, found - at));
    at = Math.max(at, found);
  }
  return result;
}
