import { titulaireOf } from '@jalon/domain';
import { certificationClosing, certificationOpening, fluxHead, fluxTail, horodatage, Passage, passage } from './flux-xml';
import { validateFlux } from './testing/validate-flux';

const head = {
  idFlux: 'JALON-TEST-1',
  horodatage: '2026-12-07T10:15:00+01:00',
  senderClientId: 'ABCD1234',
  certifierClientId: 'EFGH5678',
  contractId: 'MCFCER000123',
};

const titulaire = (over: Parameters<typeof titulaireOf>[0] extends infer I ? Partial<I> : never = {}) => {
  const checked = titulaireOf({
    birthName: 'Martin',
    usageName: 'Durand',
    firstNames: ['Léa', 'Marie', 'Anne'],
    birthDate: '2001-03-14',
    sex: 'F',
    birthPlace: 'Lyon',
    birthPlaceCodes: { inseeCode: '69123' },
    email: 'lea@example.org',
    ...over,
  });
  if (!('titulaire' in checked)) throw new Error(JSON.stringify(checked.problems));
  return checked.titulaire;
};

const award = (over: Partial<Passage> = {}): Passage => ({
  idTechnique: '0b7c9a52-1d2e-4f3a-9b8c-7d6e5f4a3b2c',
  urlPreuve: 'https://certificats.jalon.test/verify/JAL-C-9P2M4X7K3Q',
  libelleOption: 'BC05 Data Science',
  dateDebutExamen: '2026-06-15',
  dateFinExamen: '2026-06-30',
  modalitePassageExamen: 'EN_PRESENTIEL',
  dateDebutValidite: '2026-07-02',
  modaliteAcces: 'FORMATION_CONTINUE_HORS_CONTRAT_DE_PROFESSIONNALISATION',
  initiativeInscription: 'CERTIFIE',
  dateInscription: '2025-09-01',
  titulaire: titulaire(),
  ...over,
});

const flux = (...passages: Passage[]) =>
  fluxHead(head) + certificationOpening('RNCP', 'RNCP35288') + passages.map(passage).join('') + certificationClosing() + fluxTail();

describe('the accrochage flux, against the Caisse des Dépôts’ XSD (xmllint)', () => {
  it('validates a flux of holders born in France (INSEE, postal code) and abroad, with and without the optional elements', async () => {
    const xml = flux(
      award(),
      award({
        idTechnique: 'second',
        urlPreuve: undefined,
        libelleOption: undefined,
        dateDebutExamen: undefined,
        dateFinExamen: undefined,
        modalitePassageExamen: undefined,
        modaliteAcces: 'VAE',
        voieAccessVAE: 'VAE_CLASSIQUE',
        titulaire: titulaire({ usageName: undefined, firstNames: ['Ali'], sex: 'M', birthPlaceCodes: { postalCode: '13001' } }),
      }),
      award({
        idTechnique: 'third',
        titulaire: titulaire({ birthName: 'O’Brien & <Fils>', birthPlaceCodes: { inseeCode: '99350', countryCode: 'MAR', countryName: 'Maroc' } }),
      }),
    );
    const { valid, messages } = await validateFlux(xml);
    expect(messages).toContain('validates');
    expect(valid).toBe(true);
    expect(xml).toContain('<cpf:nomUsage xsi:nil="true"/>');
    expect(xml).toContain('<cpf:nomNaissance>O’Brien &amp; &lt;Fils&gt;</cpf:nomNaissance>');
  });

  it('is refused by the validator when broken: a 7-character client id, a passage without its holder', async () => {
    const shortId =
      fluxHead({ ...head, senderClientId: 'ABC1234' }) + certificationOpening('RNCP', 'RNCP35288') + passage(award()) + certificationClosing() + fluxTail();
    const refused = await validateFlux(shortId);
    expect(refused.valid).toBe(false);
    expect(refused.messages).toMatch(/idClient/);
    const withoutHolder = flux(award()).replace(/<cpf:identificationTitulaire>[\s\S]*<\/cpf:identificationTitulaire>\n/, '');
    const second = await validateFlux(withoutHolder);
    expect(second.valid).toBe(false);
    expect(second.messages).toMatch(/identificationTitulaire/);
  });

  it('stamps the flux in Paris time with its offset, winter and summer', () => {
    expect(horodatage(new Date('2026-12-07T09:15:30Z'))).toBe('2026-12-07T10:15:30+01:00');
    expect(horodatage(new Date('2026-07-01T22:00:00Z'))).toBe('2026-07-02T00:00:00+02:00');
  });
});
