import { loadCatalogue, NO_ERRATA } from '@jalon/catalogue';
import { ActiveEnrollment, Referential } from '@jalon/domain';
import { RecordedEvent } from '@jalon/event-store';
import { IssuedDocumentModel } from '../document-model';
import { documentCertification, Issuance, IssuanceDependencies } from '../issuance.service';
import { buildCredential } from './credential';
import { generateIssuerKey } from './issuer-key';
import { renderPdfUncompressed } from './render-pdf';
import { contentLines } from './testing/content-lines';
import { pdfText } from './testing/pdf-inspection';

/*
 * Issue 15, point 1: nothing a référentiel's file marks as an assumption is printed as a fact. The
 * shipped versions data-ia-quatre-blocs@1, data-engineer-data-scientist@1 and expert-en-data-science@1
 * were published with a level their own comments call an assumption (the seeds state none); their
 * content cannot change (R1), and referentials/errata.yaml marks that level as assumed. Their
 * documents are built here as the worker builds them: from the version as published (the catalogue
 * file's content, as the log holds it) through Issuance.facts.
 */

const { entries } = loadCatalogue();
const published = (key: string): Referential => {
  const entry = entries.find((e) => `${e.referential.referential}@${e.referential.version}` === key);
  if (!entry) throw new Error(`${key} is not in the catalogue`);
  return entry.referential;
};

const candidate: IssuedDocumentModel['candidate'] = { birthName: 'Martin', firstNames: ['Léa'], birthDate: '1999-05-20' };
const key = generateIssuerKey('https://jalon.example.fr/issuer', 'Jalon');

async function documentOf(referential: Referential, kind: 'attestation' | 'certificate', data: object): Promise<IssuedDocumentModel> {
  const issuance = new Issuance({ referential: async () => referential, publicBaseUrl: 'https://jalon.example.fr/' } as unknown as IssuanceDependencies);
  const decision = { id: `decision-${kind}`, type: kind === 'attestation' ? 'BlocValidated' : 'CertificationAwarded', data } as unknown as RecordedEvent;
  const state = { referentialId: referential.referential, version: referential.version } as unknown as ActiveEnrollment;
  const facts = await issuance.facts({ kind, enrollmentId: 'enr-1', decisionEventId: decision.id }, state, [decision]);
  return { ...facts, candidate };
}

// Rendering is slow under Jest (pngjs's pixel loops): each document is rendered once.
const texts = new Map<IssuedDocumentModel, Promise<string>>();
const printed = (model: IssuedDocumentModel): Promise<string> => {
  if (!texts.has(model)) texts.set(model, renderPdfUncompressed(model).then(pdfText));
  return texts.get(model)!;
};

describe('a level its file assumes (data-ia-quatre-blocs@1: « 6 is an assumption, not from the text »)', () => {
  const dataIa = published('data-ia-quatre-blocs@1');

  it('is still in the version as published, and only the errata keep it off its documents', () => {
    expect(dataIa.certification.level).toBe(6);
    expect(documentCertification(dataIa, undefined, NO_ERRATA).level).toBe(6);
    expect(documentCertification(dataIa)).toEqual({
      kind: 'certification-professionnelle',
      title: 'Certification Data / IA en 4 blocs (titre non nommé dans le référentiel)',
      certifier: 'Certificateur non nommé dans le référentiel',
    });
  });

  it('is printed on neither its attestation nor its certificate, PDF or credential', async () => {
    const attestation = await documentOf(dataIa, 'attestation', { at: '2026-06-14T09:30:00.000Z', blocCode: 'BC01', decidedBy: 'jury', place: 'Paris' });
    const certificate = await documentOf(dataIa, 'certificate', { at: '2026-07-02', blocs: ['BC01', 'BC02', 'BC03', 'BC04'] });
    for (const model of [attestation, certificate]) {
      expect(model.certification).not.toHaveProperty('level');
      const text = await printed(model);
      expect(text).toContain('Référentiel data-ia-quatre-blocs, version 1');
      expect(text).not.toMatch(/niveau/i);
      expect(text).not.toContain('cadre national');
      const credential = buildCredential(model, key);
      expect(JSON.stringify(credential)).not.toMatch(/niveau|cadre national/i);
      expect(credential.credentialSubject.achievement.description).toContain('« Certification Data / IA en 4 blocs (titre non nommé dans le référentiel) »');
    }
    expect(await printed(attestation)).toContain('a validé le bloc de compétences BC01 de la certification professionnelle');
  });
});

describe('the other levels the first files assumed', () => {
  it.each(['data-engineer-data-scientist@1', 'expert-en-data-science@1'])('%s: its documents state no level', async (version) => {
    const referential = published(version);
    expect(referential.certification.level).toBe(7);
    const model = await documentOf(referential, 'attestation', { at: '2026-06-14', blocCode: 'BC01', decidedBy: 'jury' });
    expect(model.certification).not.toHaveProperty('level');
    expect(contentLines(model).join('\n')).not.toMatch(/niveau/i);
    expect(buildCredential(model, key).credentialSubject.achievement.description).not.toMatch(/niveau/i);
  });
});

describe('a level its référentiel states (expert-ingenierie-science-donnees@1: seed 000 « Niveau 7 »)', () => {
  it('is still printed on its certificate, PDF and credential', async () => {
    const referential = published('expert-ingenierie-science-donnees@1');
    const model = await documentOf(referential, 'certificate', { at: '2026-07-02', optionBlocs: ['BC05'], blocs: ['BC01', 'BC02', 'BC03', 'BC05'] });
    expect(model.certification).toMatchObject({ level: 7 });
    expect(await printed(model)).toContain('Niveau 7 du cadre national des certifications professionnelles');
    expect(buildCredential(model, key).credentialSubject.achievement.description).toContain(
      'Certification professionnelle « Expert en ingénierie et science des données », option Data Science, de niveau 7 du cadre national des certifications professionnelles',
    );
  });
});
