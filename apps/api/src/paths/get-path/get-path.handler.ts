import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { sql } from 'kysely';
import { ActiveEnrollment, NotFoundError } from '@jalon/domain';
import { presentPathFor } from '@jalon/read-models';
import { ReferentialResolver } from '@jalon/runtime';
import { PathReads } from '../path-reads.service';
import { GetPath, PathAnswer } from './get-path.query';

@QueryHandler(GetPath)
export class GetPathHandler implements IQueryHandler<GetPath, PathAnswer> {
  constructor(
    private readonly paths: PathReads,
    private readonly referentials: ReferentialResolver,
  ) {}

  async execute({ enrollmentId, actor }: GetPath): Promise<PathAnswer> {
    const { rows } = await sql<{ state: ActiveEnrollment; personal_data_erased_at: Date | null }>`SELECT state, personal_data_erased_at FROM candidate_paths
      WHERE enrollment_id = ${enrollmentId} AND ${this.paths.scope(actor)}`.execute(this.paths.db);
    if (rows.length === 0) throw new NotFoundError('ENROLLMENT.NOT_FOUND', 'no such enrollment');
    const { state, personal_data_erased_at: erasedAt } = rows[0];
    const holder = erasedAt ? { personalDataErasedAt: new Date(erasedAt).toISOString() } : {};
    const view = presentPathFor(actor, state, await this.referentials.resolve(state.referentialId, state.version), holder);
    return {
      ...view,
      ...holder,
      accommodations: await this.paths.accommodationsFor(actor, state, {
        enrollmentId,
        view: 'accommodations',
        open: () => this.paths.openedEvents(enrollmentId),
      }),
    };
  }
}
