import { AuthenticatedActor } from '../../auth/auth.decorators';
import { CommandOutcome } from '../../shared/command-outcome';
import { EnrollmentAct } from '../enrollment-act';

export class ChooseOptionCommand extends EnrollmentAct<CommandOutcome> {
  constructor(
    enrollmentId: string,
    actor: AuthenticatedActor,
    readonly optionBlocs: readonly string[],
  ) {
    super(enrollmentId, actor);
  }
}
