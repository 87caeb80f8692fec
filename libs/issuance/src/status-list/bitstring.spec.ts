import { gunzipSync, gzipSync } from 'node:zlib';
import { bitAt, bitstringOf, decodeList, encodeList, positionInList, STATUS_LIST_LENGTH } from './bitstring';

describe('a status list’s bits (W3C Bitstring Status List v1.0)', () => {
  it('are 131,072 (16 KB) by default, index 0 the left-most, most significant bit of the first byte', () => {
    const bits = bitstringOf([0, 9, STATUS_LIST_LENGTH - 1]);
    expect(bits.length).toBe(16 * 1024);
    expect(bits[0]).toBe(0b1000_0000);
    expect(bits[1]).toBe(0b0100_0000);
    expect(bits[bits.length - 1]).toBe(0b0000_0001);
    expect(bits.subarray(2, bits.length - 1).every((byte) => byte === 0)).toBe(true);
    expect([0, 1, 8, 9, 10, STATUS_LIST_LENGTH - 1].map((i) => bitAt(bits, i))).toEqual([1, 0, 0, 1, 0, 1]);
  });

  it('refuse an index outside the list, and a length that is not whole bytes', () => {
    expect(() => bitstringOf([STATUS_LIST_LENGTH])).toThrow(RangeError);
    expect(() => bitstringOf([-1])).toThrow(RangeError);
    expect(() => bitstringOf([1.5])).toThrow(RangeError);
    expect(() => bitstringOf([], 12)).toThrow(RangeError);
    expect(() => bitAt(bitstringOf([]), STATUS_LIST_LENGTH)).toThrow(RangeError);
  });

  it('are encoded as u + base64url (no padding) of their GZIP, which anyone decodes with zlib alone', () => {
    const revoked = [3, 1000, 65_537, 131_071];
    const encoded = encodeList(bitstringOf(revoked));
    expect(encoded).toMatch(/^u[A-Za-z0-9_-]+$/);
    // Nearly all zeros: a few dozen bytes, not 16 KB.
    expect(encoded.length).toBeLessThan(200);
    const decoded = gunzipSync(Buffer.from(encoded.slice(1), 'base64url'));
    expect(decoded.length * 8).toBe(STATUS_LIST_LENGTH);
    const set = [...decoded].flatMap((byte, at) => [...Array(8).keys()].filter((bit) => (byte >> (7 - bit)) & 1).map((bit) => at * 8 + bit));
    expect(set).toEqual(revoked);
  });

  it('decode back to what was encoded, and to what another encoder made', () => {
    const bits = bitstringOf([7, 8, 4242]);
    expect(decodeList(encodeList(bits)).equals(bits)).toBe(true);
    expect(decodeList(`u${gzipSync(bits, { level: 1 }).toString('base64url')}`).equals(bits)).toBe(true);
    // A longer list than the minimum is a list too.
    expect(decodeList(encodeList(bitstringOf([200_000], 2 * STATUS_LIST_LENGTH))).length).toBe(32 * 1024);
  });

  it('refuse to decode what is not a multibase base64url GZIP of at least 16 KB', () => {
    const bits = bitstringOf([]);
    expect(() => decodeList(gzipSync(bits).toString('base64url'))).toThrow(/multibase prefix u/);
    expect(() => decodeList(`z${gzipSync(bits).toString('base64url')}`)).toThrow(/multibase prefix u/);
    expect(() => decodeList(`u${gzipSync(bits).toString('base64')}==`)).toThrow(/base64url/);
    expect(() => decodeList(`u${Buffer.from('not gzip').toString('base64url')}`)).toThrow(/GZIP/);
    expect(() => decodeList(`u${gzipSync(Buffer.alloc(1024)).toString('base64url')}`)).toThrow(/at least 131072 bits/);
    // A bomb: 32 MB of zeros compress to a few dozen KB, and stop at 16 MB.
    expect(() => decodeList(`u${gzipSync(Buffer.alloc(32 * 1024 * 1024)).toString('base64url')}`)).toThrow(/GZIP data of at most/);
  });
});

describe('where an entry sits in its list', () => {
  it('is a permutation of the whole list: every ordinal a place of its own, every place taken once', () => {
    const seen = new Uint8Array(STATUS_LIST_LENGTH);
    let outside = 0;
    for (let ordinal = 0; ordinal < STATUS_LIST_LENGTH; ordinal++) {
      const position = positionInList(ordinal, 'salt-of-list-0');
      if (position >= 0 && position < STATUS_LIST_LENGTH) seen[position]++;
      else outside++;
    }
    expect(outside).toBe(0);
    expect(seen.every((count) => count === 1)).toBe(true);
  });

  it('is a permutation for other lengths too (an odd number of bits)', () => {
    for (const length of [8, 1024, 2048, 4000]) {
      const positions = new Set(Array.from({ length }, (_, ordinal) => positionInList(ordinal, 'x', length)));
      expect(positions.size).toBe(length);
      expect(Math.max(...positions)).toBe(length - 1);
    }
  });

  it('is the same for the same ordinal and salt, and says nothing of the order of issue without the salt', () => {
    const first = Array.from({ length: 100 }, (_, ordinal) => positionInList(ordinal, 'salt-a'));
    expect(Array.from({ length: 100 }, (_, ordinal) => positionInList(ordinal, 'salt-a'))).toEqual(first);
    expect(Array.from({ length: 100 }, (_, ordinal) => positionInList(ordinal, 'salt-b'))).not.toEqual(first);
    // Documents issued one after the other are not neighbours: spread over the whole list.
    const gaps = first.slice(1).map((position, i) => Math.abs(position - first[i]));
    expect(gaps.filter((gap) => gap < 64).length).toBeLessThan(5);
    expect(Math.max(...first)).toBeGreaterThan(STATUS_LIST_LENGTH / 2);
    expect(Math.min(...first)).toBeLessThan(STATUS_LIST_LENGTH / 2);
  });

  it('refuses an ordinal outside the list', () => {
    expect(() => positionInList(STATUS_LIST_LENGTH, 's')).toThrow(RangeError);
    expect(() => positionInList(-1, 's')).toThrow(RangeError);
  });
});
