import { sql } from 'kysely';
import { ValidationError } from '@jalon/domain';
import { SqlDb } from '@jalon/event-store';
import { PathReader, visiblePaths } from '../visible-paths';

/** A path's status as the read model lists it ("eligible": ready for the jury). */
export const PATH_STATUSES = ['in-progress', 'eligible', 'certified', 'withdrawn', 'transferred'] as const;
/** A bloc's status on a path. */
export const BLOC_STATUSES = ['not-started', 'in-progress', 'validatable', 'validated', 'annulled'] as const;
/** What the list sorts by. */
export const ENROLLMENT_SORTS = ['enrolledAt', 'lastProgressAt', 'status', 'cohort'] as const;

/** What the list of enrollments is filtered, sorted and paged by. */
export interface EnrollmentFilters {
  readonly organisationId?: string;
  readonly referentialId?: string;
  readonly version?: string;
  readonly cohort?: string;
  readonly status?: (typeof PATH_STATUSES)[number];
  readonly bloc?: string;
  readonly blocStatus?: (typeof BLOC_STATUSES)[number];
  /** A day (00:00 UTC) or an instant: open paths whose last progress is older. */
  readonly noProgressSince?: string;
  readonly sort?: (typeof ENROLLMENT_SORTS)[number];
  readonly order?: 'asc' | 'desc';
  readonly page?: number;
  readonly pageSize?: number;
}

export interface EnrollmentListItem {
  enrollmentId: string;
  candidateId: string;
  organisationId: string;
  referentialId: string;
  version: string;
  cohort: string;
  accessRoute: string;
  status: string;
  optionBlocs: string[];
  blocs: { code: string; status: string; required: boolean }[];
  missingBlocs: string[];
  enrolledAt: string;
  lastProgressAt: string;
}

export interface EnrollmentPage {
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
  readonly items: EnrollmentListItem[];
}

const SORT_COLUMNS: Record<(typeof ENROLLMENT_SORTS)[number], string> = {
  enrolledAt: 'enrolled_at',
  lastProgressAt: 'last_progress_at',
  status: 'status',
  cohort: 'cohort',
};
const OPEN_STATUSES = ['in-progress', 'eligible'];

/** A page of the enrollments the reader may see that the filters match (an assessor: the paths where a sitting is theirs), with their total. */
export async function listEnrollments(db: SqlDb, query: EnrollmentFilters, reader: PathReader): Promise<EnrollmentPage> {
  const conditions = [visiblePaths(reader, query.organisationId)];
  // An assessor's list: the paths where a sitting is theirs (any path of the organisation stays readable by id).
  if (reader.role === 'assessor') conditions.push(sql`assessor_ids @> ARRAY[${reader.id}]::text[]`);
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
        FROM candidate_paths WHERE ${where} ORDER BY ${column} ${direction}, enrollment_id LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`.execute(db),
    sql<{ total: number }>`SELECT count(*)::int AS total FROM candidate_paths WHERE ${where}`.execute(db),
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
