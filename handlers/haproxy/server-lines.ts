/** A `server` line of the rendered config, with the backend's `default-server` arguments before its own. */
export interface ServerLine {
  name: string;
  /** `address:port`, IPv6 in brackets, as the line gives it. */
  hostport: string;
  /** Every argument after the address: default-server's first, then the line's own, as HAProxy reads them. */
  args: string[];
}

const SECTION = /^(global|defaults|frontend|backend|listen|userlist|peers|resolvers|cache|program|http-errors|ring|mailers)\b/;
const words = (line: string): string[] => line.trim().split(/\s+/);

function isServerLine(line: string): boolean {
  return /^\s+server\s/.test(line);
}

/**
 * The servers of one backend as the config file declares them. A server
 * added at run time inherits nothing from `default-server` (HAProxy's
 * management guide, "add server"), so its arguments are spelled out here
 * from the same file that a reload would read: the two cannot differ.
 */
export function serverLines(config: string, backend: string): Map<string, ServerLine> {
  const servers = new Map<string, ServerLine>();
  let inBackend = false;
  let defaults: string[] = [];
  for (const line of config.split('\n')) {
    if (SECTION.test(line)) {
      const [keyword, name] = words(line);
      inBackend = keyword === 'backend' && name === backend;
      continue;
    }
    if (!inBackend) continue;
    const [keyword, ...rest] = words(line);
    // concat, not spread: a run parses each server line once, in code still cold, where a spread costs per word.
    if (keyword === 'default-server') defaults = defaults.concat(rest);
    else if (keyword === 'server' && rest.length >= 2) servers.set(rest[0]!, { name: rest[0]!, hostport: rest[1]!, args: defaults.concat(rest.slice(2)) });
  }
  return servers;
}

/** The config's `backend` sections in file order (one per service), each with the path its `option httpchk GET` names ('' for none). */
export function backendChecks(config: string): Map<string, string> {
  const backends = new Map<string, string>();
  let current: string | undefined;
  for (const line of config.split('\n')) {
    if (SECTION.test(line)) {
      const [keyword, name] = words(line);
      current = keyword === 'backend' && name !== undefined ? name : undefined;
      if (current !== undefined) backends.set(current, '');
      continue;
    }
    const [option, httpchk, method, path] = words(line);
    if (current !== undefined && option === 'option' && httpchk === 'httpchk' && method === 'GET' && path) backends.set(current, path);
  }
  return backends;
}

export const backendNames = (config: string): string[] => [...backendChecks(config).keys()];

/**
 * The config without its server lines: what the runtime API cannot change.
 * Two configs with the same skeleton differ only in servers, which `add
 * server` and `del server` can make agree without a reload.
 */
export function configSkeleton(config: string): string {
  return config
    .split('\n')
    .filter((line) => !isServerLine(line))
    .join('\n');
}

/** The value after `keyword` in a server's arguments (the last one wins, as in HAProxy), or undefined. */
export function argument(line: ServerLine, keyword: string): string | undefined {
  const at = line.args.lastIndexOf(keyword);
  return at === -1 ? undefined : line.args[at + 1];
}

/** HAProxy reads the text after the last colon as the port, so IPv6 needs brackets. */
export function hostportOf(server: { address: string; port: number }): string {
  return server.address.includes(':') ? `[${server.address}]:${server.port}` : `${server.address}:${server.port}`;
}
