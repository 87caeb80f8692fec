import { CandidateEvent, candidateDecider, CandidateState, EnrollmentEvent, enrollmentDecider, EnrollmentState } from '@jalon/domain';
import { EventStore, fromRecorded, RecordedEvent, StreamCommandHandler, StreamCommandHandlerOptions } from '@jalon/event-store';
import { PersonalDataVault } from './personal-data-vault';

/**
 * What handleCommand needs to decide on open personal data and to store it sealed: every
 * command on an enrollment or candidate stream goes through these, so no path writes plaintext.
 * `open: false` for decisions that need none of the facts: they decide on the sealed markers.
 */
export function enrollmentCodec(vault: PersonalDataVault, options: { open: boolean } = { open: true }) {
  return {
    // Least privilege: a decision that does not need the facts decides on them sealed.
    ...(options.open ? { decode: (recorded: readonly RecordedEvent[]) => vault.open(recorded.map((r) => fromRecorded<EnrollmentEvent>(r))) } : {}),
    encode: (events: readonly EnrollmentEvent[], state: EnrollmentState) =>
      vault.seal(events, state.status !== 'none' ? state.candidateId : candidateOfFirst(events)),
  };
}

export function candidateCodec(vault: PersonalDataVault, options: { open: boolean } = { open: true }) {
  return {
    ...(options.open ? { decode: (recorded: readonly RecordedEvent[]) => vault.open(recorded.map((r) => fromRecorded<CandidateEvent>(r))) } : {}),
    encode: (events: readonly CandidateEvent[], state: CandidateState) =>
      state.status !== 'none' ? vault.seal(events, state.candidateId) : vault.seal(events, candidateOfFirst(events), { fresh: true }),
  };
}

type WriterOptions<S, E> = Omit<StreamCommandHandlerOptions<S, E>, 'codec'>;

/** Every write to an enrollment stream: its personal data sealed on the way in, opened only for the decisions that declare it. */
export function enrollmentCommandHandler(store: EventStore, vault: PersonalDataVault, options: WriterOptions<EnrollmentState, EnrollmentEvent> = {}) {
  return new StreamCommandHandler<EnrollmentState, EnrollmentEvent>(store, enrollmentDecider, {
    ...options,
    codec: (open) => enrollmentCodec(vault, { open }),
  });
}

/** Every write to a candidate stream: the identity sealed on the way in, opened only when asked. */
export function candidateCommandHandler(store: EventStore, vault: PersonalDataVault, options: WriterOptions<CandidateState, CandidateEvent> = {}) {
  return new StreamCommandHandler<CandidateState, CandidateEvent>(store, candidateDecider, { ...options, codec: (open) => candidateCodec(vault, { open }) });
}

/** A stream read and opened: the stored events (ids, positions) and their domain form. */
export async function readOpened<E extends { type: string; data: unknown }>(
  store: EventStore,
  vault: PersonalDataVault,
  streamId: string,
): Promise<{ recorded: RecordedEvent[]; events: E[] }> {
  const recorded = await store.readStream(streamId);
  return { recorded, events: await vault.open(recorded.map((r) => fromRecorded<E>(r))) };
}

function candidateOfFirst(events: readonly { data: unknown }[]): string {
  const candidateId = (events[0]?.data as { candidateId?: string } | undefined)?.candidateId;
  if (!candidateId) throw new Error('a new stream’s first event names its candidate');
  return candidateId;
}
