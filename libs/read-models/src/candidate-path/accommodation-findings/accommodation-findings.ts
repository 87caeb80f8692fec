import { sql } from 'kysely';
import { SqlDb } from '@jalon/event-store';
import { PathReader, visiblePaths } from '../visible-paths';

export interface FindingFilters {
  readonly organisationId?: string;
  readonly page?: number;
  readonly pageSize?: number;
}

/** R11: a sitting held without a measure granted for it; the measure by id only, never its kind. */
export interface UnappliedAccommodation {
  readonly finding: 'accommodation-granted-not-applied';
  readonly enrollmentId: string;
  readonly organisationId: string;
  readonly referentialId: string;
  readonly version: string;
  readonly cohort: string;
  readonly sittingId: string;
  readonly epreuve: string;
  readonly accommodationId: string;
  readonly heldAt: string;
  readonly eventId: string;
  readonly position: string;
}

/** The findings the reader may see, oldest first, a page at a time (the projection's accommodation_findings). */
export async function unappliedAccommodations(db: SqlDb, query: FindingFilters, reader: PathReader): Promise<UnappliedAccommodation[]> {
  const where = visiblePaths(reader, query.organisationId);
  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? 100;
  const { rows } = await sql<{
    event_id: string;
    accommodation_id: string;
    enrollment_id: string;
    organisation_id: string;
    referential_id: string;
    version: string;
    cohort: string;
    sitting_id: string;
    epreuve_code: string;
    held_at: Date;
    position: string;
  }>`
      SELECT * FROM accommodation_findings WHERE ${where} ORDER BY held_at, event_id, accommodation_id LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`.execute(
    db,
  );
  return rows.map((r) => ({
    finding: 'accommodation-granted-not-applied',
    enrollmentId: r.enrollment_id,
    organisationId: r.organisation_id,
    referentialId: r.referential_id,
    version: r.version,
    cohort: r.cohort,
    sittingId: r.sitting_id,
    epreuve: r.epreuve_code,
    accommodationId: r.accommodation_id,
    heldAt: new Date(r.held_at).toISOString(),
    eventId: r.event_id,
    position: r.position,
  }));
}
