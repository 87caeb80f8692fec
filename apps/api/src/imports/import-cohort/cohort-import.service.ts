import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Readable } from 'node:stream';
import { CandidateIdentity, decideCandidate, decideEnrollment, DomainError, enrollmentDecider } from '@jalon/domain';
import { newId, withDerivedIds } from '@jalon/event-store';
import { ReferentialResolver, StreamCommandHandlers } from '@jalon/runtime';
import { AuthenticatedActor } from '../../auth/auth.decorators';
import { RegisterCandidateCommand } from '../../candidates/register-candidate/register-candidate.command';
import { registrationOf } from '../../candidates/register-candidate/register-candidate.handler';
import { identityFieldsOf } from '../../candidates/register-candidate/register-candidate.request.dto';
import { enrollCommandOf } from '../../enrollments/enroll/enroll.command';
import { enrollmentCommandOf } from '../../enrollments/enroll/enroll.handler';
import { readCohortSheet, SheetFormat, SheetRow } from '../cohort-sheet/read-cohort-sheet';
import { checkRequests, decisionReason, headerOf, nameOf, rowReason, RowReason } from './cohort-row';

/**
 * What became of a row: imported (its candidate registered and enrolled now), already imported
 * (by an earlier import of its candidate number), refused (nothing written, the reasons say why),
 * incomplete (its candidate registered, its enrollment not: importing the file again completes it);
 * in a dry run, to import (it would be imported) instead of imported.
 */
export const ROW_STATUSES = ['imported', 'already-imported', 'refused', 'incomplete', 'to-import'] as const;
export type RowStatus = (typeof ROW_STATUSES)[number];

export interface RowReport {
  /** The row's line in the file (the headers on line 1). */
  readonly row: number;
  readonly candidateNumber: string;
  /** The first name and birth name as the file has them; absent from a report read back from the database. */
  readonly name?: string;
  readonly status: RowStatus;
  /** Imported (or to import) by completing a row whose candidate an earlier import registered without enrolling. */
  readonly completed?: boolean;
  readonly candidateId?: string;
  readonly enrollmentId?: string;
  readonly reasons: readonly RowReason[];
}

export type ImportCounts = Record<RowStatus, number>;

export interface CohortImportReport {
  readonly dryRun: boolean;
  readonly total: number;
  readonly counts: ImportCounts;
  /** In the file's order. */
  readonly rows: readonly RowReport[];
}

export interface ImportOptions {
  readonly actor: AuthenticatedActor;
  readonly dryRun: boolean;
  /** Called as rows are done (not after each one: see the runner). */
  readonly onProgress?: (processed: number, counts: ImportCounts) => void;
  /** Rows checked and written at once (8): each row's two writes stay in order. */
  readonly concurrency?: number;
  /** Asked between rows: true stops reading the file (the service is stopping). */
  readonly stopped?: () => boolean;
}

export const emptyCounts = (): ImportCounts => ({ imported: 0, 'already-imported': 0, refused: 0, incomplete: 0, 'to-import': 0 });

/** The ids of a row's candidate and enrollment, derived from the organisation and the school's candidate number. */
export const rowSeed = (organisationId: string, candidateNumber: string): string => `cohort-import\n${organisationId}\n${candidateNumber}`;

/**
 * Imports a cohort file row by row, each row by the api's own rules and acts:
 *
 * - its cells become the bodies of POST /candidates and POST /enrollments, checked by those
 *   routes' request classes (class-validator), then both acts are decided (decideCandidate,
 *   decideEnrollment with the référentiel version and its withdrawal) before anything is written:
 *   a row either of them refuses writes nothing;
 * - then the two acts go on the command bus, to the very handlers the routes use, within ids
 *   derived from (organisation, candidate number) as an Idempotency-Key derives them
 *   (withDerivedIds): the candidate and the enrollment of a row have the same ids at every
 *   import, so a row imported before is found (« déjà importé ») and a row whose enrollment
 *   write failed after its registration is completed by the next import, appending nothing twice.
 *
 * A bad row never stops the others. The file is streamed; the report keeps one small entry per row.
 */
@Injectable()
export class CohortImports {
  constructor(
    private readonly commands: CommandBus,
    private readonly handlers: StreamCommandHandlers,
    private readonly referentials: ReferentialResolver,
  ) {}

  async run(input: Readable, format: SheetFormat, options: ImportOptions): Promise<CohortImportReport> {
    const concurrency = options.concurrency ?? 8;
    const rows: RowReport[] = [];
    const counts = emptyCounts();
    const seen = new Map<string, number>();
    const running = new Set<Promise<void>>();
    const withdrawals = memo<Withdrawal>();
    const done = (report: RowReport) => {
      rows.push(report);
      counts[report.status]++;
      options.onProgress?.(rows.length, counts);
    };
    for await (const row of readCohortSheet(input, format)) {
      if (options.stopped?.()) throw new ImportStoppedError();
      const number = row.cells.candidateNumber?.trim() ?? '';
      const first = seen.get(number);
      // The key is checked in the file's order, before any row runs: the first of two rows with one number is the one imported.
      if (number === '') {
        done(refused(row, number, [rowReason('obligatoire : la clé de la ligne', headerOf('candidateNumber'))]));
        continue;
      }
      if (first !== undefined) {
        done(refused(row, number, [rowReason(`N° candidat en double dans le fichier (déjà ligne ${first})`, headerOf('candidateNumber'))]));
        continue;
      }
      seen.set(number, row.line);
      const task = this.importRow(row, number, options, withdrawals)
        .catch((error: unknown) => refused(row, number, [rowReason(`erreur du service : ${messageOf(error)} ; réimportez le fichier`)]))
        .then(done);
      const tracked = task.finally(() => running.delete(tracked));
      running.add(tracked);
      if (running.size >= concurrency) await Promise.race(running);
    }
    await Promise.all(running);
    rows.sort((a, b) => a.row - b.row);
    return { dryRun: options.dryRun, total: rows.length, counts, rows };
  }

