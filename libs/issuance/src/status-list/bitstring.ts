import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';

/**
 * The bits of a W3C Bitstring Status List v1.0 (https://www.w3.org/TR/vc-bitstring-status-list/):
 * one bit per credential, 1 when revoked; index 0 is the left-most (most significant) bit of the
 * first byte. Published as `encodedList`: the multibase prefix `u`, then base64url without padding
 * of the GZIP-compressed bytes. Pure: no I/O, no clock, no key.
 */

/** Entries in one list: the specification's minimum (16 KB), large enough for herd privacy. */
export const STATUS_LIST_LENGTH = 131_072;

/** What a decoded list may expand to at most: a list read from elsewhere must not be a gzip bomb. */
const MAX_DECODED_BYTES = 16 * 1024 * 1024;

/** `length` bits, all 0 but those at `indices`. */
export function bitstringOf(indices: Iterable<number>, length = STATUS_LIST_LENGTH): Buffer {
  if (!Number.isInteger(length) || length <= 0 || length % 8 !== 0) throw new RangeError(`a status list holds a whole number of bytes, not ${length} bits`);
  const bits = Buffer.alloc(length / 8);
  for (const index of indices) {
    if (!Number.isInteger(index) || index < 0 || index >= length) throw new RangeError(`status list index ${index} is outside [0, ${length})`);
    bits[index >> 3] |= 0x80 >> (index & 7);
  }
  return bits;
}

/** The bit at `index` (0 or 1). */
export function bitAt(bits: Buffer, index: number): 0 | 1 {
  if (!Number.isInteger(index) || index < 0 || index >= bits.length * 8) throw new RangeError(`status list index ${index} is outside [0, ${bits.length * 8})`);
  return ((bits[index >> 3] >> (7 - (index & 7))) & 1) as 0 | 1;
}

/** The `encodedList` of these bits: `u` + base64url (no padding) of their GZIP compression. */
export function encodeList(bits: Buffer): string {
  return `u${gzipSync(bits, { level: 9 }).toString('base64url')}`;
}

/** The bits of an `encodedList`; refuses anything but a multibase base64url GZIP of at least the minimum length. */
export function decodeList(encodedList: string): Buffer {
  if (!encodedList.startsWith('u')) throw new RangeError('an encodedList starts with the multibase prefix u (base64url)');
  const body = encodedList.slice(1);
  if (!/^[A-Za-z0-9_-]+$/.test(body)) throw new RangeError('an encodedList is base64url without padding after its prefix');
  const compressed = Buffer.from(body, 'base64url');
  let bits: Buffer;
  try {
    bits = gunzipSync(compressed, { maxOutputLength: MAX_DECODED_BYTES });
  } catch (error) {
    throw new RangeError(`the encodedList is not GZIP data of at most ${MAX_DECODED_BYTES} bytes (${(error as Error).message})`);
  }
  if (bits.length * 8 < STATUS_LIST_LENGTH) throw new RangeError(`a status list holds at least ${STATUS_LIST_LENGTH} bits, this one ${bits.length * 8}`);
  return bits;
}

/**
 * Where the `ordinal`-th entry given out in a list sits in it: a permutation of [0, length) keyed
 * by the list's secret `salt`, so that neighbouring indices are not documents issued one after the
 * other and an index says nothing of when its document was issued, nor how full the list is (herd
 * privacy). The same ordinal and salt always give the same index; two ordinals never share one.
 *
 * A balanced Feistel network (four rounds, each a table of pseudo-random values derived from the
 * salt) over the smallest even number of bits covering `length`, walked along its cycle until it
 * lands inside [0, length): a permutation of the larger domain restricted that way is one of the
 * smaller.
 */
export function positionInList(ordinal: number, salt: string, length = STATUS_LIST_LENGTH): number {
  if (!Number.isInteger(ordinal) || ordinal < 0 || ordinal >= length) throw new RangeError(`ordinal ${ordinal} is outside [0, ${length})`);
  const network = feistelOf(salt, length);
  let position = network.permute(ordinal);
  while (position >= length) position = network.permute(position);
  return position;
}

const ROUNDS = 4;

interface Feistel {
  permute(value: number): number;
}

/** The last network built: allocations come in runs on one list, each needing the same tables. */
let lastNetwork: { readonly key: string; readonly network: Feistel } | undefined;

function feistelOf(salt: string, length: number): Feistel {
  const key = `${length}:${salt}`;
  if (lastNetwork?.key === key) return lastNetwork.network;
  const halfBits = Math.max(1, Math.ceil(Math.ceil(Math.log2(length)) / 2));
  const size = 1 << halfBits;
  const mask = size - 1;
  // Each round's table: `size` values of `halfBits` bits, from SHA-256 in counter mode over the salt.
  const tables = Array.from({ length: ROUNDS }, (_, round) => {
    const table = new Uint32Array(size);
    let block = Buffer.alloc(0);
    for (let i = 0, counter = 0; i < size; i++) {
      if (block.length < 4) {
        block = Buffer.concat([block, createHash('sha256').update(`jalon:status-list:${salt}:${round}:${counter++}`).digest()]);
      }
      table[i] = block.readUInt32BE(0) & mask;
      block = block.subarray(4);
    }
    return table;
  });
  const network: Feistel = {
    permute(value: number): number {
      let left = (value >>> halfBits) & mask;
      let right = value & mask;
      for (const table of tables) [left, right] = [right, left ^ table[right]];
      return left * size + right;
    },
  };
  lastNetwork = { key, network };
  return network;
}
