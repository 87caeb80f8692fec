import { AuthenticatedActor } from '../../auth/auth.decorators';
import { CriterionResult } from '@jalon/domain';
import { CreatedOutcome } from '../../shared/command-outcome';
import { EnrollmentAct } from '../enrollment-act';

export class RecordAssessmentCommand extends EnrollmentAct<CreatedOutcome> {
  constructor(
    enrollmentId: string,
    actor: AuthenticatedActor,
    readonly sittingId: string,
    readonly results: readonly CriterionResult[],
  ) {
    super(enrollmentId, actor);
  }
}
