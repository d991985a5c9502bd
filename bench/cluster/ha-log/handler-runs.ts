import type { LogLine } from './log-lines.ts';

/** One Serf handler run, from its `msg=done` line in `docker logs ha`. */
export interface HandlerRun {
  /** Epoch ms Docker stamped on the line: when the run ended. */
  endedAtMs: number;
  event: string;
  /** SERF_EVENT of the run (`user` for backend-ready's reconcile); undefined for a run Serf did not start. */
  serfEvent: string | undefined;
  reload: boolean;
  durationMs: number;
  backends: number;
}

export function handlerRuns(lines: readonly LogLine[]): HandlerRun[] {
  const runs: HandlerRun[] = [];
  for (const line of lines) {
    const match = /^level=\w+ component=\S+ msg=done (.*)$/.exec(line.text);
    if (!match) continue;
    const fields = Object.fromEntries([...match[1]!.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1]!, m[2]!]));
    runs.push({
      endedAtMs: line.atMs,
      event: fields.event ?? '?',
      serfEvent: fields.serf_event,
      reload: fields.reload === 'yes',
      durationMs: Number(fields.duration_ms),
      backends: Number(fields.backends),
    });
  }
  return runs;
}
