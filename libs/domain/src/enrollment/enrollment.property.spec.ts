/**
 * Property-based tests of the enrollment decider (rules R2, R5–R8, R11–R13 of DOMAIN.md).
 *
 * 1. Random command sequences, valid and invalid, over a small pool of ids (random walks, and
 *    successful paths with random commands slipped in): folding is deterministic, decide and evolve
 *    are pure, R7 holds, the state invariants hold after every step, rejections are typed
 *    DomainErrors, nothing but a jury's annulment is appended after a withdrawal (R13, R7).
 * 2. Random successful paths (option, bloc order, failed attempts, tiers-temps, fil rouge):
 *    every command succeeds, the path becomes eligible exactly with its last piece, and the award
 *    then certifies.
 */
import fc from 'fast-check';
import { Referential } from '../referential/referential.model';
import { indexReferential } from '../referential/referential-index';
import { Actor } from '../shared/actor';
import { DomainError } from '../shared/errors';
import { SEALED } from '../shared/withheld';
import { AccommodationKind, AccommodationTerms } from './accommodation';
import { AnnulmentReason, CriterionResult, EnrollmentCommand, opensAccommodations } from './enrollment.commands';
import { decideEnrollment } from './enrollment.decider';
import { EnrollmentEvent } from './enrollment.events';
import { competencyEvidence, PathEvidence, pathProgress } from './enrollment.progress';
import { ActiveEnrollment, EnrollmentState, evolveEnrollment, foldEnrollment, initialEnrollmentState } from './enrollment.state';
import { admin, assessor, at, candidate, cmd, jury, otherAssessor, referent, tiersTemps } from '../testing/enrollment-fixtures';
import { automaticFixtureReferential, fixtureCriteria, fixtureReferential } from '../testing/fixture-referential';

const REFERENTIALS: readonly [string, Referential][] = [
  ['jury policy', fixtureReferential],
  ['automatic policy', automaticFixtureReferential],
];

const ERROR_CODE = /^[A-Z_]+\.[A-Z_]+$/;

// ---- arbitraries for random command sequences ---------------------------------------------------

const EPREUVES = ['E1', 'E2', 'E3', 'E4'];
/** Sitting ids name their épreuve (`E2-b`) so that most generated commands fit together. */
const SITTINGS = EPREUVES.flatMap((e) => [`${e}-a`, `${e}-b`, `${e}-c`]);
const epreuveOf = (sittingId: string) => sittingId.split('-')[0];
const BLOC_OF: Record<string, string> = { E1: 'BC01', E2: 'BC02', E3: 'BC03', E4: 'BC04' };
const BLOCS = ['BC01', 'BC02', 'BC03', 'BC04', 'BC99'];
const ACCOMMODATIONS = ['acc-1', 'acc-2'];
const ANY_ACTORS: Actor[] = [admin, referent, jury, assessor, otherAssessor, candidate];

const weighted = <T>(...entries: [number, fc.Arbitrary<T>][]) => fc.oneof(...entries.map(([weight, arbitrary]) => ({ weight, arbitrary })));
/** Mostly the actor the rule expects, sometimes anyone. */
const actorOr = (...right: Actor[]) => weighted<Actor>([4, fc.constantFrom(...right)], [1, fc.constantFrom(...ANY_ACTORS)]);
const day = fc.integer({ min: 0, max: 60 });
const now = day.map(at);
const text = weighted<string>([9, fc.constantFrom('motif', 'erreur de saisie')], [1, fc.constantFrom('', '  ')]);

const optionBlocsArb = weighted<string[]>(
  [8, fc.constantFrom(['BC03'], ['BC04'])],
  [1, fc.constantFrom([], ['BC03', 'BC04'], ['BC01'], ['BC04', 'BC04'], ['BC99'])],
);

/** An assessment's results for one épreuve: mostly well formed (criteria mostly met), sometimes malformed. */
const resultsFor = (epreuveCode: string, metWeight = 3): fc.Arbitrary<CriterionResult[]> => {
  const criteria = fixtureCriteria[epreuveCode] ?? ['X/CE1'];
  const wellFormed = fc
    .array(weighted<boolean>([metWeight, fc.constant(true)], [1, fc.constant(false)]), { minLength: criteria.length, maxLength: criteria.length })
    .map((met) => criteria.map((criterion, i) => ({ criterion, met: met[i] })));
  const malformed = wellFormed.chain((rs) => fc.constantFrom(rs.slice(1), [...rs, { criterion: 'X/CE9', met: true }], [...rs, rs[0]]));
  return weighted([12, wellFormed], [1, malformed]);
};

