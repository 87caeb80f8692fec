import { AuthenticatedActor } from '../../auth/auth.decorators';
import { AccommodationTerms } from '@jalon/domain';
import { CreatedOutcome } from '../../shared/command-outcome';
import { EnrollmentAct } from '../enrollment-act';

export class GrantAccommodationCommand extends EnrollmentAct<CreatedOutcome> {
  constructor(
    enrollmentId: string,
    actor: AuthenticatedActor,
    readonly terms: AccommodationTerms,
  ) {
    super(enrollmentId, actor);
  }
}
