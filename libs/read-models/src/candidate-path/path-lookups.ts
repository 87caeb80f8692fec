import { sql } from 'kysely';
import { Referential } from '@jalon/domain';
import { SqlDb } from '@jalon/event-store';

/**
 * The transfers recorded before `cutoff` whose new enrollment the read model does not hold: the
 * source enrollments to complete (TransferCompletion), oldest first.
 */
export async function unfinishedTransfers(db: SqlDb, cutoff: string): Promise<string[]> {
  const { rows } = await sql<{ enrollment_id: string }>`
    SELECT source.enrollment_id FROM candidate_paths source
    WHERE source.status = 'transferred' AND source.last_event_at < ${cutoff}::timestamptz
      AND NOT EXISTS (SELECT 1 FROM candidate_paths target WHERE target.enrollment_id = source.transferred_to)
    ORDER BY source.last_event_at`.execute(db);
  return rows.map((r) => r.enrollment_id);
}

/** Every enrollment of a candidate, as the read model knows them. */
export async function enrollmentsOfCandidate(db: SqlDb, candidateId: string): Promise<string[]> {
  const { rows } = await sql<{
    enrollment_id: string;
  }>`SELECT enrollment_id FROM candidate_paths WHERE candidate_id = ${candidateId} ORDER BY enrollment_id`.execute(db);
  return rows.map((r) => r.enrollment_id);
}

/** Of these enrollments, those of the organisation. */
export async function enrollmentsOfOrganisation(db: SqlDb, enrollmentIds: readonly string[], organisationId: string): Promise<Set<string>> {
  const ids = [...new Set(enrollmentIds)];
  const { rows } = await sql<{
    enrollment_id: string;
  }>`SELECT enrollment_id FROM candidate_paths WHERE enrollment_id = ANY(${ids}::text[]) AND organisation_id = ${organisationId}`.execute(db);
  return new Set(rows.map((r) => r.enrollment_id));
}

/** Every published référentiel version, by id then version, with the hash of its content. */
export async function publishedReferentials(db: SqlDb): Promise<{ content: Referential; contentHash: string }[]> {
  const { rows } = await sql<{
    content: Referential;
    content_hash: string;
  }>`SELECT content, content_hash FROM referential_versions ORDER BY referential_id, version`.execute(db);
  return rows.map((r) => ({ content: r.content, contentHash: r.content_hash }));
}
