import { indexReferential, ReferentialIndex } from '../referential/referential-index';
import { Referential } from '../referential/referential.model';
import { CriterionEvidence } from './enrollment.events';
import { ActiveEnrollment } from './enrollment.state';

/**
 * R5: for each criterion, the valid (non-voided) assessment in which it is met, if any.
 * Criteria met in any valid attempt count: a later failed attempt does not erase what was shown.
 */
export function criteriaMet(state: ActiveEnrollment): Map<string, CriterionEvidence> {
  const met = new Map<string, CriterionEvidence>();
  for (const assessment of Object.values(state.assessments)) {
    if (assessment.voided) continue;
    for (const [criterion, isMet] of Object.entries(assessment.results)) {
      if (!isMet || met.has(criterion)) continue;
      // Met by a correction: the evidence names it, so an auditor is not sent to an assessment that says "not met".
      const correctionId = assessment.metByCorrection?.[criterion];
      met.set(criterion, { criterion, assessmentId: assessment.id, ...(correctionId ? { correctionId } : {}) });
    }
  }
  return met;
}

/** The evidence that a competency is acquired under the default rule, or undefined if it is not. */
export function competencyEvidence(index: ReferentialIndex, competencyCode: string, met: Map<string, CriterionEvidence>): CriterionEvidence[] | undefined {
  const bearing = index.criteriaBearingOn.get(competencyCode) ?? [];
  if (bearing.length === 0) return undefined;
  const evidence: CriterionEvidence[] = [];
  for (const criterion of bearing) {
    const found = met.get(criterion);
    if (found === undefined) return undefined;
    evidence.push(found);
  }
  return evidence;
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
