import type { Member } from '../members/member.ts';
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
}

/** Every entry, one per file in handlers/ (a test holds the two lists together), and what it does. */
export const EVENTS = {
  'member-join': { members: 'event', decide: putMembers, haproxy: 'apply' },
  'member-update': { members: 'event', decide: putOrRemoveMembers, haproxy: 'apply' },
  'member-leave': { members: 'event-names', decide: removeMembers, haproxy: 'apply' },
  'member-failed': { members: 'event-names', decide: removeMembers, haproxy: 'apply' },
  'member-reap': { members: 'event-names', decide: removeMembers, haproxy: 'apply' },
  reconcile: { members: 'serf', decide: keepOnlyMembers, haproxy: 'apply' },
  render: { members: 'none', decide: keepStore, haproxy: 'starting' },
} as const satisfies Record<string, EventPlan>;

export type EventName = keyof typeof EVENTS;
