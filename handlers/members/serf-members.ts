import type { Member } from './member.ts';
import { firstLine, type RunCommand } from '../os/run-command.ts';

export class MembersError extends Error {}

/** A member as the agent lists it: the CLI's JSON names fields in lower case, its RPC in Go's (see serf-rpc.ts). */
export interface SerfMember {
  name?: unknown;
  addr?: unknown;
  tags?: unknown;
  status?: unknown;
}

/** Serf prints `addr` as host:port (Go's TCPAddr), with brackets around IPv6. */
export function hostOf(addr: string): string {
  const bracketed = /^\[(.*)\]:\d+$/.exec(addr);
  if (bracketed) return bracketed[1]!;
  const colon = addr.lastIndexOf(':');
  return colon === -1 ? addr : addr.slice(0, colon);
}

/** What the agent says: its alive members, the names of those it declared failed, and how many it lists at all (itself included). */
export interface AgentView {
  alive: Member[];
  failed: Set<string>;
  listed: number;
}

/** The members `serf members -format json` reports alive, in the same shape as an event's. */
export function aliveMembers(json: string): Member[] {
  return agentView(json).alive;
}

export function agentView(json: string): AgentView {
  let parsed: { members?: unknown } | null;
  try {
    parsed = JSON.parse(json) as { members?: unknown } | null;
  } catch (error) {
    throw new MembersError(`serf members output is not JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(parsed?.members)) throw new MembersError('serf members output has no "members" array');
  return viewOf(parsed.members, (m: SerfMember) => (typeof m.addr === 'string' ? hostOf(m.addr) : ''));
}

/**
 * The agent's view from its member list, as `serf members -format json`
 * prints it or as its RPC sends it (serf-rpc.ts, which brings each address
 * its own way): the same members either way.
 */
export function viewOf(members: readonly unknown[], addressOf: (member: SerfMember) => string): AgentView {
  const listed = members.filter((m): m is SerfMember => typeof m === 'object' && m !== null);
  const alive = listed
    .filter((m) => m.status === 'alive')
    .map((m) => {
      const tags = new Map<string, string>();
      if (typeof m.tags === 'object' && m.tags !== null) {
        for (const [key, value] of Object.entries(m.tags)) tags.set(key, String(value));
      }
      // A missing field becomes '' so validation rejects it, where String() would make a valid name "undefined".
      const name = typeof m.name === 'string' ? m.name : '';
      return { name, address: addressOf(m), role: tags.get('role') ?? '', tags };
    });
  const failed = new Set(listed.filter((m) => m.status === 'failed' && typeof m.name === 'string').map((m) => m.name as string));
  return { alive, failed, listed: listed.length };
}

export async function listAliveMembers(membersCmd: string, run: RunCommand): Promise<AgentView> {
  const result = await run(membersCmd);
  if (result.code !== 0) {
    throw new MembersError(`'${membersCmd}' failed (exit ${result.code}): ${firstLine(result.output)}`);
  }
  return agentView(result.stdout);
}
