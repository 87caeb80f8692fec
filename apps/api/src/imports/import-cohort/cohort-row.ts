import { plainToInstance } from 'class-transformer';
import { validate, ValidationError as FieldError } from 'class-validator';
import { DomainError } from '@jalon/domain';
import { RegisterCandidateRequest } from '../../candidates/register-candidate/register-candidate.request.dto';
import { EnrollRequest } from '../../enrollments/enroll/enroll.request.dto';
import { COHORT_COLUMNS, CohortColumnKey, columnOfField } from '../cohort-sheet/cohort-columns';
import { SheetRow } from '../cohort-sheet/read-cohort-sheet';

/** Why a row is refused, under the column it concerns, in French. */
export interface RowReason {
  /** The column's header (« Date de naissance »), or « Ligne » for what concerns the whole row. */
  readonly column: string;
  /** The request field the api names (`birthDate`, `apprenticeship.company`), when there is one. */
  readonly field?: string;
  /** The api's code for a refusal by a decision (ENROLLMENT.ROUTE_NOT_OPEN…). */
  readonly code?: string;
  readonly message: string;
}

/** What the row asks, as the api's own request bodies (validated by their class-validator rules). */
export interface RowRequests {
  readonly register: RegisterCandidateRequest;
  readonly enroll: EnrollRequest;
}

const ROW = 'Ligne';

const list = (text: string | undefined): string[] | undefined =>
  text === undefined
    ? undefined
    : text
        .split(/[,;]/)
        .map((part) => part.trim())
        .filter((part) => part !== '');

/** A French date (JJ/MM/AAAA) as the api takes it (AAAA-MM-JJ); anything else as written, for the api's rules to judge. */
export function isoDateOf(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const french = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/.exec(text);
  return french ? `${french[3]}-${french[2].padStart(2, '0')}-${french[1].padStart(2, '0')}` : text;
}

/** A spreadsheet may have read a code as a number and dropped its leading zero (01053 → 1053). */
const fiveDigits = (text: string | undefined) => (text !== undefined && /^\d{4}$/.test(text) ? `0${text}` : text);

const defined = <T extends object>(value: T): T => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

/** The row's cells as the bodies of POST /candidates and POST /enrollments: what an admin would have sent. */
export function requestBodiesOf(cells: SheetRow['cells'], candidateId: string): { register: object; enroll: object } {
  const codes = defined({
    inseeCode: fiveDigits(cells.inseeCode),
    postalCode: fiveDigits(cells.postalCode),
    countryCode: cells.countryCode,
    countryName: cells.countryName,
  });
  const register = defined({
    birthName: cells.birthName,
    usageName: cells.usageName,
    firstNames: list(cells.firstNames),
    birthDate: isoDateOf(cells.birthDate),
    sex: cells.sex?.toUpperCase(),
    birthPlace: cells.birthPlace,
    birthPlaceCodes: Object.keys(codes).length > 0 ? codes : undefined,
    email: cells.email,
  });
  const enroll = defined({
    candidateId,
    referentialId: cells.referentialId,
    version: cells.version,
    cohort: cells.cohort,
    accessRoute: cells.accessRoute?.toLowerCase().replace(/\s+/g, '-'),
    optionBlocs: list(cells.optionBlocs),
    apprenticeship: cells.masterId !== undefined || cells.company !== undefined ? defined({ masterId: cells.masterId, company: cells.company }) : undefined,
    trainingStartDate: isoDateOf(cells.trainingStartDate),
    registrationInitiative: cells.registrationInitiative,
    vaeVoie: cells.vaeVoie?.toLowerCase(),
  });
  return { register, enroll };
}

/**
 * The row checked by the api's own request classes, with the ValidationPipe's options: the same
 * class-validator rules as POST /candidates and POST /enrollments, each refusal under its column.
 */
