import { CriterionId, indexReferential, ReferentialIndex } from '../referential/referential-index';
import { owedOnRoute, Referential } from '../referential/referential.model';
import { CriterionEvidence } from './enrollment.events';
import { ActiveEnrollment, AssessmentState } from './enrollment.state';

/**
 * Where one criterion bearing on a competency stands for a path: met (with the evidence an
 * auditor traces), gathered for the jury to weigh, or still owed by some épreuves (any one of them
 * under `any-epreuve`, each of them otherwise).
 */
export type CriterionStanding =
  | { readonly status: 'met'; readonly evidence: readonly CriterionEvidence[] }
  | { readonly status: 'to-weigh'; readonly evidence: readonly CriterionEvidence[] }
  | { readonly status: 'owed'; readonly epreuves: readonly string[] };

/** Where a competency stands: acquired on the evidence, ready for the jury's weighing, or owing épreuves. */
export type CompetencyStanding = CriterionStanding;

/** What one épreuve's valid assessments say of a criterion, its rule for observations applied. */
type EpreuveVerdict =
  | { readonly met: true; readonly evidence: readonly CriterionEvidence[] }
  | { readonly met: false }
  | { readonly weigh: true; readonly evidence: readonly CriterionEvidence[] };

/**
 * R5 and the référentiel's rules, for one path: what each épreuve's valid (non-voided) assessments
 * say of each criterion. A criterion met in any attempt at an épreuve stays met (a later failed
 * attempt does not erase what was shown); an épreuve assessed through observations follows its
 * rule instead: the latest observation held, every observation, or the jury's weighing.
 */
export class PathEvidence {
  private readonly order = new Map<string, number>();
  private readonly byEpreuve = new Map<string, AssessmentState[]>();
  private readonly competencies = new Map<string, CompetencyStanding>();

  constructor(
    private readonly state: ActiveEnrollment,
    private readonly index: ReferentialIndex,
  ) {
    let position = 0;
    for (const assessment of Object.values(state.assessments)) {
      this.order.set(assessment.id, position++);
      if (assessment.voided) continue;
      const list = this.byEpreuve.get(assessment.epreuveCode) ?? [];
      list.push(assessment);
      this.byEpreuve.set(assessment.epreuveCode, list);
    }
  }

  /** Whether the épreuve has at least one valid assessment. */
  assessed(epreuveCode: string): boolean {
    return (this.byEpreuve.get(epreuveCode) ?? []).length > 0;
  }

  /** Where a criterion stands, among the épreuves owed on the path's route. */
  criterion(id: CriterionId): CriterionStanding | undefined {
    const ruling = this.index.rulings.get(id);
    const owed = (ruling?.epreuves ?? []).filter((code) => this.owed(code));
    // Ruled on only by épreuves this route does not owe: the criterion is not asked of this path.
    if (!ruling || owed.length === 0) return undefined;
    const verdicts = owed.map((code) => ({ code, verdict: this.verdict(code, id) }));
    const pending = verdicts.filter(({ verdict }) => 'met' in verdict && !verdict.met).map(({ code }) => code);
    const evidenceOf = (list: typeof verdicts) => list.flatMap(({ verdict }) => ('evidence' in verdict ? verdict.evidence : []));
    switch (ruling.rule) {
      case 'any-epreuve': {
        // The first evidence shown, in the order the assessments were recorded.
        const met = evidenceOf(verdicts.filter(({ verdict }) => 'met' in verdict && verdict.met)).sort((a, b) => this.rank(a) - this.rank(b));
        if (met.length > 0) return { status: 'met', evidence: [met[0]] };
        const weighed = verdicts.filter(({ verdict }) => 'weigh' in verdict);
        if (weighed.length > 0) return { status: 'to-weigh', evidence: evidenceOf(weighed) };
        return { status: 'owed', epreuves: owed };
      }
      case 'each-epreuve': {
        if (pending.length > 0) return { status: 'owed', epreuves: pending };
        const evidence = evidenceOf(verdicts);
        return verdicts.some(({ verdict }) => 'weigh' in verdict) ? { status: 'to-weigh', evidence } : { status: 'met', evidence };
      }
      case 'jury-weighs': {
        const unassessed = owed.filter((code) => !this.assessed(code));
        if (unassessed.length > 0) return { status: 'owed', epreuves: unassessed };
        return { status: 'to-weigh', evidence: owed.flatMap((code) => this.considered(code, id)) };
      }
    }
  }

