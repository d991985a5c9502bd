import { after, afterEach, before, beforeEach } from 'node:test';
import { waitConverged } from '../observe/cluster-state.ts';
import { Cluster, type HaPorts, type StartOptions } from './cluster.ts';

export interface HaClusterFixture {
  readonly cluster: Cluster;
  readonly ports: HaPorts;
}

/**
 * A cluster with its ha container for the tests of a suite: a fresh one for
 * each test, or one for the whole suite; removed afterwards, whether the
 * test passed or not. `backends` are webapps started with it, every view
 * listing exactly them before a test begins; `ha` is how the ha container
 * starts. Call it inside `describe`.
 */
export function haCluster(scope: 'each test' | 'whole suite', backends: readonly string[] = [], ha: StartOptions = {}): HaClusterFixture {
  const fixture = {} as { cluster: Cluster; ports: HaPorts };
  const [setUp, tearDown] = scope === 'each test' ? [beforeEach, afterEach] : [before, after];
  setUp(async () => {
    fixture.cluster = await Cluster.create();
    fixture.ports = await fixture.cluster.startHa(ha);
    if (backends.length === 0) return;
    await Promise.all(backends.map((s) => fixture.cluster.startWebapp(s)));
    await waitConverged(fixture.cluster, fixture.ports, [...backends]);
  });
  tearDown(() => fixture.cluster?.cleanup());
  return fixture;
}
