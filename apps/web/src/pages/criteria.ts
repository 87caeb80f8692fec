import type { components } from '../api/schema';

type Version = components['schemas']['ReferentialView'];
type Bloc = components['schemas']['ReferentialBlocView'];
type Epreuve = components['schemas']['ReferentialEpreuveView'];
type Criterion = components['schemas']['ReferentialCriterionView'];

/** A criterion an assessment rules on, by the id the api takes (`C1.1.1/CE1`, `BC01-E1/CE2`, `BC01/CE1`). */
export interface CriterionToRule {
  readonly id: string;
  readonly code: string;
  readonly text: string;
  readonly indicators?: readonly string[];
}

/** The criteria of one competency the épreuve covers, or the épreuve's own, or those stated once for its bloc. */
export interface CriteriaGroup {
  readonly kind: 'competency' | 'epreuve' | 'bloc';
  readonly code: string;
  readonly title?: string;
  readonly criteria: readonly CriterionToRule[];
}

export interface EpreuveToAssess {
  readonly epreuve: Epreuve;
  readonly bloc: Bloc;
  readonly groups: readonly CriteriaGroup[];
}

const toRule = (owner: string, c: Criterion): CriterionToRule => ({ id: `${owner}/${c.code}`, code: c.code, text: c.text, indicators: c.indicators });

/**
 * Every criterion an assessment of `epreuveCode` must rule on, grouped by competency, as the api
 * decides it (libs/domain's indexReferential(…).epreuves.get(code).criteria, which the console may
 * not import: it talks to the api only): the criteria of each competency it covers, wherever the
 * référentiel states that competency; then the épreuve's own; then its bloc's shared criteria that
 * bear on a competency it covers. test/console/assessor.console.ts checks both agree.
 */
export function epreuveToAssess(version: Version, epreuveCode: string): EpreuveToAssess | undefined {
  const bloc = version.blocs.find((b) => b.epreuves.some((e) => e.code === epreuveCode));
  const epreuve = bloc?.epreuves.find((e) => e.code === epreuveCode);
  if (!bloc || !epreuve) return undefined;
  const competencies = new Map(version.blocs.flatMap((b) => b.competencies).map((c) => [c.code, c]));
  const seen = new Set<string>();
  const once = (criteria: CriterionToRule[]) => criteria.filter((c) => !seen.has(c.id) && seen.add(c.id));
  const groups: CriteriaGroup[] = [];
  for (const code of epreuve.covers) {
    const competency = competencies.get(code);
    const criteria = once((competency?.criteria ?? []).map((c) => toRule(code, c)));
    if (criteria.length > 0) groups.push({ kind: 'competency', code, title: competency?.title, criteria });
  }
  const own = once((epreuve.criteria ?? []).map((c) => toRule(epreuve.code, c)));
  if (own.length > 0) groups.push({ kind: 'epreuve', code: epreuve.code, title: epreuve.title, criteria: own });
  const shared = once(
    (bloc.criteria ?? [])
      .filter((c) => (c.competencies ?? bloc.competencies.map((k) => k.code)).some((code) => epreuve.covers.includes(code)))
      .map((c) => toRule(bloc.code, c)),
  );
  if (shared.length > 0) groups.push({ kind: 'bloc', code: bloc.code, title: bloc.title, criteria: shared });
  return { epreuve, bloc, groups };
}

/** The ids of every criterion to rule on, in the form's order. */
export const criterionIds = (groups: readonly CriteriaGroup[]): string[] => groups.flatMap((g) => g.criteria.map((c) => c.id));
