import { createHash } from 'crypto';
import { IssuedDocumentModel } from '../document-model';
import { printable, renderPdf } from './render-pdf';
import { internationalHolders, sampleAttestation, sampleCertificate } from './testing/sample-models';

/**
 * Names printed as registered, in any script the embedded font covers, and PDF/A-2b. The text is read
 * back with pdf.js (pdfjs-dist), an extractor independent of pdfkit and of testing/pdf-inspection.ts:
 * what it reads is what a verifier copies or searches, through the fonts' ToUnicode maps.
 */

interface PdfJs {
  getDocument(source: { data: Uint8Array; isEvalSupported: boolean; disableFontFace: boolean; useSystemFonts: boolean; verbosity: number }): {
    promise: Promise<PdfJsDocument>;
  };
}
interface PdfJsDocument {
  readonly numPages: number;
  getPage(number: number): Promise<{ getTextContent(): Promise<{ items: { str?: string; hasEOL?: boolean }[] }> }>;
  getMetadata(): Promise<{ info: Record<string, unknown>; metadata: { get(name: string): unknown } | null }>;
  destroy(): Promise<void>;
}

// pdf.js is an ES module; ts-jest compiles `import()` to `require()`, which cannot load it, so the
// import is left to Node (Jest runs with --experimental-vm-modules, see scripts/run-tests.js).
const importModule = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;
let pdfjs: Promise<PdfJs> | undefined;
const loadPdfJs = (): Promise<PdfJs> => (pdfjs ??= importModule('pdfjs-dist/legacy/build/pdf.mjs') as Promise<PdfJs>);

async function openPdf<T>(pdf: Buffer, read: (document: PdfJsDocument) => Promise<T>): Promise<T> {
  const { getDocument } = await loadPdfJs();
  const document = await getDocument({ data: new Uint8Array(pdf), isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: 0 }).promise;
  try {
    return await read(document);
  } finally {
    await document.destroy();
  }
}

/** The text pdf.js extracts from every page, every run of white space (no-break space included) as one space. */
const extractedText = (pdf: Buffer): Promise<string> =>
  openPdf(pdf, async (document) => {
    let text = '';
    for (let number = 1; number <= document.numPages; number++) {
      const { items } = await (await document.getPage(number)).getTextContent();
      for (const item of items) text += `${item.str ?? ''}${item.hasEOL ? '\n' : ' '}`;
    }
    return text.replace(/[\s\u00a0]+/g, ' ');
  });

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
const source = (pdf: Buffer): string => pdf.toString('latin1');
/** The dictionary of object N (pdfkit writes no object streams: every dictionary is plain text). */
const objectDictionary = (pdf: Buffer, number: number): string => {
  const match = new RegExp(`(?:^|\\n)${number} 0 obj\\n<<\\n([\\s\\S]*?)\\n>>\\n(?:stream|endobj)`).exec(source(pdf));
  if (!match) throw new Error(`no object ${number}`);
  return match[1]!;
};
const referenceIn = (dictionary: string, key: string): number | undefined => {
  const match = new RegExp(`/${key} (?:\\[)?(\\d+) 0 R`).exec(dictionary);
  return match ? Number(match[1]) : undefined;
};
/** The XMP packet (PDF/A forbids compressing it, so it is plain text in the file). */
const xmp = (pdf: Buffer): string => {
  const match = /<\?xpacket begin=[\s\S]*?<\?xpacket end="w"\?>/.exec(pdf.toString('utf8'));
  if (!match) throw new Error('no XMP packet');
  return match[0];
};

const STANDARD_14 = /\/BaseFont \/(?:[A-Z]{6}\+)?(?:Helvetica|Times|Courier|Symbol|ZapfDingbats)/;

const withHolder = (model: IssuedDocumentModel, candidate: IssuedDocumentModel['candidate']): IssuedDocumentModel => ({ ...model, candidate });

// Rendering is slow under Jest (pngjs's pixel loops): each document is rendered once.
const renders = new Map<string, Promise<Buffer>>();
const rendered = (key: string, render: () => Promise<Buffer>): Promise<Buffer> => {
  if (!renders.has(key)) renders.set(key, render());
  return renders.get(key)!;
};

