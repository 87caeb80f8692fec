import { readFileSync } from 'node:fs';
import { EMAIL_ADDRESS, isMailbox } from './mailbox';

/** One certification a certifier declares: the référentiel it is tracked under, and its code in the répertoire. */
export interface DeclaredCertification {
  readonly referentialId: string;
  readonly type: 'RNCP' | 'RS';
  /** e.g. RNCP35288, RS5432: what the CDC knows the certification by. */
  readonly code: string;
}

/**
 * The certifier as the issuer of its certifications' documents (R15, Open Badges 3.0): its profile
 * at `<PUBLIC_BASE_URL>/issuers/<id>` (the credentials' issuer), its keys under the same id, its
 * status lists; its legal name (and trade name) printed on the documents, and who signs them.
 */
export interface CertifierIssuer {
  /** The certifier's legal name (raison sociale): printed on its documents, its profile's and credentials' issuer name. */
  readonly legalName: string;
  /** Its trade name (nom commercial), printed after the legal name where given. */
  readonly tradeName?: string;
  readonly url?: string;
  readonly email?: string;
  /** The URL of its image (a logo), in its profile. */
  readonly image?: string;
  /** Its responsible person, or someone they empowered, who signs its documents: name, capacity, the file of their signature (PNG or JPEG). */
  readonly signatory?: { readonly name: string; readonly capacity: string; readonly imageFile?: string };
}

/** A certifier's CDC settings (accrochage): the client ids of the sender of the flux and of the certifier, 8 characters each, and its contract. */
export interface CertifierAccrochage {
  readonly senderClientId: string;
  readonly certifierClientId: string;
  readonly contractId: string;
}

/**
 * One certifier of this instance (CERTIFIERS): the certifications it certifies (by référentiel),
 * the organisation whose admins act for it, and what it does here — issue its documents as itself
 * (`issuer`, where its legal name is given), declare its holders to the Caisse des Dépôts
 * (`accrochage`, where its CDC ids are given), or both.
 */
export interface Certifier {
  /** Lower-case letters, digits and single hyphens: the --certifier name, and its issuer slug (its URLs, its keys). */
  readonly id: string;
  readonly organisationId: string;
  readonly certifications: readonly DeclaredCertification[];
  /** Who the e-mails delivering the documents of its certifications come from, where it is not MAIL_FROM. */
  readonly mailFrom?: string;
  readonly issuer?: CertifierIssuer;
  readonly accrochage?: CertifierAccrochage;
}

/**
 * A certifier's settings with the Caisse des Dépôts (accrochage): its client ids (of the sender of
 * the flux and of the certifier, 8 characters each), its contract, and the certifications it
 * declares. The admins of `organisationId` produce its declarations. (The certifiers of CERTIFIERS
 * that give their CDC ids, as the accrochage reads them.)
 */
export interface AccrochageCertifier extends CertifierAccrochage {
  /** The name given on the command line (`--certifier`): lower-case letters, digits and hyphens. */
  readonly id: string;
  readonly organisationId: string;
  readonly certifications: readonly DeclaredCertification[];
  /**
   * Who the e-mails delivering the documents of its certifications come from (« École Data
   * <certificats@ecole-data.fr> »), where it is not MAIL_FROM.
   */
  readonly mailFrom?: string;
}

const CERTIFIER_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const CLIENT_ID = /^[A-Za-z0-9]{8}$/;
const CODES: Record<DeclaredCertification['type'], RegExp> = { RNCP: /^RNCP[0-9]{1,6}$/, RS: /^RS[0-9]{1,6}$/ };
const ACCROCHAGE_FIELDS = ['senderClientId', 'certifierClientId', 'contractId'] as const;
const ISSUER_FIELDS = ['legalName', 'tradeName', 'url', 'email', 'image', 'signatory'] as const;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * CERTIFIERS (or, as before, ACCROCHAGE_CERTIFIERS: the same list under its first name): the path
 * of a JSON file, or the JSON itself, listing the certifiers; read and checked at start-up, each
 * wrong field named, so a wrong id is said before the first document or declaration, not at it.
 */
