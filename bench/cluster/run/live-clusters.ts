import type { Cluster } from '../../../harness/docker/cluster.ts';
import { cleanupThoroughly } from '../../../harness/docker/thorough-cleanup.ts';

const live = new Set<Cluster>();

export function track(cluster: Cluster): void {
  live.add(cluster);
}

export function untrack(cluster: Cluster): void {
  live.delete(cluster);
}

/**
 * Ctrl-C, a closed terminal or a kill still remove every container and
 * network this process made; Node's default would exit on the spot and leave
 * thirty webapps running.
 */
export function cleanUpOnSignals(): void {
  let cleaning = false;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (cleaning) {
        console.error(`${signal} again: still removing containers, please wait`);
        return;
      }
      cleaning = true;
      console.error(`\n${signal}: removing the bench's containers and networks...`);
      void Promise.allSettled([...live].map((cluster) => cleanupThoroughly(cluster))).then((outcomes) => {
        for (const o of outcomes) if (o.status === 'rejected') console.error(String(o.reason));
        process.exit(130);
      });
    });
  }
}
