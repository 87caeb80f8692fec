import fc from 'fast-check';
import { isWinAnsi, toWinAnsi } from './win-ansi';

describe('toWinAnsi', () => {
  it('keeps French text as it is', () => {
    const french = 'Élève, à côté : « Ça coûte 5 € », dit-elle — l’œuvre d’Œdipe, naïf, Noël, où, ÿ, Ÿ… « nom d’usage »';
    expect(toWinAnsi(french)).toBe(french);
  });

  it('composes decomposed accents (NFD input)', () => {
    expect(toWinAnsi('e\u0301te\u0301')).toBe('été');
  });

  it('replaces what the font cannot show with the closest character', () => {
    expect(toWinAnsi('Łukasz Wałęsa')).toBe('Lukasz Walesa');
    expect(toWinAnsi('Nguyễn Đức')).toBe('Nguyen Duc');
    expect(toWinAnsi('Şahin Çağlar')).toBe('Sahin Çaglar');
    expect(toWinAnsi('ﬁnance − 3 ‐ 4')).toBe('finance - 3 - 4');
    expect(toWinAnsi('Option\u202F: A\u2009B')).toBe('Option\u00A0: A B');
    expect(toWinAnsi('zero\u200Bwidth\u00ADsoft')).toBe('zerowidthsoft');
    expect(toWinAnsi('tab\tnew\nline')).toBe('tab new line');
    expect(toWinAnsi('王 😀 Ω')).toBe('? ? ?');
  });

  it('returns only characters that WinAnsi encodes in one byte', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), (a, b) => [...toWinAnsi(a + b)].every(isWinAnsi)));
  });
});
