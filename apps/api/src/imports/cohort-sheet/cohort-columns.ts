/**
 * The column set of a cohort file: one row per candidate and enrollment, French headers. Each
 * column says which field of the api's requests it fills (RegisterCandidateRequest, EnrollRequest),
 * so a refusal of that field is reported under its column. The order here is the template's.
 */
export type CohortColumnKey =
  | 'candidateNumber'
  | 'birthName'
  | 'usageName'
  | 'firstNames'
  | 'birthDate'
  | 'sex'
  | 'birthPlace'
  | 'inseeCode'
  | 'postalCode'
  | 'countryCode'
  | 'countryName'
  | 'email'
  | 'referentialId'
  | 'version'
  | 'cohort'
  | 'accessRoute'
  | 'optionBlocs'
  | 'masterId'
  | 'company'
  | 'registrationInitiative'
  | 'vaeVoie'
  | 'trainingStartDate';

export interface CohortColumn {
  readonly key: CohortColumnKey;
  /** The header, as the template writes it (matched ignoring case, accents and punctuation). */
  readonly header: string;
  readonly required: boolean;
  /** The request fields it fills, as the api names them in its refusals. */
  readonly fields: readonly string[];
  /** What to write there, in French (README and the template's second sheet). */
  readonly help: string;
  readonly example: string;
}

export const COHORT_COLUMNS: readonly CohortColumn[] = [
  {
    key: 'candidateNumber',
    header: 'N° candidat',
    required: true,
    fields: [],
    help: 'Le numéro du candidat dans l’école, unique dans le fichier : la clé de la ligne (réimporter le fichier ne crée rien de nouveau)',
    example: 'ED-2026-001',
  },
  { key: 'birthName', header: 'Nom de naissance', required: true, fields: ['birthName'], help: 'Nom de naissance', example: 'Martin' },
  { key: 'usageName', header: 'Nom d’usage', required: false, fields: ['usageName'], help: 'Nom d’usage, s’il diffère', example: 'Durand' },
  {
    key: 'firstNames',
    header: 'Prénoms',
    required: true,
    fields: ['firstNames'],
    help: 'Prénoms dans l’ordre de l’état civil, séparés par des virgules',
    example: 'Léa, Marie',
  },
  {
    key: 'birthDate',
    header: 'Date de naissance',
    required: true,
    fields: ['birthDate'],
    help: 'JJ/MM/AAAA ou AAAA-MM-JJ (ou une date Excel)',
    example: '14/03/2001',
  },
  { key: 'sex', header: 'Sexe', required: true, fields: ['sex'], help: 'F ou M', example: 'F' },
  {
    key: 'birthPlace',
    header: 'Lieu de naissance',
    required: true,
    fields: ['birthPlace'],
    help: 'Commune (département), ou ville et pays',
    example: 'Lyon (69)',
  },
  {
    key: 'inseeCode',
    header: 'Code INSEE de naissance',
    required: false,
    fields: ['birthPlaceCodes.inseeCode'],
    help: 'Code INSEE de la commune (5 caractères, 2A/2B en Corse ; né à l’étranger : 99 + code pays INSEE)',
    example: '69123',
  },
  {
    key: 'postalCode',
    header: 'Code postal de naissance',
    required: false,
    fields: ['birthPlaceCodes.postalCode'],
    help: 'À défaut du code INSEE',
    example: '69001',
  },
  {
    key: 'countryCode',
    header: 'Code pays de naissance',
    required: false,
    fields: ['birthPlaceCodes.countryCode'],
    help: 'Né à l’étranger : code du pays (3 caractères)',
    example: '',
  },
  {
    key: 'countryName',
    header: 'Pays de naissance',
    required: false,
    fields: ['birthPlaceCodes.countryName'],
    help: 'Né à l’étranger : nom du pays',
    example: '',
  },
  { key: 'email', header: 'E-mail', required: true, fields: ['email'], help: 'Adresse e-mail du candidat', example: 'lea.durand@example.org' },
  {
    key: 'referentialId',
    header: 'Certification',
    required: true,
    fields: ['referentialId'],
    help: 'Identifiant du référentiel publié (voir « Référentiels »)',
    example: 'expert-ingenierie-science-donnees',
  },
  { key: 'version', header: 'Version', required: true, fields: ['version'], help: 'Version du référentiel', example: '1' },
  { key: 'cohort', header: 'Promotion', required: true, fields: ['cohort'], help: 'La promotion (cohorte)', example: '2026-A' },
  {
    key: 'accessRoute',
    header: 'Voie d’accès',
    required: true,
    fields: ['accessRoute'],
    help: 'formation-initiale, apprentissage, formation-continue, contrat-de-professionnalisation, vae ou candidat-libre',
    example: 'formation-initiale',
  },
  {
    key: 'optionBlocs',
    header: 'Option',
    required: false,
    fields: ['optionBlocs'],
    help: 'Bloc(s) d’option choisi(s), séparés par des virgules (ex. BC05)',
    example: 'BC05',
  },
  {
    key: 'masterId',
    header: 'Maître d’apprentissage',
    required: false,
    fields: ['apprenticeship.masterId', 'apprenticeship'],
    help: 'Apprentissage : l’identifiant du maître d’apprentissage',
    example: '',
  },
  { key: 'company', header: 'Entreprise', required: false, fields: ['apprenticeship.company'], help: 'Apprentissage : l’entreprise', example: '' },
  {
    key: 'registrationInitiative',
    header: 'Initiative de l’inscription',
    required: false,
    fields: ['registrationInitiative'],
    help: 'candidate, training-organisation, france-travail, employer ou other',
    example: '',
  },
  { key: 'vaeVoie', header: 'Voie VAE', required: false, fields: ['vaeVoie'], help: 'Voie vae : conge-vae ou vae-classique', example: '' },
  {
    key: 'trainingStartDate',
    header: 'Début de formation',
    required: false,
    fields: ['trainingStartDate'],
    help: 'JJ/MM/AAAA ou AAAA-MM-JJ',
    example: '01/09/2025',
  },
];

/** A header as compared: lower case, without accents, apostrophes, ° or punctuation. */
export const normalizeHeader = (header: string): string =>
  header
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/n°|no\b|numero/g, 'n')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

const BY_HEADER = new Map(COHORT_COLUMNS.map((column) => [normalizeHeader(column.header), column]));

/** The column of a header, if it is one of the set. */
export const columnOfHeader = (header: string): CohortColumn | undefined => BY_HEADER.get(normalizeHeader(header));

/** The column a refused request field is reported under (`apprenticeship.company` → « Entreprise »). */
export function columnOfField(field: string): CohortColumn | undefined {
  return (
    COHORT_COLUMNS.find((column) => column.fields.includes(field)) ??
    COHORT_COLUMNS.find((column) => column.fields.some((f) => field.startsWith(`${f}.`) || f.startsWith(`${field}.`)))
  );
}
