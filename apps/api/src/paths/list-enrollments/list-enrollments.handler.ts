import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EnrollmentListItem, listEnrollments } from '@jalon/read-models';

import { PathReads } from '../path-reads.service';

import { EnrollmentList, ListEnrollments } from './list-enrollments.query';

/** Rows read at a time by the CSV export. */
const EXPORT_PAGE_SIZE = 1000;

@QueryHandler(ListEnrollments)
export class ListEnrollmentsHandler implements IQueryHandler<ListEnrollments, EnrollmentList> {
  constructor(private readonly paths: PathReads) {}

  async execute({ filters, actor, whole }: ListEnrollments): Promise<EnrollmentList> {
    if (!whole) return listEnrollments(this.paths.db, filters, actor);
    // The CSV export is the whole list, not the page on screen: read page after page, in the list's order.
    const items: EnrollmentListItem[] = [];
    for (let page = 1; ; page++) {
      const chunk = await listEnrollments(this.paths.db, { ...filters, page, pageSize: EXPORT_PAGE_SIZE }, actor);
      items.push(...chunk.items);
      if (chunk.items.length < EXPORT_PAGE_SIZE) return { total: items.length, items };
    }
  }
}
