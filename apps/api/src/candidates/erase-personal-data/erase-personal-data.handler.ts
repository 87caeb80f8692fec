import { Inject, ServiceUnavailableException } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';

import { decideCandidate, registeredIn } from '@jalon/domain';
import { EventStore } from '@jalon/event-store';
import { DocumentStorage, documentNumber } from '@jalon/issuance';
import { DataKeys } from '@jalon/privacy';
import { enrollmentsOfCandidate } from '@jalon/read-models';
import { ProjectionRunner } from '@jalon/projections';
import { DOCUMENT_STORAGE, EVENT_STORE, SQL_DB, SqlDb, StreamCommandHandlers } from '@jalon/runtime';
import { CommandOutcome } from '../../shared/command-outcome';
import { ErasePersonalDataCommand } from './erase-personal-data.command';
import { ErasureOutcome } from './erasure-outcome.response.dto';

/** How long an erasure waits for the read models to know every enrollment of the candidate. */
const ENROLLMENTS_WAIT_MS = 10_000;

/**
 * A GDPR erasure (R14, DESIGN.md decision 7): crypto-shredding. The candidate's data key is
 * destroyed, so every sealed field of every event (identity, accommodations, notes) becomes
 * unreadable for good, in every copy of the log; the documents' files, which print the name, are
 * deleted; the erasure itself is recorded. Decisions, blocs and the documents' existence stand.
 * Each step can be run again, so a failed erasure is finished by retrying it.
 */
@CommandHandler(ErasePersonalDataCommand)
export class ErasePersonalDataHandler implements ICommandHandler<ErasePersonalDataCommand, ErasureOutcome> {
  constructor(
    @Inject(SQL_DB) private readonly db: SqlDb,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(DOCUMENT_STORAGE) private readonly documents: DocumentStorage,
    private readonly keys: DataKeys,
    private readonly projections: ProjectionRunner,
    private readonly handlers: StreamCommandHandlers,
  ) {}

  async execute({ candidateId, actor }: ErasePersonalDataCommand): Promise<ErasureOutcome> {
    registeredIn((await this.handlers.candidates.load(candidateId)).state, actor.organisationId);
    const enrollments = await this.enrollmentsOf(candidateId);

    await this.keys.destroy(candidateId);
    let documentFilesRemoved = 0;
    for (const enrollmentId of enrollments) {
      for (const number of await this.documentNumbersOf(enrollmentId)) {
        if (await this.documents.remove(number)) documentFilesRemoved += 1;
      }
    }
    // The key is gone: the record of the erasure decides on the sealed identity, and carries no personal data.
    const result = await this.handlers.candidates.handle(
      candidateId,
      (state) => decideCandidate({ type: 'RecordPersonalDataErased', data: { by: { id: actor.id, role: actor.role }, now: new Date().toISOString() } }, state),
      { organisationId: actor.organisationId },
    );
    return { candidateId, enrollments, documentFilesRemoved, ...CommandOutcome.of(result.streamId, result) };
  }

  /** Every enrollment of the candidate, once the read models have caught up with the log (else 503, nothing erased). */
  private async enrollmentsOf(candidateId: string): Promise<string[]> {
    const wait = await this.projections.waitForPosition(await this.store.headPosition(), ENROLLMENTS_WAIT_MS);
    if (wait.outcome === 'timed-out') {
      throw new ServiceUnavailableException({
        code: 'READ_MODEL.BEHIND',
        message: 'the read models are behind the log, so the candidate’s enrollments cannot all be found yet; nothing was erased, retry shortly',
      });
    }
    // A read model stopped on an error may lack an enrollment of the candidate: erasing now could miss it.
    if (wait.outcome === 'failed') {
      throw new ServiceUnavailableException({
        code: 'READ_MODEL.FAILED',
        message: `the read models ${wait.projections.join(', ')} stopped on an error; nothing was erased: rebuild them, then retry`,
        projections: wait.projections,
      });
    }
    return enrollmentsOfCandidate(this.db, candidateId);
  }

  /**
   * The numbers of every document of the enrollment, issued or about to be: numbers derive from
   * the decisions, so a document a worker is writing right now is found too.
   */
  private async documentNumbersOf(enrollmentId: string): Promise<string[]> {
    const { recorded, state } = await this.handlers.enrollments.load(enrollmentId);
    const numbers = new Set<string>();
    for (const event of recorded) {
      if (event.type === 'BlocValidated') numbers.add(documentNumber('attestation', event.id));
      if (event.type === 'CertificationAwarded') numbers.add(documentNumber('certificate', event.id));
    }
    if (state.status !== 'none') Object.keys(state.documents).forEach((number) => numbers.add(number));
    return [...numbers];
  }
}
