import { sql } from 'kysely';
import { loadCatalogue } from '@jalon/catalogue';
import { migrateToLatest, openSqlDatabase, SqlDatabase, SqlEventStore } from '@jalon/event-store';
import { createTestDatabase, TestDatabase } from '@jalon/event-store/testing/postgres-test-database';
import { waitUntilVisible } from '@jalon/event-store/testing/visibility';
import { ProjectionRunner } from '@jalon/projections';
import { generatePath, GeneratedPath, prng, publishReferential, toNewEvents } from '../testing/generate-paths';
import { foldEnrollment } from '@jalon/domain';
import { createCandidatePathProjection } from './candidate-path.projection';
import { PathRecord, presentPathRecord } from './present-path';

describe('candidate-path read model (PostgreSQL)', () => {
  let database: TestDatabase;
  let home: SqlDatabase;
  let store: SqlEventStore;
  const paths: GeneratedPath[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    home = await openSqlDatabase({ kind: 'postgres', url: database.url });
    await migrateToLatest(home.db);
    store = new SqlEventStore(home);
    const { entries } = loadCatalogue();
    const random = prng(7);
    for (const entry of entries) {
      await publishReferential(store, entry.referential, entry.contentHash);
      for (let i = 0; i < 15; i++) paths.push(generatePath(entry.referential, random));
    }
    let last;
    for (const path of paths) last = await store.append(path.streamId, toNewEvents(path.events), { expectedRevision: 'no_stream' });
    await waitUntilVisible(store, last!.position);
  });
  afterAll(async () => {
    await home?.close();
    await database?.drop();
  });

  it('projects every enrollment with its status, blocs and what is missing, each event applied once', async () => {
    const runner = new ProjectionRunner(home.db, store, [createCandidatePathProjection()], { batchSize: 97 });
    await runner.prepare();
    await runner.catchUp();
    const rows = (
      await sql<{
        enrollment_id: string;
        status: string;
        events_applied: number;
        blocs: { code: string; status: string; required: boolean }[];
        missing: { blocs: string[] };
      }>`
      SELECT enrollment_id, status, events_applied, blocs, missing FROM candidate_paths`.execute(home.db)
    ).rows;
    expect(rows).toHaveLength(paths.length);
    const byId = new Map(rows.map((r) => [r.enrollment_id, r]));
    for (const path of paths) {
      const row = byId.get(path.enrollmentId)!;
      expect(row.events_applied).toBe(path.events.length);
      const types = path.events.map((e) => e.type);
      const expected = types.includes('CertificationAwarded')
        ? 'certified'
        : types.includes('CandidateWithdrew')
          ? 'withdrawn'
          : row.missing.blocs.length === 0
            ? 'eligible'
            : 'in-progress';
      expect(row.status).toBe(expected);
      const validated = new Set(path.events.filter((e) => e.type === 'BlocValidated').map((e) => (e.data as { blocCode: string }).blocCode));
      expect(
        row.blocs
          .filter((b) => b.status === 'validated')
          .map((b) => b.code)
          .sort(),
      ).toEqual([...validated].sort());
    }
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set(['certified', 'in-progress', 'withdrawn', 'eligible']));
  });

  it('stores each path as its readers see it: what the whole history presents, though folded batch by batch', async () => {
    const stored = new Map(
      (await sql<{ enrollment_id: string; path: PathRecord }>`SELECT enrollment_id, path FROM candidate_paths`.execute(home.db)).rows.map((r) => [
        r.enrollment_id,
        r.path,
      ]),
    );
    const referentials = new Map(loadCatalogue().entries.map((e) => [`${e.referential.referential}@${e.referential.version}`, e.referential]));
    for (const path of paths) {
      const state = foldEnrollment(path.events);
      if (state.status === 'none') throw new Error('a generated path is enrolled');
      expect(stored.get(path.enrollmentId)).toEqual(presentPathRecord(state, referentials.get(`${state.referentialId}@${state.version}`)!));
    }
  });

  it('a rebuild from scratch gives the same rows', async () => {
    const runner = new ProjectionRunner(home.db, store, [createCandidatePathProjection()]);
    const before = (await sql`SELECT * FROM candidate_paths ORDER BY enrollment_id`.execute(home.db)).rows;
    await runner.rebuild('candidate-path');
    const after = (await sql`SELECT * FROM candidate_paths ORDER BY enrollment_id`.execute(home.db)).rows;
    expect(after).toEqual(before);
  });
});
