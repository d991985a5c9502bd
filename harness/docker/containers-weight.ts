// Docker's cgroup v1 driver puts every container in one group, /docker,
// that weighs cpu.shares 1024: as much as one busy host process. While 48
// containers start on 2 cores, dockerd, containerd and runc together
// outweigh all of them, ha's HAProxy included, and on a slowed machine
// requests waited past 5 s (1,939 in one CI run; in a bench run, a third of
// the requests in every mode, HAProxy's own DNS discovery included). The
// runs that start tens of containers weigh the group 8192, as an operator
// running 50 backends on one host would set it, and put it back after. Not
// for the whole engine: the e2e suites' load generators run in the test
// process at nice 0, and a storm of reloads then starved them.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the cgroup v1 CPU controller is mounted on Debian. */
export const CPU_CGROUP_ROOT = '/sys/fs/cgroup/cpu';

const CONTAINERS_GROUP = join(CPU_CGROUP_ROOT, 'docker', 'cpu.shares');

/** The weight for runs that start tens of containers at once. */
export const MANY_CONTAINERS_SHARES = '8192';

/** The group's weight now, or undefined where there is no such group (cgroup v2, another driver). */
export function containersWeight(): string | undefined {
  try {
    return readFileSync(CONTAINERS_GROUP, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/**
 * Weighs the group `shares` and returns what puts the old weight back (also
 * run at exit, so a run stopped with Ctrl-C leaves the engine as it was).
 * Changes nothing where there is no such group.
 */
export function weighContainers(shares: string): () => void {
  const before = containersWeight();
  if (before === undefined) return () => {};
  writeFileSync(CONTAINERS_GROUP, shares);
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    process.off('exit', restore);
    writeFileSync(CONTAINERS_GROUP, before);
  };
  process.on('exit', restore);
  return restore;
}
