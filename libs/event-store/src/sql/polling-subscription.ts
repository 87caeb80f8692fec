import { EventEmitter } from 'node:events';
import { RecordedEvent, Subscription } from '../event-store.port';
import { GlobalPosition } from '../position';

/**
 * Catch-up then live: reads batches after the checkpoint until none is left, then sleeps until an
 * append in this process wakes it or the poll interval passes (appends from other processes).
 * The consumer pulls, so a slow consumer slows the reads instead of piling events up in memory.
 */
export function pollingSubscription(
  read: (after: GlobalPosition, maxCount: number) => Promise<RecordedEvent[]>,
  appended: EventEmitter,
  options: { after: GlobalPosition; batchSize: number; pollIntervalMs: number },
): Subscription {
  let stopped = false;
  let wake: (() => void) | undefined;
  let nudged = false;
  const onAppend = () => {
    nudged = true;
    wake?.();
  };
  appended.on('appended', onAppend);

  async function* batches(): AsyncGenerator<readonly RecordedEvent[]> {
    let checkpoint = options.after;
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
          yield batch;
          continue;
        }
        if (nudged) continue;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, options.pollIntervalMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
    } finally {
      appended.off('appended', onAppend);
    }
  }

  const iterator = batches();
  return {
    [Symbol.asyncIterator]: () => iterator,
    async stop() {
      stopped = true;
      wake?.();
      appended.off('appended', onAppend);
    },
  };
}