export function certifiersOf(env: Env, problems: string[]): Certifier[] {
  const given = (['CERTIFIERS', 'ACCROCHAGE_CERTIFIERS'] as const).filter((name) => env[name]?.trim());
  if (given.length === 0) return [];
  if (given.length > 1) {
    problems.push('CERTIFIERS and ACCROCHAGE_CERTIFIERS are one list under two names: give CERTIFIERS only');
    return [];
  }
  const variable = given[0];
  const raw = env[variable]!;
  let parsed: unknown;
  try {
    const text = raw.trim().startsWith('[') ? raw : readFileSync(raw.trim(), 'utf8');
    parsed = JSON.parse(text);
  } catch (error) {
    problems.push(`${variable} must be a JSON list of certifiers or the path of a file holding one: ${(error as Error).message}`);
    return [];
  }
  if (!Array.isArray(parsed)) {
    problems.push(`${variable} must be a JSON list of certifiers`);
    return [];
  }
  const certifiers: Certifier[] = [];
  parsed.forEach((entry: Record<string, unknown>, i) => {
    const where = `${variable}[${i}]${typeof entry?.id === 'string' ? ` ("${entry.id}")` : ''}`;
    const before = problems.length;
    const text = (field: string, test: (v: string) => boolean, expected: string): string => {
      const value = entry?.[field];
      if (typeof value !== 'string' || !test(value)) problems.push(`${where}.${field} must be ${expected}`);
      return typeof value === 'string' ? value.trim() : String(value);
    };
    const optional = (field: string, test: (v: string) => boolean, expected: string): string | undefined =>
      entry?.[field] === undefined ? undefined : text(field, test, expected);
    const id = text(
      'id',
      (v) => CERTIFIER_ID.test(v) && v.length <= 63,
      'lower-case letters and digits with single hyphens, at most 63 characters (the --certifier name and its issuer slug)',
    );
    const organisationId = text('organisationId', (v) => v.trim().length > 0, 'the organisation whose admins act for this certifier');
    const declaresToCdc = ACCROCHAGE_FIELDS.some((field) => entry?.[field] !== undefined);
    const issues = ISSUER_FIELDS.some((field) => entry?.[field] !== undefined);
    if (!declaresToCdc && !issues)
      problems.push(
        `${where} must give its legalName (to issue its documents as itself) or its CDC ids senderClientId, certifierClientId and contractId (to declare its holders), or both`,
      );
    let accrochage: CertifierAccrochage | undefined;
    if (declaresToCdc) {
      accrochage = {
        senderClientId: text('senderClientId', (v) => CLIENT_ID.test(v), "the sender's CDC client id: 8 letters or digits"),
        certifierClientId: text('certifierClientId', (v) => CLIENT_ID.test(v), "the certifier's CDC client id: 8 letters or digits"),
        contractId: text('contractId', (v) => v.length >= 1 && v.length <= 20, 'the CDC contract id: 1 to 20 characters'),
      };
    }
    let issuer: CertifierIssuer | undefined;
    if (issues) {
      const legalName = text(
        'legalName',
        (v) => v.trim().length > 0 && v.length <= 200,
        'the certifier’s legal name (raison sociale), printed on its documents',
      );
      const tradeName = optional('tradeName', (v) => v.trim().length > 0 && v.length <= 200, 'its trade name (nom commercial), or left out');
      const url = optional('url', (v) => isHttpUrl(v), 'its web site, an http(s):// URL');
      const email = optional('email', (v) => EMAIL_ADDRESS.test(v.trim()), 'its e-mail address');
      const image = optional('image', (v) => isHttpUrl(v), 'the http(s):// URL of its image (a logo)');
      const signatory = signatoryOf(entry?.signatory, `${where}.signatory`, problems);
      issuer = {
        legalName,
        ...(tradeName ? { tradeName } : {}),
        ...(url ? { url } : {}),
        ...(email ? { email } : {}),
        ...(image ? { image } : {}),
        ...(signatory ? { signatory } : {}),
      };
    }
    const list = Array.isArray(entry?.certifications) ? (entry.certifications as Record<string, unknown>[]) : [];
    if (list.length === 0) problems.push(`${where}.certifications must list the certifications it certifies ({ referentialId, type: RNCP|RS, code })`);
    const certifications = list.map((c, j): DeclaredCertification => {
      const type = c?.type === 'RNCP' || c?.type === 'RS' ? c.type : undefined;
      if (!type) problems.push(`${where}.certifications[${j}].type must be RNCP or RS`);
      if (typeof c?.referentialId !== 'string' || !c.referentialId) problems.push(`${where}.certifications[${j}].referentialId must name a référentiel`);
      if (type && (typeof c?.code !== 'string' || !CODES[type].test(c.code)))
        problems.push(`${where}.certifications[${j}].code must be the ${type} code (e.g. ${type === 'RNCP' ? 'RNCP35288' : 'RS5432'})`);
      return { referentialId: String(c?.referentialId), type: type ?? 'RNCP', code: String(c?.code) };
    });
    const mailFrom = entry?.mailFrom;
    if (mailFrom !== undefined && (typeof mailFrom !== 'string' || !isMailbox(mailFrom)))
      problems.push(`${where}.mailFrom must be the sender of its documents' e-mails: an address, or a name and <address>`);
    if (certifiers.some((c) => c.id === id)) problems.push(`${where}.id is given twice`);
    const repeated = certifications.map((c) => c.referentialId).filter((r, k, all) => all.indexOf(r) !== k);
    if (repeated.length > 0) problems.push(`${where}.certifications lists ${repeated[0]} twice: a référentiel is certified under one code`);
    if (issuer) {
      // A référentiel's documents have one issuer: two certifiers cannot both issue them.
      for (const { referentialId } of certifications) {
        const other = certifiers.find((c) => c.issuer && c.certifications.some((d) => d.referentialId === referentialId));
        if (other) problems.push(`${where}.certifications: ${referentialId} is already issued by "${other.id}": a référentiel’s documents have one issuer`);
      }
    }
    if (problems.length === before)
      certifiers.push({
        id,
        organisationId,
        certifications,
        ...(typeof mailFrom === 'string' ? { mailFrom: mailFrom.trim() } : {}),
        ...(issuer ? { issuer } : {}),
        ...(accrochage ? { accrochage } : {}),
      });
  });
  return certifiers;
}

