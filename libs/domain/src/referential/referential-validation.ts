import { completableOnRoute, indexReferential } from './referential-index';
import { accessRoutesOf, ASSUMABLE_STATEMENTS, assessorKindsOf, Referential } from './referential.model';

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

  // Criteria are named by their owner's code (`BC01/CE1`, `C1/CE1`, `E1/CR1`): owners share no code.
  const competencyAndEpreuveCodes = new Set(referential.blocs.flatMap((b) => [...b.competencies.map((c) => c.code), ...b.epreuves.map((e) => e.code)]));
  referential.blocs.forEach((bloc, i) => {
    if (competencyAndEpreuveCodes.has(bloc.code))
      report(`/blocs/${i}/code`, 'REFERENTIAL.DUPLICATE_CODE', `bloc code "${bloc.code}" is also a competency's or an épreuve's: criteria would be ambiguous`);
  });
  const kinds = new Set(assessorKindsOf(referential).map((k) => k.code));
  const routes = new Set(accessRoutesOf(referential));
  const juryValidates = referential.validationPolicy.blocValidation === 'jury';
  const registration = referential.certification.registration;
  if (registration?.decisionDate && registration.endDate && registration.endDate < registration.decisionDate)
    report(
      '/certification/registration/endDate',
      'REFERENTIAL.REGISTRATION_ENDS_BEFORE_DECISION',
      `the registration ends (${registration.endDate}) before it was decided (${registration.decisionDate})`,
    );
  // A statement is stated or assumed, never both: a document would not know which to believe.
  const { assumed, ...stated } = referential.certification;
  for (const statement of ASSUMABLE_STATEMENTS) {
    if (assumed?.[statement] === undefined || stated[statement] === undefined) continue;
    if (statement === 'registration') {
      for (const part of ['decisionDate', 'endDate', 'decisionReference'] as const)
        if (assumed.registration?.[part] !== undefined && stated.registration?.[part] !== undefined)
          report(
            `/certification/assumed/registration/${part}`,
            'REFERENTIAL.ASSUMED_AND_STATED',
            `registration.${part} is both stated and assumed: state it where the référentiel does, else assume it`,
          );
    } else
      report(
        `/certification/assumed/${statement}`,
        'REFERENTIAL.ASSUMED_AND_STATED',
        `${statement} is both stated and assumed: state it where the référentiel does, else assume it`,
      );
  }

  const covered = new Set<string>();
  referential.blocs.forEach((bloc, i) => {
    const own = new Set(bloc.competencies.map((c) => c.code));
    duplicates(
      (bloc.criteria ?? []).map((c, k) => ({ code: c.code, path: `/blocs/${i}/criteria/${k}/code` })),
      `criterion of bloc ${bloc.code}`,
    );
    (bloc.criteria ?? []).forEach((criterion, k) =>
      (criterion.competencies ?? []).forEach((code, m) => {
        if (!own.has(code))
          report(
            `/blocs/${i}/criteria/${k}/competencies/${m}`,
            'REFERENTIAL.UNKNOWN_COMPETENCY',
            `criterion ${bloc.code}/${criterion.code} bears on "${code}", which is not a competency of bloc ${bloc.code}`,
          );
      }),
    );
    if (bloc.criteriaRule === 'jury-weighs' && !juryValidates)
      report(
        `/blocs/${i}/criteriaRule`,
        'REFERENTIAL.JURY_WEIGHING_NEEDS_JURY',
        `bloc ${bloc.code} leaves its criteria to the jury's weighing, but blocs are validated automatically`,
      );
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
      if (!kinds.has(epreuve.assessorKind))
        report(
          `${at}/assessorKind`,
          'REFERENTIAL.UNKNOWN_ASSESSOR_KIND',
          `épreuve ${epreuve.code} is assessed by "${epreuve.assessorKind}", which the référentiel does not declare (${[...kinds].join(', ')})`,
        );
      (epreuve.routes ?? []).forEach((route, k) => {
        if (!routes.has(route))
          report(
            `${at}/routes/${k}`,
            'REFERENTIAL.ROUTE_NOT_OPEN',
            `épreuve ${epreuve.code} is owed on the ${route} route, which the certification is not open to`,
          );
      });
      if (epreuve.continuous?.rule === 'jury-weighs' && !juryValidates)
        report(
          `${at}/continuous/rule`,
          'REFERENTIAL.JURY_WEIGHING_NEEDS_JURY',
          `épreuve ${epreuve.code} leaves its observations to the jury's weighing, but blocs are validated automatically`,
        );
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
  const openRoutes = accessRoutesOf(referential);
  // A competency no épreuve covers, or that no criterion bears on, is reported as such, once: the
  // route checks weigh only the competencies that could be acquired somewhere.
  const acquirable = new Set<string>();
  referential.blocs.forEach((bloc, i) =>
    bloc.competencies.forEach((competency, j) => {
      const at = `/blocs/${i}/competencies/${j}`;
      if (!covered.has(competency.code)) {
        report(at, 'REFERENTIAL.UNASSESSED_COMPETENCY', `competency ${competency.code} is covered by no épreuve`);
        return;
      }
      if ((index.criteriaBearingOn.get(competency.code) ?? []).length === 0) {
        report(at, 'REFERENTIAL.COMPETENCY_WITHOUT_CRITERIA', `no criterion bears on competency ${competency.code}: it could never be acquired`);
        return;
      }
      acquirable.add(competency.code);
      // An option bloc is weighed with its group (below): it need not be completable on every route.
      if (bloc.optionGroup !== undefined) return;
      // On each route the certification is open to, some criterion bearing on it is ruled by an épreuve owed there.
      for (const route of openRoutes) {
        if (!completableOnRoute(index, competency.code, route))
          report(
            at,
            'REFERENTIAL.INCOMPLETABLE_ON_ROUTE',
            `on the ${route} route no épreuve owed rules on a criterion of competency ${competency.code}: a candidate on it could never complete`,
          );
      }
    }),
  );
  // In each option group, on each route, at least as many blocs as the group asks to choose can be
  // completed: an option bloc that cannot be completed on a route is fine while enough others of its
  // group can (choosing it on that route is refused at enrollment, OPTION.INCOMPLETABLE_ON_ROUTE).
  for (const route of openRoutes) {
    groups.forEach((group, i) => {
      const members = referential.blocs.filter((b) => b.optionGroup === group.code);
      // A group with too few blocs is reported as such (REFERENTIAL.UNSATISFIABLE_OPTION_GROUP).
      if (members.length < group.choose) return;
      const stuck = members
        .filter((bloc) => bloc.competencies.some((c) => acquirable.has(c.code) && !completableOnRoute(index, c.code, route)))
        .map((bloc) => bloc.code);
      const completable = members.length - stuck.length;
      if (completable < group.choose)
        report(
          `/optionGroups/${i}`,
          'REFERENTIAL.INCOMPLETABLE_ON_ROUTE',
          `on the ${route} route option group ${group.code} asks to choose ${group.choose} bloc(s) but only ${completable} can be completed there (${stuck.join(', ')} cannot): a candidate on it could never complete`,
        );
    });
  }
  referential.blocs.forEach((bloc, i) =>
    bloc.epreuves.forEach((epreuve, j) => {
      if ((index.epreuves.get(epreuve.code)?.criteria ?? []).length === 0)
        report(
          `/blocs/${i}/epreuves/${j}`,
          'REFERENTIAL.UNASSESSABLE_EPREUVE',
          `no criterion can be ruled on at épreuve ${epreuve.code}: it could never be assessed`,
        );
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
