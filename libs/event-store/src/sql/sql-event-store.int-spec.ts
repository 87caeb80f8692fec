import { eventStoreContract } from '../testing/event-store-contract';
import { createTestDatabase } from '../testing/postgres-test-database';
import { openSqlDatabase } from './database';
import { migrateToLatest } from './migrations';
import { SqlEventStore } from './sql-event-store';

describe('event store contract: PostgreSQL', () => {
  eventStoreContract(async () => {
    const database = await createTestDatabase();
    const sql = await openSqlDatabase({ kind: 'postgres', url: database.url });
    await migrateToLatest(sql.db);
    const store = new SqlEventStore(sql, { pollIntervalMs: 20 });
    return {
      store,
      async dispose() {
        await store.close();
        await sql.close();
        await database.drop();
      },
    };
  });
});

describe('event store contract: PGlite', () => {
  eventStoreContract(async () => {
    const sql = await openSqlDatabase({ kind: 'pglite' });
    await migrateToLatest(sql.db);
    const store = new SqlEventStore(sql, { pollIntervalMs: 20 });
    return {
      store,
      async dispose() {
        await store.close();
        await sql.close();
      },
    };
  });
});
