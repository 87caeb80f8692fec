import { DocumentFacts } from '../issuance.service';
import { blocName, certificationWithKind, documentTitle, frenchCalendarDay, HolderName, longFrenchDate, revocationReasonLabel } from '../render/french';

/** What happened to the document, as its holder is told. */
export type DeliveredFact =
  | { readonly type: 'issued'; readonly at: string }
  | { readonly type: 'revoked'; readonly at: string; readonly reasonCategory: string }
  | { readonly type: 'reissued'; readonly at: string; readonly version: number };

export interface DeliveryMessageInput {
  /** The document as it prints its certification and bloc: nothing of the path beyond it. */
  readonly document: Pick<DocumentFacts, 'kind' | 'number' | 'certification' | 'bloc'>;
  /** The holder's own name, as the document prints it. */
  readonly holder: HolderName;
  readonly fact: DeliveredFact;
  /** The public verification page of the document. */
  readonly verificationUrl: string;
  /** Where the holder downloads it: their path in the console, once signed in. */
  readonly downloadUrl: string;
  /** Sent once the holder's address was completed, after the fact: the message says why it comes now. */
  readonly late?: boolean;
  /**
   * Sent late, and the first the holder hears of the document (no e-mail of an earlier event of it
   * went): a new version is told as the document delivered, in the version now in force.
   */
  readonly firstTold?: boolean;
}

export interface DeliveryMessage {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/**
 * The e-mail telling a holder that a document of theirs was issued, revoked or issued again, in
 * French: their name, the document's title and number, its certification and bloc, and the two
 * links. Nothing else of their path or identity (no accommodation, no birth date, no mark): the
 * message crosses mail servers the school does not run. « Document » throughout, so that no
 * participle has to agree with a title whose gender varies (« attestation », « certificat »). Sent
 * late (the address completed since), it says so.
 */
export function deliveryMessage(input: DeliveryMessageInput): DeliveryMessage {
  const { document, fact } = input;
  const title = `${documentTitle(document)} n° ${document.number}`;
  const day = longFrenchDate(frenchCalendarDay(fact.at));
  const newVersionOfUnknown = fact.type === 'reissued' && input.late === true && input.firstTold === true;
  const subject =
    fact.type === 'issued' || newVersionOfUnknown
      ? `Votre document : ${title}`
      : fact.type === 'revoked'
        ? `Révocation de votre document : ${title}`
        : `Nouvelle version de votre document : ${title}`;
  const opening =
    fact.type === 'issued'
      ? `Le document suivant vous a été délivré le ${day} :`
      : fact.type === 'revoked'
        ? `Le document suivant a été révoqué le ${day} (motif : ${revocationReasonLabel(fact.reasonCategory)}) :`
        : newVersionOfUnknown
          ? `Le document suivant vous a été délivré ; sa version en vigueur (version ${fact.version}) a été établie le ${day} :`
          : `Une nouvelle version (version ${fact.version}) du document suivant a été établie le ${day} ; elle remplace la précédente :`;
  const described = [title, ...(document.bloc ? [blocName(document.bloc)] : []), certificationWithKind(document.certification)];
  const after =
    fact.type === 'revoked'
      ? ['Ce document ne fait plus foi : sa page de vérification indique désormais sa révocation.']
      : fact.type === 'reissued'
        ? [
            newVersionOfUnknown
              ? 'C’est cette version que sa page de vérification reconnaît : nous vous invitons à la télécharger.'
              : 'Nous vous invitons à télécharger cette nouvelle version : c’est elle que sa page de vérification reconnaît désormais.',
          ]
        : [];
  const late = input.late
    ? ['Nous n’avions pas votre adresse électronique pour vous en informer jusqu’ici : ce message vous parvient maintenant qu’elle est enregistrée.']
    : [];
  const links = [
    {
      label: fact.type === 'revoked' ? 'Le consulter (après connexion à votre espace) :' : 'Le télécharger (après connexion à votre espace) :',
      url: input.downloadUrl,
    },
    { label: 'Le vérifier (page publique, que vous pouvez communiquer à qui doit s’en assurer) :', url: input.verificationUrl },
  ];
  const greeting = `Bonjour ${input.holder.name},`;
  const closing = 'Ce message vous a été envoyé automatiquement ; merci de ne pas y répondre.';
  const text = [
    greeting,
    '',
    opening,
    '',
    ...described.map((line) => `  ${line}`),
    '',
    ...after.flatMap((line) => [line, '']),
    ...late.flatMap((line) => [line, '']),
    ...links.flatMap((link) => [link.label, link.url, '']),
    closing,
    '',
  ].join('\n');
  const html = [
    '<!DOCTYPE html>',
    '<html lang="fr"><head><meta charset="utf-8"><title>' + escape(subject) + '</title></head><body>',
    `<p>${escape(greeting)}</p>`,
    `<p>${escape(opening)}</p>`,
    `<p><strong>${escape(title)}</strong>${described
      .slice(1)
      .map((line) => `<br>${escape(line)}`)
      .join('')}</p>`,
    ...after.map((line) => `<p>${escape(line)}</p>`),
    ...late.map((line) => `<p>${escape(line)}</p>`),
    ...links.map((link) => `<p>${escape(link.label)}<br><a href="${escape(link.url)}">${escape(link.url)}</a></p>`),
    `<p>${escape(closing)}</p>`,
    '</body></html>',
    '',
  ].join('\n');
  return { subject, text, html };
}

const escape = (text: string): string => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
