import { AuthenticatedActor } from '../../auth/auth.decorators';
import { CommandOutcome } from '../../shared/command-outcome';
import { EnrollmentAct } from '../enrollment-act';

export class ChangeApprenticeshipMasterCommand extends EnrollmentAct<CommandOutcome> {
  constructor(
    enrollmentId: string,
    actor: AuthenticatedActor,
    readonly masterId: string,
    readonly company: string,
    readonly reason: string,
  ) {
    super(enrollmentId, actor);
  }
}
