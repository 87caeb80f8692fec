import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Samples the live heap every `intervalMs` until stopped, which answers its highest level above
 * the level at the start, in MB. Each sample follows a full collection, so garbage not yet
 * collected is not counted; that collection costs a few ms of whatever is being timed.
 */
export function sampleLiveHeap(intervalMs: number): { stop(): number } {
  setFlagsFromString('--expose_gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  const sampler = setInterval(() => {
    gc();
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, intervalMs);
  return {
    stop() {
      clearInterval(sampler);
      return (peak - before) / 1024 / 1024;
    },
  };
}
