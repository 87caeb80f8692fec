import { Inject, Injectable } from '@nestjs/common';
import {
  assertMayAccess,
  decideEnrollment,
  ValidationError,
  EnrollmentCommand,
  EnrollmentContext,
  EnrollmentState,
  enrollmentStreamId,
  NotFoundError,
  opensAccommodations,
  Referential,
} from '@jalon/domain';
import { EventStore, RecordedEvent } from '@jalon/event-store';

import { EVENT_STORE, ReferentialResolver, StreamCommandHandlers } from '@jalon/runtime';
import { AuthenticatedActor } from '../auth/auth.decorators';
import { CommandOutcome, CreatedOutcome } from '../shared/command-outcome';

/** Builds the domain command once the clock is read: commands take time as an input. */
export type CommandBuilder = (now: string) => EnrollmentCommand;

/**
 * Runs one enrollment command through the pipeline (load, fold, decide, append with the expected
 * revision). Access is checked against the folded state: an enrollment of another organisation,
 * or another candidate's, answers 404 so its existence does not leak.
 */
@Injectable()
export class EnrollmentCommands {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly referentials: ReferentialResolver,
    private readonly handlers: StreamCommandHandlers,
  ) {}

  /** `asRead`: the stream as the caller read it, decided on at the first attempt (read again on a conflict). */
  async run(enrollmentId: string, actor: AuthenticatedActor, build: CommandBuilder, asRead?: readonly RecordedEvent[]): Promise<CommandOutcome> {
    // Building is pure: the command's type says, before anything is read, whether its decision needs the sealed facts.
    const open = opensAccommodations(build(new Date().toISOString()));
    const result = await this.handlers.enrollments.handle(
      enrollmentId,
      async (state) => {
        const command = build(new Date().toISOString());
        if (state.status !== 'none') assertMayAccess(actor, state);
        return decideEnrollment(command, state, await this.contextFor(command, state));
      },
      { open, organisationId: actor.organisationId, known: asRead },
    );
    return CommandOutcome.of(result.streamId, result);
  }

  /** run, answering also the id of what the command created. */
  async created(
    enrollmentId: string,
    id: string,
    actor: AuthenticatedActor,
    build: CommandBuilder,
    asRead?: readonly RecordedEvent[],
  ): Promise<CreatedOutcome> {
    return { id, ...(await this.run(enrollmentId, actor, build, asRead)) };
  }

  /** Whether the enrollment's stream holds anything (whoever may see it). */
  async exists(enrollmentId: string): Promise<boolean> {
    return (await this.store.readStream(enrollmentStreamId(enrollmentId), { maxCount: 1 })).length > 0;
  }

  /** Only a candidate registered in the actor's organisation can be enrolled (400 otherwise: the body names it). */
  async assertCandidateRegistered(candidateId: string, actor: AuthenticatedActor): Promise<void> {
    // Membership is a clear fact: nothing is opened for it.
    const { state } = await this.handlers.candidates.load(candidateId);
    if (state.status === 'none' || state.organisationId !== actor.organisationId) {
      throw new ValidationError('CANDIDATE.NOT_REGISTERED', `candidate ${candidateId} is not registered in this organisation`, { field: 'candidateId' });
    }
  }

  /** The folded state of an enrollment the actor may see (404 otherwise), its personal data opened. */
  async load(enrollmentId: string, actor: AuthenticatedActor): Promise<Exclude<EnrollmentState, { status: 'none' }>> {
    const { state } = await this.handlers.enrollments.load(enrollmentId, { open: true });
    if (state.status === 'none') throw new NotFoundError('ENROLLMENT.NOT_FOUND', 'no such enrollment');
    assertMayAccess(actor, state);
    return state;
  }

  /**
   * What the decision reads besides the stream: the référentiel version, and for an enrollment on
   * it whether it is withdrawn from new enrollments, asked of the log at each decision (another
   * instance may have withdrawn it a moment ago). The second half of a transfer (EnrollByTransfer)
   * is not asked: its source already says it moved, so it is written whatever happened since, as
   * TransferCompletion writes it; TransferHandler asks before writing either half.
   */
  private async contextFor(command: EnrollmentCommand, state: EnrollmentState): Promise<EnrollmentContext> {
    const referential = await this.referentialFor(command, state);
    if (command.type !== 'Enroll') return { referential };
    const withdrawn = await this.referentials.withdrawal(command.data.referentialId, command.data.version);
    return withdrawn ? { referential, withdrawnFromNewEnrollments: withdrawn } : { referential };
  }

  private referentialFor(command: EnrollmentCommand, state: EnrollmentState): Promise<Referential> {
    if (command.type === 'Enroll' || command.type === 'EnrollByTransfer') return this.referentials.resolve(command.data.referentialId, command.data.version);
    if (state.status === 'none') throw new NotFoundError('ENROLLMENT.NOT_FOUND', 'no such enrollment');
    return this.referentials.resolve(state.referentialId, state.version);
  }
}