/** The certifiers that declare their holders to the Caisse des Dépôts (those that give their CDC ids), as the accrochage reads them. */
export function accrochageCertifiersOf(certifiers: readonly Certifier[]): AccrochageCertifier[] {
  return certifiers.flatMap(({ id, organisationId, certifications, mailFrom, accrochage }) =>
    accrochage ? [{ id, organisationId, ...accrochage, certifications, ...(mailFrom ? { mailFrom } : {}) }] : [],
  );
}

/** `{ name, capacity, signatureImage? }`: who signs the certifier's documents; the image file is read when the documents' renderer starts. */
function signatoryOf(value: unknown, where: string, problems: string[]): CertifierIssuer['signatory'] {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push(`${where} must be { "name", "capacity", "signatureImage" }: who signs its documents, and the file of their signature`);
    return undefined;
  }
  const { name, capacity, signatureImage } = value as Record<string, unknown>;
  const before = problems.length;
  if (typeof name !== 'string' || !name.trim()) problems.push(`${where}.name must be the signatory’s name, as printed`);
  if (typeof capacity !== 'string' || !capacity.trim())
    problems.push(`${where}.capacity must be the signatory’s capacity, as printed (e.g. Directrice de la certification)`);
  if (signatureImage !== undefined && (typeof signatureImage !== 'string' || !signatureImage.trim()))
    problems.push(`${where}.signatureImage must be the path of their signature image (PNG or JPEG)`);
  if (problems.length > before) return undefined;
  return {
    name: (name as string).trim(),
    capacity: (capacity as string).trim(),
    ...(typeof signatureImage === 'string' ? { imageFile: signatureImage.trim() } : {}),
  };
}

function isHttpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}
