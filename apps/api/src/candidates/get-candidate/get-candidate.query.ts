import { Query } from '@nestjs/cqrs';
import { CandidateIdentity, Protected } from '@jalon/domain';
import { AuthenticatedActor } from '../../auth/auth.decorators';

export interface CandidateAnswer {
  readonly candidateId: string;
  readonly organisationId: string;
  readonly identity: Protected<CandidateIdentity>;
  readonly erasedAt?: string;
}

/** A candidate's identity, for their organisation's admins and themselves; each read is recorded (R14). */
export class GetCandidateQuery extends Query<CandidateAnswer> {
  constructor(
    readonly candidateId: string,
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}
