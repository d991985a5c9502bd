import type { LogLine } from './log-lines.ts';

/** One pass of ha's engine (or the render before HAProxy starts), from its `msg=done` line in `docker logs ha`. */
export interface EnginePass {
  /** Epoch ms Docker stamped on the line: when the run ended. */
  endedAtMs: number;
  event: string;
  /** What woke the engine for this pass (`monitor,member-join`...); undefined for the render. */
  wokenBy: string | undefined;
  reload: boolean;
  durationMs: number;
  backends: number;
}

export function enginePasses(lines: readonly LogLine[]): EnginePass[] {
  const runs: EnginePass[] = [];
  for (const line of lines) {
    const match = /^level=\w+ component=\S+ msg=done (.*)$/.exec(line.text);
    if (!match) continue;
    const fields = Object.fromEntries([...match[1]!.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1]!, m[2]!]));
    runs.push({
      endedAtMs: line.atMs,
      event: fields.event ?? '?',
      wokenBy: fields.woken_by,
      reload: fields.reload === 'yes',
      durationMs: Number(fields.duration_ms),
      backends: Number(fields.backends),
    });
  }
  return runs;
}
