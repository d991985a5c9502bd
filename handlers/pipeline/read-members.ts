import { parseMemberLines } from '../members/event-lines.ts';
import type { Member } from '../members/member.ts';
import { listAliveMembers } from '../members/serf-members.ts';
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
  run: RunCommand;
  log: Log;
}

export async function readMembers(source: MemberSource, inputs: MemberInputs): Promise<MembersRead> {
  if (source === 'none') return { members: [], rejected: [] };
  // Reconcile trusts only the agent's own view, never an event's payload.
  if (source === 'serf') {
    const view = await listAliveMembers(inputs.membersCmd, inputs.run);
    return { members: view.alive, rejected: [], agentAlone: view.listed <= 1 };
  }
  const read: MembersRead = { members: [], rejected: [] };
  for (const line of parseMemberLines(await inputs.eventText())) {
    if (line.ok) read.members.push(line.member);
    else read.rejected.push(`line ${line.line}: ${line.reason}`);
  }
  inputs.log('info', 'members read', { members: read.members.length + read.rejected.length });
  return read;
}
