import type { Member } from '../members/member.ts';
import { checkName, InvalidMember, quoted } from '../members/validate-member.ts';
import { templateTags } from '../members/tags.ts';
import { sameServer, type Server, toServer } from '../pool/server.ts';
import type { StoreChange } from '../pool/nodes-store.ts';

export interface Verdict {
  changes: StoreChange[];
  rejected: string[];
  ignored: string[];
  /** What a person should know though nothing failed: removals refused, tags hidden from the template. */
  warnings: { msg: string; reason: string }[];
}

/** What every decision needs besides the members: which role is ours, and the time to stamp on a change. */
export interface Rules {
  role: string;
  now: string;
  /** False when the member list cannot prove a server gone (see MembersRead.agentAlone). */
  mayRemove?: boolean;
}

/** Runs `decide` on each member, turning an InvalidMember into a rejection that names the member. */
function eachMember(members: readonly Member[], decide: (member: Member, verdict: Verdict) => void): Verdict {
  const verdict: Verdict = { changes: [], rejected: [], ignored: [], warnings: [] };
  for (const member of members) {
    try {
      decide(member, verdict);
    } catch (error) {
      if (!(error instanceof InvalidMember)) throw error;
      verdict.rejected.push(`member ${quoted(member.name)}: ${error.message}`);
    }
  }
  return verdict;
}

/** True when the member is one of ours; otherwise records why it is ignored. */
function isOurs(member: Member, rules: Rules, verdict: Verdict): boolean {
  if (member.role === rules.role) return true;
  verdict.ignored.push(`${checkName(member.name)}: role ${quoted(member.role)} is not ${quoted(rules.role)}`);
  return false;
}

/** Puts the member's server, saying once (when its entry is new or changed) which of its tags the template cannot see. */
function put(member: Member, current: readonly Server[], rules: Rules, verdict: Verdict): void {
  const server = toServer(member, rules.now);
  verdict.changes.push({ kind: 'put', server });
  const old = current.find((c) => c.name === server.name);
  const { hidden } = templateTags(server.tags);
  if (hidden.length > 0 && !(old && sameServer(old, server))) {
    verdict.warnings.push({ msg: 'tags hidden from the template', reason: `${server.name}: ${hidden.map(quoted).join(', ')} (not a plain key and token)` });
  }
}

/** Join: each member of our role becomes (or replaces) a server; other roles are ignored. */
export function putMembers(members: readonly Member[], current: readonly Server[], rules: Rules): Verdict {
  return eachMember(members, (member, verdict) => {
    if (isOurs(member, rules, verdict)) put(member, current, rules, verdict);
  });
}

/** Update: like join, except that a server whose member moved to another role is removed. */
export function putOrRemoveMembers(members: readonly Member[], current: readonly Server[], rules: Rules): Verdict {
  return eachMember(members, (member, verdict) => {
    if (isOurs(member, rules, verdict)) put(member, current, rules, verdict);
    else verdict.changes.push({ kind: 'remove', name: member.name });
  });
}

/** Leave, failed, reap: removal needs only a safe name; removing a name that is not there is harmless. */
export function removeMembers(members: readonly Member[], _current: readonly Server[], _rules: Rules): Verdict {
  return eachMember(members, (member, verdict) => {
    verdict.changes.push({ kind: 'remove', name: checkName(member.name) });
  });
}

/**
 * Reconcile: the store becomes exactly the valid servers among the live
 * members; but an agent that lists only itself only adds, never removes:
 * it would drop every backend before it has even rejoined.
 */
export function keepOnlyMembers(members: readonly Member[], current: readonly Server[], rules: Rules): Verdict {
  const verdict = putMembers(members, current, rules);
  const keep = new Set(verdict.changes.map((c) => (c.kind === 'put' ? c.server.name : c.name)));
  const gone = current.map(({ name }) => name).filter((name) => !keep.has(name));
  if (rules.mayRemove === false && gone.length > 0) {
    verdict.warnings.push({ msg: 'removals refused', reason: `serf members lists no member but the agent itself, which has not rejoined its cluster: kept ${gone.length} server(s) it does not list (${gone.join(', ')})` });
    return verdict;
  }
  for (const name of gone) verdict.changes.push({ kind: 'remove', name });
  return verdict;
}

/** Render: the store as it is. */
export function keepStore(_members: readonly Member[], _current: readonly Server[], _rules: Rules): Verdict {
  return { changes: [], rejected: [], ignored: [], warnings: [] };
}
