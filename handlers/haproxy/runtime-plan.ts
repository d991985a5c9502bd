import type { RuntimeServer } from './runtime-state.ts';
import { argument, hostportOf, type ServerLine } from './server-lines.ts';

/** What the running HAProxy must do so that its servers are the file's. */
export interface RuntimeChanges {
  add: ServerLine[];
  /** Same name, but another address, port or arguments: deleted, then added anew. */
  replace: ServerLine[];
  reweight: { name: string; weight: string }[];
  /** Wanted, but left in drain or maintenance (a removal that died, a member back): made ready again. */
  ready: string[];
  remove: string[];
}

/** srv_admin_state bits an operator's or our own `set server state` sets: forced maintenance, forced drain. */
const FORCED_MAINT = 0x01;
const FORCED_DRAIN = 0x08;

/** A server's arguments but its weight, which `set server ... weight` changes in place. */
function withoutWeight(args: readonly string[]): string {
  const kept: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === 'weight') i++;
    else kept.push(args[i]!);
  }
  return kept.join(' ');
}

/** Most servers of a run are the same line as before: one join each settles them before any word-by-word look. */
const sameButWeight = (a: ServerLine, b: ServerLine): boolean =>
  a.hostport === b.hostport && (a.args.join(' ') === b.args.join(' ') || withoutWeight(a.args) === withoutWeight(b.args));

/**
 * Compares what the file will say (`wanted`), what it said until now
 * (`filed`: the runtime cannot show a server's arguments, the last file can)
 * and what runs (`running`). A wanted server ends up ready whatever admin
 * state it was left in; one already `leaving` (drained by this process) is
 * not removed twice.
 */
export function planRuntime(
  wanted: ReadonlyMap<string, ServerLine>,
  filed: ReadonlyMap<string, ServerLine>,
  running: readonly RuntimeServer[],
  leaving: ReadonlySet<string> = new Set(),
): RuntimeChanges {
  const changes: RuntimeChanges = { add: [], replace: [], reweight: [], ready: [], remove: [] };
  const runningByName = new Map(running.map((s) => [s.name, s]));
  for (const line of wanted.values()) {
    const now = runningByName.get(line.name);
    if (!now) {
      changes.add.push(line);
      continue;
    }
    const before = filed.get(line.name);
    // A leaver wanted back is the same member at the same place: the file no longer lists it, its sessions stay.
    const back = leaving.has(line.name) && hostportOf(now) === line.hostport;
    if (!back && (hostportOf(now) !== line.hostport || !before || !sameButWeight(before, line))) {
      changes.replace.push(line);
      continue;
    }
    if ((now.adminState & (FORCED_MAINT | FORCED_DRAIN)) !== 0 || leaving.has(line.name)) changes.ready.push(line.name);
    const weight = argument(line, 'weight') ?? '1';
    if (String(now.weight) !== weight) changes.reweight.push({ name: line.name, weight });
  }
  for (const server of running) if (!wanted.has(server.name) && !leaving.has(server.name)) changes.remove.push(server.name);
  return changes;
}

export function isEmpty(changes: RuntimeChanges): boolean {
  return changes.add.length + changes.replace.length + changes.reweight.length + changes.ready.length + changes.remove.length === 0;
}
