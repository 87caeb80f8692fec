/**
 * The PDF uses the 14 standard fonts (Helvetica), which pdfkit writes in WinAnsiEncoding: one byte
 * per character. pdfkit does not check its input: a character outside WinAnsi is written as several
 * garbage bytes. Every string that reaches the PDF goes through `toWinAnsi` first, which keeps what
 * the font can show (all French letters, « », —, ’, œ, €…) and replaces the rest with the closest
 * equivalent: Łukasz → Lukasz, Đorđe → Dorde, ﬁ → fi, narrow no-break space → no-break space.
 */

/** The characters WinAnsi places in 0x80–0x9F (the rest of the encoding is Latin-1). */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/** Replacements decomposition cannot find (letters that are not a base letter plus an accent). */
const SUBSTITUTES: Readonly<Record<string, string>> = {
  Ł: 'L',
  ł: 'l',
  Đ: 'D',
  đ: 'd',
  Ħ: 'H',
  ħ: 'h',
  ı: 'i',
  Ŋ: 'N',
  ŋ: 'n',
  Ŧ: 'T',
  ŧ: 't',
  ĸ: 'k',
  ſ: 's',
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '–',
  '\u2015': '—',
  '\u2212': '-',
  '\u2032': '’',
  '\u2033': '”',
  '\u02BC': '’',
  '\u02B9': '’',
  '\u2043': '-',
};

const NO_BREAK_SPACES = /[\u202F\u2007]/u;
const SPACES = /[\t\n\r\v\f\u1680\u2000-\u2006\u2008-\u200A\u2028\u2029\u205F\u3000]/u;
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u00AD]/u;

export function isWinAnsi(char: string): boolean {
  if (char.length !== 1) return false;
  const code = char.charCodeAt(0);
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff && code !== 0xad) || WIN_ANSI_EXTRA.has(char);
}

/** The text with every character encodable by the standard PDF fonts (see the file comment). */
export function toWinAnsi(text: string): string {
  let out = '';
  for (const char of text.normalize('NFC')) out += encodable(char);
  return out;
}

function encodable(char: string): string {
  if (isWinAnsi(char)) return char;
  if (NO_BREAK_SPACES.test(char)) return '\u00A0';
  if (SPACES.test(char)) return ' ';
  if (INVISIBLE.test(char)) return '';
  const substitute = SUBSTITUTES[char];
  if (substitute !== undefined) return substitute;
  const compatible = char.normalize('NFKC');
  if (compatible !== char && [...compatible].every(isWinAnsi)) return compatible;
  const stripped = char.normalize('NFD').replace(/\p{M}/gu, '');
  if (stripped && [...stripped].every(isWinAnsi)) return stripped;
  const code = char.codePointAt(0)!;
  if (code < 0x20 || (code >= 0x7f && code < 0xa0)) return '';
  return '?';
}
