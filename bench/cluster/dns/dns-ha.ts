import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Cluster, HaPorts } from '../../../harness/docker/cluster.ts';
import { docker } from '../../../harness/docker/docker.ts';
import { HA_IMAGE } from '../../../harness/docker/images.ts';
import { DEFAULT_ROUTES_MAP } from '../../../handlers/haproxy/render-config.ts';
import { dnsDiscoveryConfig } from './dns-config.ts';

const IN_CONTAINER = '/etc/bench-dns/haproxy.cfg';

/**
 * The dns mode's ha: the same image, HAProxy alone in master-worker mode on
 * the DNS config (no s6, no Serf, no handlers), checked with `haproxy -c`
 * in that image first. The config lives in a temp folder, mounted read-only;
 * the returned function removes it.
 */
export async function startDnsHa(cluster: Cluster): Promise<{ ports: HaPorts; removeConfig: () => Promise<void> }> {
  const folder = await mkdtemp(join(tmpdir(), 'bench-dns-'));
  const removeConfig = () => rm(folder, { recursive: true, force: true });
  try {
    const file = join(folder, 'haproxy.cfg');
    await writeFile(file, await dnsDiscoveryConfig(await readFile('templates/haproxy.cfg.hbs', 'utf8')));
    // The template's frontend reads its routes map (empty: one service, the default) beside the config.
    const routes = join(folder, 'routes.map');
    await writeFile(routes, '');
    const mounts = ['-v', `${file}:${IN_CONTAINER}:ro`, '-v', `${routes}:${DEFAULT_ROUTES_MAP}:ro`];
    // tls-default first: the template's HTTPS bind reads the certificate it lays down.
    const check = await docker(['run', '--rm', ...mounts, '--entrypoint', 'sh', HA_IMAGE, '-c', `tls-default && haproxy -c -f ${IN_CONTAINER}`]);
    if (check.code !== 0) throw new Error(`the dns mode's haproxy.cfg does not pass haproxy -c: ${check.stdout.trim()} ${check.stderr.trim()}`);
    const ports = await cluster.startHa({ args: [...mounts, '--entrypoint', 'sh'], command: ['-c', `tls-default && exec haproxy -W -db -f ${IN_CONTAINER}`] });
    return { ports, removeConfig };
  } catch (error) {
    await removeConfig();
    throw error;
  }
}
