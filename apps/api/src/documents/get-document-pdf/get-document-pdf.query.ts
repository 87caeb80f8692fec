import { Query } from '@nestjs/cqrs';
import { AuthenticatedActor } from '../../auth/auth.decorators';

/** The PDF as issued; a revoked document is rendered again with its revocation printed on it. */
export class GetDocumentPdfQuery extends Query<{ bytes: Buffer; revoked: boolean }> {
  constructor(
    readonly enrollmentId: string,
    readonly number: string,
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}
