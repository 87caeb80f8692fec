import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { unappliedAccommodations } from '@jalon/read-models';
import { UnappliedAccommodationFinding } from '../path-queries.responses.dto';
import { PathReads } from '../path-reads.service';
import { ListUnappliedAccommodationFindings } from './list-unapplied-accommodation-findings.query';

@QueryHandler(ListUnappliedAccommodationFindings)
export class ListUnappliedAccommodationFindingsHandler implements IQueryHandler<ListUnappliedAccommodationFindings, UnappliedAccommodationFinding[]> {
  constructor(private readonly paths: PathReads) {}

  async execute({ filters: query, actor }: ListUnappliedAccommodationFindings): Promise<UnappliedAccommodationFinding[]> {
    return unappliedAccommodations(this.paths.db, query, actor);
  }
}