describe('renderPdf prints every name as registered', () => {
  describe.each(internationalHolders.map((holder) => [holder.printed[0]!, holder] as const))('%s', (_name, holder) => {
    it.each([
      ['attestation', sampleAttestation],
      ['certificate', sampleCertificate],
    ] as const)('on an %s, as pdf.js reads it back', async (kind, model) => {
      const pdf = await rendered(`${kind} ${holder.printed[0]}`, () => renderPdf(withHolder(model, holder.candidate)));
      const text = await extractedText(pdf);
      for (const line of holder.printed) expect(text).toContain(line);
      // The name line, the statement before it and the birth date after it, in reading order.
      const usage = holder.printed[1] ? ` ${holder.printed[1]}` : '';
      expect(text).toContain(`atteste que ${holder.printed[0]}${usage} né(e) le`);
    });
  });

  it('prints what the sample documents said before, French accents and ligatures included', async () => {
    const text = await extractedText(await rendered('attestation', () => renderPdf(sampleAttestation)));
    expect(text).toContain('Anaïs Hélène LEFÈVRE nom d’usage : GARÇON-DŒUF né(e) le 1er mars 1998');
    expect(text).toContain('Décision du jury du 14 juin 2026 à Paris');
    expect(text).toContain('Attestation de réussite Bloc de compétences BC01');
    const certificate = await extractedText(await rendered(`certificate sample`, () => renderPdf(sampleCertificate)));
    // No ligature glyph: « fi » reads back as two letters.
    expect(certificate).toContain('Certificat Certification professionnelle');
    expect(certificate).toContain('Jean-Michel Łukasz NGUYỄN');
  });

  it('prints a name written in decomposed form (NFD) with the same letters as its precomposed form', async () => {
    const holder = internationalHolders[0]!;
    const decomposed = {
      ...holder.candidate,
      firstNames: holder.candidate.firstNames.map((name) => name.normalize('NFD')),
      birthName: holder.candidate.birthName.normalize('NFD'),
    };
    expect(decomposed.birthName).not.toBe(holder.candidate.birthName);
    const pdf = await renderPdf(withHolder(sampleAttestation, decomposed));
    expect(sha256(pdf)).toBe(sha256(await rendered(`attestation ${holder.printed[0]}`, () => renderPdf(withHolder(sampleAttestation, holder.candidate)))));
  });

  it('refuses a character the fonts cannot print rather than print another name', async () => {
    await expect(renderPdf(withHolder(sampleAttestation, { ...sampleAttestation.candidate, birthName: '王' }))).rejects.toThrow(/U\+738B/);
    await expect(renderPdf(withHolder(sampleAttestation, { ...sampleAttestation.candidate, firstNames: ['Léa', 'प्रिया'] }))).rejects.toThrow(RangeError);
    // Right to left: pdfkit would lay it out backwards.
    await expect(renderPdf(withHolder(sampleAttestation, { ...sampleAttestation.candidate, birthName: 'כהן' }))).rejects.toThrow(/right-to-left/);
  });
});

describe('printable', () => {
  it('keeps what the fonts print, in NFC', () => {
    for (const text of [
      'Thị Ánh Nguyễn',
      'Łukasz Żółć',
      'Αλέξανδρος Παπαδόπουλος',
      'Анна Кузнецова',
      'Œuvrer « à la française » — l’été, 5 €',
      'Şahin Çağlar Đorđe Işık',
    ]) {
      expect(printable(text)).toBe(text);
    }
    expect(printable('Nguye\u0302\u0303n')).toBe('Nguyễn');
  });

  it('drops invisible characters, turns controls into spaces and compatibility forms into their plain letters', () => {
    expect(printable('zero\u200Bwidth\u00ADsoft\u2060')).toBe('zerowidthsoft');
    expect(printable('tab\tnew\nline')).toBe('tab new line');
    expect(printable('Option\u00A0: A\u2009B')).toBe('Option\u00A0: A\u2009B');
  });
});

