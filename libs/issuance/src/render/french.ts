import { CertificationKind } from '@jalon/domain';
import { DocumentBloc, DocumentCertification, IssuedDocumentModel } from '../document-model';

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
export function decisionSentence(model: Pick<IssuedDocumentModel, 'kind' | 'decision' | 'certification'>): string {
  const date = longFrenchDate(frenchCalendarDay(model.decision.date));
  const place = model.decision.place?.trim() ? ` à ${model.decision.place.trim()}` : '';
  const wording = certificationWording(model.certification.kind);
  const e = model.kind === 'attestation' || !wording.feminine ? '' : 'e';
  const noun = model.kind === 'attestation' ? 'Bloc' : capitalised(wording.noun);
  switch (model.decision.by) {
    case 'jury':
      return `Décision du jury du ${date}${place}`;
    case 'automatic-rule':
      return `${noun} validé${e} selon la règle du référentiel, le ${date}${place}`;
    case 'transfer':
      return `${noun} validé${e} le ${date}${place}, reconnu${e} par correspondance lors d’un changement de version du référentiel`;
  }
}

/** « Enregistrée au RNCP sous le numéro RNCP38587 »; a bare number gets its RNCP prefix. */
export function rncpNumber(rncpCode: string): string {
  const code = rncpCode.trim();
  return /^\d+$/.test(code) ? `RNCP${code}` : code.toUpperCase();
}

/**
 * A bloc's official code in the RNCP (« RNCP38587BC01 »): the fiche's number followed by the bloc's,
 * where the référentiel states the fiche and names the bloc BCnn as France Compétences does;
 * undefined otherwise (a school's own row code is not an official code).
 */
export function officialBlocCode(certification: Pick<DocumentCertification, 'kind' | 'rncpCode'>, blocCode: string): string | undefined {
  if (certification.kind === 'certification-rs' || !certification.rncpCode?.trim() || !/^BC\d+$/i.test(blocCode)) return undefined;
  return `${rncpNumber(certification.rncpCode)}${blocCode.toUpperCase()}`;
}

/** « RS5678 »; a bare number gets its RS prefix. */
export function rsNumber(rsCode: string): string {
  const code = rsCode.trim();
  return /^\d+$/.test(code) ? `RS${code}` : code.toUpperCase();
}

/**
 * How a document names a kind of certification: the certificate's title (and the line under it),
 * and the noun the sentences use, with its gender for « du / de la » and « délivré / délivrée ».
 * The one place this wording lives: the PDF, the credential and the verification page take it here.
 */
export interface CertificationWording {
  /** The title of the certificate of the whole certification. */
  readonly certificateTitle: string;
  /** The line under it, where the title alone does not say the kind. */
  readonly certificateSubtitle?: string;
  /** The kind, in lower case, as a sentence names it: « diplôme d’ingénieur ». */
  readonly noun: string;
  readonly feminine: boolean;
  /** The register it is entered in, unless stated otherwise: the RNCP or the Répertoire spécifique. */
  readonly registry: 'rncp' | 'rs';
}

const WORDING: Readonly<Record<CertificationKind, CertificationWording>> = {
  'certification-professionnelle': {
    certificateTitle: 'Certificat',
    certificateSubtitle: 'Certification professionnelle',
    noun: 'certification professionnelle',
    feminine: true,
    registry: 'rncp',
  },
  'titre-professionnel': { certificateTitle: 'Titre professionnel', noun: 'titre professionnel', feminine: false, registry: 'rncp' },
  'diplome-national': { certificateTitle: 'Diplôme national', noun: 'diplôme national', feminine: false, registry: 'rncp' },
  'diplome-ingenieur': { certificateTitle: 'Diplôme d’ingénieur', noun: 'diplôme d’ingénieur', feminine: false, registry: 'rncp' },
  'diplome-enseignement-superieur': {
    certificateTitle: 'Diplôme de l’enseignement supérieur',
    noun: 'diplôme de l’enseignement supérieur',
    feminine: false,
    registry: 'rncp',
  },
  cqp: {
    certificateTitle: 'Certificat de qualification professionnelle',
    noun: 'certificat de qualification professionnelle',
    feminine: false,
    registry: 'rncp',
  },
  'certification-rs': { certificateTitle: 'Certification', noun: 'certification', feminine: true, registry: 'rs' },
};