const termsArb: fc.Arbitrary<AccommodationTerms> = fc
  .record({
    kind: fc.constantFrom<AccommodationKind>('tiers-temps', 'tiers-temps', 'extra-time', 'adapted-supports', 'third-party-assistance'),
    extraTime: fc.option(fc.record({ numerator: fc.integer({ min: 0, max: 2 }), denominator: fc.integer({ min: 1, max: 4 }) }), { nil: undefined }),
    scope: weighted<AccommodationTerms['scope']>(
      [3, fc.constant({ all: true as const })],
      [2, fc.subarray([...EPREUVES, 'E9']).map((epreuves) => ({ all: false as const, epreuves }))],
    ),
    validFrom: weighted<string>([9, fc.integer({ min: 0, max: 20 }).map(at)], [1, fc.constant('not-a-date')]),
    validUntil: fc.option(fc.integer({ min: 0, max: 60 }).map(at), { nil: undefined }),
  })
  .map(({ extraTime, validUntil, ...rest }) => ({
    ...rest,
    ...(rest.kind === 'extra-time' || extraTime?.numerator === 2 ? { extraTime } : {}),
    ...(validUntil !== undefined ? { validUntil } : {}),
  }));

/** The later of two instants. */
const latest = (a: string, b: string): string => (Date.parse(a) >= Date.parse(b) ? a : b);

type TimedParts = { code: string; actualDurationMinutes: number }[];
const timedPartsFor = (epreuveCode: string): fc.Arbitrary<TimedParts> => {
  const expected = epreuveCode === 'E1' || epreuveCode === 'E4';
  const right: fc.Arbitrary<TimedParts> = expected
    ? fc.integer({ min: 1, max: 90 }).map((m) => [{ code: 'soutenance', actualDurationMinutes: m }])
    : fc.constant([]);
  const wrong = fc.constantFrom<TimedParts>(
    [],
    [{ code: 'soutenance', actualDurationMinutes: 0 }],
    [{ code: 'soutenance', actualDurationMinutes: 30 }],
    [{ code: 'oral', actualDurationMinutes: 10 }],
  );
  return weighted<TimedParts>([6, right], [1, wrong]);
};