  /** Where a competency stands: every criterion bearing on it (and asked of this path) met, or what is missing. */
  competency(code: string): CompetencyStanding {
    const cached = this.competencies.get(code);
    if (cached) return cached;
    const standing = this.standingOf(code);
    this.competencies.set(code, standing);
    return standing;
  }

  private standingOf(code: string): CompetencyStanding {
    const standings = (this.index.criteriaBearingOn.get(code) ?? []).map((id) => this.criterion(id)).filter((s) => s !== undefined);
    if (standings.length === 0) return { status: 'owed', epreuves: this.coveringEpreuves(code) };
    const owed = [...new Set(standings.flatMap((s) => (s.status === 'owed' ? s.epreuves : [])))];
    if (owed.length > 0) return { status: 'owed', epreuves: this.inReferentialOrder(owed) };
    const evidence = standings.flatMap((s) => (s.status === 'owed' ? [] : s.evidence));
    return standings.some((s) => s.status === 'to-weigh') ? { status: 'to-weigh', evidence } : { status: 'met', evidence };
  }

  /** Whether the path owes an épreuve: its route is one the épreuve is owed on. */
  owed(epreuveCode: string): boolean {
    const indexed = this.index.epreuves.get(epreuveCode);
    return indexed !== undefined && owedOnRoute(indexed.epreuve, this.state.accessRoute);
  }

  private verdict(epreuveCode: string, id: CriterionId): EpreuveVerdict {
    const assessments = (this.byEpreuve.get(epreuveCode) ?? []).filter((a) => a.results[id] !== undefined);
    const continuous = this.index.epreuves.get(epreuveCode)?.epreuve.continuous;
    const evidenceOf = (a: AssessmentState): CriterionEvidence => ({
      criterion: id,
      assessmentId: a.id,
      // Met by a correction: the evidence names it, so an auditor is not sent to an assessment that says "not met".
      ...(a.metByCorrection?.[id] ? { correctionId: a.metByCorrection[id] } : {}),
    });
    if (!continuous) {
      const met = assessments.find((a) => a.results[id]);
      return met ? { met: true, evidence: [evidenceOf(met)] } : { met: false };
    }
    if (assessments.length === 0) return { met: false };
    switch (continuous.rule) {
      case 'last': {
        const last = [...assessments].sort((a, b) => this.heldAt(a).localeCompare(this.heldAt(b)) || this.rank(a) - this.rank(b)).at(-1)!;
        return last.results[id] ? { met: true, evidence: [evidenceOf(last)] } : { met: false };
      }
      case 'all':
        return assessments.every((a) => a.results[id]) ? { met: true, evidence: assessments.map(evidenceOf) } : { met: false };
      case 'jury-weighs':
        return { weigh: true, evidence: assessments.filter((a) => a.results[id]).map(evidenceOf) };
    }
  }

  /** The assessments of an épreuve the jury weighs for a criterion: those that met it. */
  private considered(epreuveCode: string, id: CriterionId): CriterionEvidence[] {
    return (this.byEpreuve.get(epreuveCode) ?? []).filter((a) => a.results[id]).map((a) => ({ criterion: id, assessmentId: a.id }));
  }

  private heldAt(assessment: AssessmentState): string {
    return this.state.sittings[assessment.sittingId]?.heldAt ?? '';
  }

  private rank(of: { assessmentId: string } | AssessmentState): number {
    return this.order.get('assessmentId' in of ? of.assessmentId : of.id) ?? 0;
  }

  private coveringEpreuves(competencyCode: string): string[] {
    return [...this.index.epreuves.values()].filter((e) => e.epreuve.covers.includes(competencyCode) && this.owed(e.epreuve.code)).map((e) => e.epreuve.code);
  }

  private inReferentialOrder(codes: readonly string[]): string[] {
    const wanted = new Set(codes);
    return [...this.index.epreuves.keys()].filter((code) => wanted.has(code));
  }
}

/** The evidence that a competency is acquired, or undefined if it is not (yet) met on the evidence alone. */
export function competencyEvidence(evidence: PathEvidence, competencyCode: string): readonly CriterionEvidence[] | undefined {
  const standing = evidence.competency(competencyCode);
  return standing.status === 'met' ? standing.evidence : undefined;
}

/** Blocs the candidate's path requires: the mandatory ones and the chosen option blocs. */
export function requiredBlocs(index: ReferentialIndex, state: ActiveEnrollment): string[] {
  return [...index.mandatoryBlocs, ...state.optionBlocs];
}

