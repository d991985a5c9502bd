import { type AdminCommand, AdminSocketUnavailable } from './admin-socket.ts';
import { configSkeleton, serverLines } from './server-lines.ts';
import { applyRuntime, isEmpty, planRuntime, type Removal, type RuntimeResult, RuntimeCommandError, runningServers } from './sync-runtime.ts';
import { RuntimeStateError } from './runtime-state.ts';

/**
 * How the running HAProxy was brought to the new config: through its runtime
 * API (the file then only follows), or not at all, in which case the file
 * must be checked and HAProxy reloaded, and `reason` says why.
 */
export type RuntimeOutcome =
  | { path: 'runtime'; result: RuntimeResult }
  | { path: 'reload'; reason: string }
  /** No HAProxy answers on the socket: a run by hand, a test, HAProxy not started. */
  | { path: 'unavailable'; reason: string };

export interface RuntimeTarget {
  backend: string;
  removal: Removal;
  drainMs: number;
}

// HAProxy's CLI splits commands on ';' and reads '\' as an escape: an
// argument holding either could change what a command does. Words hold no
// white space (they are split on it), so one test per line covers them all.
const CLI_UNSAFE = /[;\\]/;

/**
 * Makes the running HAProxy serve the servers of `rendered`, when only
 * servers changed since `live` (the installed file) and the admin socket
 * answers. Anything else is left to the checked reload.
 */
export async function changeRunningHaproxy(rendered: string, live: string | undefined, target: RuntimeTarget, admin: AdminCommand): Promise<RuntimeOutcome> {
  if (live === undefined) return { path: 'unavailable', reason: 'no installed config yet' };
  if (configSkeleton(rendered) !== configSkeleton(live)) return { path: 'reload', reason: 'the config changed outside its server lines' };
  const wanted = serverLines(rendered, target.backend);
  for (const line of wanted.values()) {
    if (CLI_UNSAFE.test(`${line.name} ${line.hostport} ${line.args.join(' ')}`)) {
      return { path: 'reload', reason: `server ${line.name}'s line has a character the runtime API would misread` };
    }
  }
  try {
    const changes = planRuntime(wanted, serverLines(live, target.backend), await runningServers(admin, target.backend));
    if (isEmpty(changes)) return { path: 'runtime', result: { added: 0, removed: 0, reweighted: 0, cut: 0 } };
    return { path: 'runtime', result: await applyRuntime(changes, target, admin) };
  } catch (error) {
    if (error instanceof AdminSocketUnavailable) return { path: 'unavailable', reason: error.message };
    if (error instanceof RuntimeCommandError || error instanceof RuntimeStateError) return { path: 'reload', reason: `runtime API refused: ${error.message}` };
    throw error;
  }
}
