import { EventStore } from '../event-store.port';
import { comparePositions, GlobalPosition } from '../position';

/**
 * Waits until the global log shows everything up to `position`. An event is shown once no older
 * transaction is still running on the server (DESIGN.md decision 3), so suites that share the
 * server can hold it back for a moment: tests that read the log right after appending wait here.
 */
export async function waitUntilVisible(store: EventStore, position: GlobalPosition, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (comparePositions(await store.headPosition(), position) < 0) {
    if (Date.now() > deadline) throw new Error(`the log did not show position ${position.commit}-${position.prepare} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Waits until the log shows every event committed so far (none held back by a transaction still
 * running elsewhere on the server): before a catch-up whose result a test asserts whole.
 */
export async function waitUntilNothingHeldBack(store: EventStore, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (await store.heldBack?.()) {
    if (Date.now() > deadline) throw new Error(`the log still held events back after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
