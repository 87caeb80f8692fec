import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { sql } from 'kysely';
import { ValidationError } from '@jalon/domain';
import { PATH_ASSESSORS } from '@jalon/read-models';
import { AuthenticatedActor } from '../../auth/auth.decorators';
import { PathReads } from '../path-reads.service';
import { ListEnrollmentsQuery } from '../path-queries.requests.dto';
import { EnrollmentList, EnrollmentListItem, ListEnrollments } from './list-enrollments.query';

const SORT_COLUMNS = { enrolledAt: 'enrolled_at', lastProgressAt: 'last_progress_at', status: 'status', cohort: 'cohort' } as const;
/** Rows read at a time by the CSV export. */
const EXPORT_PAGE_SIZE = 1000;
const OPEN_STATUSES = ['in-progress', 'eligible'];

@QueryHandler(ListEnrollments)
export class ListEnrollmentsHandler implements IQueryHandler<ListEnrollments, EnrollmentList> {
  constructor(private readonly paths: PathReads) {}

  async execute({ filters, actor, whole }: ListEnrollments): Promise<EnrollmentList> {
    if (!whole) return this.page(filters, actor);
    // The CSV export is the whole list, not the page on screen: read page after page, in the list's order.
    const items: EnrollmentListItem[] = [];
    for (let page = 1; ; page++) {
      const chunk = await this.page({ ...filters, page, pageSize: EXPORT_PAGE_SIZE }, actor);
      items.push(...chunk.items);
      if (chunk.items.length < EXPORT_PAGE_SIZE) return { total: items.length, items };
    }
  }

  private async page(query: ListEnrollmentsQuery, actor: AuthenticatedActor): Promise<Required<EnrollmentList>> {
    const conditions = [this.paths.scope(actor, query.organisationId)];
    // An assessor's list: the paths where a sitting is theirs (any path of the organisation stays readable by id).
    if (actor.role === 'assessor') conditions.push(sql`${PATH_ASSESSORS} @> ${JSON.stringify([actor.id])}::jsonb`);
    if (query.referentialId) conditions.push(sql`referential_id = ${query.referentialId}`);
    if (query.version) conditions.push(sql`version = ${query.version}`);
    if (query.cohort) conditions.push(sql`cohort = ${query.cohort}`);
    if (query.status) conditions.push(sql`status = ${query.status}`);
    if (query.blocStatus && !query.bloc) throw new ValidationError('QUERY.BLOC_REQUIRED', 'blocStatus needs bloc', { field: 'blocStatus' });
    if (query.bloc) conditions.push(sql`blocs @> ${JSON.stringify([{ code: query.bloc, ...(query.blocStatus ? { status: query.blocStatus } : {}) }])}::jsonb`);
    // Read here, not by PostgreSQL in its session's time zone: a day alone means 00:00 UTC, as in as-of.
    if (query.noProgressSince)
      conditions.push(sql`last_progress_at < ${new Date(query.noProgressSince).toISOString()}::timestamptz AND status IN (${sql.join(OPEN_STATUSES)})`);
    const where = sql.join(conditions, sql` AND `);
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 50;
    const column = sql.ref(SORT_COLUMNS[query.sort ?? 'enrolledAt']);
    const direction = query.order === 'desc' ? sql`DESC` : sql`ASC`;
    const [{ rows: items }, { rows: count }] = await Promise.all([
      sql<{
        enrollment_id: string;
        candidate_id: string;
        organisation_id: string;
        referential_id: string;
        version: string;
        cohort: string;
        access_route: string;
        status: string;
        option_blocs: string[];
        blocs: { code: string; status: string; required: boolean }[];
        missing: { blocs: string[] };
        enrolled_at: Date;
        last_progress_at: Date;
      }>`
        SELECT enrollment_id, candidate_id, organisation_id, referential_id, version, cohort, access_route, status, option_blocs, blocs, missing, enrolled_at, last_progress_at
        FROM candidate_paths WHERE ${where} ORDER BY ${column} ${direction}, enrollment_id LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`.execute(
        this.paths.db,
      ),
      sql<{ total: number }>`SELECT count(*)::int AS total FROM candidate_paths WHERE ${where}`.execute(this.paths.db),
    ]);
    return {
      total: count[0].total,
      page,
      pageSize,
      items: items.map((r) => ({
        enrollmentId: r.enrollment_id,
        candidateId: r.candidate_id,
        organisationId: r.organisation_id,
        referentialId: r.referential_id,
        version: r.version,
        cohort: r.cohort,
        accessRoute: r.access_route,
        status: r.status,
        optionBlocs: r.option_blocs,
        blocs: r.blocs.map((b) => ({ code: b.code, status: b.status, required: b.required })),
        missingBlocs: r.missing.blocs,
        enrolledAt: new Date(r.enrolled_at).toISOString(),
        lastProgressAt: new Date(r.last_progress_at).toISOString(),
      })),
    };
  }
}