  /** One row: checked, both acts decided, then (unless a dry run) written, registration first. */
  private importRow(row: SheetRow, number: string, { actor, dryRun }: ImportOptions, withdrawals: Memo<Withdrawal>): Promise<RowReport> {
    return withDerivedIds(rowSeed(actor.organisationId, number), async (): Promise<RowReport> => {
      const candidateId = newId('candidate');
      const enrollmentId = newId('enrollment');
      const base = { row: row.line, candidateNumber: number, name: nameOf(row.cells) };
      const candidate = await this.handlers.candidates.load(candidateId);
      // The enrollment is written after its candidate: a row whose candidate is not there has no enrollment either.
      const enrollment =
        candidate.state.status === 'none' ? { state: enrollmentDecider.initialState(), recorded: [] } : await this.handlers.enrollments.load(enrollmentId);
      if (enrollment.state.status !== 'none') return { ...base, status: 'already-imported', candidateId, enrollmentId, reasons: [] };
      const checked = await checkRequests(row.cells, candidateId);
      if ('reasons' in checked) return { ...base, status: 'refused', reasons: checked.reasons };
      // Both acts decide on the streams as read here (a write in between is a conflict, and they read again): no second read of each.
      const registration = new RegisterCandidateCommand(actor, identityFieldsOf(checked.requests.register) as CandidateIdentity, candidate.recorded);
      const enrolling = enrollCommandOf(actor, checked.requests.enroll, enrollment.recorded);
      const registered = candidate.state.status !== 'none';
      // Both decisions first, on what the streams hold now: a row refused by either writes nothing.
      const now = new Date().toISOString();
      const reasons: RowReason[] = [];
      if (!registered) reasons.push(...refusalOf(() => decideCandidate(registrationOf(registration, candidateId, now), candidate.state)));
      try {
        const { referentialId, version } = enrolling;
        const referential = await this.referentials.resolve(referentialId, version);
        // Asked once per version and import here; the Enroll handler asks the log again as it writes.
        const withdrawn = await withdrawals(`${referentialId}@${version}`, () => this.referentials.withdrawal(referentialId, version));
        const context = withdrawn ? { referential, withdrawnFromNewEnrollments: withdrawn } : { referential };
        reasons.push(...refusalOf(() => decideEnrollment(enrollmentCommandOf(enrolling, enrollmentId, now), enrollment.state, context)));
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        reasons.push(decisionReason(error));
      }
      if (reasons.length > 0) return { ...base, status: 'refused', reasons };
      const completed = registered ? { completed: true } : {};
      if (dryRun) return { ...base, status: 'to-import', ...completed, candidateId, enrollmentId, reasons: [] };
      let written = registered;
      try {
        // The very acts of POST /candidates and POST /enrollments, under the row's derived ids.
        if (!written) await this.commands.execute(registration);
        written = true;
        await this.commands.execute(enrolling);
        return { ...base, status: 'imported', ...completed, candidateId, enrollmentId, reasons: [] };
      } catch (error) {
        const reason = error instanceof DomainError ? decisionReason(error) : rowReason(`erreur du service : ${messageOf(error)}`);
        if (!written) return { ...base, status: 'refused', reasons: [reason] };
        return {
          ...base,
          status: 'incomplete',
          candidateId,
          reasons: [reason, rowReason('le candidat est enregistré, son inscription ne l’est pas : réimportez le fichier pour la compléter')],
        };
      }
    });
  }
}

/** The service is stopping: the import stops between rows (importing the file again goes on where it stopped). */
export class ImportStoppedError extends Error {
  constructor() {
    super('the service stopped during the import: import the file again (the rows already imported are skipped)');
  }
}

type Withdrawal = { readonly at: string; readonly reason: string } | undefined;
type Memo<T> = (key: string, compute: () => Promise<T>) => Promise<T>;

/** Each key's answer asked once (a failed one asked again). */
function memo<T>(): Memo<T> {
  const answers = new Map<string, Promise<T>>();
  return (key, compute) => {
    let answer = answers.get(key);
    if (!answer) {
      answer = compute();
      answers.set(key, answer);
      answer.catch(() => answers.delete(key));
    }
    return answer;
  };
}

function refusalOf(decide: () => unknown): RowReason[] {
  try {
    decide();
    return [];
  } catch (error) {
    if (error instanceof DomainError) return [decisionReason(error)];
    throw error;
  }
}

const refused = (row: SheetRow, number: string, reasons: RowReason[]): RowReport => ({
  row: row.line,
  candidateNumber: number,
  name: nameOf(row.cells),
  status: 'refused',
  reasons,
});

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0];