export async function checkRequests(cells: SheetRow['cells'], candidateId: string): Promise<{ requests: RowRequests } | { reasons: RowReason[] }> {
  const bodies = requestBodiesOf(cells, candidateId);
  const register = plainToInstance(RegisterCandidateRequest, bodies.register);
  const enroll = plainToInstance(EnrollRequest, bodies.enroll);
  const options = { whitelist: true, forbidNonWhitelisted: true };
  const reasons = [...fieldReasons(await validate(register, options), bodies.register), ...fieldReasons(await validate(enroll, options), bodies.enroll)];
  return reasons.length > 0 ? { reasons } : { requests: { register, enroll } };
}

function valueAt(body: object, field: string): unknown {
  return field
    .split('.')
    .reduce<unknown>((value, part) => (value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined), body);
}

function fieldReasons(errors: FieldError[], body: object, prefix = ''): RowReason[] {
  return errors.flatMap((error) => {
    const field = `${prefix}${error.property}`;
    const own = error.constraints
      ? [
          {
            column: columnOfField(field)?.header ?? ROW,
            field: field.replace(/\.\d+$/, ''),
            message: frenchReason(field, error.constraints, valueAt(body, field)),
          },
        ]
      : [];
    return [...own, ...fieldReasons(error.children ?? [], body, `${field}.`)];
  });
}

const isBlank = (value: unknown) => value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);

const FORMATS: Record<string, string> = {
  'birthPlaceCodes.inseeCode': 'code INSEE invalide : 5 caractères (2A/2B en Corse, 99xxx pour l’étranger)',
  'birthPlaceCodes.postalCode': 'code postal invalide : 9 caractères au plus',
  'birthPlaceCodes.countryCode': 'code pays invalide : 3 lettres ou chiffres',
  referentialId: 'identifiant de certification invalide : minuscules, chiffres et tirets (voir « Référentiels »)',
  optionBlocs: 'code de bloc invalide (ex. BC05)',
  trainingStartDate: 'date invalide : JJ/MM/AAAA ou AAAA-MM-JJ',
};

/** A class-validator refusal as a person reads it, without repeating the value (the report holds no personal data). */
function frenchReason(field: string, constraints: Record<string, string>, value: unknown): string {
  const [constraint, message] = Object.entries(constraints)[0];
  if (isBlank(value)) return 'obligatoire';
  const max = /shorter than or equal to (\d+)/.exec(message);
  switch (constraint) {
    case 'isEmail':
      return 'adresse e-mail invalide';
    case 'isIn':
      return `valeur inconnue : attendu ${message
        .replace(/^.*following values: /, '')
        .split(', ')
        .join(', ')}`;
    case 'isCalendarDate':
      return 'date invalide : JJ/MM/AAAA ou AAAA-MM-JJ, une date qui existe';
    case 'arrayMaxSize':
      return 'trop de valeurs';
    case 'arrayMinSize':
      return 'obligatoire';
    case 'isLength':
      return max ? `trop long : ${max[1]} caractères au plus` : 'obligatoire';
    case 'matches':
      return FORMATS[field.replace(/\.\d+$/, '')] ?? 'format invalide';
    case 'whitelistValidation':
      return 'champ inconnu';
  }
  return `valeur invalide (${message})`;
}

/** The column a decision's refusal concerns, when its details name no field. */
const FIELD_OF_CODE: Record<string, string> = {
  'REFERENTIAL.NOT_PUBLISHED': 'referentialId',
  'ENROLLMENT.VERSION_WITHDRAWN': 'version',
  'ENROLLMENT.VERSION_MISMATCH': 'version',
  'ENROLLMENT.UNKNOWN_ACCESS_ROUTE': 'accessRoute',
  'OPTION.UNKNOWN_BLOC': 'optionBlocs',
  'OPTION.NOT_AN_OPTION_BLOC': 'optionBlocs',
  'OPTION.DUPLICATE_BLOC': 'optionBlocs',
  'OPTION.TOO_MANY_IN_GROUP': 'optionBlocs',
  'OPTION.INCOMPLETABLE_ON_ROUTE': 'optionBlocs',
  'CANDIDATE.INVALID_BIRTH_DATE': 'birthDate',
  'CANDIDATE.FIRST_NAME_REQUIRED': 'firstNames',
};

