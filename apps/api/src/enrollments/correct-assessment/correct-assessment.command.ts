import { AuthenticatedActor } from '../../auth/auth.decorators';
import { CriterionResult } from '@jalon/domain';
import { CreatedOutcome } from '../../shared/command-outcome';
import { EnrollmentAct } from '../enrollment-act';

export class CorrectAssessmentCommand extends EnrollmentAct<CreatedOutcome> {
  constructor(
    enrollmentId: string,
    actor: AuthenticatedActor,
    readonly assessmentId: string,
    readonly results: readonly CriterionResult[],
    readonly reason: string,
  ) {
    super(enrollmentId, actor);
  }
}
