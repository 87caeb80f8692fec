import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { NotFoundError } from '@jalon/domain';
import { SQL_DB, SqlDb } from '@jalon/runtime';
import { AuthenticatedActor } from '../../auth/auth.decorators';
import { SheetFormat } from '../cohort-sheet/read-cohort-sheet';
import { CohortImportReport, CohortImports, emptyCounts, ImportCounts, RowReport } from './cohort-import.service';

export type ImportJobStatus = 'running' | 'done' | 'failed' | 'interrupted';

export interface ImportJobView {
  readonly id: string;
  readonly status: ImportJobStatus;
  readonly dryRun: boolean;
  readonly total: number;
  readonly processed: number;
  readonly counts: ImportCounts;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly error: string | null;
  /** Once done. */
  readonly report: CohortImportReport | null;
}

interface ImportRow {
  id: string;
  organisation_id: string;
  dry_run: boolean;
  status: 'running' | 'done' | 'failed';
  total: number;
  processed: number;
  counts: ImportCounts;
  report: CohortImportReport | null;
  error: string | null;
  created_at: Date | string;
  updated_at: Date | string;
  finished_at: Date | string | null;
  stale: boolean;
}

/** How often a running job writes where it stands (its progress, and that its process lives). */
const PROGRESS_EVERY_MS = 500;
/** A running job not heard of for this long died with its process: it is reported interrupted. */
const INTERRUPTED_AFTER_SECONDS = 60;
/** How long the names of a job's rows stay in this process's memory, for its report. */
const NAMES_KEPT_MS = 3_600_000;

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

/**
 * Large cohort files are imported as jobs of the api process that received them, recorded in
 * PostgreSQL (`cohort_imports`): any api process answers where a job stands and, once done, its
 * report. Not a BullMQ job: the file is personal data in clear, which never goes to Redis (job
 * payloads carry ids only), and it lives in the memory of the process it was uploaded to. A job
 * whose process died is reported interrupted: importing the file again goes on where it stopped,
 * the rows already imported being found by their ids. The stored report holds no names; the
 * process that ran the job adds them from its memory for an hour.
 */
@Injectable()
export class CohortImportJobs implements BeforeApplicationShutdown {
  private readonly logger = new Logger('CohortImportJobs');
  private readonly running = new Map<string, Promise<void>>();
  private readonly names = new Map<string, { readonly names: readonly (string | undefined)[]; readonly until: number }>();
  private stopping = false;

  constructor(
    @Inject(SQL_DB) private readonly db: SqlDb,
    private readonly imports: CohortImports,
  ) {}

  /** Records the job and starts it; answers its id at once. */
  async start(actor: AuthenticatedActor, input: Readable, format: SheetFormat, total: number, dryRun: boolean): Promise<string> {
    const id = randomUUID();
    await sql`INSERT INTO cohort_imports (id, organisation_id, requested_by, dry_run, status, total, counts)
              VALUES (${id}, ${actor.organisationId}, ${actor.id}, ${dryRun}, 'running', ${total}, ${JSON.stringify(emptyCounts())}::jsonb)`.execute(this.db);
    const job = this.process(id, actor, input, format, dryRun).finally(() => this.running.delete(id));
    this.running.set(id, job);
    return id;
  }

  /** The job once it is over (a small file's import, answered in the request). */
  async finished(id: string, actor: AuthenticatedActor): Promise<ImportJobView> {
    await this.running.get(id);
    return this.get(id, actor);
  }

  private async process(id: string, actor: AuthenticatedActor, input: Readable, format: SheetFormat, dryRun: boolean): Promise<void> {
    let last = 0;
    let writing: Promise<unknown> = Promise.resolve();
    try {
      const report = await this.imports.run(input, format, {
        actor,
        dryRun,
        stopped: () => this.stopping,
        onProgress: (processed, counts) => {
          const now = Date.now();
          if (now - last < PROGRESS_EVERY_MS) return;
          last = now;
          const snapshot = JSON.stringify(counts);
          writing = writing.then(() =>
            sql`UPDATE cohort_imports SET processed = ${processed}, counts = ${snapshot}::jsonb, updated_at = clock_timestamp()
                WHERE id = ${id} AND status = 'running'`
              .execute(this.db)
              .catch(() => undefined),
          );
        },
      });
      await writing;
      this.names.set(id, { names: report.rows.map((r) => r.name), until: Date.now() + NAMES_KEPT_MS });
      const stored: CohortImportReport = { ...report, rows: report.rows.map(({ name: _name, ...row }) => row) };
      await sql`UPDATE cohort_imports SET status = 'done', processed = ${report.total}, counts = ${JSON.stringify(report.counts)}::jsonb,
                report = ${JSON.stringify(stored)}::jsonb, updated_at = clock_timestamp(), finished_at = clock_timestamp() WHERE id = ${id}`.execute(this.db);
    } catch (error) {
      await writing;
      const message = (error instanceof Error ? error.message : String(error)).split('\n')[0];
      this.logger.warn(`cohort import ${id} failed: ${message}`);
      await sql`UPDATE cohort_imports SET status = 'failed', error = ${message}, updated_at = clock_timestamp(), finished_at = clock_timestamp() WHERE id = ${id}`
        .execute(this.db)
        .catch(() => undefined);
    }
  }

  /** Where a job of the caller's organisation stands (404 for another organisation's, as if it did not exist). */
  async get(id: string, actor: AuthenticatedActor): Promise<ImportJobView> {
    const { rows } = await sql<ImportRow>`
      SELECT *, (status = 'running' AND updated_at < clock_timestamp() - make_interval(secs => ${INTERRUPTED_AFTER_SECONDS})) AS stale
      FROM cohort_imports WHERE id = ${id} AND organisation_id = ${actor.organisationId}`.execute(this.db);
    const row = rows[0];
    if (!row) throw new NotFoundError('IMPORT.NOT_FOUND', 'no such import in this organisation');
    return {
      id: row.id,
      status: row.stale ? 'interrupted' : row.status,
      dryRun: row.dry_run,
      total: row.total,
      processed: row.processed,
      counts: row.counts,
      startedAt: iso(row.created_at)!,
      finishedAt: iso(row.finished_at),
      error: row.stale ? 'the process running the import stopped: import the file again (the rows already imported are skipped)' : row.error,
      report: row.report && { ...row.report, rows: this.withNames(id, row.report.rows) },
    };
  }

  private withNames(id: string, rows: readonly RowReport[]): RowReport[] {
    const kept = this.names.get(id);
    if (kept && kept.until < Date.now()) this.names.delete(id);
    if (!kept || kept.until < Date.now()) return [...rows];
    return rows.map((row, i) => (kept.names[i] ? { ...row, name: kept.names[i] } : row));
  }

  /** Jobs running stop between rows, and record it, before the database closes. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.running.values());
  }
}