export function certificationWording(kind: CertificationKind): CertificationWording {
  return WORDING[kind];
}

const capitalised = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
/** « du diplôme d’ingénieur », « de la certification professionnelle ». */
const ofThe = (wording: CertificationWording): string => `${wording.feminine ? 'de la' : 'du'} ${wording.noun}`;
/** « le diplôme d’ingénieur », « la certification professionnelle ». */
const the = (wording: CertificationWording): string => `${wording.feminine ? 'la' : 'le'} ${wording.noun}`;
/** « délivré » or « délivrée », as the kind's noun asks. */
const agreed = (wording: CertificationWording, participle: string): string => `${participle}${wording.feminine ? 'e' : ''}`;

/** The document's title: « Attestation de réussite » for a bloc, else the kind's (« Diplôme d’ingénieur », « Certificat »…). */
export function documentTitle(model: Pick<IssuedDocumentModel, 'kind' | 'certification'>): string {
  return model.kind === 'attestation' ? 'Attestation de réussite' : certificationWording(model.certification.kind).certificateTitle;
}

/** What kind of document it is, in one line: « Attestation de réussite d’un bloc de compétences », « Certificat — Certification professionnelle ». */
export function documentKindLabel(model: Pick<IssuedDocumentModel, 'kind' | 'certification'>): string {
  if (model.kind === 'attestation') return 'Attestation de réussite d’un bloc de compétences';
  const wording = certificationWording(model.certification.kind);
  return wording.certificateSubtitle ? `${wording.certificateTitle} — ${wording.certificateSubtitle}` : wording.certificateTitle;
}

/** « Bloc de compétences BC01 — Collecter… », or by its code alone where the référentiel gives it no title. */
export function blocName(bloc: DocumentBloc): string {
  const title = bloc.title?.trim();
  return title ? `Bloc de compétences ${bloc.code} — ${title}` : `Bloc de compétences ${bloc.code}`;
}

/** The competencies of a bloc without title, as its name: « C1 Concevoir… », one per entry. */
export function blocCompetencies(bloc: DocumentBloc): string[] {
  return bloc.title?.trim() ? [] : (bloc.competencies ?? []).map((competency) => `${competency.code} ${competency.title}`);
}

/** « a validé le bloc de compétences BC01 du diplôme d’ingénieur » (the certification's title follows). */
export function attestationStatement(model: Pick<IssuedDocumentModel, 'certification'>, bloc: Pick<DocumentBloc, 'code'>): string {
  const official = officialBlocCode(model.certification, bloc.code);
  return `a validé le bloc de compétences ${bloc.code}${official ? ` (${official})` : ''} ${ofThe(certificationWording(model.certification.kind))}`;
}

/** « a obtenu le diplôme d’ingénieur », « a obtenu la certification professionnelle » (the title follows). */
export function certificateStatement(model: Pick<IssuedDocumentModel, 'certification'>): string {
  return `a obtenu ${the(certificationWording(model.certification.kind))}`;
}

/** R15: an attestation says it certifies its bloc only, and not the certification it belongs to. */
export function blocOnlyNote(model: Pick<IssuedDocumentModel, 'certification'>): string {
  return `Cette attestation porte sur ce seul bloc de compétences, non sur l’obtention ${ofThe(certificationWording(model.certification.kind))}.`;
}

/** « Bloc de compétences BC02 du diplôme d’ingénieur « … » »: how the credential names a bloc the référentiel gives no title. */
export function blocOfCertification(model: Pick<IssuedDocumentModel, 'certification'>, bloc: Pick<DocumentBloc, 'code'>): string {
  return `Bloc de compétences ${bloc.code} ${ofThe(certificationWording(model.certification.kind))} « ${model.certification.title} »`;
}

/** « Diplôme d’ingénieur « … » », « Certification professionnelle « … » »: the certification named with its kind. */
export function certificationWithKind(certification: Pick<DocumentCertification, 'kind' | 'title'>): string {
  return `${capitalised(certificationWording(certification.kind).noun)} « ${certification.title} »`;
}

/** The same, in a sentence: « du diplôme d’ingénieur « … » ». */
export function ofCertificationWithKind(certification: Pick<DocumentCertification, 'kind' | 'title'>): string {
  return `${ofThe(certificationWording(certification.kind))} « ${certification.title} »`;
}

