import { asLine, blocCompetencies, certifierName, documentKindLabel, holderNameLines, levelPhrase, nsfLine, registrationPhrases } from '@jalon/issuance';
import { Verification } from './document-reads.service';

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];
const frenchDate = (iso: string) => {
  const d = new Date(iso);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
};
const REASONS: Record<string, string> = { 'bloc-annulled': 'annulation du bloc par le jury', 'certification-revoked': 'retrait de la certification' };

/** Where a machine reads whether the document is revoked, for a document that has an entry in a status list. */
function statusListSentence(v: Verification): string {
  if (!v.statusList) return '';
  const url = escape(v.statusList.url);
  return `<p id="status-list"><small>Un logiciel peut vérifier ce certificat numérique hors ligne avec les clés publiques de l’émetteur (<a href="/.well-known/jwks.json">/.well-known/jwks.json</a>), et lire son statut de révocation dans la liste de statuts publiée à l’adresse <a href="${url}">${url}</a> (position ${v.statusList.index}).</small></p>
`;
}

/** Where the issuer's public keys are: its key set, where the verification names the issuer; else the first credentials' /issuer. */
function offlineSentence(v: Verification): string {
  const keys = v.issuer ? escape(`${v.issuer.id}/jwks.json`) : '/issuer';
  const issuer = v.issuer?.name ? ` (${escape(v.issuer.name)})` : '';
  return `<p id="issuer-keys"><small>La signature du certificat numérique peut aussi être vérifiée hors ligne avec la clé publique de l’émetteur${issuer} : <a href="${keys}">${keys}</a>.</small></p>`;
}

/** The public page anyone reaches from the QR code: in French, with nothing beyond what the document shows. */
export function verificationPage(v: Verification): string {
  const verdict = {
    valid: ['Document authentique et valide', '#1b5e20'],
    revoked: ['Document révoqué', '#b71c1c'],
    invalid: ['Document altéré : il ne correspond pas à l’original', '#b71c1c'],
    unknown: ['Aucun document ne porte ce numéro', '#555'],
  }[v.status];
  const rows: [string, string | string[]][] = [];
  if (v.document && v.kind) {
    const d = v.document;
    // The same wording as the document's (french.ts in @jalon/issuance): the kind, and only the mentions the référentiel states.
    const certification = {
      kind: d.certificationKind,
      title: d.certificationTitle,
      ...(d.rncpCode ? { rncpCode: d.rncpCode } : {}),
      ...(d.rsCode ? { rsCode: d.rsCode } : {}),
      ...(d.registration ? { registration: d.registration } : {}),
      ...(d.nsfCodes ? { nsfCodes: d.nsfCodes } : {}),
      ...(d.level !== undefined ? { level: d.level } : {}),
      ...(d.eqfLevel !== undefined ? { eqfLevel: d.eqfLevel } : {}),
    };
    const level = levelPhrase(certification);
    const nsf = nsfLine(certification);
    rows.push(['Type', documentKindLabel({ kind: v.kind, certification })]);
    rows.push([
      'Certification',
      [d.certificationTitle, ...registrationPhrases(certification).map(asLine), ...(level ? [asLine(level)] : []), ...(nsf ? [nsf] : [])],
    ]);
    if (d.certifier) rows.push(['Certificateur', certifierName(d)!]);
    if (d.bloc) rows.push(['Bloc', d.bloc.title ? `${d.bloc.code} — ${d.bloc.title}` : [d.bloc.code, ...blocCompetencies(d.bloc)]]);
    if (d.options) rows.push(['Option', d.options.map((o) => o.label).join(', ')]);
    // The holder as the document prints them, line by line (holderNameLines): the same name, the same nom d'usage.
    rows.push([
      'Titulaire',
      d.holder !== null
        ? holderNameLines({ name: d.holder, ...(d.holderUsageName ? { usageName: d.holderUsageName } : {}) })
        : 'Données personnelles effacées à la demande du titulaire',
    ]);
    rows.push(['Décision', `${frenchDate(d.decisionDate)}${d.decisionPlace ? ` à ${d.decisionPlace}` : ''}`]);
  }
  if (v.revocation) rows.push(['Révocation', `${frenchDate(v.revocation.date)} (${REASONS[v.revocation.reasonCategory] ?? v.revocation.reasonCategory})`]);
  return `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Vérification ${escape(v.number)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#222}h1{font-size:1.3rem}.verdict{padding:1rem;border-radius:.4rem;color:#fff;background:${verdict[1]}}th{text-align:left;padding:.3rem 1rem .3rem 0;vertical-align:top}</style>
</head><body>
<h1>Vérification du document n° ${escape(v.number)}</h1>
<p class="verdict" id="verdict" data-status="${v.status}">${escape(verdict[0])}</p>
${rows.length ? `<table>${rows.map(([k, val]) => `<tr><th>${escape(k)}</th><td>${[val].flat().map(escape).join('<br>')}</td></tr>`).join('')}</table>` : ''}
${offlineSentence(v)}
${statusListSentence(v)}</body></html>`;
}
