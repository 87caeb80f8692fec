import { CERTIFICATION_KINDS, CertificationKind } from '@jalon/domain';
import Ajv2019 from 'ajv/dist/2019';
import addFormats from 'ajv-formats';
import { readFileSync } from 'fs';
import { resolve } from 'path';
import { IssuedDocumentModel } from '../document-model';
import { buildCredential, issueCredential, verifyCredential } from './credential';
import { generateIssuerKey } from './issuer-key';
import { renderPdfUncompressed } from './render-pdf';
import { contentLines } from './testing/content-lines';
import { pdfText } from './testing/pdf-inspection';
import {
  sampleAttestation,
  sampleCertificate,
  sampleCqpCertificate,
  sampleEngineeringAttestation,
  sampleEngineeringCertificate,
  sampleRsAttestation,
  sampleRsCertificate,
} from './testing/sample-models';

/*
 * Issue 15, point 8: the texts a document prints come from the certification's kind and from what
 * its référentiel states, not from one shipped référentiel. No level, certifier or code is printed
 * that the référentiel does not state, and no sentence of one référentiel is printed on every document.
 */

const key = generateIssuerKey('https://jalon.example.fr/issuer', 'Jalon');

// Rendering is slow under Jest (pngjs's pixel loops): each sample is rendered once.
const texts = new Map<IssuedDocumentModel, Promise<string>>();
const printed = (model: IssuedDocumentModel): Promise<string> => {
  if (!texts.has(model)) texts.set(model, renderPdfUncompressed(model).then(pdfText));
  return texts.get(model)!;
};
const lines = contentLines;

/** What no document prints: a placeholder, or the sentence of seed 001 (OMNES Education's référentiel). */
const NEVER = ['non nommé', 'Chaque bloc de compétences est validé de façon indépendante', 'undefined', 'null', '?'];
const ALL = [
  sampleAttestation,
  sampleCertificate,
  sampleEngineeringAttestation,
  sampleEngineeringCertificate,
  sampleCqpCertificate,
  sampleRsCertificate,
  sampleRsAttestation,
];

