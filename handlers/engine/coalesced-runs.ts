/**
 * One pass at a time, and every wake-up answered by a pass that starts after
 * it: wake-ups that come during a pass share the one pass after it, so a
 * burst of fifty member events costs a few passes, not fifty.
 */
export class CoalescedRuns<R> {
  private waiting: { reason: string; answer: (report: R) => void }[] = [];
  private running = false;

  /** `pass` is given the reasons of the wake-ups it answers, and must not throw. */
  constructor(private readonly pass: (reasons: string[]) => Promise<R>) {}

  wake(reason: string): Promise<R> {
    const report = new Promise<R>((answer) => this.waiting.push({ reason, answer }));
    void this.runWaiting();
    return report;
  }

  private async runWaiting(): Promise<void> {
    if (this.running) return;
    this.running = true;
    while (this.waiting.length > 0) {
      const batch = this.waiting;
      this.waiting = [];
      const report = await this.pass([...new Set(batch.map((w) => w.reason))]);
      for (const { answer } of batch) answer(report);
    }
    this.running = false;
  }
}
