import { BlocCorrespondence } from '@jalon/domain';
import { AuthenticatedActor } from '../../auth/auth.decorators';
import { CreatedOutcome } from '../../shared/command-outcome';
import { EnrollmentAct } from '../enrollment-act';

/** Move a path to another certification version, carrying the acquired blocs that correspond. */
export class TransferCommand extends EnrollmentAct<CreatedOutcome> {
  constructor(
    enrollmentId: string,
    actor: AuthenticatedActor,
    readonly toReferentialId: string,
    readonly toVersion: string,
    readonly carriedBlocs: readonly BlocCorrespondence[],
    readonly optionBlocs: readonly string[],
  ) {
    super(enrollmentId, actor);
  }
}
