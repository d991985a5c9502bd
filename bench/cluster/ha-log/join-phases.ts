import type { LogLine } from './log-lines.ts';

/** Epoch ms of each step between a member joining Serf and HAProxy being told about it. */
export interface JoinPhases {
  /** ha's Serf agent learns of the member (gossip). */
  joinedAt: number;
  /** Serf hands the member-join event to the handler, after its coalescing window. */
  eventAt: number;
  /** The member-join handler is done: config installed, HAProxy reload asked for. */
  handledAt: number;
}

/**
 * Where the time between `docker run` and traffic goes, read from ha's log.
 * Serf's agent coalesces member events (quiescent 1 s, at most 3 s; set in
 * its code, not configurable), which the eventAt - joinedAt step shows.
 */
export function joinPhases(lines: readonly LogLine[], name: string, sinceMs: number): JoinPhases | undefined {
  const after = (from: number, test: (text: string) => boolean): LogLine | undefined =>
    lines.find((l) => l.atMs >= from && test(l.text));
  const joined = after(sinceMs, (t) => t.includes(`serf: EventMemberJoin: ${name} `));
  if (!joined) return undefined;
  const event = after(joined.atMs, (t) => t.includes('agent: Received event: member-join'));
  if (!event) return undefined;
  const handled = after(event.atMs, (t) => t.includes('component=member-join msg=done'));
  if (!handled) return undefined;
  return { joinedAt: joined.atMs, eventAt: event.atMs, handledAt: handled.atMs };
}
