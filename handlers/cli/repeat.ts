import type { EventEmitter } from 'node:events';

/**
 * Runs `run` now, then again every `seconds`, and at once on each 'wake'
 * that `wakeups` emits. A run already under way when one comes is followed
 * by one more; several meanwhile make that one run, not several.
 * Returns only once `until` is aborted (a test's end): s6 supervises the
 * real process.
 */
export async function repeat(run: () => Promise<unknown>, seconds: number, wakeups: EventEmitter, until?: AbortSignal): Promise<void> {
  let asked = false;
  let wake: (() => void) | undefined;
  const onWake = () => {
    asked = true;
    wake?.();
  };
  wakeups.on('wake', onWake);
  until?.addEventListener('abort', () => wake?.());
  while (!until?.aborted) {
    asked = false;
    await run();
    if (asked || until?.aborted) continue;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, seconds * 1000);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    wake = undefined;
  }
  wakeups.off('wake', onWake);
}
