// The thread startLoadThread (load-thread.ts) runs: one load, its first
// responses as they come, its final report on 'stop'.
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { startLoad, type LoadOptions } from './load-generator.ts';
import type { LoadReport } from './load-report.ts';
import { joinCpuGroup } from './thread-cpu-group.ts';

export type ThreadMessage =
  | { kind: 'started'; epochMs: number }
  | { kind: 'first-seen'; backend: string; atMs: number }
  | { kind: 'priority'; text: string }
  | { kind: 'cpu-group'; text: string }
  | { kind: 'report'; report: LoadReport };

const { options, nice, group } = workerData as { options: LoadOptions; nice: number; group: string | undefined };
const port = parentPort!;
const post = (message: ThreadMessage) => port.postMessage(message);

// On Linux the nice value belongs to the thread, and 0 names the calling one.
try {
  setPriority(0, nice);
  post({ kind: 'priority', text: `nice ${nice}` });
} catch (error) {
  post({ kind: 'priority', text: `nice 0 (${nice} refused: ${(error as Error).message})` });
}
// Without a group (makeCpuGroup said why, to the other thread), the thread stays where it is.
if (group !== undefined) post({ kind: 'cpu-group', text: joinCpuGroup(group) });

// Every time the run reports counts from its start: the other thread gets it
// as a date, since this thread started later than it asked.
const startedAt = Date.now();
const run = startLoad(options, (backend, atMs) => post({ kind: 'first-seen', backend, atMs }));
post({ kind: 'started', epochMs: startedAt });
port.once('message', () => void run.stop().then((report) => post({ kind: 'report', report })));
