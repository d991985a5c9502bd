export type QuietEnd = 'quiet' | 'max';

export interface QuietWatch {
  /** Call for every request that shows the load balancer still sends traffic here. */
  touch(): void;
  /** Resolves once no touch came for `quietMs`, or `maxMs` after the watch began, whichever is first. */
  readonly ended: Promise<QuietEnd>;
}

/**
 * Waits for the load balancer to stop sending requests. Rather than
 * re-arming a timer on every request (thousands a second under load), each
 * request only records when it came, and the timer re-arms itself for
 * whatever is left of the quiet period when it fires.
 */
export function watchForQuiet(quietMs: number, maxMs: number): QuietWatch {
  let lastTouch = performance.now();
  const ended = new Promise<QuietEnd>((resolve) => {
    let quietTimer: NodeJS.Timeout;
    const finish = (end: QuietEnd) => {
      clearTimeout(quietTimer);
      clearTimeout(maxTimer);
      resolve(end);
    };
    const checkQuiet = () => {
      const idle = performance.now() - lastTouch;
      if (idle >= quietMs) finish('quiet');
      // Timers may fire a fraction of a millisecond early: never re-arm for 0.
      else quietTimer = setTimeout(checkQuiet, Math.max(1, quietMs - idle));
    };
    const maxTimer = setTimeout(() => finish('max'), maxMs);
    quietTimer = setTimeout(checkQuiet, quietMs);
  });
  return {
    touch() {
      lastTouch = performance.now();
    },
    ended,
  };
}
