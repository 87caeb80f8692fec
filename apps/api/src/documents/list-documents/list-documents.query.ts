import { Query } from '@nestjs/cqrs';
import { PathDocumentView } from '@jalon/read-models';
import { AuthenticatedActor } from '../../auth/auth.decorators';

/** The documents of an enrollment the actor may see: those issued, then those its holder's erasure left unissued. */
export class ListDocumentsQuery extends Query<PathDocumentView[]> {
  constructor(
    readonly enrollmentId: string,
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}
