import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Log } from '../os/log.ts';

// What the agent logs the moment memberlist learns of a change
// (serf/serf.go: "serf: EventMemberJoin: <name> <addr>"), before the 1 s
// quiet period its member events wait for.
const MEMBER_CHANGE = /serf: EventMember(Join|Leave|Failed|Update|Reap): /;

/**
 * Calls `wake` for every member change in the agent's log stream (`serf
 * monitor`), as it happens. The stream only says "look now": the run it
 * wakes trusts `serf members` alone. A stream that ends is started again a
 * second later.
 */
export function watchMemberChanges(monitorCmd: string, wake: () => void, log: Log): void {
  const child = spawn('/bin/sh', ['-c', `exec ${monitorCmd}`], { stdio: ['ignore', 'pipe', 'ignore'] });
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (MEMBER_CHANGE.test(line)) wake();
  });
  child.on('error', () => {});
  child.on('close', (code) => {
    log('warn', 'member watch ended; starting it again in 1 s', { code: code ?? undefined });
    setTimeout(() => watchMemberChanges(monitorCmd, wake, log), 1000);
  });
}
