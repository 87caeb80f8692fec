import { INestApplication } from '@nestjs/common';
import { sql } from 'kysely';
import { Storage } from '@jalon/event-store';
import { ProjectionRunner } from '@jalon/projections';
import { STORAGE } from '@jalon/runtime';

/** Waits until the read models have applied every event committed so far (read straight from the table). */
export async function settle(app: INestApplication, timeoutMs = 20_000): Promise<void> {
  const storage = app.get<Storage>(STORAGE);
  const { rows } = await sql<{ commit: string | null; prepare: string | null }>`
    SELECT transaction_id::text AS commit, global_position::text AS prepare FROM events ORDER BY events.transaction_id DESC, events.global_position DESC LIMIT 1`.execute(
    storage.sql.db,
  );
  if (!rows[0]?.commit) return;
  const reached = await app.get(ProjectionRunner).waitUntilReached({ commit: BigInt(rows[0].commit), prepare: BigInt(rows[0].prepare!) }, timeoutMs);
  if (!reached) throw new Error('the read models did not catch up');
}
