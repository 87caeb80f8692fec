import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import { ValidationError } from '@jalon/domain';
import { parsePosition } from '@jalon/event-store';
import { ProjectionRunner } from '@jalon/projections';

/** How long a query waits for the read models to reach the position it was given. */
export const CONSISTENCY_WAIT_MS = 5000;

/**
 * Read-your-writes: a query given `consistentWith=<position>` (from a command's answer) waits,
 * bounded, until every projection has applied that position; past the bound, or when a projection
 * stopped on an error short of it, it answers 503 rather than stale data. An api that runs no
 * projection (RUN_PROJECTIONS=false) reads the worker's checkpoints from the database, woken by
 * the worker's signal when one moves (ProjectionRunner, `signals`), polled as the safety net.
 */
@Injectable()
export class ReadConsistency {
  constructor(private readonly projections: ProjectionRunner) {}

  async await(consistentWith: string | undefined): Promise<void> {
    if (consistentWith === undefined || consistentWith === '') return;
    const position = parsePosition(consistentWith);
    if (!position)
      throw new ValidationError('QUERY.INVALID_POSITION', `consistentWith must be a position like 1042-5531, not ${consistentWith}`, {
        field: 'consistentWith',
      });
    const wait = await this.projections.waitForPosition(position, CONSISTENCY_WAIT_MS);
    if (wait.outcome === 'timed-out') {
      throw new ServiceUnavailableException({ code: 'READ_MODEL.BEHIND', message: `the read models have not reached ${consistentWith} yet; retry shortly` });
    }
    if (wait.outcome === 'failed') {
      throw new ServiceUnavailableException({
        code: 'READ_MODEL.FAILED',
        message: `the read models ${wait.projections.join(', ')} stopped on an error before ${consistentWith}; they cannot answer for it until rebuilt`,
        projections: wait.projections,
      });
    }
  }
}
