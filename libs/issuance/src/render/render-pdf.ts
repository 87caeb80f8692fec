import { readFileSync } from 'fs';
import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { IssuedDocumentModel } from '../document-model';
import {
  asLine,
  attestationStatement,
  blocCompetencies,
  blocName,
  blocOnlyNote,
  certificateStatement,
  certificationWording,
  certifierName,
  decisionSentence,
  documentTitle,
  frenchCalendarDay,
  holderName,
  holderNameLines,
  instantOf,
  levelPhrase,
  longFrenchDate,
  nsfLine,
  registrationPhrases,
  revocationReasonLabel,
  writtenCalendarDay,
} from './french';

export interface RenderPdfOptions {
  /** Prints the « DOCUMENT RÉVOQUÉ » banner: a revoked document says so (DocumentRevoked). */
  readonly revoked?: { readonly date: string; readonly reasonCategory: string };
}

export type BlockStyle =
  | 'title'
  | 'subtitle'
  | 'certifier'
  /** « Le présent document atteste que », where the référentiel names no certifier to attest. */
  | 'attests'
  | 'statement'
  | 'name'
  | 'identity'
  | 'certification'
  | 'option'
  | 'registration'
  | 'referential'
  | 'note'
  | 'heading'
  | 'decision';

export type ContentBlock =
  | { readonly kind: 'text'; readonly style: BlockStyle; readonly text: string }
  /** One line of a list: the certificate's blocs, a bloc's competencies; the code in a column, the title beside it. */
  | { readonly kind: 'entry'; readonly code: string; readonly text: string }
  /** Who signs for the certifier: « Pour … », their name and capacity, their signature image under them. */
  | { readonly kind: 'signature'; readonly lines: readonly string[]; readonly image?: Buffer };

/** What the PDF says, before layout: the French text a candidate reads, in reading order. */
export interface DocumentContent {
  /** The certifier, where the référentiel names one. */
  readonly header: { readonly certifier?: string; readonly number: string };
  readonly revokedBanner?: string;
  readonly body: readonly ContentBlock[];
  readonly footer: { readonly number: string; readonly verify: string; readonly url: string; readonly note: string };
}

const NBSP = '\u00A0';

/**
 * Every text comes from the référentiel's data (title, codes, levels, certifier, blocs) or from the
 * certification's kind (french.ts): a mention the référentiel does not state is not printed, nor
 * one its file only assumes (the model's certification has no place for it: documentCertification).
 */
