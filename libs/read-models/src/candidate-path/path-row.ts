import { sql } from 'kysely';
import { SqlDb } from '@jalon/event-store';
import { PathAccess, PathHolder, PathRecord } from './present-path';
import { PathReader, visiblePaths } from './visible-paths';

/** One path as the read model holds it, if the reader may see it. */
export interface PathRow {
  readonly path: PathRecord;
  /** The version the path is pinned to: the question states its certification from it. */
  readonly referentialId: string;
  readonly version: string;
  readonly access: PathAccess;
  readonly holder: PathHolder;
}

export async function pathRow(db: SqlDb, enrollmentId: string, reader: PathReader): Promise<PathRow | undefined> {
  const { rows } = await sql<{
    path: PathRecord;
    referential_id: string;
    version: string;
    candidate_id: string;
    jury_disclosure_consent: boolean;
    personal_data_erased_at: Date | null;
  }>`SELECT path, referential_id, version, candidate_id, jury_disclosure_consent, personal_data_erased_at FROM candidate_paths
    WHERE enrollment_id = ${enrollmentId} AND ${visiblePaths(reader)}`.execute(db);
  if (rows.length === 0) return undefined;
  const row = rows[0];
  return {
    path: row.path,
    referentialId: row.referential_id,
    version: row.version,
    access: { candidateId: row.candidate_id, juryDisclosureConsent: row.jury_disclosure_consent },
    holder: row.personal_data_erased_at ? { personalDataErasedAt: new Date(row.personal_data_erased_at).toISOString() } : {},
  };
}

/** Whether the path's holder had their personal data erased, as the read model knows it. */
export async function pathHolder(db: SqlDb, enrollmentId: string): Promise<PathHolder> {
  const { rows } = await sql<{
    erased_at: Date | null;
  }>`SELECT personal_data_erased_at AS erased_at FROM candidate_paths WHERE enrollment_id = ${enrollmentId}`.execute(db);
  return rows[0]?.erased_at ? { personalDataErasedAt: new Date(rows[0].erased_at).toISOString() } : {};
}