const commandArb = (referential: Referential): fc.Arbitrary<EnrollmentCommand[]> => {
  // First attempts more often, so that corrections find an assessment to correct.
  const sitting = weighted<string>([3, fc.constantFrom(...EPREUVES.map((e) => `${e}-a`))], [2, fc.constantFrom(...SITTINGS)]);
  const enroll = fc
    .record({ optionBlocs: optionBlocsArb, by: actorOr(admin), now, mismatch: fc.boolean() })
    .map(({ optionBlocs, by, now: n, mismatch }) =>
      cmd.enroll({ optionBlocs, by, now: n, ...(mismatch && optionBlocs.length === 0 ? { version: 'other' } : {}) }, referential),
    );
  const chooseOption = fc
    .record({ optionBlocs: optionBlocsArb, by: actorOr(admin), now })
    .map(({ optionBlocs, by, now: n }): EnrollmentCommand => ({ type: 'ChooseOption', data: { optionBlocs, by, now: n } }));
  const grant = fc
    .record({ accommodationId: fc.constantFrom(...ACCOMMODATIONS), terms: termsArb, by: actorOr(referent), now })
    .map(({ accommodationId, terms, by, now: n }): EnrollmentCommand => ({ type: 'GrantAccommodation', data: { accommodationId, terms, by, now: n } }));
  const amend = fc
    .record({ accommodationId: fc.constantFrom(...ACCOMMODATIONS), terms: termsArb, reason: text, by: actorOr(referent), now })
    .map(({ now: n, ...d }): EnrollmentCommand => ({ type: 'AmendAccommodation', data: { ...d, now: n } }));
  const end = fc
    .record({ accommodationId: fc.constantFrom(...ACCOMMODATIONS), reason: text, by: actorOr(referent), now })
    .map(({ now: n, ...d }): EnrollmentCommand => ({ type: 'EndAccommodation', data: { ...d, now: n } }));
  const consent = fc
    .record({ by: actorOr(candidate, referent), now })
    .map(({ by, now: n }): EnrollmentCommand => ({ type: 'RecordJuryDisclosureConsent', data: { by, now: n } }));
  const withdrawConsent = fc
    .record({ by: actorOr(candidate, referent), now })
    .map(({ by, now: n }): EnrollmentCommand => ({ type: 'WithdrawJuryDisclosureConsent', data: { by, now: n } }));
  const scheduleFor = (sittingId: string) =>
    fc
      .record({
        epreuveCode: weighted<string>([9, fc.constant(epreuveOf(sittingId))], [1, fc.constantFrom(...EPREUVES, 'E9')]),
        scheduledAt: weighted<string>([12, day.map(at)], [1, fc.constant('bad-date')]),
        assessorIds: weighted<string[]>(
          [6, fc.constant([assessor.id])],
          [3, fc.subarray([assessor.id, otherAssessor.id, jury.id], { minLength: 1 })],
          [1, fc.constantFrom([], [' '])],
        ),
        by: actorOr(admin),
        now,
      })
      .map(({ now: n, ...d }): EnrollmentCommand => ({ type: 'ScheduleSitting', data: { sittingId, ...d, now: n } }));
  const holdFor = (sittingId: string) =>
    fc
      .record({
        heldAt: day.map(at),
        timedParts: timedPartsFor(epreuveOf(sittingId)),
        accommodationsApplied: weighted<string[]>([3, fc.constant([])], [2, fc.subarray(ACCOMMODATIONS)]),
        by: actorOr(admin),
        now,
      })
      // A sitting is recorded as held once it has been: the clock reads at least its heldAt.
      .map(({ now: n, ...d }): EnrollmentCommand => ({ type: 'RecordSittingHeld', data: { sittingId, ...d, now: latest(n, d.heldAt) } }));
  const assessFor = (sittingId: string) =>
    fc
      .record({
        assessmentId: weighted<string>([9, fc.constant(`a-${sittingId}`)], [1, fc.constantFrom('a-x', 'a-E1-a')]),
        results: resultsFor(epreuveOf(sittingId), 5),
        by: weighted<Actor>([6, fc.constant(assessor)], [1, fc.constantFrom(otherAssessor, jury, admin)]),
        now,
      })
      .map(({ now: n, ...d }): EnrollmentCommand => ({ type: 'RecordAssessment', data: { sittingId, ...d, now: n } }));
  const schedule = sitting.chain(scheduleFor);
  const hold = sitting.chain(holdFor);
  const assess = sitting.chain(assessFor);
  const correctFor = (sittingId: string) =>
    fc
      .record({
        correctionId: fc.constantFrom('c-1', 'c-2'),
        assessmentId: fc.constant(`a-${sittingId}`),
        results: resultsFor(epreuveOf(sittingId), 1),
        reason: text,
        by: weighted<Actor>([3, fc.constant(assessor)], [2, fc.constant(jury)], [1, fc.constantFrom(otherAssessor, admin)]),
        now,
      })
      .map(({ now: n, ...d }): EnrollmentCommand => ({ type: 'CorrectAssessment', data: { ...d, now: n } }));
  const correct = sitting.chain(correctFor);
  const validateBloc = fc
    .record({ blocCode: fc.constantFrom(...BLOCS), by: actorOr(jury), now })
    .map(({ now: n, ...d }): EnrollmentCommand => ({ type: 'ValidateBloc', data: { ...d, now: n } }));
  const annulBloc = fc
    .record({
      blocCode: fc.constantFrom(...BLOCS),
      reason: weighted<AnnulmentReason>([9, fc.constantFrom<AnnulmentReason>('fraud', 'plagiarism', 'other')], [1, fc.constant('bogus' as AnnulmentReason)]),
      details: text,
      by: actorOr(jury),
      now,
    })
    .map(({ now: n, ...d }): EnrollmentCommand => ({ type: 'AnnulBloc', data: { ...d, now: n } }));
  const validateRequirement = fc
    .record({ requirementCode: weighted<string>([5, fc.constant('FIL-ROUGE')], [1, fc.constant('OTHER')]), by: actorOr(jury), now })
    .map(({ now: n, ...d }): EnrollmentCommand => ({ type: 'ValidateExtraRequirement', data: { ...d, now: n } }));
  const finalDecision = fc
    .record({
      decision: weighted<'awarded' | 'refused' | 'deferred'>(
        [6, fc.constant('awarded')],
        [2, fc.constantFrom('refused', 'deferred')],
        [1, fc.constant('maybe' as 'awarded')],
      ),
      place: weighted<string>([9, fc.constant('Paris')], [1, fc.constant('')]),
      reason: fc.option(text, { nil: undefined }),
      by: actorOr(jury),
      now,
    })
    .map(({ now: n, reason, ...d }): EnrollmentCommand => ({
      type: 'RecordFinalJuryDecision',
      data: { ...d, ...(reason !== undefined ? { reason } : {}), now: n },
    }));
  const withdraw = fc
    .record({ reason: text, by: actorOr(admin), now })
    .map(({ now: n, ...d }): EnrollmentCommand => ({ type: 'Withdraw', data: { ...d, now: n } }));

  /**
   * A whole attempt at once (schedule, hold, assess the same sitting), so that paths progress; then,
   * maybe, the jury validates the bloc and/or the assessment is corrected, in either order (a
   * correction before the validation makes the bloc no longer validatable; after it, R7 applies).
   */
  const attempt = sitting.chain((sittingId) =>
    fc
      .tuple(scheduleFor(sittingId), holdFor(sittingId), assessFor(sittingId), correctFor(sittingId), fc.constantFrom('', 'V', 'V', 'C', 'CV', 'VC'))
      .map(([schedule, hold, assess, correct, tail]) => [
        schedule,
        hold,
        assess,
        ...[...tail].map((step) => (step === 'V' ? cmd.validateBloc(BLOC_OF[epreuveOf(sittingId)]) : correct)),
      ]),
  );

  const single = (weight: number, arbitrary: fc.Arbitrary<EnrollmentCommand>): [number, fc.Arbitrary<EnrollmentCommand[]>] => [
    weight,
    arbitrary.map((c) => [c]),
  ];
  return weighted<EnrollmentCommand[]>(
    single(2, enroll),
    single(4, chooseOption),
    single(6, grant),
    single(3, amend),
    single(3, end),
    single(2, consent),
    single(2, withdrawConsent),
    [30, attempt],
    single(3, schedule),
    single(3, hold),
    single(3, assess),
    single(12, correct),
    single(10, validateBloc),
    single(6, annulBloc),
    single(8, validateRequirement),
    single(10, finalDecision),
    [1, fc.tuple(withdraw, withdraw).map(([w1, w2]) => [w1, w2])],
    single(1, withdraw),
  );
};

