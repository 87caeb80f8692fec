/**
 * One version of a certification's référentiel, as its file states it
 * (see docs/referential-format.md and referentials/schema/referential.schema.json).
 */
export interface Referential {
  readonly referential: string;
  readonly version: string;
  readonly source?: string;
  readonly certification: {
    readonly title: string;
    readonly rncpCode?: string;
    readonly level: number;
    readonly certifier: string;
  };
  readonly validationPolicy: {
    readonly blocValidation: 'jury' | 'automatic';
    readonly competencyAcquisition: 'all-criteria-met';
  };
  readonly optionGroups?: readonly OptionGroup[];
  readonly blocs: readonly Bloc[];
  readonly extraRequirements?: readonly ExtraRequirement[];
}

export interface OptionGroup {
  readonly code: string;
  readonly title: string;
  readonly choose: number;
}

export interface Bloc {
  readonly code: string;
  readonly title: string;
  readonly optionGroup?: string;
  readonly optionLabel?: string;
  readonly competencies: readonly Competency[];
  readonly epreuves: readonly Epreuve[];
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
  /** Only on épreuve criteria: the covered competencies it bears on (default: all covered). */
  readonly competencies?: readonly string[];
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
  readonly assessorKind: 'expert-technique' | 'jury-professionnels' | 'maitre-apprentissage';
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
