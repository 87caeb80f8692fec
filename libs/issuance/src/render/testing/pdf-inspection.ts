import { inflateSync } from 'zlib';

/**
 * Reads back what a pdfkit PDF shows, independently of pdfkit: the text of its `TJ` operators, each
 * string decoded through the ToUnicode map of the font selected by the last `Tf` (the fonts are
 * embedded Type0 fonts, two bytes per glyph), and its images. For the PDF as delivered, read it
 * through withInflatedContent first.
 */

interface PdfObject {
  readonly dictionary: string;
  /** The stream's bytes as stored (still compressed if it has a filter); absent for an object without stream. */
  readonly stream?: Buffer;
}

/** The numbered objects, found by their `N 0 obj` … `endobj` markers (streams are read up to `endstream`, not by Length). */
function pdfObjects(pdf: Buffer): Map<number, PdfObject> {
  const source = pdf.toString('latin1');
  const objects = new Map<number, PdfObject>();
  const start = /(?:^|\n)(\d+) 0 obj\n/g;
  for (let match = start.exec(source); match; match = start.exec(source)) {
    const bodyStart = match.index + match[0].length;
    const streamAt = source.indexOf('\nstream\n', bodyStart);
    const endAt = source.indexOf('\nendobj', bodyStart);
    if (streamAt !== -1 && streamAt < endAt) {
      const dataStart = streamAt + '\nstream\n'.length;
      const dataEnd = source.indexOf('\nendstream\nendobj', dataStart);
      objects.set(Number(match[1]), { dictionary: source.slice(bodyStart, streamAt), stream: pdf.subarray(dataStart, dataEnd) });
      start.lastIndex = dataEnd;
    } else {
      objects.set(Number(match[1]), { dictionary: source.slice(bodyStart, endAt) });
      start.lastIndex = endAt;
    }
  }
  return objects;
}

/** A stream's decoded bytes: inflated where its dictionary says FlateDecode and it has not been inflated yet. */
function streamData(object: PdfObject): Buffer {
  const data = object.stream ?? Buffer.alloc(0);
  if (!/\/Filter \/FlateDecode/.test(object.dictionary)) return data;
  try {
    return inflateSync(data);
  } catch {
    // Already inflated in place by withInflatedContent.
    return data;
  }
}

const reference = (dictionary: string, key: string): number | undefined => {
  const match = new RegExp(`/${key} (\\d+) 0 R`).exec(dictionary);
  return match ? Number(match[1]) : undefined;
};

/** A ToUnicode CMap: two-byte code → text (bfchar and bfrange entries, both forms of bfrange). */
function parseToUnicode(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  const utf16 = (hex: string): string => {
    const digits = hex.replace(/\s+/g, '');
    const units: number[] = [];
    for (let i = 0; i < digits.length; i += 4) units.push(parseInt(digits.slice(i, i + 4), 16));
    return String.fromCharCode(...units);
  };
  for (const section of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const entry of section[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F\s]+)>/g)) map.set(parseInt(entry[1]!, 16), utf16(entry[2]!));
  }
  for (const section of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const entry of section[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F\s]+>)/g)) {
      const first = parseInt(entry[1]!, 16);
      const last = parseInt(entry[2]!, 16);
      const target = entry[3]!;
      if (target.startsWith('[')) {
        const values = [...target.matchAll(/<([0-9a-fA-F\s]*)>/g)].map((value) => utf16(value[1]!));
        values.forEach((value, i) => map.set(first + i, value));
      } else {
        const base = utf16(target.slice(1, -1));
        const lastUnit = base.charCodeAt(base.length - 1);
        for (let code = first; code <= last; code++) map.set(code, base.slice(0, -1) + String.fromCharCode(lastUnit + code - first));
      }
    }
  }
  return map;
}

/** Each font resource name (`F1`) with the ToUnicode map of its font, from the pages' resource dictionaries. */
function fontMaps(objects: Map<number, PdfObject>): Map<string, Map<number, string>> {
  const maps = new Map<string, Map<number, string>>();
  for (const { dictionary } of objects.values()) {
    const fonts = /\/Font <<([^>]*)>>/.exec(dictionary)?.[1];
    if (!fonts) continue;
    for (const [, name, number] of fonts.matchAll(/\/(\S+) (\d+) 0 R/g)) {
      const font = objects.get(Number(number));
      const toUnicode = font && reference(font.dictionary, 'ToUnicode');
      const cmap = toUnicode === undefined ? undefined : objects.get(toUnicode);
      if (!cmap) throw new Error(`font ${name} (object ${number}) has no ToUnicode map: its text cannot be read back`);
      maps.set(name!, parseToUnicode(streamData(cmap).toString('latin1')));
    }
  }
  return maps;
}

