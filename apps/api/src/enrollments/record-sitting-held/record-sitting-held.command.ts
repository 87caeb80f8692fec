import { AuthenticatedActor } from '../../auth/auth.decorators';
import { SittingMode, TimedPartConditions } from '@jalon/domain';
import { CommandOutcome } from '../../shared/command-outcome';
import { EnrollmentAct } from '../enrollment-act';

export class RecordSittingHeldCommand extends EnrollmentAct<CommandOutcome> {
  constructor(
    enrollmentId: string,
    actor: AuthenticatedActor,
    readonly sittingId: string,
    readonly heldAt: string,
    readonly timedParts: readonly TimedPartConditions[],
    readonly accommodationsApplied: readonly string[],
    readonly mode?: SittingMode,
  ) {
    super(enrollmentId, actor);
  }
}
