import { checkInteger, DEFAULT_PORT, DEFAULT_WEIGHT, InvalidMember, MAX_WEIGHT, quoted } from './validate-member.ts';

/**
 * The one reading of a member's tags, whichever path brought them (the
 * agent's RPC or `serf members -format json`). Only the tags the project
 * uses are read and validated; any other tag is stored as it came (JSON
 * escapes anything) and can neither reject a member nor change its server line.
 */
export interface ServerTags {
  port: number;
  weight: number;
  /** Every tag, sorted by key, so equal members serialise to equal bytes. */
  all: Record<string, string>;
}

/** Where a member's requests come from: its service (one HAProxy backend) and the routes it claims. */
export interface ServiceTags {
  service: string;
  /** Exact names or `*.` wildcards, lower case; empty: no host of its own. */
  hosts: string[];
  /** A path prefix; absent: `/` when the member names hosts, no route at all when it names none. */
  path: string | undefined;
  /** The path the service's health check GETs; absent: a TCP connect. */
  health: string | undefined;
}

export const DEFAULT_SERVICE = 'webapps';
/**
 * A service name is a HAProxy backend name and a map value: no space, `#`,
 * `;` or `\`. The template's own proxies (and `none`, LB_DEFAULT_SERVICE's
 * "no default") cannot be taken.
 */
const SERVICE = /^[a-z0-9][a-z0-9_.-]{0,31}$/;
const RESERVED = new Set(['http', 'stats', 'none']);
/** DNS labels, ASCII only (an IDN comes as its xn-- form), optionally under one `*.` label. */
const HOST = /^(\*\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const MAX_HOSTS = 16;
/** A map key and a CLI word: no space, `#`, `;`, `\`, `%` or quote; `/` first. */
const PATH = /^\/[A-Za-z0-9_.:/@+=,~-]{0,127}$/;

export function checkService(what: string, service: string): string {
  if (!SERVICE.test(service) || RESERVED.has(service)) throw new InvalidMember(`${what} must match ${SERVICE.source} and not be ${[...RESERVED].join(', ')}, got ${quoted(service)}`);
  return service;
}

function checkPath(what: string, value: string): string {
  if (!PATH.test(value)) throw new InvalidMember(`${what} tag must be a path such as /api (at most 128 of [A-Za-z0-9_.:/@+=,~-], starting with /), got ${quoted(value)}`);
  return value;
}

function checkHosts(value: string): string[] {
  const hosts = value.split(',').map((host) => host.trim().toLowerCase());
  if (hosts.length > MAX_HOSTS) throw new InvalidMember(`hosts tag holds at most ${MAX_HOSTS} names, got ${hosts.length}`);
  for (const host of hosts) {
    if (host.length > 253 || !HOST.test(host)) {
      throw new InvalidMember(`hosts tag must be comma-separated host names (ASCII labels, optionally *. first), got ${quoted(host)}`);
    }
  }
  return [...new Set(hosts)].sort();
}

/** Throws InvalidMember when a service, hosts, path or health tag holds something HAProxy or a map file cannot hold safely. */
export function serviceTags(tags: ReadonlyMap<string, string> | Readonly<Record<string, string>>): ServiceTags {
  const get = (key: string): string | undefined => (tags instanceof Map ? tags.get(key) : (tags as Record<string, string>)[key]);
  const service = checkService('service tag', get('service') || DEFAULT_SERVICE);
  const hostsTag = get('hosts');
  const pathTag = get('path');
  return {
    service,
    hosts: hostsTag ? checkHosts(hostsTag) : [],
    path: pathTag ? checkPath('path', pathTag) : undefined,
    health: get('health') ? checkPath('health', get('health')!) : undefined,
  };
}

/** Throws InvalidMember when a tag the project uses holds a bad value. */
export function readTags(tags: ReadonlyMap<string, string>): ServerTags {
  const sorted = [...tags].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  serviceTags(tags);
  return {
    port: checkInteger('port', tags.get('port'), DEFAULT_PORT, 1, 65535),
    weight: checkInteger('weight', tags.get('weight'), DEFAULT_WEIGHT, 0, MAX_WEIGHT),
    // fromEntries defines own properties, so a `__proto__` tag stays a plain key.
    all: Object.fromEntries(sorted),
  };
}

/**
 * What a template may print: the template renders without escaping, so a
 * tag reaches it only when its key could be a Handlebars path segment and
 * its value is one plain token (no space, quote, newline or `#`) that cannot
 * start another word or line of the config.
 */
const TEMPLATE_KEY = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;
const TEMPLATE_VALUE = /^[A-Za-z0-9_.:/@+=,*-]{0,128}$/;

export function templateTags(tags: Readonly<Record<string, string>>): { shown: Record<string, string>; hidden: string[] } {
  const shown: [string, string][] = [];
  const hidden: string[] = [];
  for (const [key, value] of Object.entries(tags)) {
    if (TEMPLATE_KEY.test(key) && TEMPLATE_VALUE.test(value)) shown.push([key, value]);
    else hidden.push(key);
  }
  return { shown: Object.fromEntries(shown), hidden };
}
