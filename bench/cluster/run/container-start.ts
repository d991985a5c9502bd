import type { Cluster } from '../../../harness/docker/cluster.ts';
import { dockerOk } from '../../../harness/docker/docker.ts';

/** When a webapp's container started, by the engine's clock (this host's: the engine is local), and where. */
export interface ContainerStart {
  /** `State.StartedAt` in epoch ms, sub-millisecond digits kept. */
  startedAtMs: number;
  ip: string;
}

export async function containerStart(cluster: Cluster, name: string): Promise<ContainerStart> {
  const format = `{{.State.StartedAt}} {{(index .NetworkSettings.Networks "${cluster.network}").IPAddress}}`;
  const [startedAt = '', ip = ''] = (await dockerOk(['inspect', '--format', format, cluster.container(name)])).trim().split(' ');
  return { startedAtMs: epochMsOf(startedAt), ip };
}

/**
 * Docker's RFC 3339 time with nanoseconds ("2026-11-26T18:52:20.123456789Z")
 * as epoch ms; Date.parse would drop what is below the millisecond.
 */
export function epochMsOf(rfc3339: string): number {
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(rfc3339);
  const whole = match ? Date.parse(`${match[1]}${match[3]}`) : NaN;
  if (!match || !Number.isFinite(whole)) throw new Error(`Expected an RFC 3339 time like 2026-11-26T18:52:20.123456789Z, got \`${rfc3339}\``);
  return whole + Number(`0.${match[2] ?? '0'}`) * 1000;
}
