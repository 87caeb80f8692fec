import { readFileSync } from 'node:fs';
import { isMailbox } from './mailbox';

/** One certification a certifier declares: the référentiel it is tracked under, and its code in the répertoire. */
export interface DeclaredCertification {
  readonly referentialId: string;
  readonly type: 'RNCP' | 'RS';
  /** e.g. RNCP35288, RS5432: what the CDC knows the certification by. */
  readonly code: string;
}

/**
 * A certifier's settings with the Caisse des Dépôts (accrochage): its client ids (of the sender of
 * the flux and of the certifier, 8 characters each), its contract, and the certifications it
 * declares. The admins of `organisationId` produce its declarations.
 */
export interface AccrochageCertifier {
  /** The name given on the command line (`--certifier`): lower-case letters, digits and hyphens. */
  readonly id: string;
  readonly organisationId: string;
  readonly senderClientId: string;
  readonly certifierClientId: string;
  readonly contractId: string;
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

/**
 * ACCROCHAGE_CERTIFIERS: the path of a JSON file (or the JSON itself) listing the certifiers, read
 * and checked at start-up, so a wrong id is said before the first declaration, not at it.
 */
export function accrochageCertifiersOf(raw: string | undefined, problems: string[]): AccrochageCertifier[] {
  if (!raw?.trim()) return [];
  let parsed: unknown;
  try {
    const text = raw.trim().startsWith('[') ? raw : readFileSync(raw.trim(), 'utf8');
    parsed = JSON.parse(text);
  } catch (error) {
    problems.push(`ACCROCHAGE_CERTIFIERS must be a JSON list of certifiers or the path of a file holding one: ${(error as Error).message}`);
    return [];
  }
  if (!Array.isArray(parsed)) {
    problems.push('ACCROCHAGE_CERTIFIERS must be a JSON list of certifiers');
    return [];
  }
  const certifiers: AccrochageCertifier[] = [];
  parsed.forEach((entry: Record<string, unknown>, i) => {
    const where = `ACCROCHAGE_CERTIFIERS[${i}]${typeof entry?.id === 'string' ? ` ("${entry.id}")` : ''}`;
    const before = problems.length;
    const text = (field: string, test: (v: string) => boolean, expected: string): string => {
      const value = entry?.[field];
      if (typeof value !== 'string' || !test(value)) problems.push(`${where}.${field} must be ${expected}`);
      return String(value);
    };
    const id = text('id', (v) => CERTIFIER_ID.test(v) && v.length <= 63, 'lower-case letters and digits with single hyphens (the --certifier name)');
    const organisationId = text('organisationId', (v) => v.trim().length > 0, 'the organisation whose admins declare for this certifier');
    const senderClientId = text('senderClientId', (v) => CLIENT_ID.test(v), "the sender's CDC client id: 8 letters or digits");
    const certifierClientId = text('certifierClientId', (v) => CLIENT_ID.test(v), "the certifier's CDC client id: 8 letters or digits");
    const contractId = text('contractId', (v) => v.length >= 1 && v.length <= 20, 'the CDC contract id: 1 to 20 characters');
    const list = Array.isArray(entry?.certifications) ? (entry.certifications as Record<string, unknown>[]) : [];
    if (list.length === 0) problems.push(`${where}.certifications must list the certifications it declares ({ referentialId, type: RNCP|RS, code })`);
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
    if (repeated.length > 0) problems.push(`${where}.certifications lists ${repeated[0]} twice: a référentiel is declared under one code`);
    if (problems.length === before)
      certifiers.push({
        id,
        organisationId,
        senderClientId,
        certifierClientId,
        contractId,
        certifications,
        ...(typeof mailFrom === 'string' ? { mailFrom: mailFrom.trim() } : {}),
      });
  });
  return certifiers;
}
