import { createHash } from 'crypto';
import zlib from 'node:zlib';
import QRCode from 'qrcode';
import { IssuedDocumentModel } from '../document-model';
import { documentContent, renderPdf, renderPdfUncompressed } from './render-pdf';
import { pdfImages, pdfText, pdfTextRuns, withInflatedContent } from './testing/pdf-inspection';
import { contentLines } from './testing/content-lines';
import { sampleAttestation, sampleCertificate } from './testing/sample-models';

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
const pageCount = (pdf: Buffer): number => pdf.toString('latin1').match(/\/Type \/Page\n/g)?.length ?? 0;
/** An entry of the info dictionary: pdfkit writes each value as an indirect object. */
const infoEntry = (pdf: Buffer, key: string): string | undefined => {
  const source = pdf.toString('latin1');
  const reference = new RegExp(`/${key} (\\d+) 0 R`).exec(source)?.[1];
  return reference ? new RegExp(`\n${reference} 0 obj\n(.*)\nendobj`).exec(source)?.[1] : undefined;
};
const revoked = { date: '2026-09-03T08:00:00Z', reasonCategory: 'bloc-annulled' };

// Rendering is fast in production but slow under Jest (pngjs's pixel loops), so each sample is rendered once.
const renders = new Map<string, Promise<Buffer>>();
const rendered = (name: string, render: () => Promise<Buffer>): Promise<Buffer> => {
  if (!renders.has(name)) renders.set(name, render());
  return renders.get(name)!;
};
const attestationPdf = () => rendered('attestation', () => renderPdf(sampleAttestation));
const revokedPdf = () => rendered('revoked', () => renderPdf(sampleAttestation, { revoked }));