/**
 * « niveau 7 du cadre national des certifications professionnelles (niveau 7 du cadre européen des
 * certifications) »: the levels the référentiel states, none invented nor assumed (a level its file
 * only assumes never reaches the model); undefined when it states none.
 */
export function levelPhrase(certification: Pick<DocumentCertification, 'level' | 'eqfLevel'>): string | undefined {
  const european = certification.eqfLevel !== undefined ? `niveau ${certification.eqfLevel} du cadre européen des certifications` : undefined;
  if (certification.level === undefined) return european;
  const national = `niveau ${certification.level} du cadre national des certifications professionnelles`;
  return european ? `${national} (${european})` : national;
}

/**
 * « enregistrée au RNCP sous le numéro RNCP38587 par décision du 12 mars 2024 (référence de la
 * décision : …) », one per code the référentiel states (the kind's register first), with the
 * registration decision on the first; none when it states no code.
 */
export function registrationPhrases(certification: DocumentCertification): string[] {
  const wording = certificationWording(certification.kind);
  const registered = agreed(wording, 'enregistré');
  const codes = [
    ...(certification.rncpCode?.trim() ? [{ registry: 'rncp', text: `au RNCP sous le numéro ${rncpNumber(certification.rncpCode)}` }] : []),
    ...(certification.rsCode?.trim() ? [{ registry: 'rs', text: `au Répertoire spécifique sous le numéro ${rsNumber(certification.rsCode)}` }] : []),
  ].sort((a, b) => Number(b.registry === wording.registry) - Number(a.registry === wording.registry));
  return codes.map((code, index) => `${registered} ${code.text}${index === 0 ? decisionClause(certification.registration) : ''}`);
}

function decisionClause(registration: DocumentCertification['registration']): string {
  const date = registration?.decisionDate?.trim();
  const reference = registration?.decisionReference?.trim();
  return `${date ? ` par décision du ${writtenDate(date)}` : ''}${reference ? ` (référence de la décision\u00A0: ${reference})` : ''}`;
}

/** A date as the référentiel writes it, in words when it is an ISO date. */
function writtenDate(value: string): string {
  try {
    return longFrenchDate(writtenCalendarDay(value));
  } catch {
    return value;
  }
}

/** « Code NSF : 326n », « Codes NSF : 326n, 326t »; undefined when the référentiel states none. */
export function nsfLine(certification: Pick<DocumentCertification, 'nsfCodes'>): string | undefined {
  const codes = (certification.nsfCodes ?? []).map((code) => code.trim()).filter(Boolean);
  return codes.length ? `Code${codes.length > 1 ? 's' : ''} NSF\u00A0: ${codes.join(', ')}` : undefined;
}

/**
 * The certifier as documents name it (R15: its legal name, and its trade name): « École Data SAS
 * (École Data) »; undefined when neither the référentiel nor the configuration names one.
 */
export function certifierName(certification: Pick<DocumentCertification, 'certifier' | 'certifierTradeName'>): string | undefined {
  const legal = certification.certifier?.trim();
  if (!legal) return undefined;
  const trade = certification.certifierTradeName?.trim();
  return trade && trade !== legal ? `${legal} (${trade})` : legal;
}

/** « délivré par … », « délivrée par … »; undefined when the référentiel names no certifier. */
export function deliveredBy(certification: Pick<DocumentCertification, 'kind' | 'certifier' | 'certifierTradeName'>): string | undefined {
  const certifier = certifierName(certification);
  return certifier ? `${agreed(certificationWording(certification.kind), 'délivré')} par ${certifier}` : undefined;
}

/** The first letter in capitals, for a phrase that begins a line. */
export function asLine(phrase: string): string {
  return capitalised(phrase);
}

const REVOCATION_REASONS: Readonly<Record<string, string>> = {
  'bloc-annulled': 'annulation du bloc de compétences par le jury',
  'certification-revoked': 'retrait de la certification',
};

/** The French label of a revocation reason category (RevocationReason in the domain); an unknown one is shown as is. */
export function revocationReasonLabel(reasonCategory: string): string {
  return REVOCATION_REASONS[reasonCategory] ?? reasonCategory;
}
