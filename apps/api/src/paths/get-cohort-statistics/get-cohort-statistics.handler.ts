import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { sql } from 'kysely';
import { NotFoundError, ValidationError } from '@jalon/domain';
import { ReferentialResolver } from '@jalon/runtime';
import { CohortStatisticsView } from '../path-queries.responses.dto';
import { PathReads } from '../path-reads.service';
import { GetCohortStatistics } from './get-cohort-statistics.query';

@QueryHandler(GetCohortStatistics)
export class GetCohortStatisticsHandler implements IQueryHandler<GetCohortStatistics, CohortStatisticsView> {
  constructor(
    private readonly paths: PathReads,
    private readonly referentials: ReferentialResolver,
  ) {}

  async execute({ filters: query, actor }: GetCohortStatistics): Promise<CohortStatisticsView> {
    // Statistics of a référentiel version that was never published would be an empty table taken for
    // "no candidates yet": the version is looked up first, answered as GET /referentials/{id}/versions/{v} does.
    await this.referentials.resolve(query.referentialId, query.version).catch((error: unknown) => {
      if (error instanceof ValidationError && error.code === 'REFERENTIAL.NOT_PUBLISHED')
        throw new NotFoundError('REFERENTIAL.NOT_FOUND', `no published référentiel ${query.referentialId}@${query.version}`);
      throw error;
    });
    const conditions = [
      this.paths.scope(actor, query.organisationId),
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
        percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM ((b->>'validatedAt')::timestamptz - enrolled_at)) / 86400.0) FILTER (WHERE b->>'status' = 'validated') AS median_days
      FROM candidate_paths, jsonb_array_elements(blocs) AS b
      WHERE ${where} AND (b->>'required')::boolean
      GROUP BY 1 ORDER BY 1`.execute(this.paths.db);
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
}
