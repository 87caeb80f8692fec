import { buildCredential, identityHash, nameIdentity } from './credential';
import { documentContent } from './render-pdf';
import { sampleAttestation } from './testing/sample-models';
import {
  blocCompetencies,
  blocName,
  deliveredBy,
  frenchCalendarDay,
  holderName,
  holderNameLines,
  instantOf,
  levelPhrase,
  longFrenchDate,
  nsfLine,
  registrationPhrases,
  rncpNumber,
  writtenCalendarDay,
} from './french';
import { generateIssuerKey } from './issuer-key';

const long = (value: string): string => longFrenchDate(frenchCalendarDay(value));

describe('French dates', () => {
  it('writes the long form with its own month names, and 1er for the first day', () => {
    expect(long('2026-06-14')).toBe('14 juin 2026');
    expect(long('2026-08-01')).toBe('1er août 2026');
    expect(long('2026-02-03')).toBe('3 février 2026');
    expect(long('2026-12-25')).toBe('25 décembre 2026');
  });

  it('dates a UTC timestamp on the day it was in Paris, summer (UTC+2) and winter (UTC+1)', () => {
    expect(long('2026-06-14T21:59:59Z')).toBe('14 juin 2026');
    expect(long('2026-06-14T22:00:00Z')).toBe('15 juin 2026');
    expect(long('2026-01-10T22:59:00.000Z')).toBe('10 janvier 2026');
    expect(long('2026-01-10T23:00:00.000Z')).toBe('11 janvier 2026');
    // Summer time starts on the last Sunday of March at 01:00 UTC (2026-03-29) and ends on the last Sunday of October (2026-10-25).
    expect(long('2026-03-28T23:30:00Z')).toBe('29 mars 2026');
    expect(long('2026-03-29T22:30:00Z')).toBe('30 mars 2026');
    expect(long('2026-10-25T22:30:00Z')).toBe('25 octobre 2026');
    expect(long('2026-06-14T23:30:00+02:00')).toBe('14 juin 2026');
  });

  it('takes a timestamp without offset, and a birth date, as written', () => {
    expect(long('2026-06-14T23:30:00')).toBe('14 juin 2026');
    expect(longFrenchDate(writtenCalendarDay('1998-03-01T00:00:00.000Z'))).toBe('1er mars 1998');
  });

  it('refuses what is not a date', () => {
    expect(() => frenchCalendarDay('14/06/2026')).toThrow(RangeError);
    expect(() => frenchCalendarDay('2026-02-30')).toThrow(RangeError);
    expect(() => writtenCalendarDay('')).toThrow(RangeError);
    expect(() => instantOf('demain')).toThrow(RangeError);
  });

  it('reads a plain date as midnight UTC for metadata', () => {
    expect(instantOf('2026-06-14').toISOString()).toBe('2026-06-14T00:00:00.000Z');
  });
});

describe('rncpNumber', () => {
  it('adds the RNCP prefix to a bare number', () => {
    expect(rncpNumber('38587')).toBe('RNCP38587');
    expect(rncpNumber('rncp38587')).toBe('RNCP38587');
  });
});

