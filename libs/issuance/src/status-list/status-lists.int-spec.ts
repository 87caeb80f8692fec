import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { migrateToLatest, NewEvent, openSqlDatabase, SqlDatabase, SqlEventStore } from '@jalon/event-store';
import { createTestDatabase, TestDatabase } from '@jalon/event-store/testing/postgres-test-database';
import { waitUntilVisible } from '@jalon/event-store/testing/visibility';
import { ProjectionRunner } from '@jalon/projections';
import { STATUS_LIST_LENGTH } from './bitstring';
import { createStatusListProjection, STATUS_LIST_PROJECTION } from './status-list.projection';
import { StatusLists } from './status-lists';

/**
 * Status lists on both SQL homes (the same SQL): each document's entry given once, whatever runs
 * at once; the bits a projection of DocumentRevoked, the same after a rebuild.
 */
const backends: [string, () => Promise<{ home: SqlDatabase; drop: () => Promise<void> }>][] = [
  [
    'PostgreSQL',
    async () => {
      const database: TestDatabase = await createTestDatabase('jalon_status_lists');
      const home = await openSqlDatabase({ kind: 'postgres', url: database.url });
      return { home, drop: () => database.drop() };
    },
  ],
  ['PGlite', async () => ({ home: await openSqlDatabase({ kind: 'pglite' }), drop: async () => undefined })],
];

const revoked = (number: string, at: string): NewEvent => ({
  id: randomUUID(),
  type: 'DocumentRevoked',
  data: { number, kind: 'attestation', reasonCategory: 'bloc-annulled', by: { id: 'jalon-issuance', role: 'system' }, at },
});

