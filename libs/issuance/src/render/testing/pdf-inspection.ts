import { inflateSync } from 'zlib';

/**
 * Reads back what an uncompressed pdfkit PDF shows, independently of pdfkit: the text of its
 * `TJ` operators decoded with the WinAnsi table of the PDF specification (annex D), and its images.
 */

const WIN_ANSI_0X80_0X9F: Readonly<Record<number, string>> = {
  0x80: '€',
  0x82: '‚',
  0x83: 'ƒ',
  0x84: '„',
  0x85: '…',
  0x86: '†',
  0x87: '‡',
  0x88: 'ˆ',
  0x89: '‰',
  0x8a: 'Š',
  0x8b: '‹',
  0x8c: 'Œ',
  0x8e: 'Ž',
  0x91: '‘',
  0x92: '’',
  0x93: '“',
  0x94: '”',
  0x95: '•',
  0x96: '–',
  0x97: '—',
  0x98: '˜',
  0x99: '™',
  0x9a: 'š',
  0x9b: '›',
  0x9c: 'œ',
  0x9e: 'ž',
  0x9f: 'Ÿ',
};

/** Each text-showing operation, in drawing order (a wrapped paragraph gives one entry per line). */
export function pdfTextRuns(pdf: Buffer): string[] {
  const source = pdf.toString('latin1');
  const runs: string[] = [];
  for (const operation of source.matchAll(/\[((?:<[0-9a-fA-F]*>|\s|-?\d+(?:\.\d+)?)*)\] TJ/g)) {
    const hexStrings = [...operation[1]!.matchAll(/<([0-9a-fA-F]*)>/g)].map((match) => {
      if (match[1]!.length % 2 !== 0) throw new Error(`odd-length hex string <${match[1]}>: a character was not encoded in one byte`);
      return Buffer.from(match[1]!, 'hex');
    });
    runs.push([...Buffer.concat(hexStrings)].map((byte) => WIN_ANSI_0X80_0X9F[byte] ?? String.fromCharCode(byte)).join(''));
  }
  return runs;
}

/**
 * The PDF as delivered (content streams compressed) with its page content streams inflated in
 * place, so that pdfTextRuns and pdfText read the text of the very bytes a reader downloads.
 * Images are left as they are; the result is for reading, not a valid PDF (its lengths are stale).
 */
export function withInflatedContent(pdf: Buffer): Buffer {
  const source = pdf.toString('latin1');
  const parts: Buffer[] = [];
  let from = 0;
  for (const match of source.matchAll(/obj\n<<\n((?:(?!endobj)[\s\S])*?)>>\nstream\n/g)) {
    const dictionary = match[1]!;
    if (!/\/Filter \/FlateDecode/.test(dictionary) || /\/Subtype \/Image/.test(dictionary)) continue;
    const start = match.index! + match[0].length;
    const length = Number(/\/Length (\d+)/.exec(dictionary)?.[1]);
    parts.push(pdf.subarray(from, start), inflateSync(pdf.subarray(start, start + length)));
    from = start + length;
  }
  parts.push(pdf.subarray(from));
  return Buffer.concat(parts);
}

/** All the text, runs joined by spaces, every run of white space (no-break space included) as one space. */
export function pdfText(pdf: Buffer): string {
  return pdfTextRuns(pdf)
    .join(' ')
    .replace(/[\s\u00a0]+/g, ' ');
}

export interface PdfImage {
  readonly width: number;
  readonly height: number;
  readonly colorSpace: string;
  /** The decoded samples, row by row. */
  readonly samples: Buffer;
}

/** The image XObjects (FlateDecode without predictor, as pdfkit writes decoded PNG pixels). */
export function pdfImages(pdf: Buffer): PdfImage[] {
  const source = pdf.toString('latin1');
  const images: PdfImage[] = [];
  for (const match of source.matchAll(/<<\n(\/Type \/XObject\n\/Subtype \/Image\n[\s\S]*?)>>\nstream\n/g)) {
    const dictionary = match[1]!;
    const number = (key: string): number => Number(new RegExp(`/${key} (\\d+)`).exec(dictionary)?.[1]);
    const start = match.index! + match[0].length;
    const data = pdf.subarray(start, start + number('Length'));
    images.push({
      width: number('Width'),
      height: number('Height'),
      colorSpace: /\/ColorSpace \/(\w+)/.exec(dictionary)?.[1] ?? '',
      samples: /\/DecodeParms/.test(dictionary) ? Buffer.alloc(0) : inflateSync(data),
    });
  }
  return images;
}
