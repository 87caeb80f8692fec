import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { NotFoundError } from '@jalon/domain';
import { pathAsSeenBy, pathFromRecord, pathRow } from '@jalon/read-models';
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
    // The stored path as this reader may see it, with what its référentiel says today (its certification, the titles).
    const path = pathFromRecord(pathAsSeenBy(actor, row.path, row.access), await this.referentials.resolve(row.referentialId, row.version));
    return {
      ...path,
      ...row.holder,
      // Accommodations are sealed facts, kept in the log, not in the read model: read from the
      // enrollment's stream, and opened there only when this reader's view shows something (R14).
      accommodations: await this.paths.accommodationsOf(actor, enrollmentId, 'accommodations', row.access),
    };
  }
}
