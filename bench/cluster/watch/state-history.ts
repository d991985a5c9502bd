/**
 * What a watcher saw, with when it saw it (epoch ms, the clock the containers
 * share with this process), so a figure like "out of haproxy.cfg 0.8 s after
 * docker stop" is read off the record rather than off a slow poll loop.
 */
export interface Sample<T> {
  atMs: number;
  state: T;
}

export class StateHistory<T> {
  readonly samples: Sample<T>[] = [];
  private readonly waiters = new Set<() => void>();

  add(state: T, atMs = Date.now()): void {
    this.samples.push({ atMs, state });
    for (const wake of this.waiters) wake();
  }

  /**
   * When `test` first held at or after `sinceMs`: the state in force at
   * `sinceMs` counts from `sinceMs` itself. Undefined if it has not happened.
   */
  firstAt(test: (state: T) => boolean, sinceMs: number): number | undefined {
    let start = 0;
    for (let i = 0; i < this.samples.length; i++) if (this.samples[i]!.atMs <= sinceMs) start = i;
    for (let i = start; i < this.samples.length; i++) {
      const sample = this.samples[i]!;
      if (test(sample.state)) return Math.max(sample.atMs, sinceMs);
    }
    return undefined;
  }

  /** Resolves with firstAt() as soon as it is known; rejects after timeoutMs with the last state seen (as `describe` puts it). */
  until(what: string, test: (state: T) => boolean, sinceMs: number, timeoutMs: number, describe: (state: T) => string = (s) => JSON.stringify(s)): Promise<number> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const at = this.firstAt(test, sinceMs);
        if (at === undefined) return false;
        finish();
        resolve(at);
        return true;
      };
      const timer = setTimeout(() => {
        finish();
        const last = this.samples[this.samples.length - 1];
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${last === undefined ? 'nothing' : describe(last.state)}`));
      }, timeoutMs);
      const wake = (): void => void check();
      const finish = (): void => {
        clearTimeout(timer);
        this.waiters.delete(wake);
      };
      this.waiters.add(wake);
      check();
    });
  }
}
