import { Actor } from '../shared/actor';
import { ForbiddenError, ValidationError } from '../shared/errors';
import { CandidateIdentity } from '../candidate/candidate.decider';
import { AccessRoute } from '../referential/referential.model';
import { RegistrationInitiative, VaeVoie } from '../enrollment/enrollment.commands';

/**
 * The accrochage (Code du travail L6113-8): each certifier declares every holder of its RNCP / RS
 * certifications to the Caisse des Dépôts within three months of the award. Jalon records each
 * declaration as an event on the certifier's stream, so that a holder is declared once, from the log.
 */

/** The stream of one certifier's declarations: `accrochage-<certifier id>`. */
export const accrochageStreamId = (certifierId: string): string => `accrochage-${certifierId}`;

/** The CDC's `modaliteAcces`, from the enrollment's access route. */
export const MODALITE_ACCES: Readonly<Record<AccessRoute, string>> = {
  'formation-initiale': 'FORMATION_INITIALE_HORS_APPRENTISSAGE',
  apprentissage: 'FORMATION_INITIALE_APPRENTISSAGE',
  'formation-continue': 'FORMATION_CONTINUE_HORS_CONTRAT_DE_PROFESSIONNALISATION',
  'contrat-de-professionnalisation': 'FORMATION_CONTINUE_CONTRAT_DE_PROFESSIONNALISATION',
  vae: 'VAE',
  'candidat-libre': 'CANDIDAT_LIBRE',
};

/** The CDC's `initiativeInscription` (France Travail was Pôle emploi when the schema was written). */
export const INITIATIVE_INSCRIPTION: Readonly<Record<RegistrationInitiative, string>> = {
  candidate: 'CERTIFIE',
  'training-organisation': 'OF',
  'france-travail': 'POLE_EMPLOI',
  employer: 'EMPLOYEUR',
  other: 'AUTRE',
};

/** The CDC's `voieAccessVAE`. */
export const VOIE_ACCES_VAE: Readonly<Record<VaeVoie, string>> = { 'conge-vae': 'CONGES_VAE', 'vae-classique': 'VAE_CLASSIQUE' };

/** The award is declared within three months of it (L6113-8). */
export function declarationDueDate(awardedOn: string): string {
  const [year, month, day] = awardedOn.slice(0, 10).split('-').map(Number);
  const due = new Date(Date.UTC(year, month - 1 + 3, day));
  // 30 November + 3 months is 28/29 February, not 1 or 2 March: the period ends on the month's last day.
  if (due.getUTCDate() !== day) due.setUTCDate(0);
  return due.toISOString().slice(0, 10);
}

/** The holder as the CDC's `titulaire` element takes them, every value within its limits. */
export interface Titulaire {
  readonly nomNaissance: string;
  readonly nomUsage?: string;
  readonly prenoms: readonly string[];
  readonly anneeNaissance: number;
  readonly moisNaissance: number;
  readonly jourNaissance: number;
  readonly sexe: 'M' | 'F';
  readonly codeInseeNaissance?: string;
  readonly codePostalNaissance?: string;
  readonly codePaysNaissance?: string;
  readonly libellePaysNaissance?: string;
}

/** What keeps a holder out of a declaration: the field and why, never its value. */
export interface HolderProblem {
  readonly field: string;
  readonly reason: string;
}

const INSEE_CODE = /^(?:[0-9]{5}|2[AB][0-9]{3})$/;
const MAX_NAME = 60;

/**
 * The identity as the CDC's schema takes it, or every reason it cannot be declared yet. Nothing is
 * guessed: a missing birth place code is reported for the admin to complete, not derived from text.
 */
export function titulaireOf(identity: CandidateIdentity): { titulaire: Titulaire } | { problems: HolderProblem[] } {
  const problems: HolderProblem[] = [];
  const name = (field: string, value: string | undefined, required: boolean): string | undefined => {
    const trimmed = value?.trim();
    if (!trimmed) {
      if (required) problems.push({ field, reason: 'missing' });
      return undefined;
    }
    if (trimmed.length > MAX_NAME) problems.push({ field, reason: `longer than ${MAX_NAME} characters` });
    return trimmed;
  };
  const nomNaissance = name('birthName', identity.birthName, true);
  const nomUsage = name('usageName', identity.usageName, false);
  if (identity.firstNames.length > 3) problems.push({ field: 'firstNames', reason: 'more than 3 first names: the CDC takes 3' });
  const prenoms = identity.firstNames.slice(0, 3).map((first, i) => name(`firstNames[${i}]`, first, true) ?? '');
  if (prenoms.length === 0) problems.push({ field: 'firstNames', reason: 'missing' });
  const birth = /^(\d{4})-(\d{2})-(\d{2})$/.exec(identity.birthDate ?? '');
  const year = birth ? Number(birth[1]) : NaN;
  if (!birth || year < 1900 || year > 2099) problems.push({ field: 'birthDate', reason: 'not a date between 1900 and 2099' });
  if (identity.sex !== 'M' && identity.sex !== 'F') problems.push({ field: 'sex', reason: 'neither M nor F' });
  const codes = identity.birthPlaceCodes;
  const inseeCode = codes?.inseeCode?.trim().toUpperCase();
  const postalCode = codes?.postalCode?.trim();
  if (!inseeCode && !postalCode)
    problems.push({ field: 'birthPlaceCodes.inseeCode', reason: 'missing: the INSEE code (or the postal code) of the birth commune' });
  if (inseeCode && !INSEE_CODE.test(inseeCode)) problems.push({ field: 'birthPlaceCodes.inseeCode', reason: 'not an INSEE code (5 characters)' });
  if (!inseeCode && postalCode && !/^[0-9A-Za-z -]{1,9}$/.test(postalCode))
    problems.push({ field: 'birthPlaceCodes.postalCode', reason: 'not a postal code (at most 9 characters)' });
  const countryCode = codes?.countryCode?.trim().toUpperCase();
  const countryName = name('birthPlaceCodes.countryName', codes?.countryName, false);
  const bornAbroad = inseeCode?.startsWith('99') ?? false;
  if (countryCode !== undefined && !/^[A-Z0-9]{3}$/.test(countryCode))
    problems.push({ field: 'birthPlaceCodes.countryCode', reason: 'not a 3-character country code' });
  if (bornAbroad && (!countryCode || !countryName))
    problems.push({ field: 'birthPlaceCodes.countryCode', reason: 'missing: born abroad, the country code and name are declared' });
  if (problems.length > 0 || !birth || !nomNaissance) return { problems };
  return {
    titulaire: {
      nomNaissance,
      ...(nomUsage && nomUsage !== nomNaissance ? { nomUsage } : {}),
      prenoms,
      anneeNaissance: year,
      moisNaissance: Number(birth[2]),
      jourNaissance: Number(birth[3]),
      sexe: identity.sex,
      ...(inseeCode ? { codeInseeNaissance: inseeCode } : { codePostalNaissance: postalCode }),
      ...(countryCode && countryName ? { codePaysNaissance: countryCode, libellePaysNaissance: countryName } : {}),
    },
  };
}