type Details = Readonly<Record<string, unknown>>;
const joined = (value: unknown) => (Array.isArray(value) ? value.join(', ') : String(value ?? ''));

/** The api's refusals by a decision, said in French (as the console says them from their code). */
const FRENCH_OF_CODE: Record<string, (d: Details) => string> = {
  'REFERENTIAL.NOT_PUBLISHED': (d) => `certification inconnue : ${d.referentialId} version ${d.version} n’est pas publiée`,
  'ENROLLMENT.VERSION_WITHDRAWN': (d) => `cette version n’accepte plus de nouvelles inscriptions (retirée le ${String(d.withdrawnAt).slice(0, 10)})`,
  'ENROLLMENT.ROUTE_NOT_OPEN': (d) => `cette certification n’est pas ouverte à cette voie d’accès (voies ouvertes : ${joined(d.openRoutes)})`,
  'ENROLLMENT.UNKNOWN_ACCESS_ROUTE': () => 'voie d’accès inconnue',
  'ENROLLMENT.APPRENTICESHIP_MASTER_REQUIRED': () =>
    'sur cette voie, la certification a des épreuves évaluées par le maître d’apprentissage : nommez-le, avec l’entreprise',
  'ENROLLMENT.VAE_VOIE_OFF_ROUTE': () => 'une voie VAE ne se déclare que sur la voie d’accès vae',
  'ENROLLMENT.UNKNOWN_VAE_VOIE': () => 'voie VAE inconnue : conge-vae ou vae-classique',
  'ENROLLMENT.UNKNOWN_REGISTRATION_INITIATIVE': () => 'initiative inconnue : candidate, training-organisation, france-travail, employer ou other',
  'OPTION.UNKNOWN_BLOC': (d) => `le bloc ${d.bloc} n’existe pas dans cette certification`,
  'OPTION.NOT_AN_OPTION_BLOC': (d) => `le bloc ${d.bloc} est obligatoire, pas une option`,
  'OPTION.DUPLICATE_BLOC': () => 'un bloc est choisi deux fois',
  'OPTION.TOO_MANY_IN_GROUP': (d) => `le groupe d’options ${d.group} prend ${d.choose} bloc(s), ${d.chosen} choisi(s)`,
  'OPTION.INCOMPLETABLE_ON_ROUTE': (d) => `le bloc ${d.bloc} ne peut pas être obtenu sur la voie ${d.route} (compétences ${joined(d.competencies)})`,
  'CANDIDATE.INVALID_BIRTH_DATE': () => 'la date de naissance doit être passée',
  'CANDIDATE.FIRST_NAME_REQUIRED': () => 'au moins un prénom',
  'COMMAND.INVALID_DATE': () => 'date invalide : JJ/MM/AAAA ou AAAA-MM-JJ',
};

/** A decider's refusal (or the référentiel's resolver's) as a reason under its column. */
export function decisionReason(error: DomainError): RowReason {
  const field = typeof error.details.field === 'string' ? error.details.field : FIELD_OF_CODE[error.code];
  const column = field ? (columnOfField(field)?.header ?? ROW) : ROW;
  const french = FRENCH_OF_CODE[error.code];
  return { column, ...(field ? { field } : {}), code: error.code, message: french ? french(error.details) : error.message };
}

/** A reason about the whole row (its key, a duplicate). */
export const rowReason = (message: string, column: string = ROW): RowReason => ({ column, message });

/** The header of a column. */
export const headerOf = (key: CohortColumnKey): string => COHORT_COLUMNS.find((c) => c.key === key)!.header;

/** The name a row's report shows: the first names then the birth name, as the file has them. */
export const nameOf = (cells: SheetRow['cells']): string =>
  [cells.firstNames?.split(/[,;]/)[0]?.trim(), cells.birthName?.toUpperCase()].filter(Boolean).join(' ');
