import { AuthenticatedActor } from '../../auth/auth.decorators';
import { CommandOutcome } from '../../shared/command-outcome';
import { EnrollmentAct } from '../enrollment-act';

export class RecordJuryConsentCommand extends EnrollmentAct<CommandOutcome> {
  constructor(
    enrollmentId: string,
    actor: AuthenticatedActor,
    readonly note: string | undefined,
  ) {
    super(enrollmentId, actor);
  }
}
