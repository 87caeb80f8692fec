import { AuthenticatedActor } from '../../auth/auth.decorators';
import { CommandOutcome } from '../../shared/command-outcome';
import { EnrollmentAct } from '../enrollment-act';

export class RecordFinalDecisionCommand extends EnrollmentAct<CommandOutcome> {
  constructor(
    enrollmentId: string,
    actor: AuthenticatedActor,
    readonly decision: 'awarded' | 'refused' | 'deferred',
    readonly place: string,
    readonly reason: string | undefined,
  ) {
    super(enrollmentId, actor);
  }
}
