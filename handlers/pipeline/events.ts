import type { Member } from '../members/member.ts';
import type { Removal } from '../haproxy/sync-runtime.ts';
import type { Server } from '../pool/server.ts';
import { keepOnlyMembers, keepStore, putMembers, putOrRemoveMembers, removeMembers, type Rules, type Verdict } from './decide-changes.ts';

/**
 * Where an event's members come from: the lines Serf writes on stdin for a
 * member event (`event-names` when only their names matter, so their tags
 * are never looked up), the agent's own `serf members` for a reconcile, or
 * nowhere.
 */
export type MemberSource = 'event' | 'event-names' | 'serf' | 'none';

/**
 * What HAProxy is told once the config is installed: `apply` changes the
 * running HAProxy; `starting` means HAProxy is about to start on this very
 * file (its run script renders first), so nothing is owed to it.
 */
export type HaproxyStep = 'apply' | 'starting';

export interface EventPlan {
  members: MemberSource;
  decide: (members: readonly Member[], current: readonly Server[], rules: Rules) => Verdict;
  haproxy: HaproxyStep;
  /** How a server that is no longer wanted leaves the running HAProxy. */
  removal: Removal;
}

/** Every entry, one per file in handlers/ (a test holds the two lists together), and what it does. */
export const EVENTS = {
  'member-join': { members: 'event', decide: putMembers, haproxy: 'apply', removal: 'drain' },
  'member-update': { members: 'event', decide: putOrRemoveMembers, haproxy: 'apply', removal: 'drain' },
  'member-leave': { members: 'event-names', decide: removeMembers, haproxy: 'apply', removal: 'drain' },
  // A failed member gets no new request at all, not even a sticky client's.
  'member-failed': { members: 'event-names', decide: removeMembers, haproxy: 'apply', removal: 'maint' },
  'member-reap': { members: 'event-names', decide: removeMembers, haproxy: 'apply', removal: 'maint' },
  reconcile: { members: 'serf', decide: keepOnlyMembers, haproxy: 'apply', removal: 'drain' },
  render: { members: 'none', decide: keepStore, haproxy: 'starting', removal: 'maint' },
} as const satisfies Record<string, EventPlan>;

export type EventName = keyof typeof EVENTS;
