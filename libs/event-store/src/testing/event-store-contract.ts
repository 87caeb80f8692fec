import { randomUUID } from 'node:crypto';
import { EventStore, InvalidAppendError, NewEvent, RecordedEvent, WrongExpectedRevisionError } from '../event-store.port';
import { comparePositions, GlobalPosition, START } from '../position';
import { waitUntilVisible } from './visibility';

export interface ContractHome {
  readonly store: EventStore;
  dispose(): Promise<void>;
}

const newEvent = (type: string, data: unknown, metadata = {}): NewEvent => ({ id: randomUUID(), type, data, metadata });
const events = (n: number, tag = 'e'): NewEvent[] => Array.from({ length: n }, (_, i) => newEvent('Happened', { tag, i }));
const uniqueStream = (name: string) => `${name}-${randomUUID()}`;

async function collect(store: EventStore, after: GlobalPosition, until: (seen: RecordedEvent[]) => boolean, timeoutMs = 10_000): Promise<RecordedEvent[]> {
  const seen: RecordedEvent[] = [];
  const subscription = store.subscribeToAll({ after, batchSize: 7 });
  const deadline = setTimeout(() => void subscription.stop(), timeoutMs);
  try {
    for await (const batch of subscription) {
      seen.push(...batch);
      if (until(seen)) break;
    }
  } finally {
    clearTimeout(deadline);
    await subscription.stop();
  }
  return seen;
}

/**
 * The behaviour every EventStore adapter must have (DESIGN.md decision 2). Each adapter's
 * integration spec calls this with a factory for a fresh, empty home.
 */
