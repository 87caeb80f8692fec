import { AuthenticatedActor } from '../../auth/auth.decorators';
import { AnnulmentReason } from '@jalon/domain';
import { CommandOutcome } from '../../shared/command-outcome';
import { EnrollmentAct } from '../enrollment-act';

export class AnnulBlocCommand extends EnrollmentAct<CommandOutcome> {
  constructor(
    enrollmentId: string,
    actor: AuthenticatedActor,
    readonly blocCode: string,
    readonly reason: AnnulmentReason,
    readonly details: string,
  ) {
    super(enrollmentId, actor);
  }
}
