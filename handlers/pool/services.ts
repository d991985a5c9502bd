import { DEFAULT_SERVICE, serviceTags } from '../members/tags.ts';
import { InvalidMember } from '../members/validate-member.ts';
import { byName, type Server } from './server.ts';

/** One HAProxy backend: a service and its servers, sorted by name. */
export interface Service {
  name: string;
  servers: Server[];
  /** The path its check GETs: its first server's (by name) `health` tag; '' for a TCP connect; /health with no server. */
  health: string;
}

/**
 * A route is a map key: `host/path` for a host (`*.` wildcards included),
 * or `/path` alone for a path on any host. The frontend looks up the exact
 * host, then the wildcard, then the path alone; within each, the longest prefix.
 */
export type Routes = Map<string, string>;

/** What HAProxy has now: its backends (live config) and its routes (live map file). */
export interface LiveRouting {
  /** Each backend, with the path its check GETs ('' for a TCP connect). */
  backends: ReadonlyMap<string, string>;
  routes: ReadonlyMap<string, string>;
}

export interface ServicePlan {
  services: Service[];
  routes: Routes;
  /** One line per route that two services claim, naming the winner and why. */
  conflicts: string[];
}

function routesOf(server: Server): { service: string; keys: string[]; health: string } {
  try {
    const { service, hosts, path, health } = serviceTags(server.tags);
    const keys = hosts.length > 0 ? hosts.map((host) => `${host}${path ?? '/'}`) : path ? [path] : [];
    return { service, keys, health: health ?? '' };
  } catch (error) {
    // A stored server was validated when it was put; a file edited since serves the default service, unrouted.
    if (error instanceof InvalidMember) return { service: DEFAULT_SERVICE, keys: [], health: '' };
    throw error;
  }
}

/**
 * Groups the servers into services and decides the routes. The members of
 * one service claim the union of their routes. A route two services claim
 * goes to the one that holds it in the live map (the claim first seen, so
 * a newcomer never takes a route away), else to the lowest service name.
 * `defaultService` and the `kept` services (live backends whose last member
 * left) are rendered even with no server; a kept service keeps those of its
 * live routes that no other service claims.
 */
export function planServices(servers: readonly Server[], defaultService: string | undefined, live: LiveRouting, kept: boolean): ServicePlan {
  const services = new Map<string, Service>();
  const claims = new Map<string, Set<string>>();
  const serviceOf = (name: string, health: string): Service => {
    let service = services.get(name);
    if (!service) services.set(name, (service = { name, servers: [], health }));
    return service;
  };
  for (const server of [...servers].sort(byName)) {
    const { service, keys, health } = routesOf(server);
    const entry = serviceOf(service, health);
    // Made empty (the default service) before its first server came: the first server's check.
    if (entry.servers.length === 0) entry.health = health;
    entry.servers.push(server);
    for (const key of keys) claims.set(key, (claims.get(key) ?? new Set()).add(service));
  }
  if (defaultService !== undefined) serviceOf(defaultService, '/health');
  if (kept) {
    for (const [name, health] of live.backends) {
      if (services.has(name)) continue;
      // Its check as it runs: an emptied service must render the same backend, or it would cost a reload.
      serviceOf(name, health);
      // Only what no live member claims: a route another service wants moves there now.
      for (const [key, owner] of live.routes) if (owner === name && !claims.has(key)) claims.set(key, new Set([name]));
    }
  }
  const routes: Routes = new Map();
  const conflicts: string[] = [];
  for (const key of [...claims.keys()].sort()) {
    const claimants = [...claims.get(key)!].sort();
    const incumbent = live.routes.get(key);
    const winner = incumbent !== undefined && claimants.includes(incumbent) ? incumbent : claimants[0]!;
    routes.set(key, winner);
    if (claimants.length > 1) conflicts.push(`route ${key} claimed by ${claimants.join(', ')}: ${winner} keeps it (${winner === incumbent ? 'it holds it now' : 'lowest name'})`);
  }
  return { services: [...services.values()].sort(byName), routes, conflicts };
}