export function documentContent(model: IssuedDocumentModel, options: RenderPdfOptions = {}): DocumentContent {
  const text = (style: BlockStyle, value: string): ContentBlock => ({ kind: 'text', style, text: value });
  const { candidate, certification } = model;
  const certifier = certifierName(certification);
  const body: ContentBlock[] = [];

  const bloc = model.kind === 'attestation' ? model.bloc : undefined;
  if (model.kind === 'attestation' && !bloc) throw new RangeError(`attestation ${model.number} names no bloc`);

  body.push(text('title', documentTitle(model)));
  if (bloc) body.push(text('subtitle', blocName(bloc)));
  else {
    const subtitle = certificationWording(certification.kind).certificateSubtitle;
    if (subtitle) body.push(text('subtitle', subtitle));
  }

  const [name, ...usage] = holderNameLines(holderName(candidate));
  if (certifier) body.push(text('certifier', certifier), text('statement', 'atteste que'));
  else body.push(text('attests', 'Le présent document atteste que'));
  body.push(text('name', name!));
  for (const line of usage) body.push(text('identity', line));
  body.push(text('identity', `né(e) le ${longFrenchDate(writtenCalendarDay(candidate.birthDate))}`));

  body.push(text('statement', bloc ? attestationStatement(model, bloc) : certificateStatement(model)), text('certification', certification.title));
  if (!bloc) for (const option of model.options ?? []) body.push(text('option', `Option${NBSP}: ${option.label}`));
  for (const registration of registrationPhrases(certification)) body.push(text('registration', asLine(registration)));
  const level = levelPhrase(certification);
  if (level) body.push(text('registration', asLine(level)));
  const nsf = nsfLine(certification);
  if (nsf) body.push(text('registration', nsf));
  body.push(text('referential', `Référentiel ${model.referentialId}, version ${model.version}`));

  if (bloc) {
    const competencies = bloc.title?.trim() ? [] : (bloc.competencies ?? []);
    if (competencies.length) {
      body.push(text('heading', 'Compétences du bloc'));
      for (const competency of competencies) body.push({ kind: 'entry', code: competency.code, text: competency.title });
    }
    body.push(text('note', blocOnlyNote(model)));
  } else if (model.blocs?.length) {
    body.push(text('heading', 'Blocs de compétences validés'));
    for (const validated of model.blocs) {
      body.push({ kind: 'entry', code: validated.code, text: validated.title?.trim() || blocCompetencies(validated).join(' ; ') });
    }
  }
  body.push(text('decision', decisionSentence(model)));
  if (model.signatory) {
    const { name: signatoryName, capacity, image } = model.signatory;
    body.push({
      kind: 'signature',
      lines: [...(certifier ? [`Pour ${certifier},`] : []), `${signatoryName}, ${capacity}`],
      ...(image ? { image } : {}),
    });
  }

  const revoked = options.revoked;
  return {
    header: { ...(certifier ? { certifier } : {}), number: `N° ${model.number}` },
    ...(revoked
      ? {
          revokedBanner: `DOCUMENT RÉVOQUÉ le ${longFrenchDate(frenchCalendarDay(revoked.date))} (motif${NBSP}: ${revocationReasonLabel(revoked.reasonCategory)})`,
        }
      : {}),
    body,
    footer: {
      number: `N° ${model.number}`,
      verify: `Vérifier ce document${NBSP}: ${model.verificationUrl}`,
      url: model.verificationUrl,
      note: 'Le code QR et l’adresse ci-dessus mènent à la page de vérification de ce document, qui indique s’il est valide ou révoqué.',
    },
  };
}

/**
 * The PDF of an attestation de réussite or a certificate: A4, in French, PDF/A-2b (the archival PDF
 * that France Compétences and verifiers can keep), the same bytes for the same model.
 */
export function renderPdf(model: IssuedDocumentModel, options: RenderPdfOptions = {}): Promise<Buffer> {
  return render(model, options, true);
}

/** The same document with uncompressed content streams, so that tests can read its text back. */
export function renderPdfUncompressed(model: IssuedDocumentModel, options: RenderPdfOptions = {}): Promise<Buffer> {
  return render(model, options, false);
}

// Layout, in PDF points (A4 = 595.28 × 841.89).
const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = 56;
const CONTENT_WIDTH = PAGE.width - 2 * MARGIN;
const QR_SIZE = 96;
const FOOTER_TOP = PAGE.height - MARGIN - QR_SIZE - 18;
const BODY_BOTTOM = FOOTER_TOP - 14;
const ENTRY_INDENT = 28;
const ENTRY_CODE_WIDTH = 48;
const COLOURS = { accent: '#1f3a5f', ink: '#1a1a1a', muted: '#555555', rule: '#b8c4d6', revoked: '#b00020', white: '#ffffff' };

/**
 * The typefaces: DejaVu Sans (npm package dejavu-fonts-ttf), embedded in the PDF as subsets (only the
 * glyphs the page uses). The 14 standard PDF fonts print only WinAnsi (Latin-1 and a few more), so
 * « Thị Ánh Nguyễn » came out as « Thi Ánh NGUYEN »; DejaVu Sans prints every name a French register
 * holds as it is written: Latin Extended (Ł, ő, ș, ğ), Vietnamese, Greek, Cyrillic, IPA letters… and
 * PDF/A requires every font to be embedded anyway. Resolved as a package, so that the files are found
 * from any working directory, from the compiled tree and in the Docker image (which keeps node_modules).
 */
