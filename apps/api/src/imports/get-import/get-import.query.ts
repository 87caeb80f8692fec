import { Query } from '@nestjs/cqrs';
import { AuthenticatedActor } from '../../auth/auth.decorators';
import { ImportJobView } from '../import-cohort/cohort-import-jobs';

/** Where an import of the caller's organisation stands; once done, its report. */
export class GetImportQuery extends Query<ImportJobView> {
  constructor(
    readonly importId: string,
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}