describe('renderPdf', () => {
  it('gives the same bytes for the same model, whatever the clock says', async () => {
    const first = await attestationPdf();
    // Fake only Date: pdfkit's streams need the real timers to run.
    jest.useFakeTimers({
      now: new Date('2031-01-01T12:00:00Z'),
      doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'queueMicrotask'],
    });
    try {
      const later = await renderPdf(sampleAttestation);
      expect(sha256(later)).toBe(sha256(first));
    } finally {
      jest.useRealTimers();
    }
  });

  it('reads the same text in the PDF as delivered (compressed) as in its uncompressed twin', async () => {
    const delivered = pdfText(withInflatedContent(await attestationPdf()));
    expect(delivered).toContain('Anaïs Hélène LEFÈVRE nom d’usage : GARÇON-DŒUF');
    expect(delivered).toBe(pdfText(await rendered('attestation-raw', () => renderPdfUncompressed(sampleAttestation))));
  });

  it('gives different bytes for another number, and for the revoked variant', async () => {
    const original = sha256(await attestationPdf());
    expect(sha256(await renderPdf({ ...sampleAttestation, number: 'JAL-A-7K3Q9M2X4Q' }))).not.toBe(original);
    expect(sha256(await revokedPdf())).not.toBe(original);
  });

  it('dates the PDF from the decision (and the revocation), so that pdfkit derives its file ID from the model', async () => {
    const pdf = await attestationPdf();
    expect(infoEntry(pdf, 'CreationDate')).toBe('(D:20260614093000Z)');
    expect(infoEntry(pdf, 'ModDate')).toBe('(D:20260614093000Z)');
    expect(pdf.toString('latin1')).toMatch(/\/ID \[<[0-9a-f]{32}> <[0-9a-f]{32}>\]/);
    expect(infoEntry(await revokedPdf(), 'CreationDate')).toBe('(D:20260614093000Z)');
    expect(infoEntry(await revokedPdf(), 'ModDate')).toBe('(D:20260903080000Z)');
  });

  it('is a one-page A4 PDF', async () => {
    const pdf = await renderPdf(sampleCertificate);
    const source = pdf.toString('latin1');
    // PDF 1.7, the base of PDF/A-2 (render-pdf.unicode.spec.ts checks the PDF/A markers).
    expect(source.startsWith('%PDF-1.7')).toBe(true);
    expect(source.trimEnd().endsWith('%%EOF')).toBe(true);
    expect(source).toContain('/MediaBox [0 0 595.28 841.89]');
    expect(pageCount(pdf)).toBe(1);
  });

  it('prints the attestation de réussite of a bloc in French', async () => {
    const text = pdfText(await rendered('attestation-raw', () => renderPdfUncompressed(sampleAttestation)));
    for (const expected of [
      'OPENCLASSROOMS',
      'Attestation de réussite',
      "Bloc de compétences BC01 — Collecter, pré-traiter et analyser des données et créer des variables pertinentes (feature engineering) pour l'entraînement d'un modèle",
      'OpenClassrooms atteste que',
      'Anaïs Hélène LEFÈVRE',
      'nom d’usage : GARÇON-DŒUF',
      'né(e) le 1er mars 1998',
      'a validé le bloc de compétences BC01 (RNCP38587BC01) de la certification professionnelle',
      'Expert en data science',
      'Enregistrée au RNCP sous le numéro RNCP38587',
      'Niveau 7 du cadre national des certifications professionnelles',
      'Référentiel expert-en-data-science, version 1',
      'Cette attestation porte sur ce seul bloc de compétences, non sur l’obtention de la certification professionnelle.',
      'Décision du jury du 14 juin 2026 à Paris',
      'N° JAL-A-7K3Q9M2X4P',
      'Vérifier ce document : https://jalon.example.fr/verification/JAL-A-7K3Q9M2X4P',
      'qui indique s’il est valide ou révoqué.',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain('RÉVOQUÉ');
    // A sentence of one référentiel (seed 001's), not a mention of every attestation.
    expect(text).not.toContain('Chaque bloc de compétences est validé de façon indépendante');
  });

  it('prints the certificate with its option and its blocs, and the holder’s name as registered', async () => {
    const text = pdfText(await renderPdfUncompressed(sampleCertificate));
    for (const expected of [
      'Certificat Certification professionnelle',
      // Seed 000 names no certifier: the document says so by naming none.
      'Le présent document atteste que',
      // Nguyễn and Łukasz as written: the embedded font prints ễ and Ł (no more « Lukasz NGUYEN »).
      'Jean-Michel Łukasz NGUYỄN',
      'né(e) le 23 novembre 1995',
      'a obtenu la certification professionnelle Expert en ingénierie et science des données',
      'Option : Data Science',
      'Enregistrée au RNCP sous le numéro RNCP37137',
      'Niveau 7 du cadre national des certifications professionnelles',
      'Blocs de compétences validés',
      "BC01 Manager et piloter un projet Data et le développement d'une solution",
      'BC05 Optimiser des modèles d',
      'Décision du jury du 2 juillet 2026 à Lyon',
      'N° JAL-C-9P2M4X7K3Q',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain('Chaque bloc');
    expect(text).not.toContain('non nommé');
    expect(text).not.toMatch(/délivrée? par/);
    expect(text).not.toContain('?');
  });

  it('prints a clear banner and a watermark on a revoked document', async () => {
    const runs = pdfTextRuns(await renderPdfUncompressed(sampleAttestation, { revoked }));
    const text = runs.join(' ').replace(/[\s\u00a0]+/g, ' ');
    expect(text).toContain('DOCUMENT RÉVOQUÉ le 3 septembre 2026 (motif : annulation du bloc de compétences par le jury)');
    expect(runs).toContain('RÉVOQUÉ');
    // The banner comes before the document's title.
    expect(text.indexOf('DOCUMENT RÉVOQUÉ')).toBeLessThan(text.indexOf('Attestation de réussite'));
  });

  it('renders the French typography: é è à ç œ « » — ’ €', async () => {
    const model: IssuedDocumentModel = { ...sampleAttestation, bloc: { code: 'BC09', title: 'Œuvrer « à la française » — l’été, ça coûte 5 € à Noël' } };
    expect(pdfText(await renderPdfUncompressed(model))).toContain('Bloc de compétences BC09 — Œuvrer « à la française » — l’été, ça coûte 5 € à Noël');
  });

  it('carries the signature of the certifier’s responsible person, with their name, capacity and signature image, only where configured (R15)', async () => {
    // Any PNG stands for a scanned signature here: a QR code of a few modules, 84 pixels wide.
    const signature = await QRCode.toBuffer('signature', { width: 84, margin: 0 });
    const signed: IssuedDocumentModel = {
      ...sampleAttestation,
      signatory: { name: 'Marie Dupont', capacity: 'Directrice de la certification', image: signature },
    };
    expect(contentLines(signed).slice(-1)).toEqual(['Pour OpenClassrooms, Marie Dupont, Directrice de la certification']);
    const pdf = await renderPdfUncompressed(signed);
    expect(pdfText(pdf)).toContain('Pour OpenClassrooms, Marie Dupont, Directrice de la certification');
    // Colour images only (a PNG's transparency comes as a grey mask beside it): the QR code and the signature.
    const colour = (file: Buffer) => pdfImages(file).filter((image) => image.colorSpace === 'DeviceRGB');
    const images = colour(pdf);
    expect(images).toHaveLength(colour(await renderPdfUncompressed(sampleAttestation)).length + 1);
    expect(images.some((image) => image.width === 84)).toBe(true);
    // Nothing is printed in its place where no signatory is configured.
    expect(contentLines(sampleAttestation).some((line) => line.startsWith('Pour '))).toBe(false);
    // Still the same bytes for the same document.
    expect((await renderPdf(signed)).equals(await renderPdf(signed))).toBe(true);
  });

  it('gives the same bytes whichever of its images is decoded first (PNGs with transparency are decoded on the thread pool)', async () => {
    const signature = await QRCode.toBuffer('signature', { width: 84, margin: 0 });
    const signed: IssuedDocumentModel = { ...sampleAttestation, signatory: { name: 'Marie Dupont', capacity: 'Directrice', image: signature } };
    // pdfkit's PNG decoder takes zlib's inflate when it loads: a fresh copy of the renderer gets
    // one whose answers are held back as told, as a busy thread pool would hold them.
    const realInflate = zlib.inflate;
    let holdBackMs: number[] = [];
    const inflate = jest.spyOn(zlib, 'inflate').mockImplementation(((input: zlib.InputType, done: (error: Error | null, result: Buffer) => void) => {
      const wait = holdBackMs.shift() ?? 0;
      realInflate(input, (error, result) => setTimeout(() => done(error, result), wait));
    }) as typeof zlib.inflate);
    try {
      let render!: typeof renderPdf;
      jest.isolateModules(() => {
        render = (jest.requireActual('./render-pdf') as { renderPdf: typeof renderPdf }).renderPdf;
      });
      holdBackMs = [0, 80];
      const signatureFirst = await render(signed);
      holdBackMs = [80, 0];
      const qrCodeFirst = await render(signed);
      expect(inflate).toHaveBeenCalled();
      expect(qrCodeFirst.equals(signatureFirst)).toBe(true);
      expect(signatureFirst.equals(await renderPdf(signed))).toBe(true);
    } finally {
      inflate.mockRestore();
    }
  });

  it('encodes the verification URL in a QR code image', async () => {
    const [image] = pdfImages(await rendered('attestation-raw', () => renderPdfUncompressed(sampleAttestation))).filter((i) => i.colorSpace === 'DeviceRGB');
    const qr = QRCode.create(sampleAttestation.verificationUrl, { errorCorrectionLevel: 'M' });
    const size = qr.modules.size;
    expect(image).toBeDefined();
    expect(image!.width).toBe(image!.height);
    const pixelsPerModule = image!.width / size;
    expect(Number.isInteger(pixelsPerModule)).toBe(true);
    let mismatches = 0;
    for (let row = 0; row < size; row++) {
      for (let column = 0; column < size; column++) {
        const x = Math.floor((column + 0.5) * pixelsPerModule);
        const y = Math.floor((row + 0.5) * pixelsPerModule);
        const dark = image!.samples[(y * image!.width + x) * 3]! < 128;
        if (dark !== Boolean(qr.modules.get(row, column))) mismatches++;
      }
    }
    expect(mismatches).toBe(0);
  });

  it('keeps a long certificate on one page by scaling its body down', async () => {
    const longTitle = 'Concevoir, développer, déployer et maintenir en condition opérationnelle une solution complète, sécurisée et accessible';
    const model: IssuedDocumentModel = {
      ...sampleCertificate,
      options: [
        { code: 'BC04', label: 'Data Engineering' },
        { code: 'BC05', label: 'Data Science' },
      ],
      blocs: Array.from({ length: 14 }, (_, i) => ({ code: `BC${String(i + 1).padStart(2, '0')}`, title: longTitle })),
    };
    const pdf = await renderPdfUncompressed(model);
    expect(pageCount(pdf)).toBe(1);
    expect(pdfText(pdf)).toContain('BC14 Concevoir');
  });
});

describe('documentContent', () => {
  const texts = contentLines;

  it('says how an automatic rule validated a bloc', () => {
    const model: IssuedDocumentModel = { ...sampleAttestation, decision: { date: '2026-06-14', by: 'automatic-rule' } };
    expect(texts(model)).toContain('Bloc validé selon la règle du référentiel, le 14 juin 2026');
  });

  it('says when a bloc was carried over to another version of the référentiel', () => {
    const model: IssuedDocumentModel = { ...sampleAttestation, decision: { date: '2026-02-01', by: 'transfer' } };
    expect(texts(model)).toContain('Bloc validé le 1er février 2026, reconnu par correspondance lors d’un changement de version du référentiel');
  });

  it('omits the RNCP registration and the nom d’usage when the model has none', () => {
    const { rncpCode: _rncp, ...withoutRncp } = sampleAttestation.certification;
    const model: IssuedDocumentModel = {
      ...sampleAttestation,
      certification: withoutRncp,
      candidate: { ...sampleAttestation.candidate, usageName: undefined },
    };
    const lines = texts(model);
    expect(lines.some((line) => line.includes('RNCP'))).toBe(false);
    expect(lines.some((line) => line.includes('usage'))).toBe(false);
    expect(lines).toContain('Niveau 7 du cadre national des certifications professionnelles');
  });

  it('dates a decision recorded late in the evening (UTC) on the day it was in Paris', () => {
    const model: IssuedDocumentModel = { ...sampleAttestation, decision: { date: '2026-06-14T22:30:00Z', place: 'Paris', by: 'jury' } };
    expect(texts(model)).toContain('Décision du jury du 15 juin 2026 à Paris');
  });

  it('refuses an attestation without its bloc', () => {
    const { bloc: _bloc, ...withoutBloc } = sampleAttestation;
    expect(() => documentContent(withoutBloc)).toThrow(/names no bloc/);
  });
});
