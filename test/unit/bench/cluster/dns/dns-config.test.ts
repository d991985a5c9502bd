import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { DNS_DISCOVERY, DnsConfigError, dnsDiscoveryConfig } from '../../../../../bench/cluster/dns/dns-config.ts';
import { renderConfig } from '../../../../../handlers/haproxy/render-config.ts';

const template = () => readFile('templates/haproxy.cfg.hbs', 'utf8');

/** The lines of `section` (its header included) up to the next unindented line. */
function section(config: string, header: string): string[] {
  const lines = config.split('\n');
  const start = lines.indexOf(header);
  assert.notEqual(start, -1, `no ${header} in the config`);
  // HAProxy's conditional blocks (.if, .endif) are unindented but belong to the section.
  const end = lines.findIndex((l, i) => i > start && l !== '' && !/^[\s.]/.test(l));
  return lines.slice(start, end === -1 ? undefined : end).filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));
}

test("our template's settings, plus the slots in backend webapps and Docker's DNS as resolver", async () => {
  const source = await template();
  const config = await dnsDiscoveryConfig(source);
  const ours = await renderConfig(source, []);
  const backend = section(config, 'backend webapps');
  assert.deepEqual(backend.slice(0, -1), section(ours, 'backend webapps'));
  assert.equal(backend.at(-1), '    server-template web 60 webapp:3000 resolvers docker init-addr none');
  assert.deepEqual(section(config, 'defaults'), section(ours, 'defaults'));
  assert.deepEqual(section(config, 'global'), section(ours, 'global'));
  assert.deepEqual(section(config, 'resolvers docker'), [
    'resolvers docker',
    '    nameserver dns 127.0.0.11:53',
    '    accepted_payload_size 8192',
    '    timeout resolve 1s',
  ]);
});

test('the stats page shows server addresses, the one line beside ours', async () => {
  const source = await template();
  const stats = section(await dnsDiscoveryConfig(source), 'listen stats');
  const oursStats = section(await renderConfig(source, []), 'listen stats');
  assert.deepEqual(stats.filter((l) => !oursStats.includes(l)), ['    stats show-legends']);
});

test('the slots and the resolve interval follow the settings given', async () => {
  const config = await dnsDiscoveryConfig('backend webapps\n    balance roundrobin\n\nlisten stats\n    stats enable\n', { ...DNS_DISCOVERY, slots: 5, resolveSeconds: 3 });
  assert.match(config, /^ {4}server-template web 5 webapp:3000 resolvers docker init-addr none$/m);
  assert.match(config, /^ {4}timeout resolve 3s$/m);
});

test('refuses a template without backend webapps, or one that renders a server with zero servers', async () => {
  await assert.rejects(dnsDiscoveryConfig('backend other\n    balance roundrobin\n'), new DnsConfigError('Expected the rendered template to have a `backend webapps` section, got none'));
  await assert.rejects(dnsDiscoveryConfig('backend webapps\n    server fixed 10.0.0.1:3000\n'), new DnsConfigError('Expected no server line in `backend webapps` with zero servers, got 1'));
});