export type PathStatus = 'in-progress' | 'eligible' | 'certified' | 'withdrawn' | 'transferred';

export interface PathProgress {
  readonly status: PathStatus;
  readonly missingBlocs: readonly string[];
  /** Option groups where fewer blocs are chosen than the group asks. */
  readonly optionGroupsToChoose: readonly { group: string; missing: number }[];
  readonly missingExtraRequirements: readonly string[];
}

/**
 * What still stands between the candidate and the full certification (R8): the required blocs
 * not validated, the option choices not made, the extra requirements not validated.
 */
export function pathProgress(state: ActiveEnrollment, referential: Referential): PathProgress {
  const index = indexReferential(referential);
  const optionGroupsToChoose = (referential.optionGroups ?? [])
    .map((group) => ({
      group: group.code,
      missing: group.choose - state.optionBlocs.filter((b) => index.blocs.get(b)?.optionGroup === group.code).length,
    }))
    .filter((g) => g.missing > 0);
  const missingBlocs = requiredBlocs(index, state).filter((code) => state.blocs[code]?.status !== 'validated');
  const missingExtraRequirements = (referential.extraRequirements ?? []).map((r) => r.code).filter((code) => state.extraRequirements[code] === undefined);
  const complete = missingBlocs.length === 0 && optionGroupsToChoose.length === 0 && missingExtraRequirements.length === 0;
  const status: PathStatus =
    state.status === 'withdrawn'
      ? 'withdrawn'
      : state.status === 'transferred'
        ? 'transferred'
        : state.status === 'certified'
          ? 'certified'
          : complete
            ? 'eligible'
            : 'in-progress';
  return { status, missingBlocs, optionGroupsToChoose, missingExtraRequirements };
}

/** The épreuves a bloc still owes for its competencies not acquired, in the référentiel's order (any one of them, where one suffices). */
export function epreuvesOwedBy(blocCode: string, state: ActiveEnrollment, evidence: PathEvidence, index: ReferentialIndex): string[] {
  const owed = new Set(
    index.blocs
      .get(blocCode)!
      .competencies.filter((c) => state.acquiredCompetencies[c.code] === undefined)
      .flatMap((c) => {
        const standing = evidence.competency(c.code);
        return standing.status === 'owed' ? standing.epreuves : [];
      }),
  );
  return [...index.epreuves.keys()].filter((code) => owed.has(code));
}

/**
 * For each required bloc neither validated nor validatable, the épreuves it still owes: what the
 * path shows a school. Kept out of pathProgress, which the projection computes for every row it writes.
 */
export function owedEpreuves(state: ActiveEnrollment, referential: Referential): { bloc: string; epreuves: string[] }[] {
  const index = indexReferential(referential);
  const evidence = new PathEvidence(state, index);
  return requiredBlocs(index, state)
    .filter((code) => state.blocs[code]?.status !== 'validated' && state.blocs[code]?.status !== 'validatable')
    .map((code) => ({ bloc: code, epreuves: epreuvesOwedBy(code, state, evidence, index) }))
    .filter((entry) => entry.epreuves.length > 0);
}

export type BlocProgressStatus = 'not-started' | 'in-progress' | 'validatable' | 'validated' | 'annulled';

export interface BlocProgress {
  readonly code: string;
  readonly status: BlocProgressStatus;
  /** Whether the bloc is part of the candidate's path (mandatory, or a chosen option). */
  readonly required: boolean;
  readonly competenciesAcquired: number;
  readonly competencies: number;
  readonly validatedAt?: string;
}

/** Where the candidate stands on each bloc of the référentiel. */
export function blocProgress(state: ActiveEnrollment, referential: Referential): BlocProgress[] {
  const index = indexReferential(referential);
  const required = new Set(requiredBlocs(index, state));
  const started = new Set(Object.values(state.sittings).map((s) => s.blocCode));
  return referential.blocs.map((bloc) => {
    const recorded = state.blocs[bloc.code];
    const acquired = bloc.competencies.filter((c) => state.acquiredCompetencies[c.code] !== undefined).length;
    const status: BlocProgressStatus = recorded?.status ?? (acquired > 0 || started.has(bloc.code) ? 'in-progress' : 'not-started');
    return {
      code: bloc.code,
      status,
      required: required.has(bloc.code),
      competenciesAcquired: acquired,
      competencies: bloc.competencies.length,
      ...(recorded?.validatedAt ? { validatedAt: recorded.validatedAt } : {}),
    };
  });
}
