import { AuthenticatedActor } from '../../auth/auth.decorators';
import { CreatedOutcome } from '../../shared/command-outcome';
import { EnrollmentAct } from '../enrollment-act';

export class ScheduleSittingCommand extends EnrollmentAct<CreatedOutcome> {
  constructor(
    enrollmentId: string,
    actor: AuthenticatedActor,
    readonly epreuveCode: string,
    readonly scheduledAt: string,
    readonly assessorIds: readonly string[],
  ) {
    super(enrollmentId, actor);
  }
}
