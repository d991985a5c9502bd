import type { Cluster } from '../../../harness/docker/cluster.ts';
import { processes } from '../../../harness/observe/cluster-state.ts';
import type { Mode } from '../run/options.ts';

export interface HaproxyCensus {
  /** Every process named haproxy in the ha container. */
  processes: number;
  /** Processes that serve traffic: master-worker's workers, or every lab-style daemon. */
  workers: number;
  /** 1 in master-worker mode (it serves nothing), 0 in the lab's mode, which has none. */
  masters: number;
  /** Sum of VmRSS over every haproxy process, master included. */
  rssKb: number;
  workerPids: number[];
}

/**
 * Counts HAProxy in the ha container. In master-worker mode (seamless, dns) a
 * worker is a haproxy process whose parent is a haproxy process (the master);
 * in the lab's mode each `haproxy -D` is a daemon that serves by itself, so
 * every one of them counts as a worker and there is no master.
 */
export async function haproxyCensus(cluster: Cluster, mode: Mode, ha = 'ha'): Promise<HaproxyCensus> {
  const all = await processes(cluster, ha, 'haproxy');
  const pids = new Set(all.map((p) => p.pid));
  const workers = mode === 'restart' ? all : all.filter((p) => pids.has(p.ppid));
  return {
    processes: all.length,
    workers: workers.length,
    masters: all.length - workers.length,
    rssKb: all.reduce((sum, p) => sum + (Number.isFinite(p.rssKb) ? p.rssKb : 0), 0),
    workerPids: workers.map((p) => p.pid),
  };
}
