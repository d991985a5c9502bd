import type { Member } from './backend.ts';
import type { StoreChange } from './nodes-store.ts';
import { checkName, InvalidMember, quoted, toBackend } from './validate-member.ts';

export type EntryName = 'member-join' | 'member-update' | 'member-leave' | 'member-failed' | 'member-reap' | 'reconcile';

export interface Verdict {
  changes: StoreChange[];
  rejected: string[];
  ignored: string[];
}

/**
 * Decides what each member means for the store. Join and update write,
 * leave, failed and reap remove; a member of another role is ignored, except
 * that an update moving a backend to another role removes it.
 */
export function changesFor(entry: Exclude<EntryName, 'reconcile'>, members: readonly Member[], role: string, now: string): Verdict {
  const verdict: Verdict = { changes: [], rejected: [], ignored: [] };
  for (const member of members) {
    try {
      if (entry === 'member-join' || entry === 'member-update') {
        if (member.role === role) {
          verdict.changes.push({ kind: 'put', backend: toBackend(member, now) });
          continue;
        }
        verdict.ignored.push(`${checkName(member.name)}: role ${quoted(member.role)} is not ${quoted(role)}`);
        if (entry === 'member-update') verdict.changes.push({ kind: 'remove', name: member.name });
        continue;
      }
      // Removal needs only a safe name: removing a name that is not there is harmless.
      verdict.changes.push({ kind: 'remove', name: checkName(member.name) });
    } catch (error) {
      if (!(error instanceof InvalidMember)) throw error;
      verdict.rejected.push(`member ${quoted(member.name)}: ${error.message}`);
    }
  }
  return verdict;
}

/** Reconcile: the store becomes exactly the valid backends among the live members. */
export function desiredSet(current: readonly { name: string }[], alive: readonly Member[], role: string, now: string): Verdict {
  const verdict = changesFor('member-join', alive, role, now);
  const keep = new Set(verdict.changes.map((c) => (c.kind === 'put' ? c.backend.name : c.name)));
  for (const { name } of current) {
    if (!keep.has(name)) verdict.changes.push({ kind: 'remove', name });
  }
  return verdict;
}
