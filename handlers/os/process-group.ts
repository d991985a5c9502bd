/**
 * SIGKILLs a whole process group: a command run through /bin/sh is the
 * shell and whatever it started (`haproxy -c`, a `sleep` in a pipeline),
 * and killing the shell alone leaves those running, holding its pipes.
 */
export function killGroup(leaderPid: number): void {
  try {
    process.kill(-leaderPid, 'SIGKILL');
  } catch (error) {
    // The group is already gone: nothing left to kill.
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}