const FACE_FILES = {
  regular: 'dejavu-fonts-ttf/ttf/DejaVuSans.ttf',
  bold: 'dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf',
  italic: 'dejavu-fonts-ttf/ttf/DejaVuSans-Oblique.ttf',
} as const;
type Face = keyof typeof FACE_FILES;
const FACES = Object.keys(FACE_FILES) as Face[];
const FONTS: Readonly<Record<Face, Face>> = { regular: 'regular', bold: 'bold', italic: 'italic' };

let loadedFaces: Readonly<Record<Face, fontkit.Font>> | undefined;

/** fontkit's glyph substitutions (OpenType GSUB features it applies by default); positioning (kerning, marks) stays. */
const NO_SUBSTITUTION: Readonly<Record<string, boolean>> = { ccmp: false, locl: false, rlig: false, calt: false, clig: false, liga: false, rclt: false };

/**
 * The faces, parsed once per process and shared by every document (each document makes its own
 * subsets of them): parsing them for each document would make rendering twice as slow.
 *
 * Sharing has a catch: fontkit keeps one glyph object per glyph, with the characters it was first
 * asked for, and pdfkit writes those characters in the PDF's ToUnicode map (what a reader copies,
 * searches and extracts). What the process rendered before must not change that, or the same
 * document would get other bytes, and wrong text, in another process. So every glyph is created at
 * load from its character (no two characters share a glyph in DejaVu Sans), and glyph substitution
 * is off: a glyph reached by substitution (the « fi » ligature is also U+FB01 « ﬁ », a dotless i
 * under an accent also U+0131 « ı ») would map to another text than the one printed. The page
 * loses only the fi/fl ligatures.
 */
function faces(): Readonly<Record<Face, fontkit.Font>> {
  if (!loadedFaces) {
    const load = (face: Face): fontkit.Font => {
      const font = fontkit.create(readFileSync(require.resolve(FACE_FILES[face])));
      if (!('layout' in font)) throw new Error(`${FACE_FILES[face]} is a font collection, not a font`);
      // Each glyph created once, from its character, before any document asks for it: a glyph that
      // subsetting created first (as a component of an accented letter) would otherwise keep no
      // character, and be missing from the ToUnicode map of every later document.
      for (const codePoint of font.characterSet) font.glyphForCodePoint(codePoint);
      // The font itself for everything pdfkit reads (metrics, tables, subsetting), its layout without substitution.
      const shared: fontkit.Font = Object.create(font);
      shared.layout = cachedLayout(font);
      return shared;
    };
    loadedFaces = { regular: load('regular'), bold: load('bold'), italic: load('italic') };
  }
  return loadedFaces;
}

/** Words laid out, kept per face across documents; pdfkit lays text out word by word. */
const LAYOUT_CACHE_SIZE = 4096;

/**
 * fontkit's layout without substitution, remembered across documents: the same template words
 * (« Décision du jury du… ») are in every document, and laying a word out (shaping, kerning) costs
 * more than everything else pdfkit does with it. Layout is a pure function of the text, so a
 * remembered run is the run fontkit would give again. pdfkit scales the positions of the run it gets
 * in place, so each caller gets its own copy of them.
 */
function cachedLayout(font: fontkit.Font): fontkit.Font['layout'] {
  const runs = new Map<string, fontkit.GlyphRun>();
  return (text, features, ...rest) => {
    if (features !== undefined || rest.length > 0) return font.layout(text, features, ...rest);
    let run = runs.get(text);
    if (run) runs.delete(text);
    else {
      run = font.layout(text, { ...NO_SUBSTITUTION });
      if (runs.size >= LAYOUT_CACHE_SIZE) runs.delete(runs.keys().next().value!);
    }
    runs.set(text, run);
    // A run whose glyphs are the remembered ones and whose positions (from which its advanceWidth is summed) are its own.
    const copy: fontkit.GlyphRun = Object.create(run);
    Object.defineProperty(copy, 'positions', { value: run.positions.map((position) => ({ ...position })), enumerable: true, writable: true });
    return copy;
  };
}

