import { AuthenticatedActor } from '../../auth/auth.decorators';
import { CommandOutcome } from '../../shared/command-outcome';
import { EnrollmentAct } from '../enrollment-act';

export class EndAccommodationCommand extends EnrollmentAct<CommandOutcome> {
  constructor(
    enrollmentId: string,
    actor: AuthenticatedActor,
    readonly accommodationId: string,
    readonly reason: string,
  ) {
    super(enrollmentId, actor);
  }
}
