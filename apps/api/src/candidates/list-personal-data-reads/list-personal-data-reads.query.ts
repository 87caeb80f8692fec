import { Query } from '@nestjs/cqrs';
import { PersonalDataReadLog } from '@jalon/privacy';
import { AuthenticatedActor } from '../../auth/auth.decorators';

/** One recorded read, as the log answers it. */
export type PersonalDataReadEntry = Awaited<ReturnType<PersonalDataReadLog['of']>>[number];

/** Who read a candidate's personal data, when, through which view (never the values): the DPO for their organisation, auditors for any. */
export class ListPersonalDataReadsQuery extends Query<PersonalDataReadEntry[]> {
  constructor(
    readonly candidateId: string,
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}
