import { after, afterEach, before, beforeEach } from 'node:test';
import { Cluster, type HaPorts } from './cluster.ts';

export interface HaClusterFixture {
  readonly cluster: Cluster;
  readonly ports: HaPorts;
}

/**
 * A cluster with its ha container for the tests of a suite: a fresh one for
 * each test, or one for the whole suite; removed afterwards, whether the
 * test passed or not. Call it inside `describe`.
 */
export function haCluster(scope: 'each test' | 'whole suite'): HaClusterFixture {
  const fixture = {} as { cluster: Cluster; ports: HaPorts };
  const [setUp, tearDown] = scope === 'each test' ? [beforeEach, afterEach] : [before, after];
  setUp(async () => {
    fixture.cluster = await Cluster.create();
    fixture.ports = await fixture.cluster.startHa();
  });
  tearDown(() => fixture.cluster?.cleanup());
  return fixture;
}
