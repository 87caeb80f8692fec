import { Query } from '@nestjs/cqrs';
import { AuthenticatedActor } from '../../auth/auth.decorators';
import { CertifierView } from '../accrochage.responses.dto';

/** The certifiers the caller's organisation declares for. */
export class ListCertifiersQuery extends Query<CertifierView[]> {
  constructor(readonly actor: AuthenticatedActor) {
    super();
  }
}
