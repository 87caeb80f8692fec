/**
 * One version of a certification's référentiel, as its file states it
 * (see docs/referential-format.md and referentials/schema/referential.schema.json).
 * Everything the text does not state is left out: nothing here is invented to fill a gap.
 */
export interface Referential {
  readonly referential: string;
  readonly version: string;
  readonly source?: string;
  readonly certification: Certification;
  readonly validationPolicy: {
    readonly blocValidation: 'jury' | 'automatic';
    readonly competencyAcquisition: 'all-criteria-met';
  };
  /** The access routes the certification is open to; absent: every route. */
  readonly accessRoutes?: readonly AccessRoute[];
  /** Who may assess its épreuves, as the référentiel names them; absent: the three kinds of the first référentiels. */
  readonly assessorKinds?: readonly AssessorKind[];
  readonly optionGroups?: readonly OptionGroup[];
  readonly blocs: readonly Bloc[];
  readonly extraRequirements?: readonly ExtraRequirement[];
}

/** The kinds of certification a French certifier publishes. */
export const CERTIFICATION_KINDS = [
  'titre-professionnel',
  'certification-professionnelle',
  'diplome-national',
  'diplome-ingenieur',
  'diplome-enseignement-superieur',
  'cqp',
  'certification-rs',
] as const;
export type CertificationKind = (typeof CERTIFICATION_KINDS)[number];

/** A certification's kind and official identity; each field stated only where the référentiel states it. */
export interface Certification {
  /** Absent in the first référentiels: a certification professionnelle registered in the RNCP. */
  readonly kind?: CertificationKind;
  readonly title: string;
  readonly rncpCode?: string;
  /** Code in the Répertoire spécifique (RS…), for a certification-rs. */
  readonly rsCode?: string;
  /** France Compétences' registration decision. */
  readonly registration?: { readonly decisionDate?: string; readonly endDate?: string; readonly decisionReference?: string };
  /** Formacode NSF codes (e.g. 326n). */
  readonly nsfCodes?: readonly string[];
  /** Level in the national framework (cadre national des certifications professionnelles). */
  readonly level?: number;
  /** Its European (EQF/CEC) equivalent. */
  readonly eqfLevel?: number;
  readonly certifier?: string;
  /**
   * What the file's author assumes of the certification's identity but the référentiel (or its
   * RNCP/RS fiche) does not state: a level to be checked against the fiche, say. Never printed on a
   * document nor published as a fact; the catalogue shows it as assumed. A statement is either
   * stated (above) or assumed (here), not both.
   */
  readonly assumed?: AssumedIdentity;
}

/** The identity statements a file may mark as assumed (the kind and the title cannot be: they are stated or left to their default). */
export const ASSUMABLE_STATEMENTS = ['rncpCode', 'rsCode', 'registration', 'nsfCodes', 'level', 'eqfLevel', 'certifier'] as const;
export type AssumableStatement = (typeof ASSUMABLE_STATEMENTS)[number];

/** Identity statements the référentiel does not make, in the shape of the stated ones. */
export type AssumedIdentity = Pick<Certification, AssumableStatement>;

/** How a person may come to prepare the certification. */
export const ACCESS_ROUTES = ['formation-initiale', 'apprentissage', 'formation-continue', 'contrat-de-professionnalisation', 'vae', 'candidat-libre'] as const;
export type AccessRoute = (typeof ACCESS_ROUTES)[number];

/** A capacity in which a person assesses: an open list each référentiel declares. */
export interface AssessorKind {
  readonly code: string;
  readonly title: string;
}

/** The assessor kind that stands for the enrollment's own maître d'apprentissage: only that person assesses such an épreuve. */
export const APPRENTICESHIP_MASTER_KIND = 'maitre-apprentissage';

/** The assessor kinds of a référentiel that declares none (the first four). */
export const DEFAULT_ASSESSOR_KINDS: readonly AssessorKind[] = [
  { code: 'expert-technique', title: 'Expert technique' },
  { code: 'jury-professionnels', title: 'Jury de professionnels' },
  { code: APPRENTICESHIP_MASTER_KIND, title: "Maître d'apprentissage" },
];

export interface OptionGroup {
  readonly code: string;
  readonly title: string;
  readonly choose: number;
}

/**
 * How criteria stated once for a bloc combine when several épreuves rule on them:
 * met in each épreuve that rules on them, met in any one, or weighed by the jury.
 */
export type SharedCriteriaRule = 'each-epreuve' | 'any-epreuve' | 'jury-weighs';

export interface Bloc {
  readonly code: string;
  /** Absent where the référentiel gives the group no title: it is then shown by its code and its competencies. */
  readonly title?: string;
  readonly optionGroup?: string;
  readonly optionLabel?: string;
  /** The référentiel d'activités of the bloc (or row). */
  readonly activities?: readonly Activity[];
  readonly competencies: readonly Competency[];
  /** Criteria stated once for the bloc, ruled on by every épreuve covering a competency they bear on. */
  readonly criteria?: readonly Criterion[];
  /** How the bloc's criteria combine across its épreuves (default: each-epreuve). */
  readonly criteriaRule?: SharedCriteriaRule;
  readonly epreuves: readonly Epreuve[];
}

export interface Activity {
  readonly code?: string;
  readonly title: string;
}

export interface Competency {
  readonly code: string;
  readonly title: string;
  readonly criteria?: readonly Criterion[];
}

export interface Criterion {
  readonly code: string;
  readonly text: string;
  readonly indicators?: readonly string[];
  /** On épreuve and bloc criteria: the competencies it bears on (default: all the épreuve covers, or all of the bloc). */
  readonly competencies?: readonly string[];
}

/**
 * An épreuve assessed through several dated observations over the training rather than at one
 * sitting; the rule says which observations give its result: the last one, all of them, or the
 * jury's weighing.
 */
export interface ContinuousAssessment {
  readonly rule: 'last' | 'all' | 'jury-weighs';
}

export interface Epreuve {
  readonly code: string;
  readonly label?: string;
  readonly title: string;
  readonly kind: string;
  readonly description?: string;
  readonly covers: readonly string[];
  readonly criteria?: readonly Criterion[];
  readonly deliverables: readonly string[];
  /** One of the référentiel's assessor kinds. */
  readonly assessorKind: string;
  /** The access routes on which the épreuve is owed; absent: every route. */
  readonly routes?: readonly AccessRoute[];
  readonly continuous?: ContinuousAssessment;
  readonly timedParts?: readonly TimedPart[];
}

export interface TimedPart {
  readonly code: string;
  readonly title: string;
  readonly baseDurationMinutes: number;
  readonly note?: string;
}

export interface ExtraRequirement {
  readonly code: string;
  readonly title: string;
  readonly description?: string;
}

/** The kind of a certification, the first référentiels' default filled in. */
export const certificationKindOf = (referential: Pick<Referential, 'certification'>): CertificationKind =>
  referential.certification.kind ?? 'certification-professionnelle';

/** The assessor kinds a référentiel's épreuves may name. */
export const assessorKindsOf = (referential: Referential): readonly AssessorKind[] => referential.assessorKinds ?? DEFAULT_ASSESSOR_KINDS;

/** The access routes a référentiel is open to. */
export const accessRoutesOf = (referential: Referential): readonly AccessRoute[] => referential.accessRoutes ?? ACCESS_ROUTES;

/** Whether an épreuve is owed on an access route. */
export const owedOnRoute = (epreuve: Epreuve, route: AccessRoute): boolean => !epreuve.routes || epreuve.routes.includes(route);
