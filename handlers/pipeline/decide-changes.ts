import type { Member } from '../members/member.ts';
import { checkName, InvalidMember, quoted } from '../members/validate-member.ts';
import { toServer } from '../pool/server.ts';
import type { StoreChange } from '../pool/nodes-store.ts';

export interface Verdict {
  changes: StoreChange[];
  rejected: string[];
  ignored: string[];
}

/** What every decision needs besides the members: which role is ours, and the time to stamp on a change. */
export interface Rules {
  role: string;
  now: string;
}

/** Runs `decide` on each member, turning an InvalidMember into a rejection that names the member. */
function eachMember(members: readonly Member[], decide: (member: Member, verdict: Verdict) => void): Verdict {
  const verdict: Verdict = { changes: [], rejected: [], ignored: [] };
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

/** Join: each member of our role becomes (or replaces) a server; other roles are ignored. */
export function putMembers(members: readonly Member[], _current: readonly { name: string }[], rules: Rules): Verdict {
  return eachMember(members, (member, verdict) => {
    if (isOurs(member, rules, verdict)) verdict.changes.push({ kind: 'put', server: toServer(member, rules.now) });
  });
}

/** Update: like join, except that a server whose member moved to another role is removed. */
export function putOrRemoveMembers(members: readonly Member[], _current: readonly { name: string }[], rules: Rules): Verdict {
  return eachMember(members, (member, verdict) => {
    if (isOurs(member, rules, verdict)) verdict.changes.push({ kind: 'put', server: toServer(member, rules.now) });
    else verdict.changes.push({ kind: 'remove', name: member.name });
  });
}

/** Leave, failed, reap: removal needs only a safe name; removing a name that is not there is harmless. */
export function removeMembers(members: readonly Member[], _current: readonly { name: string }[], _rules: Rules): Verdict {
  return eachMember(members, (member, verdict) => {
    verdict.changes.push({ kind: 'remove', name: checkName(member.name) });
  });
}

/** Reconcile: the store becomes exactly the valid servers among the live members. */
export function keepOnlyMembers(members: readonly Member[], current: readonly { name: string }[], rules: Rules): Verdict {
  const verdict = putMembers(members, current, rules);
  const keep = new Set(verdict.changes.map((c) => (c.kind === 'put' ? c.server.name : c.name)));
  for (const { name } of current) {
    if (!keep.has(name)) verdict.changes.push({ kind: 'remove', name });
  }
  return verdict;
}

/** Render: the store as it is. */
export function keepStore(_members: readonly Member[], _current: readonly { name: string }[], _rules: Rules): Verdict {
  return { changes: [], rejected: [], ignored: [] };
}
