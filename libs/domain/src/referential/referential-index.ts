import { AccessRoute, Bloc, Competency, Epreuve, owedOnRoute, Referential, SharedCriteriaRule } from './referential.model';

/**
 * A criterion is identified by its owner and its code: `C1.1.1/CE1` for a criterion attached to a
 * competency, `E4/CR2` for one attached to an épreuve, `BC01/CE1` for one stated once for a bloc.
 * Codes like CE1 repeat across owners.
 */
export type CriterionId = string;

export const criterionId = (ownerCode: string, criterionCode: string): CriterionId => `${ownerCode}/${criterionCode}`;

export interface IndexedEpreuve {
  readonly epreuve: Epreuve;
  readonly blocCode: string;
  /** Every criterion an assessment of this épreuve must rule on. */
  readonly criteria: readonly CriterionId[];
}

/**
 * Which épreuves rule on a criterion and how their results combine. A competency's own criteria
 * and an épreuve's are met once met anywhere they are ruled on (`any-epreuve`, as R5 has always
 * read); a bloc's shared criteria follow the bloc's rule.
 */
export interface CriterionRuling {
  readonly rule: SharedCriteriaRule;
  /** The épreuves whose assessments rule on it, in the référentiel's order. */
  readonly epreuves: readonly string[];
}

/** Lookups derived once from a référentiel; the référentiel stays the single source of truth. */
export interface ReferentialIndex {
  readonly referential: Referential;
  readonly blocs: ReadonlyMap<string, Bloc>;
  readonly competencies: ReadonlyMap<string, { competency: Competency; blocCode: string }>;
  readonly epreuves: ReadonlyMap<string, IndexedEpreuve>;
  /** For each competency, the criteria that bear on it (its own, those of épreuves covering it, its bloc's). */
  readonly criteriaBearingOn: ReadonlyMap<string, readonly CriterionId[]>;
  readonly rulings: ReadonlyMap<CriterionId, CriterionRuling>;
  /** Blocs every candidate must validate. */
  readonly mandatoryBlocs: readonly string[];
}

const cache = new WeakMap<Referential, ReferentialIndex>();

export function indexReferential(referential: Referential): ReferentialIndex {
  const cached = cache.get(referential);
  if (cached) return cached;

  const blocs = new Map<string, Bloc>();
  const competencies = new Map<string, { competency: Competency; blocCode: string }>();
  const epreuves = new Map<string, IndexedEpreuve>();
  const bearing = new Map<string, CriterionId[]>();
  const rulings = new Map<CriterionId, { rule: SharedCriteriaRule; epreuves: string[] }>();
  const bear = (competencyCode: string, id: CriterionId) => {
    const list = bearing.get(competencyCode) ?? [];
    if (!list.includes(id)) list.push(id);
    bearing.set(competencyCode, list);
  };
  const rule = (id: CriterionId, how: SharedCriteriaRule, epreuveCode: string) => {
    const ruling = rulings.get(id) ?? { rule: how, epreuves: [] };
    if (!ruling.epreuves.includes(epreuveCode)) ruling.epreuves.push(epreuveCode);
    rulings.set(id, ruling);
  };

  for (const bloc of referential.blocs) {
    blocs.set(bloc.code, bloc);
    for (const competency of bloc.competencies) {
      competencies.set(competency.code, { competency, blocCode: bloc.code });
      for (const criterion of competency.criteria ?? []) bear(competency.code, criterionId(competency.code, criterion.code));
    }
    for (const criterion of bloc.criteria ?? [])
      for (const competencyCode of criterion.competencies ?? bloc.competencies.map((c) => c.code)) bear(competencyCode, criterionId(bloc.code, criterion.code));
  }
  for (const bloc of referential.blocs) {
    for (const epreuve of bloc.epreuves) {
      const criteria: CriterionId[] = [];
      const ruledHere = (id: CriterionId, how: SharedCriteriaRule) => {
        if (!criteria.includes(id)) criteria.push(id);
        rule(id, how, epreuve.code);
      };
      for (const competencyCode of epreuve.covers) {
        for (const criterion of competencies.get(competencyCode)?.competency.criteria ?? [])
          ruledHere(criterionId(competencyCode, criterion.code), 'any-epreuve');
      }
      for (const criterion of epreuve.criteria ?? []) {
        const id = criterionId(epreuve.code, criterion.code);
        ruledHere(id, 'any-epreuve');
        for (const competencyCode of criterion.competencies ?? epreuve.covers) bear(competencyCode, id);
      }
      // A bloc's shared criteria are ruled on by each of its épreuves covering a competency they bear on.
      for (const criterion of bloc.criteria ?? []) {
        const bearsOn = criterion.competencies ?? bloc.competencies.map((c) => c.code);
        if (bearsOn.some((code) => epreuve.covers.includes(code))) ruledHere(criterionId(bloc.code, criterion.code), bloc.criteriaRule ?? 'each-epreuve');
      }
      epreuves.set(epreuve.code, { epreuve, blocCode: bloc.code, criteria });
    }
  }

  const index: ReferentialIndex = {
    referential,
    blocs,
    competencies,
    epreuves,
    criteriaBearingOn: bearing,
    rulings,
    mandatoryBlocs: referential.blocs.filter((bloc) => !bloc.optionGroup).map((bloc) => bloc.code),
  };
  cache.set(referential, index);
  return index;
}

/**
 * Whether a candidate on `route` can acquire a competency: some criterion bearing on it is ruled on
 * by an épreuve owed on that route (criteria ruled only elsewhere are not asked of that route).
 */
export function completableOnRoute(index: ReferentialIndex, competencyCode: string, route: AccessRoute): boolean {
  return (index.criteriaBearingOn.get(competencyCode) ?? []).some((id) =>
    (index.rulings.get(id)?.epreuves ?? []).some((code) => {
      const indexed = index.epreuves.get(code);
      return indexed !== undefined && owedOnRoute(indexed.epreuve, route);
    }),
  );
}

/** The competencies of a bloc a candidate on `route` could never acquire: none when the bloc can be completed on it. */
export const competenciesIncompletableOnRoute = (index: ReferentialIndex, blocCode: string, route: AccessRoute): string[] =>
  (index.blocs.get(blocCode)?.competencies ?? []).map((c) => c.code).filter((code) => !completableOnRoute(index, code, route));

/** How a bloc is named where its title is not given: by its code (the référentiel gives it no title, none is invented). */
export const blocName = (bloc: Bloc): string => bloc.title ?? bloc.code;
