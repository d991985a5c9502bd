const POLL_MS = 100;

/**
 * Waits for backends' first ok responses through HAProxy, as the load
 * generator recorded them (its `x-backend` header): one poll serves every
 * waiter.
 */
export class FirstResponses {
  private readonly waiters = new Set<{ name: string; deadline: number; resolve: (atMs: number) => void; reject: (error: Error) => void }>();
  private timer: NodeJS.Timeout | undefined;

  /** `firstSeen` gives each backend's first ok response so far (ms after `origin`, the epoch ms the load started). */
  constructor(
    private readonly firstSeen: () => Readonly<Record<string, number>> | undefined,
    private readonly origin: () => number,
  ) {}

  /** Epoch ms of the first ok response from `name`; rejects after timeoutMs. */
  of(name: string, timeoutMs: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.waiters.add({ name, deadline: Date.now() + timeoutMs, resolve, reject });
      this.poll();
    });
  }

  private poll(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const firstSeen = this.firstSeen() ?? {};
    for (const waiter of this.waiters) {
      const seenMs = firstSeen[waiter.name];
      if (seenMs !== undefined) waiter.resolve(this.origin() + seenMs);
      else if (Date.now() > waiter.deadline) waiter.reject(new Error(`${waiter.name} sent no response through HAProxy in time`));
      else continue;
      this.waiters.delete(waiter);
    }
    if (this.waiters.size > 0) this.timer = setTimeout(() => this.poll(), POLL_MS);
  }
}
