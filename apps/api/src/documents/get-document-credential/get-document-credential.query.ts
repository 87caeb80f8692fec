import { Query } from '@nestjs/cqrs';
import { AuthenticatedActor } from '../../auth/auth.decorators';

/** The Open Badges credential as issued (a revoked one says so in a header, its revocation in the status list of the verification). */
export class GetDocumentCredentialQuery extends Query<{ jwt: string; revoked: boolean }> {
  constructor(
    readonly enrollmentId: string,
    readonly number: string,
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}
