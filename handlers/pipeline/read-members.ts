import { parseMemberLines } from '../members/event-lines.ts';
import type { Member } from '../members/member.ts';
import { type AgentView, listAliveMembers } from '../members/serf-members.ts';
import type { Log } from '../os/log.ts';
import type { RunCommand } from '../os/run-command.ts';
import type { MemberSource } from './events.ts';

export interface MembersRead {
  members: Member[];
  /** Lines that are not a member at all, with their line number. */
  rejected: string[];
  /**
   * The agent lists no member but itself: a fresh agent (ha restarted) that
   * has not rejoined its cluster yet, whose word that a backend is gone is
   * worth nothing.
   */
  agentAlone?: boolean;
}

export interface MemberInputs {
  /** The whole of what Serf wrote on stdin. */
  eventText: () => Promise<string>;
  membersCmd: string;
  /** Where given, the agent's members come from here (its RPC) instead of running membersCmd. */
  members?: (() => Promise<AgentView>) | undefined;
  role: string;
  run: RunCommand;
  log: Log;
}

function agentMembers(inputs: MemberInputs): Promise<AgentView> {
  return inputs.members ? inputs.members() : listAliveMembers(inputs.membersCmd, inputs.run);
}

export async function readMembers(source: MemberSource, inputs: MemberInputs): Promise<MembersRead> {
  if (source === 'none') return { members: [], rejected: [] };
  // Reconcile trusts only the agent's own view, never an event's payload.
  if (source === 'serf') {
    const view = await agentMembers(inputs);
    return { members: view.alive, rejected: [], agentAlone: view.listed <= 1 };
  }
  const read: MembersRead = { members: [], rejected: [] };
  for (const line of parseMemberLines(await inputs.eventText())) {
    if (line.ok) read.members.push(line.member);
    else read.rejected.push(`line ${line.line}: ${line.reason}`);
  }
  inputs.log('info', 'members read', { members: read.members.length + read.rejected.length });
  if (source === 'event') read.members = await settleUncertainTags(read.members, inputs);
  return read;
}

/**
 * A member of our role whose event line can be read two ways is taken from
 * `serf members -format json` instead, which is what reconcile reads: the
 * same member then gives the same server on both paths, never a flip. One
 * the agent does not list alive, or that cannot be looked up, is left to the
 * next reconcile.
 */
async function settleUncertainTags(members: Member[], inputs: MemberInputs): Promise<Member[]> {
  const uncertain = members.filter((m) => m.tagsUncertain && m.role === inputs.role);
  if (uncertain.length === 0) return members;
  let alive: Map<string, Member>;
  try {
    alive = new Map((await agentMembers(inputs)).alive.map((m) => [m.name, m]));
  } catch (error) {
    for (const m of uncertain) inputs.log('warn', 'member left to reconcile', { name: m.name, reason: `tags can be read two ways and ${(error as Error).message}` });
    return members.filter((m) => !uncertain.includes(m));
  }
  return members.flatMap((m) => {
    if (!uncertain.includes(m)) return [m];
    const listed = alive.get(m.name);
    if (!listed) inputs.log('info', 'member left to reconcile', { name: m.name, reason: 'tags can be read two ways and serf members does not list it alive' });
    return listed ? [listed] : [];
  });
}
