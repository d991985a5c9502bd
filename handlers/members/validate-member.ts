import { isIPv6 } from 'node:net';
import { specialKind } from './special-address.ts';

/** Also a safe file name and a valid HAProxy server name: no path separator, no space, no newline. */
export const NODE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
const DECIMAL = /^[0-9]{1,5}$/;
const IPV4 = /^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$/;

export const DEFAULT_PORT = 3000;
/** HAProxy's own default server weight. */
export const DEFAULT_WEIGHT = 1;
export const MAX_WEIGHT = 256;

export class InvalidMember extends Error {}

/** Shows a hostile value in a log line without letting it break the line. */
export function quoted(value: string): string {
  const shown = value.length > 80 ? `${value.slice(0, 80)}...` : value;
  return JSON.stringify(shown);
}

export function checkName(name: string): string {
  if (!NODE_NAME.test(name)) {
    throw new InvalidMember(`node name must match ${NODE_NAME.source}, got ${quoted(name)}`);
  }
  return name;
}

/**
 * Strict literals only: no host names, no leading zeros, no IPv6 zone,
 * nothing HAProxy would read twice; and one backend's own address, never
 * ha itself nor a group of hosts.
 */
export function checkAddress(address: string): string {
  if (!IPV4.test(address) && !(/^[0-9A-Fa-f:.]+$/.test(address) && isIPv6(address))) {
    throw new InvalidMember(`address must be an IPv4 or IPv6 literal, got ${quoted(address)}`);
  }
  const kind = specialKind(address);
  if (kind) throw new InvalidMember(`address ${quoted(address)} is ${kind}, not a backend's own address`);
  return address;
}

export function checkInteger(what: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = DECIMAL.test(value) ? Number(value) : NaN;
  if (!(n >= min && n <= max)) {
    throw new InvalidMember(`${what} tag must be an integer from ${min} to ${max}, got ${quoted(value)}`);
  }
  return n;
}
