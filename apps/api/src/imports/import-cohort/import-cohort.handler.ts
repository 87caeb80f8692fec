import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Readable } from 'node:stream';
import { DomainError, ValidationError } from '@jalon/domain';
import { countCohortRows, sheetFormatOf } from '../cohort-sheet/read-cohort-sheet';
import { CohortImportJobs, ImportJobView } from './cohort-import-jobs';
import { ImportCohortCommand } from './import-cohort.command';

/** Files of more rows than this are imported as a job, answered at once with its progress. */
export const ROWS_ANSWERED_AT_ONCE = 500;

@CommandHandler(ImportCohortCommand)
export class ImportCohortHandler implements ICommandHandler<ImportCohortCommand, ImportJobView> {
  constructor(private readonly jobs: CohortImportJobs) {}

  async execute({ actor, file, dryRun }: ImportCohortCommand): Promise<ImportJobView> {
    if (!file || file.bytes.length === 0)
      throw new ValidationError('IMPORT.FILE_REQUIRED', 'send the cohort file as multipart/form-data, in the field `file`', { field: 'file' });
    const format = sheetFormatOf(file.name, file.bytes);
    if (!format) throw new ValidationError('IMPORT.UNSUPPORTED_FORMAT', 'the file must be a CSV or an XLSX file', { field: 'file' });
    const open = () => Readable.from([file.bytes]);
    let total: number;
    // A first pass reads the whole file: a file that cannot be read, or whose headers are not the column set, changes nothing.
    try {
      total = await countCohortRows(open(), format);
    } catch (error) {
      if (error instanceof DomainError) throw error;
      const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
      throw new ValidationError('IMPORT.UNREADABLE_FILE', `the file cannot be read as ${format.toUpperCase()}: ${reason}`, { field: 'file' });
    }
    const id = await this.jobs.start(actor, open(), format, total, dryRun);
    if (total > ROWS_ANSWERED_AT_ONCE) return this.jobs.get(id, actor);
    return this.jobs.finished(id, actor);
  }
}
