import { AuthenticatedActor } from '../../auth/auth.decorators';
import { CommandOutcome } from '../../shared/command-outcome';
import { EnrollmentAct } from '../enrollment-act';

export class ValidateExtraRequirementCommand extends EnrollmentAct<CommandOutcome> {
  constructor(
    enrollmentId: string,
    actor: AuthenticatedActor,
    readonly requirementCode: string,
  ) {
    super(enrollmentId, actor);
  }
}