describe('renderPdf writes PDF/A-2b', () => {
  const attestation = () => rendered('attestation', () => renderPdf(sampleAttestation));
  const revoked = () => rendered('revoked', () => renderPdf(sampleAttestation, { revoked: { date: '2026-09-03T08:00:00Z', reasonCategory: 'bloc-annulled' } }));

  it('identifies itself as PDF/A-2, conformance B, in its XMP metadata, on PDF 1.7', async () => {
    for (const pdf of [await attestation(), await revoked()]) {
      expect(source(pdf).startsWith('%PDF-1.7\n%')).toBe(true);
      const metadata = xmp(pdf);
      expect(metadata).toMatch(/<pdfaid:part>2<\/pdfaid:part>/);
      expect(metadata).toMatch(/<pdfaid:conformance>B<\/pdfaid:conformance>/);
      // The catalog points to it; PDF/A forbids compressing it.
      const catalog = /\n(\d+) 0 obj\n<<\n\/Type \/Catalog\n([\s\S]*?)\n>>/.exec(source(pdf))!;
      const metadataObject = objectDictionary(pdf, referenceIn(catalog[2]!, 'Metadata')!);
      expect(metadataObject).toContain('/Subtype /XML');
      expect(metadataObject).not.toContain('/Filter');
    }
  });

  it('has an sRGB output intent', async () => {
    const pdf = await attestation();
    const catalog = /\n\d+ 0 obj\n<<\n\/Type \/Catalog\n([\s\S]*?)\n>>/.exec(source(pdf))![1]!;
    const intent = objectDictionary(pdf, referenceIn(catalog, 'OutputIntents')!);
    expect(intent).toContain('/S /GTS_PDFA1');
    expect(intent).toContain('/OutputConditionIdentifier (sRGB IEC61966-2.1)');
    expect(objectDictionary(pdf, referenceIn(intent, 'DestOutputProfile')!)).toContain('/N 3');
  });

  it('embeds every font it uses (a TrueType subset, two bytes a glyph, mapped to Unicode), and no standard font', async () => {
    for (const pdf of [await attestation(), await revoked(), await rendered('certificate sample', () => renderPdf(sampleCertificate))]) {
      const text = source(pdf);
      expect(text).not.toMatch(STANDARD_14);
      expect(text).not.toMatch(/\/Subtype \/(?:Type1|TrueType|Type3|MMType1)\n/);
      const fonts = [...text.matchAll(/\n(\d+) 0 obj\n<<\n\/Type \/Font\n\/Subtype \/Type0\n/g)].map((match) => Number(match[1]));
      expect(fonts.length).toBeGreaterThanOrEqual(2);
      // Every font resource of the page is one of them.
      const resources = /\/Font <<\n([\s\S]*?)\n>>/.exec(text)![1]!;
      expect([...resources.matchAll(/\/F\d+ (\d+) 0 R/g)].map((match) => Number(match[1])).sort()).toEqual([...fonts].sort());
      for (const font of fonts) {
        const type0 = objectDictionary(pdf, font);
        expect(type0).toContain('/Encoding /Identity-H');
        expect(referenceIn(type0, 'ToUnicode')).toBeDefined();
        const descendant = objectDictionary(pdf, referenceIn(type0, 'DescendantFonts')!);
        expect(descendant).toContain('/Subtype /CIDFontType2');
        expect(descendant).toContain('/CIDToGIDMap /Identity');
        const descriptor = objectDictionary(pdf, referenceIn(descendant, 'FontDescriptor')!);
        expect(descriptor).toMatch(/\/FontName \/[A-Z]{6}\+DejaVuSans/);
        expect(referenceIn(descriptor, 'FontFile2') ?? referenceIn(descriptor, 'FontFile3')).toBeDefined();
      }
    }
  });

  it('states the same title, author, subject, keywords and dates in XMP as in the information dictionary, all from the model', async () => {
    const model: IssuedDocumentModel = {
      ...sampleAttestation,
      certification: { ...sampleAttestation.certification, title: 'Responsable R&D <systèmes> « embarqués »', certifier: 'Arts & Métiers' },
    };
    const pdf = await renderPdf(model, { revoked: { date: '2026-09-03T08:00:00Z', reasonCategory: 'bloc-annulled' } });
    const { info, metadata } = await openPdf(pdf, (document) => document.getMetadata());
    expect(info).toMatchObject({
      Title: 'Attestation de réussite N° JAL-A-7K3Q9M2X4P',
      Author: 'Arts & Métiers',
      Subject: 'Responsable R&D <systèmes> « embarqués »',
      Keywords: 'JAL-A-7K3Q9M2X4P',
      Creator: 'Jalon',
      Producer: 'Jalon',
      CreationDate: 'D:20260614093000Z',
      ModDate: 'D:20260903080000Z',
    });
    // pdf.js parses the XMP: null if it were not well-formed (pdfkit's own writing leaves « & » unescaped).
    expect(metadata).not.toBeNull();
    expect(metadata!.get('dc:title')).toBe(info.Title);
    expect([metadata!.get('dc:creator')].flat()).toEqual([info.Author]);
    expect(metadata!.get('dc:description')).toBe(info.Subject);
    expect(metadata!.get('pdf:keywords')).toBe(info.Keywords);
    expect(metadata!.get('pdf:producer')).toBe(info.Producer);
    expect(metadata!.get('xmp:creatortool')).toBe(info.Creator);
    expect(metadata!.get('xmp:createdate')).toBe('2026-06-14T09:30:00Z');
    expect(metadata!.get('xmp:modifydate')).toBe('2026-09-03T08:00:00Z');
  });

  it('names no author where the référentiel names no certifier', async () => {
    const pdf = await rendered('certificate sample', () => renderPdf(sampleCertificate));
    expect(source(pdf)).not.toContain('/Author');
    expect(xmp(pdf)).not.toContain('dc:creator');
  });

  it('gives the same bytes for the same model, twice, whatever the clock says and whatever the process rendered before', async () => {
    const holder = internationalHolders[1]!;
    const model = withHolder(sampleCertificate, holder.candidate);
    const first = await renderPdf(model);
    // Other documents in between, with letters that share glyphs or components with it (ﬁ, ı, accents).
    await renderPdf({ ...sampleAttestation, bloc: { code: 'BC09', title: 'ﬁnances ıi\u0307 Ẓ ǅ Ǻ ȴ ЀЍ ΐΰ' } });
    jest.useFakeTimers({
      now: new Date('2031-01-01T12:00:00Z'),
      doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'queueMicrotask'],
    });
    try {
      expect(sha256(await renderPdf(model))).toBe(sha256(first));
    } finally {
      jest.useRealTimers();
    }
    // A process that renders it first, with fonts loaded afresh.
    let fresh: Buffer | undefined;
    await jest.isolateModulesAsync(async () => {
      const isolated = (await import('./render-pdf')) as typeof import('./render-pdf');
      fresh = await isolated.renderPdf(model);
    });
    expect(sha256(fresh!)).toBe(sha256(first));
  });
});
