import type { LogLine } from './log-lines.ts';

/** HAProxy's own word on a server going DOWN or UP, with its reason ("Layer7 timeout, check duration: 1001ms"). */
export interface ServerStateLine {
  atMs: number;
  server: string;
  state: 'UP' | 'DOWN';
  reason: string;
}

/**
 * Server state changes in ha's log. Only a master-worker HAProxy's workers
 * write to the container's stderr; a lab-style daemon has detached from it, so in that
 * mode this is always empty and the stats page is the only witness.
 */
export function serverStateLines(lines: readonly LogLine[], sinceMs: number): ServerStateLine[] {
  const changes: ServerStateLine[] = [];
  for (const line of lines) {
    if (line.atMs < sinceMs) continue;
    const match = /Server webapps\/(\S+) is (UP|DOWN)(?:, reason: (.*?)\.(?: |$))?/.exec(line.text);
    if (match) changes.push({ atMs: line.atMs, server: match[1]!, state: match[2] as 'UP' | 'DOWN', reason: match[3] ?? '' });
  }
  return changes;
}