/** The pages' content streams, decoded, in page order. */
function contentStreams(objects: Map<number, PdfObject>): string[] {
  const pages = [...objects.values()].filter(({ dictionary }) => /\/Type \/Page\n/.test(dictionary));
  return pages.map((page) => {
    const contents = reference(page.dictionary, 'Contents');
    const stream = contents === undefined ? undefined : objects.get(contents);
    if (!stream) throw new Error('a page has no content stream');
    return streamData(stream).toString('latin1');
  });
}

/** Each text-showing operation, in drawing order (a wrapped paragraph gives one entry per line). */
export function pdfTextRuns(pdf: Buffer): string[] {
  const objects = pdfObjects(pdf);
  const fonts = fontMaps(objects);
  const runs: string[] = [];
  for (const content of contentStreams(objects)) {
    let font: Map<number, string> | undefined;
    let fontName = '';
    for (const operation of content.matchAll(/\/(\S+) [\d.]+ Tf|\[([^\]]*)\] TJ|<([0-9a-fA-F]*)> Tj/g)) {
      if (operation[1] !== undefined) {
        fontName = operation[1];
        font = fonts.get(fontName);
        continue;
      }
      if (!font) throw new Error(`text shown with font ${fontName || '(none)'}, which has no ToUnicode map`);
      const strings = operation[2] !== undefined ? [...operation[2].matchAll(/<([0-9a-fA-F]*)>|\((?:[^()\\]|\\.)*\)/g)] : [[`<${operation[3]}>`, operation[3]]];
      let run = '';
      for (const string of strings) {
        const hex = string[1];
        if (hex === undefined) throw new Error(`literal string ${string[0]} with font ${fontName}: an embedded font's text is written in hexadecimal`);
        if (hex.length % 4 !== 0) throw new Error(`hex string <${hex}> is not made of two-byte codes`);
        for (let i = 0; i < hex.length; i += 4) {
          const code = parseInt(hex.slice(i, i + 4), 16);
          const text = font.get(code);
          if (text === undefined) throw new Error(`code ${code} of font ${fontName} is not in its ToUnicode map`);
          run += text;
        }
      }
      runs.push(run);
    }
  }
  return runs;
}

/**
 * The PDF as delivered (streams compressed) with its non-image streams inflated in place, so that
 * pdfTextRuns and pdfText read the text of the very bytes a reader downloads. The result is for
 * reading, not a valid PDF (its lengths are stale).
 */
export function withInflatedContent(pdf: Buffer): Buffer {
  const source = pdf.toString('latin1');
  const parts: Buffer[] = [];
  let from = 0;
  const header = /\n<<\n((?:\/[^\n]*\n)*?)>>\nstream\n/g;
  for (let match = header.exec(source); match; match = header.exec(source)) {
    const dictionary = match[1]!;
    const start = match.index + match[0].length;
    const length = Number(/\/Length (\d+)/.exec(dictionary)?.[1]);
    header.lastIndex = start + length;
    if (!/\/Filter \/FlateDecode/.test(dictionary) || /\/Subtype \/Image/.test(dictionary)) continue;
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
  const images: PdfImage[] = [];
  for (const object of pdfObjects(pdf).values()) {
    const dictionary = object.dictionary;
    if (!/\/Type \/XObject\n\/Subtype \/Image\n/.test(dictionary)) continue;
    const number = (key: string): number => Number(new RegExp(`/${key} (\\d+)`).exec(dictionary)?.[1]);
    images.push({
      width: number('Width'),
      height: number('Height'),
      colorSpace: /\/ColorSpace \/(\w+)/.exec(dictionary)?.[1] ?? '',
      samples: /\/DecodeParms/.test(dictionary) ? Buffer.alloc(0) : inflateSync(object.stream!),
    });
  }
  return images;
}
