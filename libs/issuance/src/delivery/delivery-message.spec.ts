import { holderName } from '../render/french';
import { sampleAttestation, sampleCertificate } from '../render/testing/sample-models';
import { deliveryMessage, DeliveryMessageInput } from './delivery-message';
import { configuredSender, deliveryMessageId, documentsPageUrl } from './document-delivery.service';

const links = { verificationUrl: 'https://certificats.example.fr/verify/JAL-A-7K3Q9M2X4P', downloadUrl: 'https://certificats.example.fr/parcours/enr-4f1c2a' };
const input = (fact: DeliveryMessageInput['fact'], document: DeliveryMessageInput['document'] = sampleAttestation): DeliveryMessageInput => ({
  document,
  holder: holderName(sampleAttestation.candidate),
  fact,
  ...links,
});

describe('the e-mail telling a holder of their document', () => {
  it('an issue: their name, the document, its bloc and certification, the two links, in French', () => {
    const message = deliveryMessage(input({ type: 'issued', at: '2026-06-14T22:30:00.000Z' }));
    expect(message.subject).toBe('Votre document : Attestation de réussite n° JAL-A-7K3Q9M2X4P');
    expect(message.text).toBe(
      [
        'Bonjour Anaïs Hélène LEFÈVRE,',
        '',
        // 22:30 UTC in June is the next day in Paris.
        'Le document suivant vous a été délivré le 15 juin 2026 :',
        '',
        '  Attestation de réussite n° JAL-A-7K3Q9M2X4P',
        "  Bloc de compétences BC01 — Collecter, pré-traiter et analyser des données et créer des variables pertinentes (feature engineering) pour l'entraînement d'un modèle",
        '  Certification professionnelle « Expert en data science »',
        '',
        'Le télécharger (après connexion à votre espace) :',
        'https://certificats.example.fr/parcours/enr-4f1c2a',
        '',
        'Le vérifier (page publique, que vous pouvez communiquer à qui doit s’en assurer) :',
        'https://certificats.example.fr/verify/JAL-A-7K3Q9M2X4P',
        '',
        'Ce message vous a été envoyé automatiquement ; merci de ne pas y répondre.',
        '',
      ].join('\n'),
    );
    expect(message.html).toContain('<a href="https://certificats.example.fr/verify/JAL-A-7K3Q9M2X4P">');
    expect(message.html).toContain('pour l&#39;entraînement');
    // Nothing of the holder but their name: not the birth date, not the nom d'usage's absence or presence beyond the name line.
    expect(`${message.text}${message.html}`).not.toMatch(/1998|1er mars/);
  });

  it('a revocation says when and why, and that the document no longer stands; a new version asks to download it again', () => {
    const revoked = deliveryMessage(input({ type: 'revoked', at: '2026-09-01T08:00:00.000Z', reasonCategory: 'bloc-annulled' }));
    expect(revoked.subject).toBe('Révocation de votre document : Attestation de réussite n° JAL-A-7K3Q9M2X4P');
    expect(revoked.text).toContain('Le document suivant a été révoqué le 1er septembre 2026 (motif : annulation du bloc de compétences par le jury) :');
    expect(revoked.text).toContain('Ce document ne fait plus foi');
    expect(revoked.text).toContain('Le consulter (après connexion à votre espace) :');
    const reissued = deliveryMessage(input({ type: 'reissued', at: '2026-10-02T08:00:00.000Z', version: 2 }, sampleCertificate));
    expect(reissued.subject).toBe(`Nouvelle version de votre document : Certificat n° ${sampleCertificate.number}`);
    expect(reissued.text).toContain('Une nouvelle version (version 2) du document suivant a été établie le 2 octobre 2026 ; elle remplace la précédente :');
    expect(reissued.text).not.toContain('Bloc de compétences');
  });

  it('sent late, once the address was completed, it says why it comes now; on time, it says nothing of it', () => {
    const late = deliveryMessage({ ...input({ type: 'revoked', at: '2026-09-01T08:00:00.000Z', reasonCategory: 'bloc-annulled' }), late: true });
    const sentence =
      'Nous n’avions pas votre adresse électronique pour vous en informer jusqu’ici : ce message vous parvient maintenant qu’elle est enregistrée.';
    expect(late.text).toContain(`Ce document ne fait plus foi : sa page de vérification indique désormais sa révocation.\n\n${sentence}\n\nLe consulter`);
    expect(late.html).toContain(`<p>${sentence}</p>`);
    expect(late.subject).toBe('Révocation de votre document : Attestation de réussite n° JAL-A-7K3Q9M2X4P');
    expect(deliveryMessage(input({ type: 'issued', at: '2026-06-14T22:30:00.000Z' })).text).not.toContain('Nous n’avions pas');
  });

  it('a new version sent late to a holder who never heard of the document tells it as delivered, in the version in force; one told before, as a new version', () => {
    const reissued = input({ type: 'reissued', at: '2026-09-01T08:00:00.000Z', version: 2 });
    const first = deliveryMessage({ ...reissued, late: true, firstTold: true });
    expect(first.subject).toBe('Votre document : Attestation de réussite n° JAL-A-7K3Q9M2X4P');
    expect(first.text).toContain('Le document suivant vous a été délivré ; sa version en vigueur (version 2) a été établie le 1er septembre 2026 :');
    expect(first.text).toContain('C’est cette version que sa page de vérification reconnaît : nous vous invitons à la télécharger.');
    expect(first.text).not.toContain('nouvelle version');
    for (const toldBefore of [deliveryMessage({ ...reissued, late: true, firstTold: false }), deliveryMessage(reissued)]) {
      expect(toldBefore.subject).toBe('Nouvelle version de votre document : Attestation de réussite n° JAL-A-7K3Q9M2X4P');
      expect(toldBefore.text).toContain(
        'Une nouvelle version (version 2) du document suivant a été établie le 1er septembre 2026 ; elle remplace la précédente :',
      );
    }
  });

  it('links and Message-IDs derive from the base address and the event: the same event, the same message', () => {
    expect(documentsPageUrl('https://certificats.example.fr/', 'e1')).toBe('https://certificats.example.fr/parcours/e1');
    expect(deliveryMessageId('https://certificats.example.fr', '0f8b9c1e-2d3a-4b5c-8d6e-7f8091a2b3c4')).toBe(
      '<0f8b9c1e-2d3a-4b5c-8d6e-7f8091a2b3c4.document@certificats.example.fr>',
    );
  });

  it('the sender is the certifier’s for the référentiels it certifies, else the default', () => {
    const certifier = {
      id: 'ecole-data',
      organisationId: 'org-1',
      senderClientId: 'ABCD1234',
      certifierClientId: 'EFGH5678',
      contractId: 'C-1',
      certifications: [{ referentialId: 'data-ia', type: 'RNCP' as const, code: 'RNCP35288' }],
    };
    const senderOf = configuredSender({
      delivery: { smtpUrl: 'smtp://mail.example.fr:587', from: 'Jalon <no-reply@example.fr>' },
      certifiers: [
        { ...certifier, mailFrom: 'École Data <certificats@ecole-data.fr>' },
        { ...certifier, id: 'autre' },
      ],
    });
    expect(senderOf('data-ia')).toEqual({ name: 'École Data', address: 'certificats@ecole-data.fr' });
    expect(senderOf('other')).toEqual({ name: 'Jalon', address: 'no-reply@example.fr' });
  });
});
