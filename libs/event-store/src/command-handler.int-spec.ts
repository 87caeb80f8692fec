import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@jalon/config';
import { ConcurrencyConflictError, handleCommand, RecentStreamStates } from './command-handler';
import { newId, withDerivedIds } from './derived-ids';
import { EventStore } from './event-store.port';
import { openStorage, Storage, StorageUnavailableError } from './open-storage';
import { waitUntilVisible } from './testing/visibility';

type CounterEvent = { type: 'Incremented'; data: { to: number } };
const counter = (store: EventStore, streamId: string, decide: (value: number) => CounterEvent[], maxAttempts?: number) =>
  handleCommand<number, CounterEvent>(store, {
    streamId,
    initial: () => 0,
    evolve: (_value, event) => event.data.to,
    decide,
    metadata: () => ({ actor: { id: 'tester', role: 'admin' }, correlationId: 'c-1' }),
    maxAttempts,
  });

describe('command pipeline (embedded PGlite store)', () => {
  let dir: string;
  let storage: Storage;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jalon-cmd-'));
    storage = await openStorage(loadConfig({ DATA_DIR: dir }));
  });
  afterAll(async () => {
    await storage?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads, folds, decides and appends, returning the new revision and global position', async () => {
    const stream = `counter-${randomUUID()}`;
    const first = await counter(storage.store, stream, (v) => [{ type: 'Incremented', data: { to: v + 1 } }]);
    expect(first.nextExpectedRevision).toBe(0);
    const second = await counter(storage.store, stream, (v) => [{ type: 'Incremented', data: { to: v + 1 } }]);
    expect(second.nextExpectedRevision).toBe(1);
    await waitUntilVisible(storage.store, second.position!);
    expect((await storage.store.readAll({ maxCount: 1000 })).at(-1)?.position).toEqual(second.position);
    const [recorded] = await storage.store.readStream(stream, { direction: 'backwards', maxCount: 1 });
    expect(recorded).toMatchObject({ data: { to: 2 }, metadata: { actor: { id: 'tester', role: 'admin' }, correlationId: 'c-1' } });
  });

  it('a decision of nothing appends nothing', async () => {
    const stream = `counter-${randomUUID()}`;
    expect(await counter(storage.store, stream, () => [])).toEqual({ events: [], nextExpectedRevision: null, position: null });
    expect(await storage.store.readStream(stream)).toEqual([]);
  });

  it('on a conflict it reloads and decides again on the new state', async () => {
    const stream = `counter-${randomUUID()}`;
    await counter(storage.store, stream, () => [{ type: 'Incremented', data: { to: 10 } }]);
    const seen: number[] = [];
    const result = await counter(storage.store, stream, (value) => {
      seen.push(value);
      // Someone else writes the stream between this command's read and its append, once.
      if (seen.length === 1) void storage.store.append(stream, [{ id: randomUUID(), type: 'Incremented', data: { to: 20 } }], { expectedRevision: 0 });
      return [{ type: 'Incremented', data: { to: value + 1 } }];
    });
    expect(seen).toEqual([10, 20]);
    expect(result.events).toEqual([{ type: 'Incremented', data: { to: 21 } }]);
    expect((await storage.store.readStream(stream)).map((e) => (e.data as { to: number }).to)).toEqual([10, 20, 21]);
  });

  it('gives up after a bounded number of conflicts with a conflict error', async () => {
    const stream = `counter-${randomUUID()}`;
    await counter(storage.store, stream, () => [{ type: 'Incremented', data: { to: 1 } }]);
    let attempts = 0;
    const error = await counter(
      storage.store,
      stream,
      (value) => {
        attempts++;
        void storage.store.append(stream, [{ id: randomUUID(), type: 'Incremented', data: { to: value + 100 } }], { expectedRevision: 'any' });
        return [{ type: 'Incremented', data: { to: value + 1 } }];
      },
      3,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConcurrencyConflictError);
    expect(attempts).toBe(3);
  });

  it('decides on the stream its caller already read; when that is stale, the conflict reads it afresh', async () => {
    const stream = `counter-${randomUUID()}`;
    await counter(storage.store, stream, () => [{ type: 'Incremented', data: { to: 5 } }]);
    const known = await storage.store.readStream(stream);
    const withKnown = (decide: (value: number) => CounterEvent[]) =>
      handleCommand<number, CounterEvent>(storage.store, {
        streamId: stream,
        initial: () => 0,
        evolve: (_v, e) => e.data.to,
        decide,
        metadata: () => ({ actor: { id: 'tester', role: 'admin' } }),
        known,
      });
    const seen: number[] = [];
    expect((await withKnown((v) => (seen.push(v), [{ type: 'Incremented', data: { to: v + 1 } }]))).events).toEqual([{ type: 'Incremented', data: { to: 6 } }]);
    // `known` now lags one event behind: the first attempt decides on it and conflicts, the second reads the stream.
    expect((await withKnown((v) => (seen.push(v), [{ type: 'Incremented', data: { to: v + 1 } }]))).events).toEqual([{ type: 'Incremented', data: { to: 7 } }]);
    expect(seen).toEqual([5, 5, 6]);
    expect((await storage.store.readStream(stream)).map((e) => (e.data as { to: number }).to)).toEqual([5, 6, 7]);
  });

  it('decodes what it reads and encodes what it appends, with the state it decided on', async () => {
    const stream = `counter-${randomUUID()}`;
    const statesEncodedOn: number[] = [];
    const run = () =>
      handleCommand<number, CounterEvent>(storage.store, {
        streamId: stream,
        initial: () => 0,
        evolve: (_v, e) => e.data.to,
        decide: (v) => [{ type: 'Incremented', data: { to: v + 1 } }],
        metadata: () => ({ actor: { id: 'tester', role: 'admin' } }),
        // Stored values are ten times the domain's: what the store holds is never what the decider sees.
        decode: async (recorded) => recorded.map((r) => ({ type: 'Incremented', data: { to: (r.data as { to: number }).to / 10 } })),
        encode: async (events, state) => (statesEncodedOn.push(state), events.map((e) => ({ ...e, data: { to: e.data.to * 10 } }))),
      });
    await run();
    await run();
    expect((await storage.store.readStream(stream)).map((e) => (e.data as { to: number }).to)).toEqual([10, 20]);
    expect(statesEncodedOn).toEqual([0, 1]);
  });

  describe('with a cache of folded states', () => {
    // The state is the sum of the amounts added.
    type AddedEvent = { type: 'Added'; data: { amount: number } };
    const reads: string[] = [];
    const counting = (): EventStore => {
      const store = storage.store;
      return {
        append: (...args) => store.append(...args),
        readStream: (streamId, options) => (reads.push(streamId), store.readStream(streamId, options)),
        readAll: (options) => store.readAll(options),
        subscribeToAll: (options) => store.subscribeToAll(options),
        headPosition: () => store.headPosition(),
        close: () => store.close(),
      };
    };
    const add = (store: EventStore, cache: RecentStreamStates<number>, streamId: string, decide: (total: number) => AddedEvent[]) =>
      handleCommand<number, AddedEvent>(store, {
        streamId,
        initial: () => 0,
        evolve: (total, e) => total + e.data.amount,
        decide,
        metadata: () => ({ actor: { id: 'tester', role: 'admin' } }),
        cache,
      });
    const fold = async (streamId: string) => (await storage.store.readStream(streamId)).reduce((total, e) => total + (e.data as { amount: number }).amount, 0);
    beforeEach(() => reads.splice(0));

    it('a command on a stream it wrote reads nothing first, and the cached state equals a fresh fold', async () => {
      const cache = new RecentStreamStates<number>(10);
      const stream = `sum-${randomUUID()}`;
      const store = counting();
      await add(store, cache, stream, () => [{ type: 'Added', data: { amount: 2 } }]);
      const totals: number[] = [];
      for (let i = 0; i < 3; i++) await add(store, cache, stream, (total) => (totals.push(total), [{ type: 'Added', data: { amount: 5 } }]));
      expect(totals).toEqual([2, 7, 12]);
      // The first command read the (empty) stream; the next three decided on the cached state.
      expect(reads).toEqual([stream]);
      expect(cache.get(stream)).toEqual({ state: await fold(stream), revision: 3 });
    });

    it('a state made stale by another writer conflicts at the append, and the command is decided again on the stream', async () => {
      const cache = new RecentStreamStates<number>(10);
      const stream = `sum-${randomUUID()}`;
      await add(storage.store, cache, stream, () => [{ type: 'Added', data: { amount: 1 } }]);
      // Another process appends: this cache does not know.
      await storage.store.append(stream, [{ id: randomUUID(), type: 'Added', data: { amount: 100 } }], { expectedRevision: 0 });
      const seen: number[] = [];
      const result = await add(storage.store, cache, stream, (total) => (seen.push(total), [{ type: 'Added', data: { amount: total } }]));
      expect(seen).toEqual([1, 101]);
      expect(result.events).toEqual([{ type: 'Added', data: { amount: 101 } }]);
      expect(await fold(stream)).toBe(202);
      expect(cache.get(stream)).toEqual({ state: 202, revision: 2 });
    });

    it('a refusal or a decision of nothing on a stale state is decided again on the stream; on a current one it stands', async () => {
      const cache = new RecentStreamStates<number>(10);
      const stream = `sum-${randomUUID()}`;
      const atLeast =
        (needed: number) =>
        (total: number): AddedEvent[] => {
          if (total < needed) throw new Error(`TOTAL.TOO_LOW: ${total}`);
          return [{ type: 'Added', data: { amount: 1 } }];
        };
      await add(storage.store, cache, stream, () => [{ type: 'Added', data: { amount: 1 } }]);
      await storage.store.append(stream, [{ id: randomUUID(), type: 'Added', data: { amount: 50 } }], { expectedRevision: 0 });
      // The cached total (1) would refuse; the stream (51) does not.
      expect((await add(storage.store, cache, stream, atLeast(10))).events).toHaveLength(1);
      await expect(add(storage.store, cache, stream, atLeast(1000))).rejects.toThrow('TOTAL.TOO_LOW: 52');
      await storage.store.append(stream, [{ id: randomUUID(), type: 'Added', data: { amount: 10 } }], { expectedRevision: 2 });
      const seen: number[] = [];
      const nothing = await add(storage.store, cache, stream, (total) => (seen.push(total), total >= 60 ? [] : [{ type: 'Added', data: { amount: 60 } }]));
      // Cached 52 would have added 60; the stream says 62: nothing to do, and nothing appended.
      expect(seen).toEqual([52, 62]);
      expect(nothing).toEqual({ events: [], nextExpectedRevision: 3, position: null });
      expect(await fold(stream)).toBe(62);
    });

    it('keeps the streams used last, up to its capacity', () => {
      const cache = new RecentStreamStates<string>(2);
      cache.set('a', { state: 'A', revision: 0 });
      cache.set('b', { state: 'B', revision: 0 });
      expect(cache.get('a')?.state).toBe('A');
      cache.set('c', { state: 'C', revision: 0 });
      expect([cache.get('a')?.state, cache.get('b')?.state, cache.get('c')?.state]).toEqual(['A', undefined, 'C']);
      expect(cache.size).toBe(2);
      expect(() => new RecentStreamStates(0)).toThrow('at least 1');
    });

    it('is refused alongside a decode: a cached state is folded from the events as stored', async () => {
      const run = handleCommand<number, CounterEvent>(storage.store, {
        streamId: `counter-${randomUUID()}`,
        initial: () => 0,
        evolve: (_v, e) => e.data.to,
        decide: () => [{ type: 'Incremented', data: { to: 1 } }],
        metadata: () => ({}),
        decode: async (recorded) => recorded.map((r) => ({ type: 'Incremented', data: r.data as { to: number } })),
        cache: new RecentStreamStates<number>(1),
      });
      await expect(run).rejects.toThrow('cannot be used with a decode');
    });
  });

  it('a domain error from the decision appends nothing', async () => {
    const stream = `counter-${randomUUID()}`;
    await expect(
      counter(storage.store, stream, () => {
        throw new Error('BLOC.NOT_VALIDATABLE');
      }),
    ).rejects.toThrow('BLOC.NOT_VALIDATABLE');
    expect(await storage.store.readStream(stream)).toEqual([]);
  });

  describe('within a repeatable request (ids derived from it)', () => {
    const increment = (value: number): CounterEvent[] => [
      { type: 'Incremented', data: { to: value + 1 } },
      { type: 'Incremented', data: { to: value + 2 } },
    ];

    it('a run of the same request after its append landed appends nothing and answers what the first appended', async () => {
      const stream = `counter-${randomUUID()}`;
      const seed = randomUUID();
      const first = await withDerivedIds(seed, () => counter(storage.store, stream, increment));
      // Others wrote meanwhile: the answer is still the first run's, not the stream's head.
      await counter(storage.store, stream, (v) => [{ type: 'Incremented', data: { to: v + 10 } }]);
      let decided = false;
      const again = await withDerivedIds(seed, () =>
        counter(storage.store, stream, (v) => {
          decided = true;
          return increment(v);
        }),
      );
      expect(decided).toBe(false);
      expect(again).toEqual(first);
      expect((await storage.store.readStream(stream)).map((e) => (e.data as { to: number }).to)).toEqual([1, 2, 12]);
    });

    it('another request (another seed) is decided and appended as usual; so is a second batch of the same request', async () => {
      const stream = `counter-${randomUUID()}`;
      await withDerivedIds(randomUUID(), () => counter(storage.store, stream, increment));
      await withDerivedIds(randomUUID(), () => counter(storage.store, stream, increment));
      const seed = randomUUID();
      const [a, b] = await withDerivedIds(seed, async () => [await counter(storage.store, stream, increment), await counter(storage.store, stream, increment)]);
      expect(b.nextExpectedRevision).toBe(a.nextExpectedRevision! + 2);
      expect((await storage.store.readStream(stream)).map((e) => (e.data as { to: number }).to)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    });

    it('the ids of what a request creates are the same on every run of it, and differ between requests', () => {
      const seed = randomUUID();
      const ids = () => withDerivedIds(seed, () => [newId('candidate'), newId('enrollment')]);
      expect(ids()).toEqual(ids());
      expect(new Set(ids()).size).toBe(2);
      expect(withDerivedIds(randomUUID(), () => newId('candidate'))).not.toBe(ids()[0]);
      expect(newId('candidate')).not.toBe(newId('candidate'));
      expect(ids()[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    });
  });
});

describe('opening the configured storage', () => {
  it('an unreachable PostgreSQL stops start-up with one line naming it', async () => {
    const error = await openStorage(
      loadConfig({
        EVENT_STORE: 'postgres',
        DATABASE_URL: 'postgres://jalon:secret@127.0.0.1:1/jalon',
        JWT_SECRET: 'j'.repeat(32),
        MASTER_KEYS: `k:${Buffer.alloc(32).toString('base64')}`,
        PUBLIC_BASE_URL: 'https://certificats.jalon.test',
      }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect((error as Error).message).toMatch(/^PostgreSQL at postgres:\/\/jalon:\*\*\*@127\.0\.0\.1:1\/jalon is unreachable: .+/);
    expect((error as Error).message).not.toContain('\n');
    expect((error as Error).message).not.toContain('secret');
  });

  it('an unreachable EventStoreDB stops start-up with one line naming it', async () => {
    const error = await openStorage(
      loadConfig({
        EVENT_STORE: 'eventstoredb',
        DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
        EVENTSTORE_CONNECTION_STRING: 'esdb://127.0.0.1:1?tls=false',
        JWT_SECRET: 'j'.repeat(32),
        MASTER_KEYS: `k:${Buffer.alloc(32).toString('base64')}`,
        PUBLIC_BASE_URL: 'https://certificats.jalon.test',
      }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect((error as Error).message).toMatch(/^EventStoreDB at esdb:\/\/127\.0\.0\.1:1\?tls=false is unreachable: /);
  }, 20_000);

  it('a connection string the EventStoreDB client cannot parse stops start-up with one line naming the variable', async () => {
    const error = await openStorage(
      loadConfig({
        EVENT_STORE: 'eventstoredb',
        DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
        EVENTSTORE_CONNECTION_STRING: 'esdb://127.0.0.1:2113?tls=maybe',
        JWT_SECRET: 'j'.repeat(32),
        MASTER_KEYS: `k:${Buffer.alloc(32).toString('base64')}`,
        PUBLIC_BASE_URL: 'https://certificats.jalon.test',
      }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect((error as Error).message).toMatch(/^EVENTSTORE_CONNECTION_STRING is not a valid connection string: .*maybe/);
    expect((error as Error).message).not.toContain('\n');
  }, 20_000);
});
