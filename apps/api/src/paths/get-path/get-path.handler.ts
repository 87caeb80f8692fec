import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { NotFoundError } from '@jalon/domain';
import { pathRow, presentPathFor } from '@jalon/read-models';
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
    const row = await pathRow(this.paths.db, enrollmentId, actor);
    if (!row) throw new NotFoundError('ENROLLMENT.NOT_FOUND', 'no such enrollment');
    const { state, holder } = row;
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
