import { randomUUID } from 'node:crypto';
import {
  Actor,
  decideEnrollment,
  EnrollmentCommand,
  EnrollmentEvent,
  EnrollmentState,
  enrollmentStreamId,
  evolveEnrollment,
  indexReferential,
  initialEnrollmentState,
  Referential,
  referentialStreamId,
} from '@jalon/domain';
import { EventStore, NewEvent } from '@jalon/event-store';

/** A small deterministic PRNG (mulberry32), so generated data is the same for the same seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GeneratedPath {
  readonly enrollmentId: string;
  readonly streamId: string;
  readonly events: EnrollmentEvent[];
}

const admin: Actor = { id: 'admin-gen', role: 'admin' };
const jury: Actor = { id: 'jury-gen', role: 'jury' };
const referent: Actor = { id: 'referent-gen', role: 'referent' };
/** Assessors of the generated paths: each path's sittings go to one of them, as a school shares its paths among its assessors. */
export const GENERATED_ASSESSORS = 100;
export const generatedAssessorId = (n: number): string => `assessor-gen-${n}`;

/**
 * Realistic enrollment histories, produced by the real decider: enrollments in cohorts, some with a
 * tiers-temps, blocs passed (some after a failed attempt), some paths certified, some abandoned.
 */
export function generatePath(
  referential: Referential,
  random: () => number,
  options: { organisationId?: string; cohort?: string; day0?: number } = {},
): GeneratedPath {
  const index = indexReferential(referential);
  const enrollmentId = randomUUID();
  // Drawn from the id, not from `random`, so the rest of a seeded history stays what it was.
  const assessor: Actor = { id: generatedAssessorId(parseInt(enrollmentId.slice(0, 6), 16) % GENERATED_ASSESSORS), role: 'assessor' };
  const clock = { t: options.day0 ?? Date.parse('2026-01-05T09:00:00Z') };
  const tick = () => new Date((clock.t += 3_600_000 * (1 + Math.floor(random() * 48)))).toISOString();
  const events: EnrollmentEvent[] = [];
  let state: EnrollmentState = initialEnrollmentState();
  const run = (command: EnrollmentCommand) => {
    for (const event of decideEnrollment(command, state, { referential })) {
      events.push(event);
      state = evolveEnrollment(state, event);
    }
  };
  const groups = referential.optionGroups ?? [];
  const optionBlocs = groups.flatMap((g) => {
    const members = referential.blocs.filter((b) => b.optionGroup === g.code).map((b) => b.code);
    return members.sort(() => random() - 0.5).slice(0, g.choose);
  });
  run({
    type: 'Enroll',
    data: {
      enrollmentId,
      candidateId: randomUUID(),
      organisationId: options.organisationId ?? 'org-1',
      referentialId: referential.referential,
      version: referential.version,
      cohort: options.cohort ?? `2026-${'ABC'[Math.floor(random() * 3)]}`,
      accessRoute: 'formation-continue',
      optionBlocs,
      by: admin,
      now: tick(),
    },
  });
  if (random() < 0.15)
    run({
      type: 'GrantAccommodation',
      data: { accommodationId: randomUUID(), terms: { kind: 'tiers-temps', scope: { all: true }, validFrom: '2026-01-01' }, by: referent, now: tick() },
    });

  const blocs = [...index.mandatoryBlocs, ...optionBlocs];
  const reach = random() < 0.2 ? Math.floor(random() * blocs.length) : blocs.length;
  for (const blocCode of blocs.slice(0, reach)) {
    for (const epreuve of index.blocs.get(blocCode)!.epreuves) {
      const criteria = index.epreuves.get(epreuve.code)!.criteria;
      const attempts = random() < 0.25 ? 2 : 1;
      for (let attempt = 1; attempt <= attempts; attempt++) {
        const sittingId = randomUUID();
        const pass = attempt === attempts;
        run({
          type: 'ScheduleSitting',
          data: { sittingId, epreuveCode: epreuve.code, scheduledAt: tick(), assessorIds: [assessor.id], by: admin, now: tick() },
        });
        const sitting = state.status === 'none' ? undefined : state.sittings[sittingId];
        run({
          type: 'RecordSittingHeld',
          data: {
            sittingId,
            heldAt: tick(),
            timedParts: (sitting?.timedParts ?? []).map((p) => ({ code: p.code, actualDurationMinutes: p.effectiveDurationMinutes })),
            accommodationsApplied: (sitting?.applicableAccommodations ?? []).map((a) => a.accommodationId),
            by: admin,
            now: tick(),
          },
        });
        run({
          type: 'RecordAssessment',
          data: {
            assessmentId: randomUUID(),
            sittingId,
            results: criteria.map((criterion, i) => ({ criterion, met: pass || i !== 0 })),
            by: assessor,
            now: tick(),
          },
        });
      }
    }
    if (referential.validationPolicy.blocValidation === 'jury') run({ type: 'ValidateBloc', data: { blocCode, by: jury, now: tick() } });
  }
  if (reach === blocs.length) {
    for (const requirement of referential.extraRequirements ?? [])
      run({ type: 'ValidateExtraRequirement', data: { requirementCode: requirement.code, by: jury, now: tick() } });
    if (random() < 0.7) run({ type: 'RecordFinalJuryDecision', data: { decision: 'awarded', place: 'Paris', by: jury, now: tick() } });
  } else if (random() < 0.3) {
    run({ type: 'Withdraw', data: { reason: 'réorientation', by: admin, now: tick() } });
  }
  return { enrollmentId, streamId: enrollmentStreamId(enrollmentId), events };
}

/** The events as the store takes them, with the actor and clock in the metadata. */
export const toNewEvents = (events: readonly EnrollmentEvent[]): NewEvent[] =>
  events.map((event) => ({ id: randomUUID(), type: event.type, data: event.data, metadata: { actor: event.data.by, occurredAt: event.data.at } }));

/** Publishes a référentiel version into the log (what an enrollment is pinned to). */
export async function publishReferential(store: EventStore, referential: Referential, contentHash: string): Promise<void> {
  await store.append(
    referentialStreamId(referential.referential),
    [
      {
        id: randomUUID(),
        type: 'ReferentialVersionPublished',
        data: {
          referentialId: referential.referential,
          version: referential.version,
          contentHash,
          content: referential,
          by: admin,
          at: '2026-01-01T00:00:00.000Z',
        },
      },
    ],
    { expectedRevision: 'any' },
  );
}
