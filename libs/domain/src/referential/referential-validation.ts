import { indexReferential } from './referential-index';
import { Referential } from './referential.model';

/** A problem in a référentiel's content, with the path where it stands (JSON-pointer style). */
export interface ReferentialProblem {
  readonly path: string;
  readonly code: string;
  readonly message: string;
}

/**
 * Checks what the JSON Schema cannot: unique codes, references between blocs, competencies,
 * épreuves and option groups, and that every competency can be assessed and acquired.
 * Expects a document that already satisfies the schema. Returns every problem, not the first.
 */
export function validateReferentialContent(referential: Referential): ReferentialProblem[] {
  const problems: ReferentialProblem[] = [];
  const report = (path: string, code: string, message: string) => problems.push({ path, code, message });
  const duplicates = (codes: readonly { code: string; path: string }[], what: string) => {
    const seen = new Set<string>();
    for (const { code, path } of codes) {
      if (seen.has(code)) report(path, 'REFERENTIAL.DUPLICATE_CODE', `${what} code "${code}" is used more than once`);
      seen.add(code);
    }
  };

  const groups = referential.optionGroups ?? [];
  duplicates(
    groups.map((g, i) => ({ code: g.code, path: `/optionGroups/${i}/code` })),
    'option group',
  );
  duplicates(
    referential.blocs.map((b, i) => ({ code: b.code, path: `/blocs/${i}/code` })),
    'bloc',
  );
  duplicates(
    referential.blocs.flatMap((b, i) => b.competencies.map((c, j) => ({ code: c.code, path: `/blocs/${i}/competencies/${j}/code` }))),
    'competency',
  );
  duplicates(
    referential.blocs.flatMap((b, i) => b.epreuves.map((e, j) => ({ code: e.code, path: `/blocs/${i}/epreuves/${j}/code` }))),
    'épreuve',
  );
  duplicates(
    (referential.extraRequirements ?? []).map((r, i) => ({ code: r.code, path: `/extraRequirements/${i}/code` })),
    'extra requirement',
  );

  const covered = new Set<string>();
  referential.blocs.forEach((bloc, i) => {
    const own = new Set(bloc.competencies.map((c) => c.code));
    bloc.competencies.forEach((competency, j) =>
      duplicates(
        (competency.criteria ?? []).map((c, k) => ({ code: c.code, path: `/blocs/${i}/competencies/${j}/criteria/${k}/code` })),
        `criterion of ${competency.code}`,
      ),
    );
    if (bloc.optionGroup !== undefined && !groups.some((g) => g.code === bloc.optionGroup)) {
      report(`/blocs/${i}/optionGroup`, 'REFERENTIAL.UNKNOWN_OPTION_GROUP', `bloc ${bloc.code} names option group "${bloc.optionGroup}", which does not exist`);
    }
    bloc.epreuves.forEach((epreuve, j) => {
      const at = `/blocs/${i}/epreuves/${j}`;
      epreuve.covers.forEach((code, k) => {
        if (own.has(code)) covered.add(code);
        else
          report(
            `${at}/covers/${k}`,
            'REFERENTIAL.UNKNOWN_COMPETENCY',
            `épreuve ${epreuve.code} covers "${code}", which is not a competency of bloc ${bloc.code}`,
          );
      });
      duplicates(
        (epreuve.criteria ?? []).map((c, k) => ({ code: c.code, path: `${at}/criteria/${k}/code` })),
        `criterion of ${epreuve.code}`,
      );
      (epreuve.criteria ?? []).forEach((criterion, k) =>
        (criterion.competencies ?? []).forEach((code, m) => {
          if (!own.has(code)) {
            report(
              `${at}/criteria/${k}/competencies/${m}`,
              'REFERENTIAL.UNKNOWN_COMPETENCY',
              `criterion ${epreuve.code}/${criterion.code} bears on "${code}", which is not a competency of bloc ${bloc.code}`,
            );
          } else if (!epreuve.covers.includes(code)) {
            report(
              `${at}/criteria/${k}/competencies/${m}`,
              'REFERENTIAL.CRITERION_ATTACHED_TO_NOTHING',
              `criterion ${epreuve.code}/${criterion.code} bears on ${code}, which épreuve ${epreuve.code} does not cover`,
            );
          }
        }),
      );
    });
  });

  const index = indexReferential(referential);
  referential.blocs.forEach((bloc, i) =>
    bloc.competencies.forEach((competency, j) => {
      const at = `/blocs/${i}/competencies/${j}`;
      if (!covered.has(competency.code)) {
        report(at, 'REFERENTIAL.UNASSESSED_COMPETENCY', `competency ${competency.code} is covered by no épreuve`);
      } else if ((index.criteriaBearingOn.get(competency.code) ?? []).length === 0) {
        report(at, 'REFERENTIAL.COMPETENCY_WITHOUT_CRITERIA', `no criterion bears on competency ${competency.code}: it could never be acquired`);
      }
    }),
  );

  groups.forEach((group, i) => {
    const members = referential.blocs.filter((b) => b.optionGroup === group.code).length;
    if (members < group.choose) {
      report(
        `/optionGroups/${i}/choose`,
        'REFERENTIAL.UNSATISFIABLE_OPTION_GROUP',
        `option group ${group.code} asks to choose ${group.choose} bloc(s) but has ${members}`,
      );
    }
  });
  return problems;
}