/** Scripts written right to left: pdfkit lays text out left to right only, so it would print them backwards. */
const RIGHT_TO_LEFT = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Samaritan}\p{Script=Mandaic}]/u;

/**
 * The text as the PDF prints it: in NFC (precomposed letters, which the fonts map), without the
 * invisible formatting characters (zero-width spaces, soft hyphens, joiners), line separators and
 * control characters as spaces, and a compatibility character the faces lack in its plain form (ﬁ → fi).
 * A character none of that makes printable in all three faces (a Chinese or Devanagari character,
 * most emoji, a right-to-left script) is an error: a document must not print a name other than the one registered
 * (neither a « ? » nor the font's empty box, which PDF/A forbids besides).
 */
export function printable(text: string): string {
  const fonts = faces();
  const inAllFaces = (char: string): boolean => FACES.every((face) => fonts[face].hasGlyphForCodePoint(char.codePointAt(0)!));
  let out = '';
  for (const char of text.normalize('NFC')) {
    if (/[\p{Cc}\p{Zl}\p{Zp}]/u.test(char)) out += /\s/u.test(char) ? ' ' : '';
    else if (/\p{Cf}/u.test(char)) continue;
    else if (RIGHT_TO_LEFT.test(char)) throw new RangeError(`cannot print ${describe(char)} (a right-to-left script) in ${JSON.stringify(text)}`);
    else if (inAllFaces(char)) out += char;
    else if (/\p{Zs}/u.test(char)) out += /\u202F|\u2007/u.test(char) ? '\u00A0' : ' ';
    else {
      const compatible = char.normalize('NFKC');
      if (compatible === char || ![...compatible].every(inAllFaces))
        throw new RangeError(`the PDF's fonts cannot print ${describe(char)} in ${JSON.stringify(text)}`);
      out += compatible;
    }
  }
  return out;
}