/**
 * Either mostly an enrollment then random commands, or a successful path to the award (see
 * `planCommands` below) with random commands slipped in anywhere, before and after the award: the
 * second kind reaches certification, revocation and late corrections, which random walks rarely do.
 */
const sequenceArb = (referential: Referential): fc.Arbitrary<EnrollmentCommand[]> => {
  const noise = (maxLength: number) => fc.array(commandArb(referential), { maxLength, size: 'max' });
  const random = fc
    .tuple(
      weighted<EnrollmentCommand[]>(
        [12, optionBlocsArb.map((optionBlocs) => [cmd.enroll({ optionBlocs }, referential)])],
        [1, fc.constant([])],
        [1, fc.constant([cmd.withdraw()])],
      ),
      noise(30),
    )
    .map(([first, rest]) => [...first, ...rest.flat()]);
  const disturbedPath = fc.tuple(planArb, fc.array(fc.tuple(fc.nat(), commandArb(referential)), { maxLength: 12 }), noise(8)).map(([plan, inserted, after]) => {
    const path = [...planCommands(plan, referential).map((p) => p.command), cmd.award()];
    for (const [position, commands] of inserted) path.splice(1 + (position % path.length), 0, ...commands);
    return [...path, ...after.flat()];
  });
  return weighted([1, random], [1, disturbedPath]);
};

// ---- running a sequence and the invariants --------------------------------------------------------

