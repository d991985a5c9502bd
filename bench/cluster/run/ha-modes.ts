import type { Cluster, HaPorts } from '../../../harness/docker/cluster.ts';
import { startDnsHa } from '../dns/dns-ha.ts';
import type { Mode } from './options.ts';

/**
 * Starts the ha container of `mode`: ours (runtime API, seamless reloads
 * when one is needed), the lab's (a `-sf` reload per change: without the
 * admin socket the handlers never take the runtime path), or HAProxy's own
 * DNS discovery. The returned function removes what the start left on the host.
 */
export async function startHaIn(mode: Mode, cluster: Cluster): Promise<{ ports: HaPorts; release: () => Promise<void> }> {
  const none = async () => {};
  switch (mode) {
    case 'seamless':
      return { ports: await cluster.startHa({ env: { RELOAD_STRATEGY: 'seamless' } }), release: none };
    case 'restart':
      return { ports: await cluster.startHa({ env: { RELOAD_STRATEGY: 'restart' } }), release: none };
    case 'dns': {
      const { ports, removeConfig } = await startDnsHa(cluster);
      return { ports, release: removeConfig };
    }
  }
}