describe.each(backends)('status lists (%s)', (_name, open) => {
  let home: SqlDatabase;
  let drop: () => Promise<void>;
  let store: SqlEventStore;
  let lists: StatusLists;
  let runner: ProjectionRunner;

  beforeAll(async () => {
    ({ home, drop } = await open());
    await migrateToLatest(home.db);
    store = new SqlEventStore(home, { pollIntervalMs: 10 });
    lists = new StatusLists(home.db, { issuerSlug: 'jalon', publicBaseUrl: 'https://jalon.example.org/' });
    runner = new ProjectionRunner(home.db, store, [createStatusListProjection()]);
    // The projection's table, as every process's start prepares it.
    await runner.prepare();
  });
  afterAll(async () => {
    await store?.close();
    await home?.close();
    await drop?.();
  });

  const nextOrdinal = async () =>
    Number((await sql<{ n: string }>`SELECT next_ordinal::text AS n FROM status_list_counters WHERE issuer = 'jalon'`.execute(home.db)).rows[0]?.n ?? 0);

  it('gives a document one entry, however often and however concurrently it is asked for', async () => {
    const first = await lists.allocate('JAL-A-0000000001A');
    expect(first).toEqual({ listUrl: 'https://jalon.example.org/issuers/jalon/status/0', index: expect.any(Number) });
    expect(await lists.allocate('JAL-A-0000000001A')).toEqual(first);
    // The same document asked for by several jobs at once: one entry, one ordinal spent.
    const before = await nextOrdinal();
    const same = await Promise.all(Array.from({ length: 8 }, () => lists.allocate('JAL-A-0000000002B')));
    expect(new Set(same.map((entry) => entry.index)).size).toBe(1);
    expect(await nextOrdinal()).toBe(before + 1);
    // Many documents at once: each its own bit, no ordinal lost.
    const numbers = Array.from({ length: 40 }, (_, i) => `JAL-C-${String(i).padStart(10, '0')}C`);
    const entries = await Promise.all(numbers.map((number) => lists.allocate(number)));
    expect(new Set(entries.map((entry) => entry.index)).size).toBe(40);
    expect(entries.every((entry) => entry.index >= 0 && entry.index < STATUS_LIST_LENGTH && entry.listUrl.endsWith('/status/0'))).toBe(true);
    expect(await nextOrdinal()).toBe(before + 41);
    // Not in the order they were given: neighbours in time are not neighbours in the list.
    const inOrder = entries.map((entry) => entry.index);
    expect([...inOrder].sort((a, b) => a - b)).not.toEqual(inOrder);
  });

  it('sets the bits of the documents DocumentRevoked records, through the projection, and the same after a rebuild', async () => {
    const a = await lists.allocate('JAL-A-REVOKED0001');
    const b = await lists.allocate('JAL-A-REVOKED0002');
    const kept = await lists.allocate('JAL-A-KEPTVALID01');
    const opened = (await lists.content('jalon', 0))!;
    expect(opened.revokedIndices).toEqual([]);
    expect(await lists.statusOf('JAL-A-REVOKED0001')).toEqual({ ...a, issuer: 'jalon', listNumber: 0, revoked: false });

    const append = async (streamId: string, events: NewEvent[]) => {
      const { position } = await store.append(streamId, events, { expectedRevision: 'any' });
      await waitUntilVisible(store, position);
    };
    await append(`enrollment-${randomUUID()}`, [revoked('JAL-A-REVOKED0001', '2099-09-01T10:00:00.000Z')]);
    // Twice (a replayed job that recorded nothing new still leaves one row), and a document without entry (issued before status lists).
    await append(`enrollment-${randomUUID()}`, [
      revoked('JAL-A-REVOKED0002', '2099-09-02T08:30:00.000Z'),
      revoked('JAL-A-REVOKED0002', '2099-09-02T08:31:00.000Z'),
      revoked('JAL-A-NOENTRY0001', '2026-09-03T08:00:00.000Z'),
    ]);
    // Not an enrollment's: no document of ours.
    await append('elsewhere-1', [revoked('JAL-A-KEPTVALID01', '2026-09-04T08:00:00.000Z')]);
    await runner.catchUp(STATUS_LIST_PROJECTION);

    const content = (await lists.content('jalon', 0))!;
    // Since the last change: the latest revocation in it (dates ahead of the list's opening, whatever the clock says).
    expect(content.revokedIndices).toEqual([a.index, b.index].sort((x, y) => x - y));
    expect(content.validFrom).toBe('2099-09-02T08:30:00Z');
    expect(await lists.statusOf('JAL-A-REVOKED0002')).toMatchObject({ index: b.index, revoked: true });
    expect(await lists.statusOf('JAL-A-KEPTVALID01')).toMatchObject({ index: kept.index, revoked: false });
    expect(await lists.statusOf('JAL-A-NOENTRY0001')).toBeUndefined();

    await runner.rebuild(STATUS_LIST_PROJECTION);
    expect(await lists.content('jalon', 0)).toEqual(content);
  });

  it('keeps each issuer’s lists apart; a document issued again by another issuer gets a bit there too, and its revocation sets both', async () => {
    const several = new StatusLists(home.db, { issuerSlug: 'jalon', publicBaseUrl: 'https://jalon.example.org', issuers: ['jalon', 'ecole-data'] });
    const certifier = await several.forIssuer('ecole-data').allocate('JAL-A-CERTIFIER01');
    expect(certifier.listUrl).toBe('https://jalon.example.org/issuers/ecole-data/status/0');
    expect(await several.forIssuer('ecole-data').allocate('JAL-A-CERTIFIER01')).toEqual(certifier);
    // Reissued: first by the default issuer, then by its certifier (configured since).
    const first = await several.allocate('JAL-A-MOVEDISSUER');
    const moved = await several.forIssuer('ecole-data').allocate('JAL-A-MOVEDISSUER');
    expect(moved.listUrl).toBe('https://jalon.example.org/issuers/ecole-data/status/0');
    expect(await several.statusOf('JAL-A-MOVEDISSUER', 'jalon')).toMatchObject({ ...first, issuer: 'jalon', revoked: false });
    expect(await several.statusOf('JAL-A-MOVEDISSUER')).toMatchObject({ ...moved, issuer: 'ecole-data', revoked: false });
    const { position } = await store.append(`enrollment-${randomUUID()}`, [revoked('JAL-A-MOVEDISSUER', '2099-10-01T10:00:00.000Z')], {
      expectedRevision: 'any',
    });
    await waitUntilVisible(store, position);
    await runner.catchUp(STATUS_LIST_PROJECTION);
    expect((await several.content('ecole-data', 0))!.revokedIndices).toEqual([moved.index]);
    expect((await several.content('jalon', 0))!.revokedIndices).toContain(first.index);
    // The single-issuer view serves its own lists only.
    expect(await lists.content('ecole-data', 0)).toBeUndefined();
  });

  it('opens the next list once one is full', async () => {
    // Jump the counter to the last entry of list 0 (as if 131,071 documents had been issued).
    await sql`UPDATE status_list_counters SET next_ordinal = ${STATUS_LIST_LENGTH - 1} WHERE issuer = 'jalon'`.execute(home.db);
    const last = await lists.allocate('JAL-A-LASTOFLIST0');
    const next = await lists.allocate('JAL-A-FIRSTOFLIST1');
    expect(last.listUrl).toBe('https://jalon.example.org/issuers/jalon/status/0');
    expect(next.listUrl).toBe('https://jalon.example.org/issuers/jalon/status/1');
    expect(await lists.content('jalon', 1)).toMatchObject({ listUrl: next.listUrl, revokedIndices: [] });
    expect(await lists.content('jalon', 2)).toBeUndefined();
    expect(await lists.content('another-issuer', 0)).toBeUndefined();
  });
});