interface Step {
  readonly command: EnrollmentCommand;
  readonly before: EnrollmentState;
  /** The events appended, each with the state right after it; empty when rejected or a no-op. */
  readonly appended: readonly { event: EnrollmentEvent; state: EnrollmentState }[];
  readonly error?: DomainError;
  readonly after: EnrollmentState;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Runs the commands; a DomainError rejects the command (the state stays as it was), any other error
 * escapes and fails the property. Also checks that decide and evolve are pure: they leave the state
 * they are given untouched, and decide decides the same again.
 */
function run(commands: readonly EnrollmentCommand[], referential: Referential): { steps: Step[]; events: EnrollmentEvent[]; state: EnrollmentState } {
  let state = initialEnrollmentState();
  const events: EnrollmentEvent[] = [];
  const steps: Step[] = [];
  for (const command of commands) {
    const before = state;
    const snapshot = JSON.stringify(state);
    let decided: EnrollmentEvent[];
    try {
      decided = decideEnrollment(command, state, { referential });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      if (JSON.stringify(state) !== snapshot) throw new Error(`a rejected ${command.type} mutated the state`);
      steps.push({ command, before, appended: [], error, after: state });
      continue;
    }
    if (JSON.stringify(state) !== snapshot) throw new Error(`deciding ${command.type} mutated the state`);
    if (!same(decideEnrollment(command, state, { referential }), decided)) throw new Error(`${command.type} is not decided the same twice`);
    const appended = decided.map((event) => {
      state = evolveEnrollment(state, event);
      events.push(event);
      return { event, state };
    });
    // evolve is pure too: the state it started from is left as it was.
    if (JSON.stringify(before) !== snapshot) throw new Error(`evolving the events of ${command.type} mutated the previous state`);
    steps.push({ command, before, appended, after: state });
  }
  return { steps, events, state };
}

/** The invariants a path's state keeps after every command; returns the violations found. */
function stateViolations(state: EnrollmentState, referential: Referential): string[] {
  if (state.status === 'none') return [];
  const s: ActiveEnrollment = state;
  const index = indexReferential(referential);
  const evidence = new PathEvidence(s, index);
  const violations: string[] = [];

  // R6: a validatable bloc has all its competencies acquired.
  for (const [blocCode, bloc] of Object.entries(s.blocs)) {
    if (bloc.status !== 'validatable') continue;
    const missing = index.blocs
      .get(blocCode)!
      .competencies.map((c) => c.code)
      .filter((c) => s.acquiredCompetencies[c] === undefined);
    if (missing.length > 0) violations.push(`bloc ${blocCode} is validatable without ${missing.join(', ')}`);
  }

  // R5: a competency is acquired exactly when its criteria are met in valid assessments. The
  // decider revokes acquisitions on correction even inside a validated bloc (the bloc itself stays
  // validated, R7), so the equivalence holds for every competency, whatever its bloc's status.
  for (const code of index.competencies.keys()) {
    const hasEvidence = competencyEvidence(evidence, code) !== undefined;
    const acquired = s.acquiredCompetencies[code] !== undefined;
    if (acquired && !hasEvidence) violations.push(`competency ${code} is acquired without evidence`);
    if (!acquired && hasEvidence) violations.push(`competency ${code} has evidence but is not acquired`);
  }
  for (const code of Object.keys(s.acquiredCompetencies)) if (!index.competencies.has(code)) violations.push(`unknown competency ${code} acquired`);

  // R8: a certified path has every required bloc, option and extra requirement.
  if (s.status === 'certified') {
    const progress = pathProgress(s, referential);
    if (progress.status !== 'certified') violations.push(`certified but progress says ${progress.status}`);
    if (progress.missingBlocs.length > 0) violations.push(`certified without blocs ${progress.missingBlocs.join(', ')}`);
    if (progress.missingExtraRequirements.length > 0) violations.push(`certified without ${progress.missingExtraRequirements.join(', ')}`);
    if (progress.optionGroupsToChoose.length > 0) violations.push('certified with an option still to choose');
  }

  // R2: never more option blocs in a group than it takes, only option blocs, none twice.
  for (const group of referential.optionGroups ?? []) {
    const chosen = s.optionBlocs.filter((b) => index.blocs.get(b)?.optionGroup === group.code);
    if (chosen.length > group.choose) violations.push(`${chosen.length} blocs chosen in ${group.code} (takes ${group.choose})`);
  }
  for (const b of s.optionBlocs) if (!index.blocs.get(b)?.optionGroup) violations.push(`${b} chosen as an option`);
  if (new Set(s.optionBlocs).size !== s.optionBlocs.length) violations.push('an option bloc is chosen twice');

  // R12: one attempt at a time per épreuve.
  const pending = Object.values(s.sittings)
    .filter((sitting) => sitting.status !== 'assessed')
    .map((sitting) => sitting.epreuveCode);
  if (new Set(pending).size !== pending.length) violations.push(`two attempts pending at once: ${pending.join(', ')}`);
  return violations;
}

/** Invariants over the whole log; `statesAfter[i]` is the state right after `events[i]`. */
function logViolations(events: readonly EnrollmentEvent[], statesAfter: readonly EnrollmentState[]): string[] {
  const violations: string[] = [];
  // R13: nothing is appended to an enrollment that does not exist, nor after the candidate withdrew.
  if (events.length > 0 && events[0].type !== 'CandidateEnrolled' && events[0].type !== 'EnrolledByTransfer')
    violations.push(`${events[0].type} without an enrollment`);
  // The one decision still taken on a withdrawn path is the jury's annulment (fraud found later), with its consequences.
  const afterWithdrawal = new Set(['BlocAnnulled', 'CompetencyAcquisitionRevoked', 'BlocNoLongerValidatable']);
  const withdrew = events.findIndex((e) => e.type === 'CandidateWithdrew');
  const late = withdrew >= 0 ? events.slice(withdrew + 1).filter((e) => !afterWithdrawal.has(e.type)) : [];
  if (late.length > 0) violations.push(`${late.map((e) => e.type).join(', ')} after CandidateWithdrew`);
  events.forEach((event, i) => {
    // Every event names who and when.
    const by = event.data.by as Actor | undefined;
    if (!by || typeof by.id !== 'string' || by.id === '' || typeof by.role !== 'string') violations.push(`#${i} ${event.type} names no actor`);
    if (typeof event.data.at !== 'string' || Number.isNaN(Date.parse(event.data.at))) violations.push(`#${i} ${event.type} has no time`);

    const before = i === 0 ? initialEnrollmentState() : statesAfter[i - 1];
    // Only an assigned assessor records an assessment.
    if (event.type === 'AssessmentRecorded') {
      const sitting = before.status === 'none' ? undefined : before.sittings[event.data.sittingId];
      if (!sitting?.assessorIds.includes(event.data.by.id))
        violations.push(`#${i} assessment by ${event.data.by.id}, not an assessor of ${event.data.sittingId}`);
    }
    // R7: a validated bloc stays validated until an explicit annulment.
    if (event.type === 'BlocValidated') {
      const bloc = event.data.blocCode;
      for (let j = i; j < events.length; j++) {
        const later = events[j];
        if (j > i && later.type === 'BlocAnnulled' && later.data.blocCode === bloc) break;
        const status = statesAfter[j].status === 'none' ? 'no enrollment' : (statesAfter[j] as ActiveEnrollment).blocs[bloc]?.status;
        if (status !== 'validated') {
          violations.push(`bloc ${bloc} validated at #${i} is ${status} after #${j} ${later.type}`);
          break;
        }
      }
    }
  });
  return violations;
}

/** Counts of interesting facts reached across a property's runs, so that it is not vacuous. */
const tally = (referential: Referential) => {
  const index = indexReferential(referential);
  const counts: Record<string, number> = {};
  const bump = (key: string) => (counts[key] = (counts[key] ?? 0) + 1);
  return {
    counts,
    add: (events: readonly EnrollmentEvent[], steps: readonly Step[]) => {
      for (const e of events) bump(e.type);
      for (const e of events) if (e.type === 'BlocValidated') bump(`BlocValidated:${e.data.decidedBy}`);
      for (const step of steps) bump(step.error ? 'rejected' : 'accepted');
      // R7 with a correction: a validated bloc one of whose competencies is no longer acquired.
      const weakened = steps.some(
        ({ after }) =>
          after.status !== 'none' &&
          Object.entries(after.blocs).some(
            ([code, bloc]) => bloc.status === 'validated' && index.blocs.get(code)!.competencies.some((c) => after.acquiredCompetencies[c.code] === undefined),
          ),
      );
      if (weakened) bump('validated bloc with a revoked competency');
    },
  };
};

describe.each(REFERENTIALS)('enrollment decider, random command sequences (%s)', (_name, referential) => {
  const params = { numRuns: 250 };

  it('folds deterministically: the fold of all events equals the incremental state, twice over and from JSON', () => {
    fc.assert(
      fc.property(sequenceArb(referential), (commands) => {
        const { events, state } = run(commands, referential);
        const folded = foldEnrollment(events);
        expect(folded).toEqual(state);
        expect(foldEnrollment(events)).toEqual(folded);
        expect(foldEnrollment(structuredClone(events))).toEqual(folded);
        // The events as the store gives them back (JSON): a state folded from the decided events,
        // as the api keeps it after an append, equals the one folded from a read of the stream.
        expect(foldEnrollment(JSON.parse(JSON.stringify(events)))).toEqual(folded);
      }),
      params,
    );
  });

  it('keeps R7 and the path invariants after every step, and rejects only with a coded DomainError', () => {
    const seen = tally(referential);
    fc.assert(
      fc.property(sequenceArb(referential), (commands) => {
        const { steps, events } = run(commands, referential);
        seen.add(events, steps);
        const violations: string[] = [];
        steps.forEach((step, n) => {
          if (step.error && !(step.error instanceof DomainError && ERROR_CODE.test(step.error.code) && step.after === step.before)) {
            violations.push(`command ${n} ${step.command.type} rejected with ${step.error.name} code ${JSON.stringify(step.error.code)}`);
          }
          for (const v of stateViolations(step.after, referential)) violations.push(`after command ${n} ${step.command.type}: ${v}`);
        });
        violations.push(
          ...logViolations(
            events,
            steps.flatMap((s) => s.appended.map((a) => a.state)),
          ),
        );
        expect(violations).toEqual([]);
      }),
      params,
    );
    // The generator reaches the interesting corners (otherwise the invariants above prove little).
    const corners = [
      'BlocValidated',
      'BlocAnnulled',
      'CompetencyAcquisitionRevoked',
      'CertificationAwarded',
      'CertificationRevoked',
      'AccommodationGranted',
      'SittingHeld',
      'CandidateWithdrew',
      'validated bloc with a revoked competency',
      'rejected',
    ];
    // Under the automatic policy a chosen bloc is validated as soon as it is validatable.
    if (referential.validationPolicy.blocValidation === 'jury') corners.push('BlocNoLongerValidatable');
    for (const type of corners) {
      expect({ type, reached: (seen.counts[type] ?? 0) > 0 }).toEqual({ type, reached: true });
    }
    // Each policy validates blocs its own way (R6): the jury, or the référentiel's automatic rule.
    const [own, other] = referential.validationPolicy.blocValidation === 'jury' ? ['jury', 'automatic-rule'] : ['automatic-rule', 'jury'];
    expect(seen.counts[`BlocValidated:${own}`]).toBeGreaterThan(0);
    if (own === 'jury') expect(seen.counts[`BlocValidated:${other}`]).toBeUndefined();
  });

  it('decides each command that declares it opens no accommodation facts the same on sealed facts (R14)', () => {
    let sealedDecisions = 0;
    fc.assert(
      fc.property(sequenceArb(referential), (commands) => {
        for (const step of run(commands, referential).steps) {
          if (opensAccommodations(step.command) || !holdsAccommodations(step.before)) continue;
          sealedDecisions += 1;
          // A command that reads the terms without declaring it would decide otherwise here, or fail.
          expect({ command: step.command.type, outcome: outcomeOf(step.command, sealAccommodations(step.before), referential) }).toEqual({
            command: step.command.type,
            outcome: outcomeOf(step.command, step.before, referential),
          });
        }
      }),
      params,
    );
    expect(sealedDecisions).toBeGreaterThan(100);
  });
});

const holdsAccommodations = (state: EnrollmentState) => state.status !== 'none' && Object.keys(state.accommodations).length > 0;

/** The state as a decision sees it when nothing was opened: every measure's terms sealed. */
function sealAccommodations(state: EnrollmentState): EnrollmentState {
  if (state.status === 'none') return state;
  return { ...state, accommodations: Object.fromEntries(Object.entries(state.accommodations).map(([id, a]) => [id, { ...a, terms: SEALED }])) };
}

/** What a decision comes to: its events, or the code of its refusal. */
function outcomeOf(command: EnrollmentCommand, state: EnrollmentState, referential: Referential): unknown {
  try {
    return JSON.parse(JSON.stringify(decideEnrollment(command, state, { referential })));
  } catch (error) {
    return error instanceof DomainError ? { refused: error.code } : { failed: String(error) };
  }
}

// ---- successful paths -------------------------------------------------------------------------------

interface Plan {
  readonly option: 'BC03' | 'BC04';
  /** The order of the required blocs, as indices into [BC01, BC02, option]. */
  readonly order: readonly number[];
  /** Per slot of `order`: the failed attempts before the passing one, each a list of met flags. */
  readonly failures: readonly (readonly boolean[][])[];
  /** Per slot: the criterion that every failed attempt leaves unmet (so failures never add up to a pass). */
  readonly stubborn: readonly number[];
  /** Where the tiers-temps is granted (before the n-th bloc), if at all. */
  readonly tiersTempsAt: number | undefined;
  /** Where the jury validates the fil rouge (before the n-th bloc; 3 = after the last). */
  readonly filRougeAt: number;
}

const planArb: fc.Arbitrary<Plan> = fc.record({
  option: fc.constantFrom<'BC03' | 'BC04'>('BC03', 'BC04'),
  order: fc.shuffledSubarray([0, 1, 2], { minLength: 3, maxLength: 3 }),
  failures: fc.tuple(...[0, 1, 2].map(() => fc.array(fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }), { maxLength: 2 }))),
  stubborn: fc.tuple(fc.nat(2), fc.nat(2), fc.nat(2)),
  tiersTempsAt: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
  filRougeAt: fc.integer({ min: 0, max: 3 }),
});

