import { randomUUID } from 'node:crypto';
import { ReadStreamOptions, RecordedEvent, migrateToLatest, openSqlDatabase, SqlDatabase, SqlEventStore } from '@jalon/event-store';
import { ReferentialResolver } from './referential-resolver.service';

const STREAM = 'referential-ref-a';
const by = { id: 'admin-1', role: 'admin' };

/** The store, its stream reads counted and, when `gate` is set, each read's answer held until it opens. */
class WatchedStore extends SqlEventStore {
  reads = 0;
  gate?: Promise<void>;

  override async readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    this.reads++;
    const events = await super.readStream(streamId, options);
    await this.gate;
    return events;
  }
}

describe('ReferentialResolver: whether a version is withdrawn, asked of the log by every decision', () => {
  let home: SqlDatabase;
  let store: WatchedStore;

  const append = (type: string, data: object) =>
    store.append(STREAM, [{ id: randomUUID(), type, data: { referentialId: 'ref-a', by, at: '2026-01-01T00:00:00.000Z', ...data }, metadata: {} }], {
      expectedRevision: 'any',
    });

  beforeEach(async () => {
    home = await openSqlDatabase({ kind: 'pglite' });
    await migrateToLatest(home.db);
    store = new WatchedStore(home);
    await append('ReferentialVersionPublished', { version: '1', contentHash: 'h1', content: { id: 'ref-a', version: '1' } });
  });

  afterEach(async () => {
    await store.close();
    await home.close();
  });

  it('questions asked together share the reads: eight decisions, at most two reads of the stream', async () => {
    const resolver = new ReferentialResolver(store);
    await resolver.withdrawal('ref-a', '1');
    store.reads = 0;
    const answers = await Promise.all(Array.from({ length: 8 }, () => resolver.withdrawal('ref-a', '1')));
    expect(answers).toEqual(Array(8).fill(undefined));
    expect(store.reads).toBeLessThanOrEqual(2);
  });

  it('a withdrawal appended while a read is under way is seen by every question asked after it', async () => {
    const resolver = new ReferentialResolver(store);
    let open!: () => void;
    store.gate = new Promise<void>((resolve) => (open = resolve));
    const before = resolver.withdrawal('ref-a', '1');
    // The first read has its answer (no withdrawal) and is held; then the version is withdrawn and asked about again, twice.
    await until(() => store.reads === 1);
    await append('ReferentialVersionWithdrawn', { version: '1', reason: 'remplacée par la version 2' });
    const after = [resolver.withdrawal('ref-a', '1'), resolver.withdrawal('ref-a', '1')];
    open();
    store.gate = undefined;
    expect(await before).toBeUndefined();
    expect(await Promise.all(after)).toEqual([
      { at: '2026-01-01T00:00:00.000Z', reason: 'remplacée par la version 2' },
      { at: '2026-01-01T00:00:00.000Z', reason: 'remplacée par la version 2' },
    ]);
    // The two later questions shared one read.
    expect(store.reads).toBe(2);
  });
});

async function until(condition: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
