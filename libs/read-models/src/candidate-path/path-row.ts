import { sql } from 'kysely';
import { ActiveEnrollment } from '@jalon/domain';
import { SqlDb } from '@jalon/event-store';
import { PathHolder } from './present-path';
import { PathReader, visiblePaths } from './visible-paths';

/** One path as the read model holds it, if the reader may see it: its state and whether its holder's personal data was erased. */
export async function pathRow(db: SqlDb, enrollmentId: string, reader: PathReader): Promise<{ state: ActiveEnrollment; holder: PathHolder } | undefined> {
  const { rows } = await sql<{ state: ActiveEnrollment; personal_data_erased_at: Date | null }>`SELECT state, personal_data_erased_at FROM candidate_paths
    WHERE enrollment_id = ${enrollmentId} AND ${visiblePaths(reader)}`.execute(db);
  if (rows.length === 0) return undefined;
  const { state, personal_data_erased_at: erasedAt } = rows[0];
  return { state, holder: erasedAt ? { personalDataErasedAt: new Date(erasedAt).toISOString() } : {} };
}

/** Whether the path's holder had their personal data erased, as the read model knows it. */
export async function pathHolder(db: SqlDb, enrollmentId: string): Promise<PathHolder> {
  const { rows } = await sql<{
    erased_at: Date | null;
  }>`SELECT personal_data_erased_at AS erased_at FROM candidate_paths WHERE enrollment_id = ${enrollmentId}`.execute(db);
  return rows[0]?.erased_at ? { personalDataErasedAt: new Date(rows[0].erased_at).toISOString() } : {};
}
