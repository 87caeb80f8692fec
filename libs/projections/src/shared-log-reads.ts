import { formatPosition, GlobalPosition, RecordedEvent } from '@jalon/event-store';

/**
 * One read of the log for every projection of a runner. The projections mostly stand at the same
 * position and wake on the same append, so each would read, and parse, the same rows: measured
 * under load, parsing the rows was the worker's largest cost (bench `--cpu-prof`). A read in
 * flight is shared by whoever asks for the same stretch meanwhile, and the last stretches read
 * are kept for a projection that asks a moment later.
 *
 * Only non-empty reads are kept: a stretch of the settled log never changes once read (an event
 * committed later comes after the last one returned, see SqlEventStore's settled reads), whereas
 * "nothing after here" stops being true at the next append.
 */
export class SharedLogReads {
  private readonly inFlight = new Map<string, Promise<readonly RecordedEvent[]>>();
  /** Stretches read lately, by the position they start after, oldest first. */
  private readonly recent = new Map<string, readonly RecordedEvent[]>();
  private recentEvents = 0;

  constructor(
    private readonly read: (after: GlobalPosition, maxCount: number) => Promise<readonly RecordedEvent[]>,
    /** How many events the recent stretches may hold in all. */
    private readonly keep = 5000,
  ) {}

  async after(position: GlobalPosition, maxCount: number): Promise<readonly RecordedEvent[]> {
    const start = formatPosition(position);
    const kept = this.recent.get(start);
    if (kept) return kept.length > maxCount ? kept.slice(0, maxCount) : kept;
    const key = `${start}/${maxCount}`;
    let reading = this.inFlight.get(key);
    if (!reading) {
      reading = this.read(position, maxCount).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, reading);
      void reading.then(
        (events) => this.remember(start, events),
        () => undefined,
      );
    }
    return reading;
  }

  /** Forgets every stretch: after a rebuild the log is read again from its start. */
  clear(): void {
    this.recent.clear();
    this.recentEvents = 0;
  }

  private remember(start: string, events: readonly RecordedEvent[]): void {
    if (events.length === 0 || this.recent.has(start)) return;
    this.recent.set(start, events);
    this.recentEvents += events.length;
    for (const [oldest, stretch] of this.recent) {
      if (this.recentEvents <= this.keep) break;
      this.recent.delete(oldest);
      this.recentEvents -= stretch.length;
    }
  }
}
