import { Query } from '@nestjs/cqrs';
import { SigningAlgorithm } from '@jalon/issuance';
import { AuthenticatedActor } from '../../auth/auth.decorators';

/**
 * The Open Badges credential (a revoked one says so in a header, its revocation in the status list of
 * the verification): RS256 the one issued and stored, ES256 the same payload signed now with the
 * issuer's P-256 key (never stored: ECDSA signatures are randomised).
 */
export class GetDocumentCredentialQuery extends Query<{ jwt: string; revoked: boolean }> {
  constructor(
    readonly enrollmentId: string,
    readonly number: string,
    readonly actor: AuthenticatedActor,
    readonly alg: SigningAlgorithm = 'RS256',
  ) {
    super();
  }
}