const EPREUVE_OF: Record<string, string> = { BC01: 'E1', BC02: 'E2', BC03: 'E3', BC04: 'E4' };
const BASE_MINUTES: Record<string, number | undefined> = { E1: 30, E4: 45 };

/** A command with what it completes on the path, if anything (a bloc validated, the fil rouge). */
interface PlannedCommand {
  readonly command: EnrollmentCommand;
  readonly completes?: string;
}

function planCommands(plan: Plan, referential: Referential): PlannedCommand[] {
  const automatic = referential.validationPolicy.blocValidation === 'automatic';
  const required = ['BC01', 'BC02', plan.option];
  let day = 0;
  const tick = () => at(++day);
  const out: PlannedCommand[] = [{ command: cmd.enroll({ optionBlocs: [plan.option] }, referential) }];
  let granted = false;
  const extras = (position: number) => {
    if (plan.tiersTempsAt === position) {
      out.push({ command: { type: 'GrantAccommodation', data: { accommodationId: 'acc-tt', terms: tiersTemps, by: referent, now: tick() } } });
      granted = true;
    }
    if (plan.filRougeAt === position)
      out.push({ command: { type: 'ValidateExtraRequirement', data: { requirementCode: 'FIL-ROUGE', by: jury, now: tick() } }, completes: 'FIL-ROUGE' });
  };
  plan.order.forEach((slot, position) => {
    extras(position);
    const blocCode = required[slot];
    const epreuveCode = EPREUVE_OF[blocCode];
    const criteria = fixtureCriteria[epreuveCode];
    const attempts: boolean[][] = plan.failures[position].map((flags) =>
      criteria.map((_, i) => (i === plan.stubborn[position] % criteria.length ? false : flags[i])),
    );
    attempts.push(criteria.map(() => true));
    attempts.forEach((flags, attempt) => {
      const sittingId = `${epreuveCode}-${'abc'[attempt]}`;
      const base = BASE_MINUTES[epreuveCode];
      const effective = base === undefined ? undefined : granted ? Math.ceil((base * 4) / 3) : base;
      const last = attempt === attempts.length - 1;
      out.push({
        command: {
          type: 'ScheduleSitting',
          data: { sittingId, epreuveCode, scheduledAt: at(day + 5), assessorIds: [assessor.id, otherAssessor.id], by: admin, now: tick() },
        },
      });
      out.push({
        command: {
          type: 'RecordSittingHeld',
          data: {
            sittingId,
            heldAt: at(day + 5),
            timedParts: effective === undefined ? [] : [{ code: 'soutenance', actualDurationMinutes: effective }],
            accommodationsApplied: granted ? ['acc-tt'] : [],
            by: admin,
            now: latest(tick(), at(day + 5)),
          },
        },
      });
      out.push({
        command: cmd.assess(
          `a-${sittingId}`,
          sittingId,
          criteria.map((criterion, i) => ({ criterion, met: flags[i] })),
          attempt % 2 === 0 ? assessor : otherAssessor,
        ),
        completes: last && automatic ? blocCode : undefined,
      });
    });
    if (!automatic) out.push({ command: { type: 'ValidateBloc', data: { blocCode, by: jury, now: tick() } }, completes: blocCode });
  });
  extras(3);
  return out;
}

