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
  if (source === 'serf') return { members: await listAliveMembers(inputs.membersCmd, inputs.run), rejected: [] };
  const read: MembersRead = { members: [], rejected: [] };
  for (const line of parseMemberLines(await inputs.eventText())) {
    if (line.ok) read.members.push(line.member);
    else read.rejected.push(`line ${line.line}: ${line.reason}`);
  }
  inputs.log('info', 'members read', { members: read.members.length + read.rejected.length });
  return read;
}
