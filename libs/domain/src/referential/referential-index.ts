import { Bloc, Competency, Epreuve, Referential } from './referential.model';

/**
 * A criterion is identified by its owner and its code: `C1.1.1/CE1` for a criterion attached to a
 * competency, `E4/CR2` for one attached to an épreuve. Codes like CE1 repeat across owners.
 */
export type CriterionId = string;

export const criterionId = (ownerCode: string, criterionCode: string): CriterionId => `${ownerCode}/${criterionCode}`;

export interface IndexedEpreuve {
  readonly epreuve: Epreuve;
  readonly blocCode: string;
  /** Every criterion an assessment of this épreuve must rule on. */
  readonly criteria: readonly CriterionId[];
}

/** Lookups derived once from a référentiel; the référentiel stays the single source of truth. */
export interface ReferentialIndex {
  readonly referential: Referential;
  readonly blocs: ReadonlyMap<string, Bloc>;
  readonly competencies: ReadonlyMap<string, { competency: Competency; blocCode: string }>;
  readonly epreuves: ReadonlyMap<string, IndexedEpreuve>;
  /** For each competency, the criteria that bear on it (its own, and those of épreuves covering it). */
  readonly criteriaBearingOn: ReadonlyMap<string, readonly CriterionId[]>;
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
  const bear = (competencyCode: string, id: CriterionId) => {
    const list = bearing.get(competencyCode) ?? [];
    if (!list.includes(id)) list.push(id);
    bearing.set(competencyCode, list);
  };

  for (const bloc of referential.blocs) {
    blocs.set(bloc.code, bloc);
    for (const competency of bloc.competencies) {
      competencies.set(competency.code, { competency, blocCode: bloc.code });
      for (const criterion of competency.criteria ?? []) bear(competency.code, criterionId(competency.code, criterion.code));
    }
  }
  for (const bloc of referential.blocs) {
    for (const epreuve of bloc.epreuves) {
      const criteria: CriterionId[] = [];
      for (const competencyCode of epreuve.covers) {
        for (const criterion of competencies.get(competencyCode)?.competency.criteria ?? []) {
          criteria.push(criterionId(competencyCode, criterion.code));
        }
      }
      for (const criterion of epreuve.criteria ?? []) {
        const id = criterionId(epreuve.code, criterion.code);
        criteria.push(id);
        for (const competencyCode of criterion.competencies ?? epreuve.covers) bear(competencyCode, id);
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
    mandatoryBlocs: referential.blocs.filter((bloc) => !bloc.optionGroup).map((bloc) => bloc.code),
  };
  cache.set(referential, index);
  return index;
}
