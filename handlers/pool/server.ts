import type { Member } from '../members/member.ts';
import { readTags } from '../members/tags.ts';
import { checkAddress, checkName } from '../members/validate-member.ts';

/** One web-app server as HAProxy sees it: what a file in the nodes directory holds. */
export interface Server {
  name: string;
  address: string;
  port: number;
  weight: number;
  /** All of the member's Serf tags, sorted by key, so equal members serialise to equal bytes. */
  tags: Record<string, string>;
  /** ISO time of the last change to this entry; never rendered, so it cannot cause a reload. */
  updated: string;
}

export function sameServer(a: Server, b: Server): boolean {
  return (
    a.name === b.name &&
    a.address === b.address &&
    a.port === b.port &&
    a.weight === b.weight &&
    JSON.stringify(a.tags) === JSON.stringify(b.tags)
  );
}

/** Code-unit order, not localeCompare: the same on every machine and locale. */
export function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/**
 * Turns a member into a server, or throws InvalidMember with a one-line
 * reason. Callers check the role first: a member of another role is not an
 * error, just not ours.
 */
export function toServer(member: Member, updated: string): Server {
  const name = checkName(member.name);
  const address = checkAddress(member.address);
  const { port, weight, all } = readTags(member.tags);
  return { name, address, port, weight, tags: all, updated };
}
