import { sql } from 'kysely';
import { SqlDb } from '@jalon/event-store';
import { PathReader, visiblePaths } from '../visible-paths';

export interface CohortFilters {
  readonly referentialId: string;
  readonly version: string;
  readonly cohort?: string;
  readonly organisationId?: string;
}

export interface CohortStatistics {
  readonly referentialId: string;
  readonly version: string;
  readonly cohort?: string;
  readonly blocs: {
    bloc: string;
    candidates: number;
    validated: number;
    inProgress: number;
    notStarted: number;
    annulled: number;
    withdrawn: number;
    medianDaysToValidation: number | null;
  }[];
}

/**
 * Per bloc: validated, in progress, not started, annulled, among the cohort's paths on this
 * version; a path transferred to another version counts there, not here. A candidate who withdrew
 * keeps the blocs validated (acquired for good); the others count as `withdrawn`, not as work going on.
 */
export async function cohortStatistics(db: SqlDb, query: CohortFilters, reader: PathReader): Promise<CohortStatistics> {
  const conditions = [
    visiblePaths(reader, query.organisationId),
    sql`referential_id = ${query.referentialId}`,
    sql`version = ${query.version}`,
    sql`status <> 'transferred'`,
  ];
  if (query.cohort) conditions.push(sql`cohort = ${query.cohort}`);
  const where = sql.join(conditions, sql` AND `);
  const { rows } = await sql<{
    bloc: string;
    candidates: number;
    validated: number;
    in_progress: number;
    not_started: number;
    annulled: number;
    withdrawn: number;
    median_days: number | null;
  }>`
      SELECT b->>'code' AS bloc,
        count(*)::int AS candidates,
        (count(*) FILTER (WHERE b->>'status' = 'validated'))::int AS validated,
        (count(*) FILTER (WHERE b->>'status' IN ('in-progress', 'validatable') AND status <> 'withdrawn'))::int AS in_progress,
        (count(*) FILTER (WHERE b->>'status' = 'not-started' AND status <> 'withdrawn'))::int AS not_started,
        (count(*) FILTER (WHERE b->>'status' = 'annulled'))::int AS annulled,
        -- The blocs a withdrawn candidate left unfinished; what was validated or annulled stays counted as such.
        (count(*) FILTER (WHERE b->>'status' NOT IN ('validated', 'annulled') AND status = 'withdrawn'))::int AS withdrawn,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM ((b->>'validatedAt')::timestamptz - started_at)) / 86400.0) FILTER (WHERE b->>'status' = 'validated') AS median_days
      FROM candidate_paths, jsonb_array_elements(blocs) AS b
      WHERE ${where} AND (b->>'required')::boolean
      GROUP BY 1 ORDER BY 1`.execute(db);
  return {
    referentialId: query.referentialId,
    version: query.version,
    ...(query.cohort ? { cohort: query.cohort } : {}),
    blocs: rows.map((r) => ({
      bloc: r.bloc,
      candidates: r.candidates,
      validated: r.validated,
      inProgress: r.in_progress,
      notStarted: r.not_started,
      annulled: r.annulled,
      withdrawn: r.withdrawn,
      medianDaysToValidation: r.median_days === null ? null : Math.round(Number(r.median_days) * 10) / 10,
    })),
  };
}
