/**
 * A cgroup v1 CPU group of its own for the load generator's thread.
 *
 * The thread's nice value alone does not lift it above the containers: with
 * the kernel's autogroup on (Debian's default), every task of the root group
 * is weighed inside its session's autogroup, and the whole session, bench and
 * load thread together, weighs 1024 against Docker's /docker group, which the
 * runs that start tens of containers weigh 8192 (containers-weight.ts). While
 * 48 webapps started, the thread got so little CPU that answers HAProxy had
 * sent in a few ms sat unread in its sockets (40 of 40 in CLOSE_WAIT) until
 * their 5 s deadline: thousands of "timeouts" in every mode, HAProxy's own
 * DNS discovery included, with HAProxy's backend queue empty. A group beside
 * /docker with the same weight stands in for the client's own machine.
 */
import { mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CPU_CGROUP_ROOT, MANY_CONTAINERS_SHARES } from '../docker/containers-weight.ts';

/** The group's weight: the same as the containers' group during a run that starts tens of them. */
export const LOAD_GROUP_SHARES = MANY_CONTAINERS_SHARES;

export interface CpuGroup {
  /** The group's directory, whose `tasks` file takes a thread id. */
  dir: string;
  /** Removes the group once no thread is left in it (a cgroup directory goes with rmdir, never rm -r). */
  remove(): void;
}

let made = 0;

/**
 * Makes a group named after this process (and how many it made before) under `root` with `shares`, or
 * returns why not (no cgroup v1 CPU controller, not root) in one line.
 */
export function makeCpuGroup(shares: string, root = CPU_CGROUP_ROOT): CpuGroup | string {
  const dir = join(root, `serf-lb-load-${process.pid}-${++made}`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'cpu.shares'), shares);
  } catch (error) {
    return `no CPU group of its own (${(error as Error).message})`;
  }
  let removed = false;
  const remove = () => {
    if (removed) return;
    removed = true;
    process.off('exit', remove);
    try {
      rmdirSync(dir);
    } catch {
      // Still holds a thread (the process is exiting under it): the kernel keeps the empty group, nothing else does.
    }
  };
  process.on('exit', remove);
  return { dir, remove };
}

/** The calling thread's id as the kernel knows it (Linux: /proc/thread-self names it). */
function ownThreadId(): string {
  return readFileSync('/proc/thread-self/stat', 'utf8').split(' ', 1)[0]!;
}

/** Moves the calling thread, and only it, into `dir`; says where it runs now, or why it stayed. */
export function joinCpuGroup(dir: string): string {
  try {
    writeFileSync(join(dir, 'tasks'), ownThreadId());
    return `cpu group ${dir} (cpu.shares ${readFileSync(join(dir, 'cpu.shares'), 'utf8').trim()})`;
  } catch (error) {
    return `its session's cpu group (${(error as Error).message})`;
  }
}