function describe(char: string): string {
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} « ${char} »`;
}

/** Every string the page prints, made printable once (measuring runs over the texts several times). */
function printableContent(content: DocumentContent): DocumentContent {
  return {
    header: { ...(content.header.certifier ? { certifier: printable(content.header.certifier) } : {}), number: printable(content.header.number) },
    ...(content.revokedBanner ? { revokedBanner: printable(content.revokedBanner) } : {}),
    body: content.body.map((block) =>
      block.kind === 'text'
        ? { ...block, text: printable(block.text) }
        : block.kind === 'signature'
          ? { ...block, lines: block.lines.map(printable) }
          : { ...block, code: printable(block.code), text: printable(block.text) },
    ),
    footer: { ...content.footer, number: printable(content.footer.number), verify: printable(content.footer.verify), note: printable(content.footer.note) },
  };
}

interface Style {
  readonly font: Face;
  readonly size: number;
  readonly colour: string;
  /** Space above the block. */
  readonly gap: number;
}

/** The box a signature image is fitted into, in points at full scale. */
const SIGNATURE_IMAGE = { width: 150, height: 48 };

const STYLES: Readonly<Record<BlockStyle | 'entry' | 'signature', Style>> = {
  title: { font: FONTS.bold, size: 30, colour: COLOURS.accent, gap: 0 },
  subtitle: { font: FONTS.regular, size: 14, colour: COLOURS.accent, gap: 8 },
  certifier: { font: FONTS.bold, size: 13, colour: COLOURS.ink, gap: 26 },
  attests: { font: FONTS.regular, size: 11.5, colour: COLOURS.muted, gap: 26 },
  statement: { font: FONTS.regular, size: 11.5, colour: COLOURS.muted, gap: 6 },
  name: { font: FONTS.bold, size: 22, colour: COLOURS.ink, gap: 8 },
  identity: { font: FONTS.regular, size: 11, colour: COLOURS.muted, gap: 3 },
  certification: { font: FONTS.bold, size: 16, colour: COLOURS.accent, gap: 6 },
  option: { font: FONTS.bold, size: 12.5, colour: COLOURS.ink, gap: 5 },
  registration: { font: FONTS.regular, size: 10.5, colour: COLOURS.ink, gap: 6 },
  referential: { font: FONTS.regular, size: 9.5, colour: COLOURS.muted, gap: 3 },
  note: { font: FONTS.italic, size: 10, colour: COLOURS.muted, gap: 16 },
  heading: { font: FONTS.bold, size: 11, colour: COLOURS.ink, gap: 16 },
  entry: { font: FONTS.regular, size: 9.5, colour: COLOURS.ink, gap: 4 },
  decision: { font: FONTS.bold, size: 12, colour: COLOURS.ink, gap: 20 },
  signature: { font: FONTS.regular, size: 11, colour: COLOURS.ink, gap: 18 },
};

type Doc = PDFKit.PDFDocument;

/** An image pdfkit has embedded (its object written), drawn by passing it to `doc.image` (which takes an opened image as it takes a file). */
type EmbeddedImage = PDFKit.Mixins.ImageSrc;
/** What pdfkit's images have besides their size; `openImage` is not in its published types. */
interface OpenedImage {
  finalize?: () => void;
  embed(doc: Doc): void;
}
/** The embedded image of each PNG given to embedInOrder. */
type EmbeddedImages = (png: Buffer) => EmbeddedImage;

/**
 * Embeds the images one after the other, each once the previous is written. pdfkit decodes a PNG
 * with transparency asynchronously (zlib on the thread pool) and numbers its mask's object when
 * that ends: two such images decoded together were numbered in whichever order they finished, so
 * the same document could come out in different bytes (seen under load).
 */
async function embedInOrder(doc: Doc, pngs: readonly Buffer[]): Promise<EmbeddedImages> {
  const embedded = new Map<Buffer, EmbeddedImage>();
  for (const png of pngs) {
    const image = (doc as Doc & { openImage(png: Buffer): OpenedImage }).openImage(png);
    const finalize = image.finalize?.bind(image);
    if (finalize) {
      // A PNG is written by its finalize, at once or after its decoding.
      await new Promise<void>((resolve) => {
        image.finalize = () => {
          finalize();
          resolve();
        };
        image.embed(doc);
      });
    } else image.embed(doc);
    embedded.set(png, image as unknown as EmbeddedImage);
  }
  return (png) => {
    const image = embedded.get(png);
    if (!image) throw new Error('an image drawn was not embedded first');
    return image;
  };
}

/** The document information dictionary; the XMP metadata states the same values (PDF/A requires both to agree). */
interface DocumentInfo {
  readonly Title: string;
  readonly Author?: string;
  readonly Subject: string;
  readonly Keywords: string;
  readonly Creator: string;
  readonly Producer: string;
  readonly CreationDate: Date;
  readonly ModDate: Date;
}

function documentInfo(model: IssuedDocumentModel, options: RenderPdfOptions): DocumentInfo {
  // In NFC, without control or invisible characters, which XML (the XMP) cannot hold.
  const clean = (value: string): string =>
    value
      .normalize('NFC')
      .replace(/[\p{Cf}\p{Cs}\uFFFE\uFFFF]/gu, '')
      .replace(/\p{Cc}/gu, ' ')
      .replace(/\s+/g, ' ')
      .trim();
  const decidedAt = instantOf(model.decision.date);
  const certifier = clean(certifierName(model.certification) ?? '');
  return {
    Title: clean(`${documentTitle(model)} N° ${model.number}`),
    // The issuer, where the référentiel names the certifier.
    ...(certifier ? { Author: certifier } : {}),
    Subject: clean(model.certification.title),
    Keywords: clean(model.number),
    Creator: 'Jalon',
    Producer: 'Jalon',
    // Dated from the decision (and the revocation), never from the clock: see render().
    CreationDate: decidedAt,
    ModDate: options.revoked ? instantOf(options.revoked.date) : decidedAt,
  };
}

async function render(model: IssuedDocumentModel, options: RenderPdfOptions, compress: boolean): Promise<Buffer> {
  const content = printableContent(documentContent(model, options));
  const qrPng = await QRCode.toBuffer(model.verificationUrl, { type: 'png', errorCorrectionLevel: 'M', margin: 0, scale: 8 });
  const info = documentInfo(model, options);
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: 24, left: MARGIN, right: MARGIN },
    compress,
    // PDF/A-2b (ISO 19005-2, on PDF 1.7): pdfkit writes its identification in the XMP metadata and an
    // sRGB output intent; the rest is this renderer's to keep: every font embedded (no standard font,
    // not even pdfkit's default Helvetica: `font: ''` loads none), the XMP metadata agreeing with the
    // information dictionary (writeXmp), no .notdef glyph (printable).
    subset: 'PDF/A-2b',
    pdfVersion: '1.7',
    font: '',
    lang: 'fr-FR',
    displayTitle: true,
    // pdfkit stamps CreationDate with the clock and derives the file /ID from the info dictionary:
    // dating both from the decision makes the bytes depend on the model only. The XMP metadata
    // carries the same dates (writeXmp), and the fonts' subset tags derive from their order of use.
    info,
  });
  for (const face of FACES) doc.registerFont(face, faces()[face] as unknown as PDFKit.Mixins.PDFFontSource);
  writeXmp(doc, info);
  const bytes = collect(doc);
  const signature = content.body.flatMap((block) => (block.kind === 'signature' && block.image ? [block.image] : []));
  const embedded = await embedInOrder(doc, [...signature, qrPng]);

  drawFrame(doc);
  let y = drawHeader(doc, content.header);
  if (content.revokedBanner) y = drawBanner(doc, content.revokedBanner, y + 14);
  drawBody(doc, content.body, y + 18, embedded);
  drawFooter(doc, content.footer, embedded(qrPng));
  if (content.revokedBanner) drawWatermark(doc, 'RÉVOQUÉ');

  doc.end();
  return bytes;
}

/**
 * pdfkit writes the information dictionary again in XMP, but with the values not escaped (a title
 * with « & » makes the XMP ill-formed, so the file is no longer PDF/A) and without the ModDate, which
 * PDF/A requires in both places. It does so in its `_addInfo` step, which this replaces for this
 * document with the same properties, escaped, and xmp:ModifyDate.
 */
function writeXmp(doc: Doc, info: DocumentInfo): void {
  const target = doc as unknown as { _addInfo?: () => void; appendXML(xml: string): void };
  if (typeof target._addInfo !== 'function') throw new Error('pdfkit no longer has the _addInfo step that writeXmp replaces');
  const text = (value: string): string => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const date = (value: Date): string => value.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const xmp = [
    '<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">',
    `<xmp:CreateDate>${date(info.CreationDate)}</xmp:CreateDate>`,
    `<xmp:ModifyDate>${date(info.ModDate)}</xmp:ModifyDate>`,
    `<xmp:CreatorTool>${text(info.Creator)}</xmp:CreatorTool>`,
    '</rdf:Description>',
    '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">',
    '<dc:format>application/pdf</dc:format>',
    `<dc:title><rdf:Alt><rdf:li xml:lang="x-default">${text(info.Title)}</rdf:li></rdf:Alt></dc:title>`,
    ...(info.Author ? [`<dc:creator><rdf:Seq><rdf:li>${text(info.Author)}</rdf:li></rdf:Seq></dc:creator>`] : []),
    `<dc:description><rdf:Alt><rdf:li xml:lang="x-default">${text(info.Subject)}</rdf:li></rdf:Alt></dc:description>`,
    '</rdf:Description>',
    '<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">',
    `<pdf:Producer>${text(info.Producer)}</pdf:Producer>`,
    `<pdf:Keywords>${text(info.Keywords)}</pdf:Keywords>`,
    '</rdf:Description>',
  ].join('\n');
  target._addInfo = () => target.appendXML(xmp);
}

function collect(doc: Doc): Promise<Buffer> {
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}

function write(doc: Doc, value: string, x: number, y: number, options: PDFKit.Mixins.TextOptions): void {
  doc.text(value, x, y, { lineGap: 1, ...options });
}

function heightOf(doc: Doc, value: string, style: Style, scale: number, width: number): number {
  return doc
    .font(style.font)
    .fontSize(style.size * scale)
    .heightOfString(value, { width, lineGap: 1 });
}

function drawFrame(doc: Doc): void {
  doc
    .lineWidth(1.5)
    .strokeColor(COLOURS.accent)
    .rect(24, 24, PAGE.width - 48, PAGE.height - 48)
    .stroke();
  doc
    .lineWidth(0.5)
    .strokeColor(COLOURS.rule)
    .rect(30, 30, PAGE.width - 60, PAGE.height - 60)
    .stroke();
}

/** The certifier (if named) on the left, the number on the right, a rule below; returns the rule's y. */
function drawHeader(doc: Doc, header: DocumentContent['header']): number {
  const top = 50;
  const numberWidth = 180;
  const certifierWidth = CONTENT_WIDTH - numberWidth - 12;
  let certifierHeight = 0;
  if (header.certifier) {
    const certifier = printable(header.certifier.toUpperCase());
    doc.font(FONTS.bold).fontSize(10).fillColor(COLOURS.accent);
    certifierHeight = doc.heightOfString(certifier, { width: certifierWidth, lineGap: 1 });
    write(doc, certifier, MARGIN, top, { width: certifierWidth });
  }
  doc.font(FONTS.regular).fontSize(9).fillColor(COLOURS.muted);
  write(doc, header.number, MARGIN + CONTENT_WIDTH - numberWidth, top + 1, { width: numberWidth, align: 'right' });
  const ruleY = top + Math.max(certifierHeight, 12) + 8;
  doc
    .lineWidth(0.75)
    .strokeColor(COLOURS.rule)
    .moveTo(MARGIN, ruleY)
    .lineTo(MARGIN + CONTENT_WIDTH, ruleY)
    .stroke();
  return ruleY;
}

/** A red band across the page; returns its bottom. */
function drawBanner(doc: Doc, banner: string, top: number): number {
  const padding = 9;
  const width = CONTENT_WIDTH - 2 * padding;
  doc.font(FONTS.bold).fontSize(12);
  const height = doc.heightOfString(banner, { width, lineGap: 1 }) + 2 * padding;
  doc.rect(MARGIN, top, CONTENT_WIDTH, height).fill(COLOURS.revoked);
  doc.fillColor(COLOURS.white);
  write(doc, banner, MARGIN + padding, top + padding + 1, { width, align: 'center' });
  return top + height;
}

/**
 * The body is centred in the space between the header and the footer. A long bloc title or a long
 * list of blocs must not push the text onto a second page or over the QR code, so the whole body is
 * scaled down, in small steps, until it fits.
 */
function drawBody(doc: Doc, blocks: readonly ContentBlock[], top: number, embedded: EmbeddedImages): void {
  const available = BODY_BOTTOM - top;
  const entryWidth = CONTENT_WIDTH - 2 * ENTRY_INDENT;
  const measure = (block: ContentBlock, scale: number): number => {
    if (block.kind === 'text') return heightOf(doc, block.text, STYLES[block.style], scale, CONTENT_WIDTH);
    if (block.kind === 'signature')
      return (
        block.lines.reduce((sum, line) => sum + heightOf(doc, line, STYLES.signature, scale, CONTENT_WIDTH), 0) +
        (block.image ? SIGNATURE_IMAGE.height * scale : 0)
      );
    const code = heightOf(doc, block.code, { ...STYLES.entry, font: FONTS.bold }, scale, ENTRY_CODE_WIDTH * scale);
    return Math.max(code, heightOf(doc, block.text, STYLES.entry, scale, entryWidth - ENTRY_CODE_WIDTH * scale));
  };
  const gapOf = (block: ContentBlock): number =>
    block.kind === 'text' ? STYLES[block.style].gap : block.kind === 'signature' ? STYLES.signature.gap : STYLES.entry.gap;
  const totalAt = (scale: number): number => blocks.reduce((sum, block) => sum + gapOf(block) * scale + measure(block, scale), 0);

  let scale = 1;
  while (scale > 0.6 && totalAt(scale) > available) scale = Math.round((scale - 0.04) * 100) / 100;
  let y = top + Math.max(0, available - totalAt(scale)) * 0.5;

  for (const block of blocks) {
    y += gapOf(block) * scale;
    const height = measure(block, scale);
    if (block.kind === 'text') {
      const style = STYLES[block.style];
      doc
        .font(style.font)
        .fontSize(style.size * scale)
        .fillColor(style.colour);
      write(doc, block.text, MARGIN, y, { width: CONTENT_WIDTH, align: 'center' });
    } else if (block.kind === 'signature') {
      doc
        .font(STYLES.signature.font)
        .fontSize(STYLES.signature.size * scale)
        .fillColor(STYLES.signature.colour);
      let lineY = y;
      for (const line of block.lines) {
        write(doc, line, MARGIN, lineY, { width: CONTENT_WIDTH, align: 'center' });
        lineY += heightOf(doc, line, STYLES.signature, scale, CONTENT_WIDTH);
      }
      if (block.image) {
        const width = SIGNATURE_IMAGE.width * scale;
        doc.image(embedded(block.image), MARGIN + (CONTENT_WIDTH - width) / 2, lineY, {
          fit: [width, SIGNATURE_IMAGE.height * scale],
          align: 'center',
          valign: 'center',
        });
      }
    } else {
      const left = MARGIN + ENTRY_INDENT;
      const codeWidth = ENTRY_CODE_WIDTH * scale;
      doc
        .font(FONTS.bold)
        .fontSize(STYLES.entry.size * scale)
        .fillColor(COLOURS.accent);
      write(doc, block.code, left, y, { width: codeWidth });
      doc.font(FONTS.regular).fillColor(STYLES.entry.colour);
      write(doc, block.text, left + codeWidth, y, { width: entryWidth - codeWidth });
    }
    y += height;
  }
}

function drawFooter(doc: Doc, footer: DocumentContent['footer'], qrCode: EmbeddedImage): void {
  doc
    .lineWidth(0.75)
    .strokeColor(COLOURS.rule)
    .moveTo(MARGIN, FOOTER_TOP)
    .lineTo(MARGIN + CONTENT_WIDTH, FOOTER_TOP)
    .stroke();
  const qrTop = FOOTER_TOP + 18;
  doc.image(qrCode, MARGIN, qrTop, { width: QR_SIZE, height: QR_SIZE });
  doc.link(MARGIN, qrTop, QR_SIZE, QR_SIZE, footer.url);

  const left = MARGIN + QR_SIZE + 20;
  const width = CONTENT_WIDTH - QR_SIZE - 20;
  let y = qrTop + 6;
  doc.font(FONTS.bold).fontSize(12).fillColor(COLOURS.ink);
  write(doc, footer.number, left, y, { width });
  y += doc.heightOfString(footer.number, { width, lineGap: 1 }) + 8;
  doc.font(FONTS.regular).fontSize(9).fillColor(COLOURS.accent);
  write(doc, footer.verify, left, y, { width, link: footer.url });
  y += doc.heightOfString(footer.verify, { width, lineGap: 1 }) + 8;
  doc.font(FONTS.regular).fontSize(8).fillColor(COLOURS.muted);
  write(doc, footer.note, left, y, { width });
}

/** A large diagonal mark over the body, so that a revoked document cannot pass for a valid one even cropped. */
function drawWatermark(doc: Doc, mark: string): void {
  const centre = { x: PAGE.width / 2, y: (FOOTER_TOP + 100) / 2 };
  doc.save();
  doc.rotate(-30, { origin: [centre.x, centre.y] });
  doc.font(FONTS.bold).fontSize(96).fillColor(COLOURS.revoked).fillOpacity(0.12);
  const value = printable(mark);
  const width = doc.widthOfString(value);
  doc.text(value, centre.x - width / 2, centre.y - 48, { lineBreak: false });
  doc.restore();
}
