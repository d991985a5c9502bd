import { renderConfig } from '../../../handlers/haproxy/render-config.ts';

/** What HAProxy's own discovery needs beside our template: the slots, and Docker's DNS. */
export interface DnsDiscovery {
  /** Server slots; more than the most backends a scenario starts. */
  slots: number;
  /** The network alias every webapp answers to. */
  service: string;
  port: number;
  /** Seconds between two resolutions (`timeout resolve`). */
  resolveSeconds: number;
}

export const DNS_DISCOVERY: DnsDiscovery = { slots: 60, service: 'webapp', port: 3000, resolveSeconds: 1 };

const BACKEND = 'backend webapps';

export class DnsConfigError extends Error {}

/**
 * HAProxy discovering the webapps by itself, from OUR template rendered with
 * no server: the retries, redispatch and health checks are ours by
 * construction, and only the discovery differs. `server-template` fills its
 * slots from Docker's embedded DNS (127.0.0.11); 50 A records do not fit the
 * 512 bytes of plain UDP DNS, hence the larger EDNS payload.
 */
export async function dnsDiscoveryConfig(templateSource: string, discovery: DnsDiscovery = DNS_DISCOVERY): Promise<string> {
  const lines = (await renderConfig(templateSource, [])).split('\n');
  const start = lines.findIndex((l) => l.trim() === BACKEND);
  if (start === -1) throw new DnsConfigError(`Expected the rendered template to have a \`${BACKEND}\` section, got none`);
  // The section runs over indented and blank lines and HAProxy's unindented
  // conditional blocks (.if, .endif); the slots go after its last line.
  let last = start;
  for (let i = start + 1; i < lines.length && (lines[i]!.trim() === '' || /^[\s.]/.test(lines[i]!)); i++) {
    if (lines[i]!.trim() !== '') last = i;
  }
  const servers = lines.slice(start + 1, last + 1).filter((l) => /^\s*server\s/.test(l));
  if (servers.length > 0) throw new DnsConfigError(`Expected no server line in \`${BACKEND}\` with zero servers, got ${servers.length}`);
  const slots = `    server-template web ${discovery.slots} ${discovery.service}:${discovery.port} resolvers docker init-addr none`;
  const resolvers = [
    '',
    "# The bench's dns mode: Docker's embedded DNS, asked every second.",
    'resolvers docker',
    '    nameserver dns 127.0.0.11:53',
    '    accepted_payload_size 8192',
    `    timeout resolve ${discovery.resolveSeconds}s`,
  ];
  const header = "# The bench's dns mode: no Serf, no handlers; HAProxy fills its server slots from DNS.";
  const rest = lines.slice(last + 1);
  while (rest.length > 0 && rest[rest.length - 1]!.trim() === '') rest.pop();
  return [header, ...lines.slice(0, last + 1), slots, ...withStatsAddresses(rest), ...resolvers, ''].join('\n');
}

/**
 * The stats page hides server addresses unless told otherwise, and a DNS
 * slot (web1..web60) is known by its address alone: the bench reads it
 * there. A line of the stats section, so nothing a request meets changes.
 */
function withStatsAddresses(lines: readonly string[]): string[] {
  const at = lines.findIndex((l) => l.trim() === 'stats enable');
  if (at === -1) throw new DnsConfigError('Expected the rendered template to have a `stats enable` line, got none');
  return [...lines.slice(0, at + 1), '    stats show-legends', ...lines.slice(at + 1)];
}
