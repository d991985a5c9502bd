/** What the bench did to the cluster, or saw it do, drawn as vertical lines on the charts. */
export type EventKind = 'run' | 'stop' | 'kill' | 'storm' | 'reload';

export interface TimelineEvent {
  /** Ms since the load started (negative: before it). */
  atMs: number;
  kind: EventKind;
  label: string;
}

export class Timeline {
  private readonly marks: { atEpochMs: number; kind: EventKind; label: string }[] = [];
  private originEpochMs: number | undefined;

  /** The load's start: every time in the results counts from here. */
  setOrigin(atEpochMs: number): void {
    this.originEpochMs = atEpochMs;
  }

  get origin(): number {
    if (this.originEpochMs === undefined) throw new Error('Expected the load to have started before reading times relative to it');
    return this.originEpochMs;
  }

  get started(): boolean {
    return this.originEpochMs !== undefined;
  }

  mark(kind: EventKind, label: string, atEpochMs = Date.now()): void {
    this.marks.push({ atEpochMs, kind, label });
  }

  /** Ms since the load started. */
  relative(atEpochMs: number): number {
    return atEpochMs - this.origin;
  }

  events(): TimelineEvent[] {
    return this.marks
      .map((m) => ({ atMs: this.relative(m.atEpochMs), kind: m.kind, label: m.label }))
      .sort((a, b) => a.atMs - b.atMs);
  }
}
