import { Command } from '@nestjs/cqrs';
import { AccessRoute, EnrollmentParticulars } from '@jalon/domain';
import { RecordedEvent } from '@jalon/event-store';
import { AuthenticatedActor } from '../../auth/auth.decorators';
import { CreatedOutcome } from '../../shared/command-outcome';
import { EnrollRequest } from './enroll.request.dto';

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
    /** The enrollment's stream as the caller read it (a cohort import): decided on at once, read again on a conflict. */
    readonly asRead?: readonly RecordedEvent[],
  ) {
    super();
  }
}

/** The act an EnrollRequest asks for: what the route sends on the bus, and what each row of a cohort import enrolls. */
export function enrollCommandOf(actor: AuthenticatedActor, body: EnrollRequest, asRead?: readonly RecordedEvent[]): EnrollCommand {
  return new EnrollCommand(
    actor,
    body.candidateId,
    body.referentialId,
    body.version,
    body.cohort,
    body.accessRoute,
    body.optionBlocs ?? [],
    {
      ...(body.apprenticeship ? { apprenticeship: { masterId: body.apprenticeship.masterId, company: body.apprenticeship.company } } : {}),
      ...(body.trainingStartDate ? { trainingStartDate: body.trainingStartDate } : {}),
      ...(body.registrationInitiative ? { registrationInitiative: body.registrationInitiative } : {}),
      ...(body.vaeVoie ? { vaeVoie: body.vaeVoie } : {}),
    },
    asRead,
  );
}