// ---- the declarations, exactly once -------------------------------------------------------------

/** One holder in a flux: the award it declares and the id the CDC knows it by (stable per award). */
export interface DeclaredHolder {
  readonly enrollmentId: string;
  readonly idTechnique: string;
  /** Declared again on purpose (`--redeclare`, after a correction): the CDC updates what it holds under the same id. */
  readonly redeclared?: boolean;
}

export type AccrochageCommand = {
  readonly type: 'RecordAccrochageDeclaration';
  readonly data: {
    readonly fluxId: string;
    readonly certifierId: string;
    readonly holders: readonly DeclaredHolder[];
    readonly redeclare: boolean;
    readonly period?: { readonly from?: string; readonly to?: string };
    readonly by: Actor;
    readonly now: string;
  };
};

export type AccrochageEvent = {
  readonly type: 'AccrochageDeclared';
  readonly data: {
    readonly fluxId: string;
    readonly certifierId: string;
    readonly holders: readonly DeclaredHolder[];
    readonly period?: { readonly from?: string; readonly to?: string };
    readonly by: Actor;
    readonly at: string;
  };
};

export interface AccrochageState {
  /** Enrollment id → the idTechnique it was last declared under, and in which flux. */
  readonly declared: ReadonlyMap<string, { readonly idTechnique: string; readonly fluxId: string }>;
  readonly fluxIds: ReadonlySet<string>;
}

export const initialAccrochageState = (): AccrochageState => ({ declared: new Map(), fluxIds: new Set() });

export function evolveAccrochage(state: AccrochageState, event: AccrochageEvent): AccrochageState {
  const declared = new Map(state.declared);
  for (const holder of event.data.holders) declared.set(holder.enrollmentId, { idTechnique: holder.idTechnique, fluxId: event.data.fluxId });
  return { declared, fluxIds: new Set([...state.fluxIds, event.data.fluxId]) };
}

/**
 * A flux declares the holders not declared yet under the same id; with `redeclare`, those too. A
 * holder another flux declared meanwhile is left out rather than sent twice: the caller writes the
 * flux from the event, so what is sent is exactly what is recorded. Nothing left: nothing recorded.
 */
export function decideAccrochage(command: AccrochageCommand, state: AccrochageState): AccrochageEvent[] {
  const { fluxId, certifierId, holders, redeclare, period, by, now } = command.data;
  if (by.role !== 'admin') throw new ForbiddenError('ACCROCHAGE.NOT_ADMIN', 'only an admin of the certifier declares its holders');
  if (state.fluxIds.has(fluxId)) return [];
  if (!/^[A-Za-z0-9._-]{1,50}$/.test(fluxId))
    throw new ValidationError('ACCROCHAGE.INVALID_FLUX_ID', 'a flux id is 1 to 50 letters, digits, dots, dashes', { field: 'fluxId' });
  const seen = new Set<string>();
  const declared = holders.flatMap((holder): DeclaredHolder[] => {
    if (seen.has(holder.enrollmentId)) return [];
    seen.add(holder.enrollmentId);
    const earlier = state.declared.get(holder.enrollmentId);
    if (earlier?.idTechnique === holder.idTechnique)
      return redeclare ? [{ enrollmentId: holder.enrollmentId, idTechnique: holder.idTechnique, redeclared: true }] : [];
    return [{ enrollmentId: holder.enrollmentId, idTechnique: holder.idTechnique }];
  });
  if (declared.length === 0) return [];
  return [{ type: 'AccrochageDeclared', data: { fluxId, certifierId, holders: declared, ...(period ? { period } : {}), by, at: now } }];
}

export const accrochageDecider = {
  streamIdOf: accrochageStreamId,
  initialState: initialAccrochageState,
  evolve: evolveAccrochage,
  decide: decideAccrochage,
} as const;
