import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import { ValidationError } from '@jalon/domain';
import { parsePosition } from '@jalon/event-store';
import { ProjectionRunner } from '@jalon/projections';

/** How long a query waits for the read models to reach the position it was given. */
export const CONSISTENCY_WAIT_MS = 5000;

/**
 * Read-your-writes: a query given `consistentWith=<position>` (from a command's answer) waits,
 * bounded, until every projection has applied that position; past the bound it answers 503
 * rather than stale data.
 */
@Injectable()
export class ReadConsistency {
  constructor(private readonly projections: ProjectionRunner) {}

  async await(consistentWith: string | undefined): Promise<void> {
    if (consistentWith === undefined || consistentWith === '') return;
    const position = parsePosition(consistentWith);
    if (!position) throw new ValidationError('QUERY.INVALID_POSITION', `consistentWith must be a position like 1042-5531, not ${consistentWith}`, { field: 'consistentWith' });
    if (!(await this.projections.waitUntilReached(position, CONSISTENCY_WAIT_MS))) {
      throw new ServiceUnavailableException({ code: 'READ_MODEL.BEHIND', message: `the read models have not reached ${consistentWith} yet; retry shortly` });
    }
  }
}
