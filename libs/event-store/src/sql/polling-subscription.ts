import { EventEmitter } from 'node:events';
import { RecordedEvent, Subscription } from '../event-store.port';
import { GlobalPosition } from '../position';

/**
 * Catch-up then live: reads batches after the checkpoint until none is left, then sleeps until an
 * append in this process wakes it, or a signal from another process's append (`signalled`), or
 * the poll interval passes (a signal lost). Woken, a read that finds nothing while events are held
 * back behind an older transaction (`heldBack`) is made again shortly rather than at the next poll.
 * The consumer pulls, so a slow consumer slows the reads instead of piling events up in memory.
 */
export function pollingSubscription(
  read: (after: GlobalPosition, maxCount: number) => Promise<RecordedEvent[]>,
  appended: EventEmitter,
  options: {
    after: GlobalPosition;
    batchSize: number;
    pollIntervalMs: number;
    signalled?: (wake: () => void) => () => void;
    heldBack?: () => Promise<boolean>;
  },
): Subscription {
  let stopped = false;
  let wake: (() => void) | undefined;
  let nudged = false;
  const onAppend = () => {
    nudged = true;
    wake?.();
  };
  appended.on('appended', onAppend);
  const stopSignals = options.signalled?.(onAppend);

  async function* batches(): AsyncGenerator<readonly RecordedEvent[]> {
    let checkpoint = options.after;
    /** Whether an append was signalled since the last read that found nothing. */
    let woken = false;
    /** How long before looking again for events held back: doubled each time, up to the poll (a transaction left open). */
    let heldBackMs = 10;
    /** Sleeps `ms` or until woken: whether it was woken. */
    const sleep = (ms: number) =>
      new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), ms);
        wake = () => {
          clearTimeout(timer);
          resolve(true);
        };
      }).finally(() => (wake = undefined));
    try {
      while (!stopped) {
        nudged = false;
        let batch: RecordedEvent[];
        try {
          batch = await read(checkpoint, options.batchSize);
        } catch (error) {
          // A read cut short by stop() (the store closing under it) is not an error of the consumer's.
          if (stopped) return;
          throw error;
        }
        if (stopped) return;
        if (batch.length > 0) {
          checkpoint = batch[batch.length - 1].position;
          woken = true;
          heldBackMs = 10;
          yield batch;
          continue;
        }
        if (nudged) {
          woken = true;
          continue;
        }
        if (woken && (await options.heldBack?.().catch(() => false))) {
          await sleep(heldBackMs);
          heldBackMs = Math.min(heldBackMs * 2, options.pollIntervalMs);
          continue;
        }
        heldBackMs = 10;
        woken = await sleep(options.pollIntervalMs);
      }
    } finally {
      appended.off('appended', onAppend);
      stopSignals?.();
    }
  }

  const iterator = batches();
  return {
    [Symbol.asyncIterator]: () => iterator,
    async stop() {
      stopped = true;
      wake?.();
      appended.off('appended', onAppend);
      stopSignals?.();
    },
  };
}
