import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { sql } from 'kysely';
import { UnappliedAccommodationFinding } from '../path-queries.responses.dto';
import { PathReads } from '../path-reads.service';
import { ListUnappliedAccommodationFindings } from './list-unapplied-accommodation-findings.query';

@QueryHandler(ListUnappliedAccommodationFindings)
export class ListUnappliedAccommodationFindingsHandler implements IQueryHandler<ListUnappliedAccommodationFindings, UnappliedAccommodationFinding[]> {
  constructor(private readonly paths: PathReads) {}

  async execute({ filters: query, actor }: ListUnappliedAccommodationFindings): Promise<UnappliedAccommodationFinding[]> {
    const where = this.paths.scope(actor, query.organisationId);
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
      this.paths.db,
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
}
