import { setTimeout as sleep } from 'node:timers/promises';
import type { Cluster } from './cluster.ts';
import { docker } from './docker.ts';

/**
 * The harness's cleanup(), repeated until neither a container nor the network
 * of the cluster is left: a `docker run` still on its way when cleanup() lists
 * the containers (Ctrl-C in the middle of starting 30) lands after the list.
 */
export async function cleanupThoroughly(cluster: Cluster, attempts = 5): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await cluster.cleanup();
    const containers = await docker(['ps', '-aq', '--filter', `name=^${cluster.prefix}-`]);
    const network = await docker(['network', 'ls', '-q', '--filter', `name=^${cluster.network}$`]);
    if (containers.stdout.trim() === '' && network.stdout.trim() === '') return;
    if (attempt >= attempts) {
      throw new Error(`cleanup of ${cluster.prefix} left containers [${containers.stdout.trim().split('\n').join(' ')}] network [${network.stdout.trim()}]`);
    }
    await sleep(1000);
  }
}
