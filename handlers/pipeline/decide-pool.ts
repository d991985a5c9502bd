import type { Member } from '../members/member.ts';
import { checkName, InvalidMember, NODE_NAME, quoted } from '../members/validate-member.ts';
import { templateTags } from '../members/tags.ts';
import { sameServer, type Server, toServer } from '../pool/server.ts';
import type { StoreChange } from '../pool/nodes-store.ts';

export interface Verdict {
  changes: StoreChange[];
  /** One line each: the member, and why it was refused. */
  rejected: string[];
  /** Names of the members refused (those with a name a file could hold). */
  rejectedNames: Set<string>;
  ignored: number;
  /** What a person should know though nothing failed: removals refused, tags hidden from the template. */
  warnings: { msg: string; reason: string }[];
}

/** What every decision needs besides the members: which role is ours, and the time to stamp on a change. */
export interface Rules {
  role: string;
  now: string;
  /** False when the member list cannot prove a server gone: the agent lists only itself (a fresh ha that has not rejoined). */
  mayRemove: boolean;
}

/** Puts the member's server, saying once (when its entry is new or changed) which of its tags the template cannot see. */
function put(member: Member, current: ReadonlyMap<string, Server>, rules: Rules, verdict: Verdict): void {
  const server = toServer(member, rules.now);
  verdict.changes.push({ kind: 'put', server });
  const old = current.get(server.name);
  const { hidden } = templateTags(server.tags);
  if (hidden.length > 0 && !(old && sameServer(old, server))) {
    verdict.warnings.push({ msg: 'tags hidden from the template', reason: `${server.name}: ${hidden.map(quoted).join(', ')} (not a plain key and token)` });
  }
}

/**
 * The pool becomes exactly the valid servers among the agent's alive members
 * of our role. Two exceptions keep a server the agent still has: a member
 * whose tags turned invalid keeps its last good server (bad input changes
 * nothing), and an agent that lists only itself removes nothing (it would
 * drop every backend before it has even rejoined).
 */
export function decidePool(members: readonly Member[], current: readonly Server[], rules: Rules): Verdict {
  const verdict: Verdict = { changes: [], rejected: [], rejectedNames: new Set(), ignored: 0, warnings: [] };
  const byName = new Map(current.map((server) => [server.name, server]));
  const keep = new Set<string>();
  for (const member of members) {
    try {
      if (member.role !== rules.role) {
        // Not ours, but a name that could break a log line or a path is still refused.
        checkName(member.name);
        verdict.ignored++;
        continue;
      }
      put(member, byName, rules, verdict);
      keep.add(checkName(member.name));
    } catch (error) {
      if (!(error instanceof InvalidMember)) throw error;
      verdict.rejected.push(`member ${quoted(member.name)}: ${error.message}`);
      if (NODE_NAME.test(member.name)) verdict.rejectedNames.add(member.name);
    }
  }
  const gone = current.map(({ name }) => name).filter((name) => !keep.has(name) && !verdict.rejectedNames.has(name));
  if (!rules.mayRemove && gone.length > 0) {
    verdict.warnings.push({ msg: 'removals refused', reason: `the agent lists no member but itself and has not rejoined its cluster: kept ${gone.length} server(s) it does not list (${gone.join(', ')})` });
    return verdict;
  }
  for (const name of gone) verdict.changes.push({ kind: 'remove', name });
  return verdict;
}
