import { Pool } from 'pg';
import { createTestDatabase, TestDatabase } from '../testing/postgres-test-database';
import { PostgresSignals } from './signals';

/** Two processes' signals on one database: one signals through its pool, the other listens. */
describe('PostgresSignals: writes one after another are told in few signals, the last write included', () => {
  let database: TestDatabase;
  let pool: Pool;

  beforeAll(async () => {
    database = await createTestDatabase();
    pool = new Pool({ connectionString: database.url, max: 2 });
  });

  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  it('a lone write is signalled at once; 300 writes one after another go as about one signal per 5 ms, and the last is heard after the last write', async () => {
    const listener = new PostgresSignals(database.url, async () => undefined);
    const heard: number[] = [];
    let listening!: () => void;
    const ready = new Promise<void>((resolve) => (listening = resolve));
    // The first call is the connection made (what was signalled before it was lost): it only says it listens.
    let connected = false;
    listener.on('events', () => {
      if (!connected) {
        connected = true;
        listening();
      } else heard.push(performance.now());
    });
    await ready;

    let sent = 0;
    const signaller = new PostgresSignals(database.url, (channel, payload) => {
      sent++;
      return pool.query('SELECT pg_notify($1, $2)', [channel, payload]);
    });
    try {
      const lone = performance.now();
      signaller.notify('events');
      await until(() => heard.length === 1);
      expect(sent).toBe(1);
      expect(heard[0] - lone).toBeLessThan(1000);

      heard.length = 0;
      sent = 0;
      const started = performance.now();
      let lastWrite = 0;
      for (let i = 0; i < 300; i++) {
        signaller.notify('events');
        lastWrite = performance.now();
        if (i % 2 === 1) await new Promise((resolve) => setTimeout(resolve, 1));
      }
      const span = lastWrite - started;
      await until(() => heard.length > 0 && heard[heard.length - 1] > lastWrite);
      // One signal at once, then at most one per 5 ms while writes keep coming, and one after the last.
      expect(sent).toBeGreaterThanOrEqual(2);
      expect(sent).toBeLessThanOrEqual(Math.ceil(span / 5) + 2);
      expect(sent).toBeLessThan(300 / 4);
    } finally {
      await signaller.close();
      await listener.close();
    }
  });
});

async function until(condition: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
