import { Command } from '@nestjs/cqrs';
import { AuthenticatedActor } from '../../auth/auth.decorators';
import { ImportJobView } from './cohort-import-jobs';

/** The file as uploaded: its name (for its format) and its bytes. */
export interface UploadedSheet {
  readonly name?: string;
  readonly bytes: Buffer;
}

/** Import (or, in a dry run, check) a cohort file into the caller's organisation. */
export class ImportCohortCommand extends Command<ImportJobView> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly file: UploadedSheet | undefined,
    readonly dryRun: boolean,
  ) {
    super();
  }
}
