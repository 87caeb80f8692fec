import { AuthenticatedActor } from '../../auth/auth.decorators';
import { CommandOutcome } from '../../shared/command-outcome';
import { EnrollmentAct } from '../enrollment-act';

export class ValidateBlocCommand extends EnrollmentAct<CommandOutcome> {
  constructor(
    enrollmentId: string,
    actor: AuthenticatedActor,
    readonly blocCode: string,
  ) {
    super(enrollmentId, actor);
  }
}
