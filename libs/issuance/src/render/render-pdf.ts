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
import { toWinAnsi } from './win-ansi';

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
  | { readonly kind: 'entry'; readonly code: string; readonly text: string };

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
 * certification's kind (french.ts): a mention the référentiel does not state is not printed.
 */
export function documentContent(model: IssuedDocumentModel, options: RenderPdfOptions = {}): DocumentContent {
  const text = (style: BlockStyle, value: string): ContentBlock => ({ kind: 'text', style, text: value });
  const { candidate, certification } = model;
  const certifier = certification.certifier?.trim();
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

/** The PDF of an attestation de réussite or a certificate: A4, in French, the same bytes for the same model. */
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
const FONTS = { regular: 'Helvetica', bold: 'Helvetica-Bold', italic: 'Helvetica-Oblique' };

interface Style {
  readonly font: string;
  readonly size: number;
  readonly colour: string;
  /** Space above the block. */
  readonly gap: number;
}

const STYLES: Readonly<Record<BlockStyle | 'entry', Style>> = {
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
};

type Doc = PDFKit.PDFDocument;

async function render(model: IssuedDocumentModel, options: RenderPdfOptions, compress: boolean): Promise<Buffer> {
  const content = documentContent(model, options);
  const qrPng = await QRCode.toBuffer(model.verificationUrl, { type: 'png', errorCorrectionLevel: 'M', margin: 0, scale: 8 });
  const decidedAt = instantOf(model.decision.date);
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: 24, left: MARGIN, right: MARGIN },
    compress,
    pdfVersion: '1.4',
    lang: 'fr-FR',
    displayTitle: true,
    // pdfkit stamps CreationDate with the clock and derives the file /ID from the info dictionary:
    // dating both from the decision makes the bytes depend on the model only.
    info: {
      Title: `${documentTitle(model)} N° ${model.number}`,
      ...(model.certification.certifier?.trim() ? { Author: model.certification.certifier.trim() } : {}),
      Subject: model.certification.title,
      Creator: 'Jalon',
      Producer: 'Jalon',
      CreationDate: decidedAt,
      ModDate: options.revoked ? instantOf(options.revoked.date) : decidedAt,
    },
  });
  const bytes = collect(doc);

  drawFrame(doc);
  let y = drawHeader(doc, content.header);
  if (content.revokedBanner) y = drawBanner(doc, content.revokedBanner, y + 14);
  drawBody(doc, content.body, y + 18);
  drawFooter(doc, content.footer, qrPng);
  if (content.revokedBanner) drawWatermark(doc, 'RÉVOQUÉ');

  doc.end();
  return bytes;
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
  doc.text(toWinAnsi(value), x, y, { lineGap: 1, ...options });
}

function heightOf(doc: Doc, value: string, style: Style, scale: number, width: number): number {
  return doc
    .font(style.font)
    .fontSize(style.size * scale)
    .heightOfString(toWinAnsi(value), { width, lineGap: 1 });
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
    doc.font(FONTS.bold).fontSize(10).fillColor(COLOURS.accent);
    certifierHeight = doc.heightOfString(toWinAnsi(header.certifier.toUpperCase()), { width: certifierWidth, lineGap: 1 });
    write(doc, header.certifier.toUpperCase(), MARGIN, top, { width: certifierWidth });
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
  const height = doc.heightOfString(toWinAnsi(banner), { width, lineGap: 1 }) + 2 * padding;
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
function drawBody(doc: Doc, blocks: readonly ContentBlock[], top: number): void {
  const available = BODY_BOTTOM - top;
  const entryWidth = CONTENT_WIDTH - 2 * ENTRY_INDENT;
  const measure = (block: ContentBlock, scale: number): number => {
    if (block.kind === 'text') return heightOf(doc, block.text, STYLES[block.style], scale, CONTENT_WIDTH);
    const code = heightOf(doc, block.code, { ...STYLES.entry, font: FONTS.bold }, scale, ENTRY_CODE_WIDTH * scale);
    return Math.max(code, heightOf(doc, block.text, STYLES.entry, scale, entryWidth - ENTRY_CODE_WIDTH * scale));
  };
  const gapOf = (block: ContentBlock): number => (block.kind === 'text' ? STYLES[block.style].gap : STYLES.entry.gap);
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

function drawFooter(doc: Doc, footer: DocumentContent['footer'], qrPng: Buffer): void {
  doc
    .lineWidth(0.75)
    .strokeColor(COLOURS.rule)
    .moveTo(MARGIN, FOOTER_TOP)
    .lineTo(MARGIN + CONTENT_WIDTH, FOOTER_TOP)
    .stroke();
  const qrTop = FOOTER_TOP + 18;
  doc.image(qrPng, MARGIN, qrTop, { width: QR_SIZE, height: QR_SIZE });
  doc.link(MARGIN, qrTop, QR_SIZE, QR_SIZE, footer.url);

  const left = MARGIN + QR_SIZE + 20;
  const width = CONTENT_WIDTH - QR_SIZE - 20;
  let y = qrTop + 6;
  doc.font(FONTS.bold).fontSize(12).fillColor(COLOURS.ink);
  write(doc, footer.number, left, y, { width });
  y += doc.heightOfString(toWinAnsi(footer.number), { width, lineGap: 1 }) + 8;
  doc.font(FONTS.regular).fontSize(9).fillColor(COLOURS.accent);
  write(doc, footer.verify, left, y, { width, link: footer.url });
  y += doc.heightOfString(toWinAnsi(footer.verify), { width, lineGap: 1 }) + 8;
  doc.font(FONTS.regular).fontSize(8).fillColor(COLOURS.muted);
  write(doc, footer.note, left, y, { width });
}

/** A large diagonal mark over the body, so that a revoked document cannot pass for a valid one even cropped. */
function drawWatermark(doc: Doc, mark: string): void {
  const centre = { x: PAGE.width / 2, y: (FOOTER_TOP + 100) / 2 };
  doc.save();
  doc.rotate(-30, { origin: [centre.x, centre.y] });
  doc.font(FONTS.bold).fontSize(96).fillColor(COLOURS.revoked).fillOpacity(0.12);
  const value = toWinAnsi(mark);
  const width = doc.widthOfString(value);
  doc.text(value, centre.x - width / 2, centre.y - 48, { lineBreak: false });
  doc.restore();
}
