import { Titulaire } from '@jalon/domain';

/**
 * The CDC's accrochage flux (XSD v2.0.0, namespace urn:cdc:cpf:pc5:schema:1.0.0), written in
 * pieces so that an export of any size is streamed: the head, then each certification's opening,
 * its passages, its closing, then the tail.
 */
export const ACCROCHAGE_NAMESPACE = 'urn:cdc:cpf:pc5:schema:1.0.0';

export interface FluxHead {
  readonly idFlux: string;
  /** `YYYY-MM-DDThh:mm:ss+hh:mm`, as the schema's pattern asks. */
  readonly horodatage: string;
  readonly senderClientId: string;
  readonly certifierClientId: string;
  readonly contractId: string;
}

/** One award as the CDC takes it (`passageCertification`). */
export interface Passage {
  readonly idTechnique: string;
  readonly urlPreuve?: string;
  readonly libelleOption?: string;
  readonly dateDebutExamen?: string;
  readonly dateFinExamen?: string;
  readonly modalitePassageExamen?: 'A_DISTANCE' | 'EN_PRESENTIEL' | 'MIXTE';
  readonly dateDebutValidite: string;
  readonly modaliteAcces: string;
  readonly voieAccessVAE?: string;
  readonly initiativeInscription?: string;
  readonly dateInscription?: string;
  readonly titulaire: Titulaire;
}

const escape = (value: string): string => value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
const el = (name: string, value: string | number | boolean | undefined, indent: string): string =>
  value === undefined ? '' : `${indent}<cpf:${name}>${escape(String(value))}</cpf:${name}>\n`;
const nil = (name: string, indent: string): string => `${indent}<cpf:${name} xsi:nil="true"/>\n`;
const cut = (value: string | undefined, max: number): string | undefined => (value === undefined ? undefined : value.slice(0, max));

export function fluxHead(head: FluxHead): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<cpf:flux xmlns:cpf="${ACCROCHAGE_NAMESPACE}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n` +
    el('idFlux', head.idFlux, '  ') +
    el('horodatage', head.horodatage, '  ') +
    `  <cpf:emetteur>\n` +
    el('idClient', head.senderClientId, '    ') +
    `    <cpf:certificateurs>\n      <cpf:certificateur>\n` +
    el('idClient', head.certifierClientId, '        ') +
    el('idContrat', head.contractId, '        ') +
    `        <cpf:certifications>\n`
  );
}

export function certificationOpening(type: string, code: string): string {
  const i = '          ';
  return `${i}<cpf:certification>\n` + el('type', type, `${i}  `) + el('code', code, `${i}  `) + `${i}  <cpf:passageCertifications>\n`;
}

export function passage(p: Passage): string {
  const i = '              ';
  const j = `${i}  `;
  const t = p.titulaire;
  const k = `${j}    `;
  return (
    `${i}<cpf:passageCertification>\n` +
    el('idTechnique', p.idTechnique, j) +
    el('urlPreuve', cut(p.urlPreuve, 255), j) +
    el('libelleOption', cut(p.libelleOption, 255), j) +
    el('obtentionCertification', 'PAR_ADMISSION', j) +
    el('donneeCertifiee', true, j) +
    el('dateDebutExamen', p.dateDebutExamen, j) +
    el('dateFinExamen', p.dateFinExamen, j) +
    el('modalitePassageExamen', p.modalitePassageExamen, j) +
    el('dateDebutValidite', p.dateDebutValidite, j) +
    // An RNCP or RS certification, once awarded, does not expire.
    nil('dateFinValidite', j) +
    el('presenceNiveauLangueEuro', false, j) +
    el('presenceNiveauNumeriqueEuro', false, j) +
    nil('scoring', j) +
    nil('mentionValidee', j) +
    `${j}<cpf:modalitesInscription>\n` +
    el('modaliteAcces', p.modaliteAcces, `${j}  `) +
    el('voieAccessVAE', p.voieAccessVAE, `${j}  `) +
    el('initiativeInscription', p.initiativeInscription, `${j}  `) +
    el('dateInscription', p.dateInscription, `${j}  `) +
    `${j}</cpf:modalitesInscription>\n` +
    `${j}<cpf:identificationTitulaire>\n${j}  <cpf:titulaire>\n` +
    el('nomNaissance', t.nomNaissance, k) +
    (t.nomUsage ? el('nomUsage', t.nomUsage, k) : nil('nomUsage', k)) +
    el('prenom1', t.prenoms[0], k) +
    el('prenom2', t.prenoms[1], k) +
    el('prenom3', t.prenoms[2], k) +
    el('anneeNaissance', t.anneeNaissance, k) +
    el('moisNaissance', t.moisNaissance, k) +
    el('jourNaissance', t.jourNaissance, k) +
    el('sexe', t.sexe, k) +
    `${k}<cpf:codeCommuneNaissance>\n` +
    (t.codeInseeNaissance
      ? `${k}  <cpf:codeInseeNaissance>\n${el('codeInsee', t.codeInseeNaissance, `${k}    `)}${k}  </cpf:codeInseeNaissance>\n`
      : `${k}  <cpf:codePostalNaissance>\n${el('codePostal', t.codePostalNaissance, `${k}    `)}${k}  </cpf:codePostalNaissance>\n`) +
    `${k}</cpf:codeCommuneNaissance>\n` +
    el('codePaysNaissance', t.codePaysNaissance, k) +
    el('libellePaysNaissance', t.libellePaysNaissance, k) +
    `${j}  </cpf:titulaire>\n${j}</cpf:identificationTitulaire>\n` +
    `${i}</cpf:passageCertification>\n`
  );
}

export const certificationClosing = (): string => `            </cpf:passageCertifications>\n          </cpf:certification>\n`;

export const fluxTail = (): string => `        </cpf:certifications>\n      </cpf:certificateur>\n    </cpf:certificateurs>\n  </cpf:emetteur>\n</cpf:flux>\n`;

/** An instant as the schema's `horodatage` pattern asks it: Paris time with its offset, to the second. */
export function horodatage(instant: Date): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Paris',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    })
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  // longOffset reads "GMT+01:00" (or "GMT" at +00:00, which Paris never is, but the format says it).
  const offset = parts.timeZoneName === 'GMT' ? '+00:00' : parts.timeZoneName.replace('GMT', '');
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${offset}`;
}
