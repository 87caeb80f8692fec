/**
 * A bare projection worker for the crash test (projection-crash.int-spec.ts): no Nest, just the
 * runner fed from PostgreSQL (DATABASE_URL) with small batches, so a SIGKILL lands mid-batch.
 * Prints `ready` once its projections are prepared and started; SIGTERM stops it cleanly.
 *
 * Run with: node -r ts-node/register/transpile-only -r tsconfig-paths/register <this file>
 */
import { sql } from 'kysely';
import { migrateToLatest, openSqlDatabase, SqlEventStore } from '@jalon/event-store';
import { exitOnSigterm } from '@jalon/event-store/testing/child-worker';
import { Projection, ProjectionRunner } from '@jalon/projections';
import { createCandidatePathProjection } from '../candidate-path/candidate-path.projection';

export const EVENT_COUNTS_PROJECTION = 'crash-event-counts';

/**
 * One row per event with the number of times it was applied: an event applied twice shows as
 * `applied = 2`, one never applied as a missing row.
 */
export function createEventCountsProjection(): Projection {
  return {
    name: EVENT_COUNTS_PROJECTION,
    tables: [
      {
        name: 'crash_event_counts',
        create: (t) => [
          sql`CREATE TABLE ${sql.table(t)} (event_id uuid PRIMARY KEY, stream_id text NOT NULL, position text NOT NULL, applied integer NOT NULL)`,
        ],
      },
    ],
    canHandle: 'every-event',
    async apply(trx, events, tables) {
      if (events.length === 0) return;
      const table = tables.crash_event_counts;
      // Event ids are unique, so one statement per batch is safe with ON CONFLICT DO UPDATE.
      await sql`INSERT INTO ${sql.table(table)} (event_id, stream_id, position, applied)
        VALUES ${sql.join(events.map((e) => sql`(${e.id}::uuid, ${e.streamId}, ${`${e.position.commit}-${e.position.prepare}`}, 1)`))}
        ON CONFLICT (event_id) DO UPDATE SET applied = ${sql.table(table)}.applied + 1`.execute(trx);
    },
  };
}

/** The projections the worker runs, also used by the test for its rebuild from scratch. */
export const crashTestProjections = (): Projection[] => [createCandidatePathProjection(), createEventCountsProjection()];

export const CRASH_TEST_BATCH_SIZE = 25;

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is required');
  const home = await openSqlDatabase({ kind: 'postgres', url, poolSize: 4 });
  await migrateToLatest(home.db);
  const store = new SqlEventStore(home, { pollIntervalMs: 10 });
  const runner = new ProjectionRunner(home.db, store, crashTestProjections(), {
    batchSize: Number(process.env.PROJECTION_BATCH_SIZE ?? CRASH_TEST_BATCH_SIZE),
    pollIntervalMs: 10,
    logger: { log: (m) => process.stderr.write(`${m}\n`), error: (m) => process.stderr.write(`${m}\n`) },
  });

  // Registered before `ready`, so a SIGTERM sent as soon as the parent reads it is handled.
  exitOnSigterm(async () => {
    await runner.stop();
    await home.close();
  });

  await runner.prepare();
  runner.start();
  process.stdout.write('ready\n');
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
