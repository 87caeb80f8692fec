import { IssuedDocumentModel } from '../document-model';

/**
 * French wording shared by the PDF and the credential. Month names are written here rather than
 * taken from Intl: a Node built with small-icu formats 'fr-FR' dates in English, and the document
 * must not depend on how the machine that renders it was built.
 */

const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'] as const;

export interface CalendarDay {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * The calendar day a date or timestamp falls on in France. A timestamp with an offset (an event's
 * `at`, in UTC) is converted to Paris time, so a decision recorded at 23:30 UTC in June is dated
 * the next day, as the jury saw it; a plain date or a timestamp without offset is taken as written.
 */
export function frenchCalendarDay(value: string): CalendarDay {
  const dateOnly = DATE_ONLY.exec(value);
  if (dateOnly) return checkedDay(value, Number(dateOnly[1]), Number(dateOnly[2]), Number(dateOnly[3]));
  const dateTime = DATE_TIME.exec(value);
  if (!dateTime) throw new RangeError(`not an ISO 8601 date: ${JSON.stringify(value)}`);
  if (!dateTime[4]) return checkedDay(value, Number(dateTime[1]), Number(dateTime[2]), Number(dateTime[3]));
  const instant = Date.parse(value);
  if (Number.isNaN(instant)) throw new RangeError(`not an ISO 8601 date: ${JSON.stringify(value)}`);
  const paris = new Date(instant + parisOffsetHours(instant) * 3_600_000);
  return { year: paris.getUTCFullYear(), month: paris.getUTCMonth() + 1, day: paris.getUTCDate() };
}

/** The calendar day written at the start of the value (a birth date is a day, never converted). */
export function writtenCalendarDay(value: string): CalendarDay {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!match) throw new RangeError(`not an ISO 8601 date: ${JSON.stringify(value)}`);
  return checkedDay(value, Number(match[1]), Number(match[2]), Number(match[3]));
}

/** « 14 juin 2026 », « 1er mars 1998 ». */
export function longFrenchDate(day: CalendarDay): string {
  return `${day.day === 1 ? '1er' : day.day} ${MONTHS[day.month - 1]} ${day.year}`;
}

/** The instant a date or timestamp stands for (a plain date is midnight UTC), for PDF metadata and `nbf`. */
export function instantOf(value: string): Date {
  const instant = Date.parse(DATE_ONLY.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(instant) || !(DATE_ONLY.test(value) || DATE_TIME.test(value))) throw new RangeError(`not an ISO 8601 date: ${JSON.stringify(value)}`);
  return new Date(instant);
}

/** Central European time: UTC+2 from the last Sunday of March to the last Sunday of October (01:00 UTC), else UTC+1. */
function parisOffsetHours(instant: number): 1 | 2 {
  const year = new Date(instant).getUTCFullYear();
  const summerStart = Date.UTC(year, 2, lastSunday(year, 2), 1);
  const summerEnd = Date.UTC(year, 9, lastSunday(year, 9), 1);
  return instant >= summerStart && instant < summerEnd ? 2 : 1;
}

function lastSunday(year: number, monthIndex: number): number {
  const lastDay = new Date(Date.UTC(year, monthIndex + 1, 0));
  return lastDay.getUTCDate() - lastDay.getUTCDay();
}

function checkedDay(value: string, year: number, month: number, day: number): CalendarDay {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    throw new RangeError(`not a calendar date: ${JSON.stringify(value)}`);
  }
  return { year, month, day };
}

/** How a document names its holder: what the PDF prints, the credential hashes and the verification shows. */
export interface HolderName {
  /** Prénoms then nom de naissance in capitals, as on French diplomas: « Marie-Hélène Élise DUPONT ». */
  readonly name: string;
  /** The nom d’usage in capitals (« DURAND »), printed under the name; absent when the holder has none. */
  readonly usageName?: string;
}

/**
 * The one place that decides how a holder is named on a document. The PDF, the credential (whose
 * identity hash is of `name`) and both verification answers take it from here, so that a verifier
 * reads on the page the very name the document bears: the civil name (nom de naissance) first, the
 * nom d’usage beside it, never instead of it. NFC, so that the same letters are the same code points.
 */
export function holderName(candidate: Pick<IssuedDocumentModel['candidate'], 'firstNames' | 'birthName' | 'usageName'>): HolderName {
  const name = [...candidate.firstNames, candidate.birthName.toUpperCase()]
    .map((part) => part.normalize('NFC').trim())
    .filter(Boolean)
    .join(' ');
  const usageName = candidate.usageName?.normalize('NFC').trim().toUpperCase();
  return usageName ? { name, usageName } : { name };
}

/** The holder as printed, line by line: « Léa Marie MARTIN », then « nom d’usage : DURAND » if any. */
export function holderNameLines(holder: HolderName): string[] {
  return holder.usageName ? [holder.name, `nom d’usage\u00A0: ${holder.usageName}`] : [holder.name];
}

/**
 * How the decision was taken: « Décision du jury du 14 juin 2026 à Paris », or for a bloc validated
 * by an automatic rule of the référentiel, or carried over from another version (correspondance, R1).
 */
export function decisionSentence(model: IssuedDocumentModel): string {
  const date = longFrenchDate(frenchCalendarDay(model.decision.date));
  const place = model.decision.place?.trim() ? ` à ${model.decision.place.trim()}` : '';
  const what = model.kind === 'attestation' ? { noun: 'Bloc', validated: 'validé' } : { noun: 'Certification', validated: 'validée' };
  switch (model.decision.by) {
    case 'jury':
      return `Décision du jury du ${date}${place}`;
    case 'automatic-rule':
      return `${what.noun} ${what.validated} selon la règle du référentiel, le ${date}${place}`;
    case 'transfer':
      return `${what.noun} ${what.validated} le ${date}${place}, reconnu${model.kind === 'attestation' ? '' : 'e'} par correspondance lors d’un changement de version du référentiel`;
  }
}

/** « Enregistrée au RNCP sous le numéro RNCP38587 »; a bare number gets its RNCP prefix. */
export function rncpNumber(rncpCode: string): string {
  const code = rncpCode.trim();
  return /^\d+$/.test(code) ? `RNCP${code}` : code.toUpperCase();
}

const REVOCATION_REASONS: Readonly<Record<string, string>> = {
  'bloc-annulled': 'annulation du bloc de compétences par le jury',
  'certification-revoked': 'retrait de la certification',
};

/** The French label of a revocation reason category (RevocationReason in the domain); an unknown one is shown as is. */
export function revocationReasonLabel(reasonCategory: string): string {
  return REVOCATION_REASONS[reasonCategory] ?? reasonCategory;
}