export function eventStoreContract(open: () => Promise<ContractHome>): void {
  let home: ContractHome;
  let store: EventStore;

  beforeAll(async () => {
    home = await open();
    store = home.store;
  });
  afterAll(() => home?.dispose());

  describe('expected revision', () => {
    it('no_stream creates a stream once; the second append conflicts with the typed error', async () => {
      const stream = uniqueStream('no-stream');
      expect((await store.append(stream, events(2), { expectedRevision: 'no_stream' })).nextExpectedRevision).toBe(1);
      const error = await store.append(stream, events(1), { expectedRevision: 'no_stream' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WrongExpectedRevisionError);
      expect(error).toMatchObject({ code: 'EVENT_STORE.WRONG_EXPECTED_REVISION', streamId: stream, expected: 'no_stream', actual: 1 });
    });

    it('an exact revision appends only when the stream is at it', async () => {
      const stream = uniqueStream('exact');
      await store.append(stream, events(1), { expectedRevision: 'no_stream' });
      expect((await store.append(stream, events(2), { expectedRevision: 0 })).nextExpectedRevision).toBe(2);
      await expect(store.append(stream, events(1), { expectedRevision: 0 })).rejects.toMatchObject({ actual: 2 });
      await expect(store.append(uniqueStream('absent'), events(1), { expectedRevision: 0 })).rejects.toMatchObject({ actual: 'no_stream' });
      expect((await store.readStream(stream)).length).toBe(3);
    });

    it('stream_exists needs the stream; any takes it as it is', async () => {
      const stream = uniqueStream('exists');
      await expect(store.append(stream, events(1), { expectedRevision: 'stream_exists' })).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      expect((await store.append(stream, events(1), { expectedRevision: 'any' })).nextExpectedRevision).toBe(0);
      expect((await store.append(stream, events(1), { expectedRevision: 'any' })).nextExpectedRevision).toBe(1);
      expect((await store.append(stream, events(1), { expectedRevision: 'stream_exists' })).nextExpectedRevision).toBe(2);
    });

    it('of concurrent appends at the same revision exactly one wins', async () => {
      const stream = uniqueStream('race');
      await store.append(stream, events(1), { expectedRevision: 'no_stream' });
      const outcomes = await Promise.allSettled(Array.from({ length: 8 }, () => store.append(stream, events(1), { expectedRevision: 0 })));
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      expect(outcomes.filter((o) => o.status === 'rejected').every((o) => (o as PromiseRejectedResult).reason instanceof WrongExpectedRevisionError)).toBe(
        true,
      );
      expect((await store.readStream(stream)).map((e) => e.streamRevision)).toEqual([0, 1]);
    });
  });

  describe('idempotent retries', () => {
    it('a retry with the same event ids after an unknown outcome appends once and answers the same', async () => {
      const stream = uniqueStream('retry');
      const batch = events(3);
      const first = await store.append(stream, batch, { expectedRevision: 'no_stream' });
      const retry = await store.append(stream, batch, { expectedRevision: 'no_stream' });
      expect(retry).toEqual(first);
      const next = events(1);
      const second = await store.append(stream, next, { expectedRevision: 2 });
      expect(await store.append(stream, next, { expectedRevision: 2 })).toEqual(second);
      expect(await store.append(stream, next, { expectedRevision: 'any' })).toEqual(second);
      expect((await store.readStream(stream)).map((e) => e.id)).toEqual([...batch, ...next].map((e) => e.id));
    });
  });

  describe('reading a stream', () => {
    it('reads forwards and backwards, from a revision, up to a count; a missing stream is empty', async () => {
      const stream = uniqueStream('read');
      const batch = events(5);
      await store.append(stream, batch, { expectedRevision: 'no_stream' });
      expect((await store.readStream(stream)).map((e) => e.streamRevision)).toEqual([0, 1, 2, 3, 4]);
      expect((await store.readStream(stream, { direction: 'backwards' })).map((e) => e.streamRevision)).toEqual([4, 3, 2, 1, 0]);
      expect((await store.readStream(stream, { fromRevision: 2, maxCount: 2 })).map((e) => e.streamRevision)).toEqual([2, 3]);
      expect((await store.readStream(stream, { direction: 'backwards', fromRevision: 2 })).map((e) => e.streamRevision)).toEqual([2, 1, 0]);
      expect((await store.readStream(stream, { direction: 'backwards', maxCount: 1 }))[0].id).toBe(batch[4].id);
      expect(await store.readStream(uniqueStream('missing'))).toEqual([]);
    });

    it('keeps numeric order past ten events, in one append and across appends', async () => {
      const stream = uniqueStream('order');
      await store.append(stream, events(25), { expectedRevision: 'no_stream' });
      let last = await store.append(stream, events(1), { expectedRevision: 24 });
      for (let i = 1; i < 12; i++) last = await store.append(stream, events(1), { expectedRevision: 24 + i });
      await waitUntilVisible(store, last.position);
      const expected = Array.from({ length: 37 }, (_, i) => i);
      expect((await store.readStream(stream)).map((e) => e.streamRevision)).toEqual(expected);
      expect((await store.readStream(stream, { direction: 'backwards' })).map((e) => e.streamRevision)).toEqual([...expected].reverse());
      const all = (await store.readAll({ maxCount: 100_000 })).filter((e) => e.streamId === stream);
      expect(all.map((e) => e.streamRevision)).toEqual(expected);
    });

    it('round-trips metadata, schema version, unicode and a 1 MB event', async () => {
      const stream = uniqueStream('meta');
      const metadata = {
        correlationId: randomUUID(),
        causationId: randomUUID(),
        actor: { id: 'jury-1', role: 'jury' },
        occurredAt: '2026-06-30T14:00:00.000Z',
        custom: { nested: [1, 2] },
      };
      const text = 'Élève à l’épreuve — 試験 — اختبار — 🎓👩🏽‍🎓 — \u202e';
      const big = 'x'.repeat(1024 * 1024);
      await store.append(
        stream,
        [{ id: randomUUID(), type: 'BlocValidated', schemaVersion: 3, data: { text, list: [text] }, metadata }, newEvent('Big', { big })],
        { expectedRevision: 'no_stream' },
      );
      const [first, second] = await store.readStream(stream);
      expect(first).toMatchObject({ type: 'BlocValidated', schemaVersion: 3, data: { text, list: [text] }, metadata, streamId: stream, streamRevision: 0 });
      expect(Date.parse(first.recordedAt)).not.toBeNaN();
      expect(typeof first.position.commit).toBe('bigint');
      expect((second.data as { big: string }).big.length).toBe(1024 * 1024);
    });
  });

  describe('the global log', () => {
    it('reads every event in order, after an exclusive position, in batches', async () => {
      const a = uniqueStream('all-a');
      const b = uniqueStream('all-b');
      const first = await store.append(a, events(3, 'a'), { expectedRevision: 'no_stream' });
      await store.append(b, events(2, 'b'), { expectedRevision: 'no_stream' });
      const last = await store.append(a, events(1, 'a'), { expectedRevision: 2 });
      await waitUntilVisible(store, last.position);
      // From just before the first append: the three events of that append end at its position.
      const before = (await store.readStream(a))[0];
      const all = (await store.readAll({ after: START, maxCount: 100_000 })).filter((e) => comparePositions(e.position, before.position) >= 0);
      expect(comparePositions(all[0].position, first.position)).toBeLessThan(0);
      expect(all.map((e) => `${e.streamId === a ? 'a' : 'b'}${e.streamRevision}`)).toEqual(['a0', 'a1', 'a2', 'b0', 'b1', 'a3']);
      for (let i = 1; i < all.length; i++) expect(comparePositions(all[i - 1].position, all[i].position)).toBeLessThan(0);
      expect(all.at(-1)!.position).toEqual(last.position);
      expect(comparePositions(await store.headPosition(), last.position)).toBeGreaterThanOrEqual(0);
      const page = await store.readAll({ after: all[1].position, maxCount: 2 });
      expect(page.map((e) => e.id)).toEqual([all[2].id, all[3].id]);
      expect((await store.readAll({ after: last.position, maxCount: 100_000 })).filter((e) => e.streamId === a || e.streamId === b)).toEqual([]);
    });

    it('a subscription catches up, goes live, and resumes from its checkpoint without loss or duplicates', async () => {
      const stream = uniqueStream('sub');
      const before = events(5);
      const appended = await store.append(stream, before, { expectedRevision: 'no_stream' });
      await waitUntilVisible(store, appended.position);
      const [first] = await store.readStream(stream);
      const justBefore =
        (await store.readAll({ after: START, maxCount: 100_000 })).filter((e) => comparePositions(e.position, first.position) < 0).at(-1)?.position ?? START;
      const firstPart = (await collect(store, justBefore, (seen) => seen.filter((e) => e.streamId === stream).length >= 3)).filter(
        (e) => e.streamId === stream,
      );
      const checkpoint = firstPart[2].position;

      const later = events(4);
      const live = collect(store, checkpoint, (seen) => seen.filter((e) => e.streamId === stream).length >= 6);
      await new Promise((resolve) => setTimeout(resolve, 50));
      await store.append(stream, later.slice(0, 2), { expectedRevision: 4 });
      await store.append(stream, later.slice(2), { expectedRevision: 6 });
      const resumed = (await live).filter((e) => e.streamId === stream);
      expect(resumed.map((e) => e.id)).toEqual([...before.slice(3), ...later].map((e) => e.id));
      expect(new Set(resumed.map((e) => e.id)).size).toBe(resumed.length);
    });

    it('START reads from the very beginning', async () => {
      const fromStart = await store.readAll({ after: START, maxCount: 1 });
      const all = await store.readAll({ maxCount: 1 });
      expect(fromStart).toEqual(all);
      expect(fromStart).toHaveLength(1);
    });
  });

  describe('bad input is rejected with a clear error and appends nothing', () => {
    const bad = uniqueStream('bad');
    const cases: [string, () => Promise<unknown>, RegExp][] = [
      ['an empty stream id', () => store.append('', events(1), { expectedRevision: 'any' }), /stream id is empty/],
      ['a blank stream id', () => store.append('   ', events(1), { expectedRevision: 'any' }), /stream id is empty/],
      ['an unknown expected revision form', () => store.append(bad, events(1), { expectedRevision: 'latest' as never }), /unknown expected revision/],
      ['a negative revision', () => store.append(bad, events(1), { expectedRevision: -1 }), /unknown expected revision/],
      ['no events', () => store.append(bad, [], { expectedRevision: 'any' }), /nothing to append/],
      ['an event id that is not a UUID', () => store.append(bad, [{ id: '42', type: 'T', data: {} }], { expectedRevision: 'any' }), /not a UUID/],
      [
        'the same event id twice',
        () => {
          const e = newEvent('T', {});
          return store.append(bad, [e, e], { expectedRevision: 'any' });
        },
        /appears twice/,
      ],
      ['an event without type', () => store.append(bad, [{ id: randomUUID(), type: '', data: {} }], { expectedRevision: 'any' }), /no type/],
    ];
    it.each(cases)('%s', async (_name, act, message) => {
      const error = await act().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidAppendError);
      expect((error as Error).message).toMatch(message);
      expect(await store.readStream(bad)).toEqual([]);
    });

    it('an event id already used in another stream is refused', async () => {
      const e = newEvent('T', {});
      await store.append(uniqueStream('one'), [e], { expectedRevision: 'any' });
      await expect(store.append(uniqueStream('two'), [e], { expectedRevision: 'any' })).rejects.toBeInstanceOf(InvalidAppendError);
    });
  });
}
