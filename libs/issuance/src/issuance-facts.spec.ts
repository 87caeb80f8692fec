import { ActiveEnrollment, Referential } from '@jalon/domain';
import { RecordedEvent } from '@jalon/event-store';
import { documentCertification, Issuance, IssuanceDependencies } from './issuance.service';

/** What a document shows comes from its référentiel as stated: the kind, the identity fields it states, a bloc's title only when given. */

const epreuve = { code: 'E1', title: 'Épreuve', kind: 'projet', covers: ['C1.1'], deliverables: [], assessorKind: 'enseignant' };

const engineering: Referential = {
  referential: 'ingenieur-informatique-apprentissage',
  version: '1',
  certification: { kind: 'diplome-ingenieur', title: 'Ingénieur diplômé, spécialité informatique', level: 7, eqfLevel: 7 },
  validationPolicy: { blocValidation: 'jury', competencyAcquisition: 'all-criteria-met' },
  blocs: [
    {
      code: 'L1',
      competencies: [
        { code: 'C1.1', title: 'Recueillir et analyser les besoins' },
        { code: 'C1.2', title: 'Rédiger les spécifications' },
      ],
      epreuves: [epreuve],
    },
    { code: 'L2', title: 'Concevoir et développer', competencies: [{ code: 'C2.1', title: 'Concevoir' }], epreuves: [{ ...epreuve, covers: ['C2.1'] }] },
  ],
};

const facts = (referential: Referential, kind: 'attestation' | 'certificate', data: object) => {
  const issuance = new Issuance({ referential: async () => referential, publicBaseUrl: 'https://jalon.example.fr/' } as unknown as IssuanceDependencies);
  const decision = { id: 'decision-1', type: kind === 'attestation' ? 'BlocValidated' : 'CertificationAwarded', data } as unknown as RecordedEvent;
  const state = { referentialId: referential.referential, version: referential.version } as unknown as ActiveEnrollment;
  return issuance.facts({ kind, enrollmentId: 'enr-1', decisionEventId: 'decision-1' }, state, [decision]);
};

describe('Issuance.facts', () => {
  it('carries the kind and only the identity fields the référentiel states', async () => {
    const model = await facts(engineering, 'certificate', { at: '2026-07-02', blocs: ['L1', 'L2'] });
    expect(model.certification).toEqual({ kind: 'diplome-ingenieur', title: 'Ingénieur diplômé, spécialité informatique', level: 7, eqfLevel: 7 });
    expect(model.blocs).toEqual([
      {
        code: 'L1',
        competencies: [
          { code: 'C1.1', title: 'Recueillir et analyser les besoins' },
          { code: 'C1.2', title: 'Rédiger les spécifications' },
        ],
      },
      { code: 'L2', title: 'Concevoir et développer' },
    ]);
  });

  it('names a bloc without title by its code and its competencies, never by an invented title', async () => {
    const model = await facts(engineering, 'attestation', { at: '2026-06-14', blocCode: 'L1' });
    expect(model.bloc).toEqual({ code: 'L1', competencies: expect.any(Array) });
    expect(model.bloc).not.toHaveProperty('title');
  });
});

describe('documentCertification', () => {
  it('resolves an absent kind to a certification professionnelle, as the first référentiels are', () => {
    const first: Referential = { ...engineering, certification: { title: 'Expert en data science', level: 7, certifier: 'OpenClassrooms' } };
    expect(documentCertification(first)).toEqual({
      kind: 'certification-professionnelle',
      title: 'Expert en data science',
      level: 7,
      certifier: 'OpenClassrooms',
    });
  });

  it('leaves out what the file only assumes: a document never prints an assumption as a fact', () => {
    const assuming: Referential = {
      ...engineering,
      certification: { title: 'Expert en data science', certifier: 'OpenClassrooms', assumed: { level: 7, rncpCode: 'RNCP00000' } },
    };
    expect(documentCertification(assuming)).toEqual({ kind: 'certification-professionnelle', title: 'Expert en data science', certifier: 'OpenClassrooms' });
  });

  it('keeps every field stated, and leaves out blank ones', () => {
    const rs: Referential = {
      ...engineering,
      certification: {
        kind: 'certification-rs',
        title: 'Analyser des données avec un tableur',
        rsCode: 'RS5678',
        rncpCode: ' ',
        registration: { decisionDate: '2024-01-31', decisionReference: 'Décision n° 1' },
        nsfCodes: ['326t'],
        certifier: '  ',
      },
    };
    expect(documentCertification(rs)).toEqual({
      kind: 'certification-rs',
      title: 'Analyser des données avec un tableur',
      rsCode: 'RS5678',
      registration: { decisionDate: '2024-01-31', decisionReference: 'Décision n° 1' },
      nsfCodes: ['326t'],
    });
  });
});