describe('holderName: how a document names its holder', () => {
  const lea = { firstNames: ['Léa', 'Marie'], birthName: 'Martin', usageName: 'Durand' };

  it('is the prénoms then the nom de naissance in capitals, with the nom d’usage beside it, never instead of it', () => {
    expect(holderName(lea)).toEqual({ name: 'Léa Marie MARTIN', usageName: 'DURAND' });
    expect(holderNameLines(holderName(lea))).toEqual(['Léa Marie MARTIN', 'nom d’usage\u00A0: DURAND']);
  });

  it('has no nom d’usage when the holder has none, or an empty one', () => {
    expect(holderName({ firstNames: ['Inès'], birthName: 'Durand' })).toEqual({ name: 'Inès DURAND' });
    expect(holderName({ firstNames: ['Inès'], birthName: 'Durand', usageName: '  ' })).toEqual({ name: 'Inès DURAND' });
    expect(holderNameLines(holderName({ firstNames: ['Inès'], birthName: 'Durand' }))).toEqual(['Inès DURAND']);
  });

  it('trims each part, drops empty ones and writes the same letters with the same code points (NFC)', () => {
    const decomposed = holderName({ firstNames: ['  He\u0301le\u0300ne ', ''], birthName: ' Lefe\u0300vre ', usageName: ' garc\u0327on ' });
    expect(decomposed).toEqual({ name: 'Hélène LEFÈVRE', usageName: 'GARÇON' });
    expect(decomposed.name).toBe('Hélène LEFÈVRE'.normalize('NFC'));
  });

  it('is what the PDF prints and what the credential’s identity hash is of', () => {
    const named = holderName(sampleAttestation.candidate);
    const printed = documentContent(sampleAttestation).body.flatMap((block) => (block.kind === 'text' ? [block.text] : []));
    const at = printed.indexOf(named.name);
    expect(at).toBeGreaterThan(0);
    expect(printed.slice(at, at + 2)).toEqual(holderNameLines(named));
    const [identity] = buildCredential(sampleAttestation, generateIssuerKey('https://jalon.example.org/issuer', 'Jalon')).credentialSubject.identifier;
    expect(identity!.identityHash).toBe(identityHash(nameIdentity(named.name), identity!.salt));
  });
});

describe('the mentions a référentiel states', () => {
  const certification = { kind: 'certification-professionnelle', title: 'Expert en data science' } as const;

  it('writes the levels stated, the European one alongside the national one', () => {
    expect(levelPhrase({})).toBeUndefined();
    expect(levelPhrase({ level: 7 })).toBe('niveau 7 du cadre national des certifications professionnelles');
    expect(levelPhrase({ level: 7, eqfLevel: 7 })).toBe(
      'niveau 7 du cadre national des certifications professionnelles (niveau 7 du cadre européen des certifications)',
    );
    expect(levelPhrase({ eqfLevel: 6 })).toBe('niveau 6 du cadre européen des certifications');
  });

  it('registers only the codes stated, the kind’s register first, with the decision as far as it is stated', () => {
    expect(registrationPhrases(certification)).toEqual([]);
    expect(registrationPhrases({ ...certification, registration: { decisionDate: '2024-01-31' } })).toEqual([]);
    expect(registrationPhrases({ ...certification, rncpCode: '38587', registration: { decisionDate: '2024-01-31' } })).toEqual([
      'enregistrée au RNCP sous le numéro RNCP38587 par décision du 31 janvier 2024',
    ]);
    expect(
      registrationPhrases({ ...certification, kind: 'titre-professionnel', rncpCode: 'RNCP1', registration: { decisionReference: 'Arrêté du 2 mai 2023' } }),
    ).toEqual(['enregistré au RNCP sous le numéro RNCP1 (référence de la décision\u00A0: Arrêté du 2 mai 2023)']);
    expect(registrationPhrases({ ...certification, kind: 'certification-rs', rncpCode: 'RNCP1', rsCode: 'rs12' })).toEqual([
      'enregistrée au Répertoire spécifique sous le numéro RS12',
      'enregistrée au RNCP sous le numéro RNCP1',
    ]);
  });

  it('names the certifier only when stated, and the NSF codes', () => {
    expect(deliveredBy(certification)).toBeUndefined();
    expect(deliveredBy({ ...certification, certifier: ' ' })).toBeUndefined();
    expect(deliveredBy({ kind: 'diplome-ingenieur', certifier: 'École' })).toBe('délivré par École');
    expect(nsfLine({})).toBeUndefined();
    expect(nsfLine({ nsfCodes: ['326n', '326t'] })).toBe('Codes NSF\u00A0: 326n, 326t');
  });

  it('names a bloc by its title, else by its code alone', () => {
    expect(blocName({ code: 'BC01', title: 'Collecter' })).toBe('Bloc de compétences BC01 — Collecter');
    expect(blocName({ code: 'L1', competencies: [{ code: 'C1.1', title: 'Recueillir' }] })).toBe('Bloc de compétences L1');
    expect(blocCompetencies({ code: 'L1', competencies: [{ code: 'C1.1', title: 'Recueillir' }] })).toEqual(['C1.1 Recueillir']);
  });
});
