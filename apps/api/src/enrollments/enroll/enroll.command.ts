import { Command } from '@nestjs/cqrs';
import { AccessRoute, EnrollmentParticulars } from '@jalon/domain';
import { AuthenticatedActor } from '../../auth/auth.decorators';
import { CreatedOutcome } from '../../shared/command-outcome';

/** Enroll a registered candidate of the caller's organisation in a certification version. */
export class EnrollCommand extends Command<CreatedOutcome> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly candidateId: string,
    readonly referentialId: string,
    readonly version: string,
    readonly cohort: string,
    readonly accessRoute: AccessRoute,
    readonly optionBlocs: readonly string[],
    readonly particulars: EnrollmentParticulars = {},
  ) {
    super();
  }
}
