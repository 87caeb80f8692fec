import { documentIssuability } from './parchemin-mentions';
import { Certification } from './referential.model';

const registeredInRncp: Certification = {
  kind: 'titre-professionnel',
  title: 'Développeur web et web mobile',
  rncpCode: 'RNCP37674',
  registration: { decisionDate: '2023-07-21', decisionReference: 'Arrêté du 21 juillet 2023' },
  nsfCodes: ['326t'],
  level: 5,
  eqfLevel: 5,
  certifier: 'Ministère du Travail, du Plein emploi et de l’Insertion',
};
const issuability = (certification: Certification) => documentIssuability({ certification });

describe('the mentions a parchemin needs from its référentiel (R15)', () => {
  it('given every mention stated, its documents are issuable', () => {
    expect(issuability(registeredInRncp)).toEqual({ issuable: true, missingMentions: [] });
  });

  it('given a référentiel that states only a title and a level, each missing mention is named with where to state it', () => {
    const { issuable, missingMentions } = issuability({ title: 'Expert en data science', level: 7, certifier: '  ' });
    expect(issuable).toBe(false);
    expect(missingMentions.map((m) => [m.mention, m.path])).toEqual([
      ['registration-code', 'certification.rncpCode'],
      ['registration-decision-reference', 'certification.registration.decisionReference'],
      ['registration-decision-date', 'certification.registration.decisionDate'],
      ['certifier', 'certification.certifier'],
      ['eqf-level', 'certification.eqfLevel'],
      ['nsf-codes', 'certification.nsfCodes'],
    ]);
  });

  it('given a certification of the Répertoire spécifique, its RS code is asked, and no level (it has none)', () => {
    const rs: Certification = {
      kind: 'certification-rs',
      title: 'Habilitation électrique',
      rsCode: 'RS5678',
      registration: { decisionDate: '2024-01-10', decisionReference: 'Décision n° 2024-12' },
      certifier: 'Organisme certificateur',
    };
    expect(issuability(rs)).toEqual({ issuable: true, missingMentions: [] });
    expect(issuability({ ...rs, rsCode: undefined, rncpCode: 'RNCP1' }).missingMentions.map((m) => m.path)).toEqual(['certification.rsCode']);
  });
});