describe('a diplôme d’ingénieur whose référentiel states no certifier, no RNCP code and no bloc title', () => {
  it('prints a certificate titled « Diplôme d’ingénieur », with both levels, and no certifier or registration', async () => {
    const text = await printed(sampleEngineeringCertificate);
    for (const expected of [
      'Diplôme d’ingénieur Le présent document atteste que Jean-Michel Łukasz NGUYỄN',
      "a obtenu le diplôme d’ingénieur Ingénieur diplômé, spécialité informatique, par la voie de l'apprentissage",
      'Niveau 7 du cadre national des certifications professionnelles (niveau 7 du cadre européen des certifications)',
      'Blocs de compétences validés',
      'L1 C1.1 Recueillir et analyser les besoins',
      "L2 C2.1 Concevoir l'architecture d'une application et en justifier les choix ; C2.2 Développer, tester et intégrer les composants logiciels",
    ]) {
      expect(text).toContain(expected);
    }
    for (const absent of ['Certificat', 'Certification professionnelle', 'RNCP', 'Enregistr', 'délivr', 'Option']) expect(text).not.toContain(absent);
  });

  it('prints an attestation naming the bloc by its code, with its competencies, never by an invented title', async () => {
    const text = await printed(sampleEngineeringAttestation);
    for (const expected of [
      'Attestation de réussite Bloc de compétences L1 Le présent document atteste que',
      'a validé le bloc de compétences L1 du diplôme d’ingénieur Ingénieur diplômé, spécialité informatique',
      'Niveau 7 du cadre national des certifications professionnelles (niveau 7 du cadre européen des certifications)',
      "Compétences du bloc C1.1 Recueillir et analyser les besoins des utilisateurs et des parties prenantes d'un système informatique C1.2 Rédiger",
      'Cette attestation porte sur ce seul bloc de compétences, non sur l’obtention du diplôme d’ingénieur.',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain('Bloc de compétences L1 —');
    for (const absent of ['RNCP', 'délivr', 'certification professionnelle']) expect(text).not.toContain(absent);
  });

  it('issues a credential that says it is a diplôme d’ingénieur, names no creator and aligns to no fiche', () => {
    const certificate = buildCredential(sampleEngineeringCertificate, key);
    expect(certificate.name).toBe("Diplôme d’ingénieur — Ingénieur diplômé, spécialité informatique, par la voie de l'apprentissage");
    expect(certificate.credentialSubject.achievement.description).toBe(
      "Diplôme d’ingénieur « Ingénieur diplômé, spécialité informatique, par la voie de l'apprentissage », " +
        'de niveau 7 du cadre national des certifications professionnelles (niveau 7 du cadre européen des certifications). ' +
        'Référentiel ingenieur-informatique-apprentissage, version 1.',
    );
    expect(certificate.credentialSubject.achievement).not.toHaveProperty('creator');
    expect(certificate.credentialSubject.achievement).not.toHaveProperty('alignment');
    expect(certificate.credentialSubject.achievement).not.toHaveProperty('humanCode');

    const attestation = buildCredential(sampleEngineeringAttestation, key);
    expect(attestation.name).toBe(
      "Attestation de réussite — Bloc de compétences L1 du diplôme d’ingénieur « Ingénieur diplômé, spécialité informatique, par la voie de l'apprentissage »",
    );
    expect(attestation.credentialSubject.achievement.description).toContain(
      "Compétences du bloc\u00A0: C1.1 Recueillir et analyser les besoins des utilisateurs et des parties prenantes d'un système informatique ; C1.2 Rédiger",
    );
    expect(attestation.credentialSubject.achievement.humanCode).toBe('L1');
  });
});

describe('a CQP', () => {
  it('prints « Certificat de qualification professionnelle », its certifier and its national level alone', async () => {
    const text = await printed(sampleCqpCertificate);
    for (const expected of [
      'Certificat de qualification professionnelle CPNE de la branche (exemple) atteste que',
      'a obtenu le certificat de qualification professionnelle Technicien de maintenance industrielle',
      'Enregistré au RNCP sous le numéro RNCP00001',
      'Niveau 4 du cadre national des certifications professionnelles',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain('cadre européen');
    expect(text).not.toContain('Certification professionnelle');
  });

  it('issues a credential that says so, délivré by its certifier', () => {
    const credential = buildCredential(sampleCqpCertificate, key);
    expect(credential.name).toBe('Certificat de qualification professionnelle — Technicien de maintenance industrielle');
    expect(credential.credentialSubject.achievement.description).toBe(
      'Certificat de qualification professionnelle « Technicien de maintenance industrielle », de niveau 4 du cadre national des certifications professionnelles, ' +
        'enregistré au RNCP sous le numéro RNCP00001, délivré par CPNE de la branche (exemple). Référentiel cqp-maintenance-exemple, version 1.',
    );
    expect(credential.credentialSubject.achievement.creator?.name).toBe('CPNE de la branche (exemple)');
  });
});

describe('a certification of the Répertoire spécifique', () => {
  it('prints « Certification », its RS registration with the decision, its NSF code, and no level', async () => {
    const text = await printed(sampleRsCertificate);
    for (const expected of [
      'Certification Organisme certificateur (exemple) atteste que',
      'a obtenu la certification Analyser des données avec un tableur',
      'Enregistrée au Répertoire spécifique sous le numéro RS5678 par décision du 31 janvier 2024 (référence de la décision : Décision n° 2024-01-31-RS-0000)',
      'Code NSF : 326t',
    ]) {
      expect(text).toContain(expected);
    }
    for (const absent of ['Niveau', 'niveau', 'RNCP', 'professionnelle', '2027']) expect(text).not.toContain(absent);
    expect(text).not.toMatch(/Certificat\b/);
  });

  it('prints its attestation as a bloc « de la certification »', async () => {
    const text = await printed(sampleRsAttestation);
    expect(text).toContain('a validé le bloc de compétences BC01 de la certification Analyser des données avec un tableur');
    expect(text).toContain('Bloc de compétences BC01 — Construire un tableau croisé dynamique');
    expect(text).toContain('non sur l’obtention de la certification.');
  });

  it('issues a credential aligned to its RS fiche', () => {
    const credential = buildCredential(sampleRsCertificate, key);
    const { achievement } = credential.credentialSubject;
    expect(credential.name).toBe('Certification — Analyser des données avec un tableur');
    expect(achievement.description).toContain(
      'Certification « Analyser des données avec un tableur », enregistrée au Répertoire spécifique sous le numéro RS5678',
    );
    expect(achievement.description).not.toContain('niveau');
    expect(achievement.humanCode).toBe('RS5678');
    expect(achievement.alignment).toEqual([
      expect.objectContaining({
        targetCode: 'RS5678',
        targetUrl: 'https://www.francecompetences.fr/recherche/rs/5678/',
        targetFramework: 'Répertoire spécifique (RS)',
      }),
    ]);
  });
});

describe('the certification professionnelle of the shipped référentiels', () => {
  it('keeps « Certificat » / « Certification professionnelle », and prints no certifier where its référentiel names none', async () => {
    const text = await printed(sampleCertificate);
    expect(text).toContain('Certificat Certification professionnelle Le présent document atteste que');
    expect(text).toContain('a obtenu la certification professionnelle Expert en ingénierie et science des données');
    expect(text).toContain('Niveau 7 du cadre national des certifications professionnelles');
    expect(text).not.toContain('cadre européen');
    const credential = buildCredential(sampleCertificate, key);
    expect(credential.name).toBe('Certificat — Expert en ingénierie et science des données — option Data Science');
    expect(credential.credentialSubject.achievement.description).not.toContain('délivr');
    expect(credential.credentialSubject.achievement).not.toHaveProperty('creator');
  });

  it('prints the level only when the référentiel states it', () => {
    const { level: _level, ...withoutLevel } = sampleAttestation.certification;
    const model: IssuedDocumentModel = { ...sampleAttestation, certification: withoutLevel };
    expect(lines(model).some((line) => /niveau/i.test(line))).toBe(false);
    expect(buildCredential(model, key).credentialSubject.achievement.description).not.toContain('niveau');
    expect(lines({ ...sampleAttestation, certification: { ...withoutLevel, eqfLevel: 6 } })).toContain('Niveau 6 du cadre européen des certifications');
  });
});

describe('every document', () => {
  it.each(ALL.map((model) => [model.number, model] as const))('%s prints no placeholder and no sentence of one référentiel', async (_number, model) => {
    const text = await printed(model);
    const credential = JSON.stringify(buildCredential(model, key));
    for (const never of NEVER) {
      expect(text).not.toContain(never);
      if (never !== '?') expect(credential).not.toContain(never);
    }
  });

  it.each(CERTIFICATION_KINDS.map((kind) => [kind] as const))('names a %s as what it is, on the certificate and on its blocs', (kind: CertificationKind) => {
    const expected: Record<CertificationKind, [title: string, subtitle: string | undefined, obtained: string, ofBloc: string]> = {
      'certification-professionnelle': [
        'Certificat',
        'Certification professionnelle',
        'a obtenu la certification professionnelle',
        'de la certification professionnelle',
      ],
      'titre-professionnel': ['Titre professionnel', undefined, 'a obtenu le titre professionnel', 'du titre professionnel'],
      'diplome-national': ['Diplôme national', undefined, 'a obtenu le diplôme national', 'du diplôme national'],
      'diplome-ingenieur': ['Diplôme d’ingénieur', undefined, 'a obtenu le diplôme d’ingénieur', 'du diplôme d’ingénieur'],
      'diplome-enseignement-superieur': [
        'Diplôme de l’enseignement supérieur',
        undefined,
        'a obtenu le diplôme de l’enseignement supérieur',
        'du diplôme de l’enseignement supérieur',
      ],
      cqp: [
        'Certificat de qualification professionnelle',
        undefined,
        'a obtenu le certificat de qualification professionnelle',
        'du certificat de qualification professionnelle',
      ],
      'certification-rs': ['Certification', undefined, 'a obtenu la certification', 'de la certification'],
    };
    const [title, subtitle, obtained, ofBloc] = expected[kind];
    const certification = { ...sampleCertificate.certification, kind };
    const certificate = lines({ ...sampleCertificate, certification });
    expect(certificate[0]).toBe(title);
    if (subtitle) expect(certificate[1]).toBe(subtitle);
    else expect(certificate[1]).toBe('Le présent document atteste que');
    expect(certificate).toContain(obtained);
    expect(buildCredential({ ...sampleCertificate, certification }, key).name).toBe(
      `${title} — Expert en ingénierie et science des données — option Data Science`,
    );
    // A bloc of a certification in the RNCP is named by its official code too; the RS has no blocs of its own there.
    const official = kind === 'certification-rs' ? '' : ' (RNCP38587BC01)';
    expect(lines({ ...sampleAttestation, certification: { ...sampleAttestation.certification, kind } })).toContain(
      `a validé le bloc de compétences BC01${official} ${ofBloc}`,
    );
  });
});

describe('the Open Badges 3.0 credential of every kind', () => {
  const schemas = resolve(__dirname, '../../../../../shared/open-badges');
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(resolve(schemas, 'ob_v3p0_achievementcredential_schema.json'), 'utf8')));

  it.each(ALL.map((model) => [model.number, model] as const))('%s is valid against the AchievementCredential schema, and verifies', (_number, model) => {
    const jwt = issueCredential(model, key);
    const verified = verifyCredential(jwt, key.publicKeyPem);
    if (!verified.valid) throw new Error(verified.reason);
    expect(validate(verified.credential)).toBe(true);
    expect(validate.errors ?? []).toEqual([]);
  });

  it('is a schema that does reject a credential without its achievement’s criteria', () => {
    const credential = JSON.parse(JSON.stringify(buildCredential(sampleEngineeringCertificate, key)));
    delete credential.credentialSubject.achievement.criteria;
    expect(validate(credential)).toBe(false);
  });
});