describe.each(REFERENTIALS)('enrollment decider, successful paths (%s)', (_name, referential) => {
  it('accepts every command, becomes eligible exactly with the last piece, then certifies on award', () => {
    const automatic = referential.validationPolicy.blocValidation === 'automatic';
    fc.assert(
      fc.property(planArb, (plan) => {
        const planned = planCommands(plan, referential);
        const required = ['BC01', 'BC02', plan.option];
        const pieces = new Set([...required, 'FIL-ROUGE']);
        const done = new Set<string>();
        let state = initialEnrollmentState();
        const events: EnrollmentEvent[] = [];
        for (const { command, completes } of planned) {
          const decided = decideEnrollment(command, state, { referential }); // must not throw
          for (const event of decided) {
            state = evolveEnrollment(state, event);
            events.push(event);
          }
          if (completes) done.add(completes);
          const s = state as ActiveEnrollment;
          const eligible = done.size === pieces.size;
          expect(pathProgress(s, referential).status).toBe(eligible ? 'eligible' : 'in-progress');
          if (!eligible) {
            expect(() => decideEnrollment(cmd.award(), state, { referential })).toThrow(
              expect.objectContaining({ code: 'CERTIFICATION.REQUIREMENTS_NOT_MET' }),
            );
          }
          // Each bloc is validated exactly when the plan completes it, by the policy's decider.
          for (const bloc of required) expect({ bloc, validated: s.blocs[bloc]?.status === 'validated' }).toEqual({ bloc, validated: done.has(bloc) });
          // R11: with a tiers-temps in force, the soutenance is scheduled a third longer.
          for (const event of decided) {
            if (event.type !== 'SittingScheduled') continue;
            const base = BASE_MINUTES[event.data.epreuveCode];
            const hasTt = Object.keys(s.accommodations).length > 0;
            expect(event.data.timedParts.map((p) => p.effectiveDurationMinutes)).toEqual(base === undefined ? [] : [hasTt ? Math.ceil((base * 4) / 3) : base]);
          }
        }
        expect(done).toEqual(pieces);

        // Attempts are numbered and kept (R12); blocs were validated by the right decider (R6).
        const scheduled = events.filter((e) => e.type === 'SittingScheduled');
        expect(scheduled).toHaveLength(planned.filter((p) => p.command.type === 'ScheduleSitting').length);
        const validated = events.flatMap((e) => (e.type === 'BlocValidated' ? [e.data] : []));
        expect(validated.map((v) => v.blocCode).sort()).toEqual([...required].sort());
        for (const v of validated) expect(v.decidedBy).toBe(automatic ? 'automatic-rule' : 'jury');
        if (automatic) expect(planned.some((p) => p.command.type === 'ValidateBloc')).toBe(false);

        const award = decideEnrollment(cmd.award(), state, { referential });
        for (const event of award) state = evolveEnrollment(state, event);
        expect(award.map((e) => e.type)).toEqual(['FinalJuryDecisionRecorded', 'CertificationAwarded']);
        const awarded = award[1];
        if (awarded.type !== 'CertificationAwarded') throw new Error('unreachable');
        expect([...awarded.data.blocs].sort()).toEqual([...required].sort());
        expect(awarded.data.optionBlocs).toEqual([plan.option]);
        expect(awarded.data.extraRequirements).toEqual(['FIL-ROUGE']);
        expect(state.status).toBe('certified');
        expect(pathProgress(state as ActiveEnrollment, referential).status).toBe('certified');
        expect(foldEnrollment([...events, ...award])).toEqual(state);
      }),
      { numRuns: 250 },
    );
  });
});
