import { AuthenticatedActor } from '../../auth/auth.decorators';
import { AccommodationTerms } from '@jalon/domain';
import { CommandOutcome } from '../../shared/command-outcome';
import { EnrollmentAct } from '../enrollment-act';

export class AmendAccommodationCommand extends EnrollmentAct<CommandOutcome> {
  constructor(
    enrollmentId: string,
    actor: AuthenticatedActor,
    readonly accommodationId: string,
    readonly terms: AccommodationTerms,
    readonly reason: string,
  ) {
    super(enrollmentId, actor);
  }
}
