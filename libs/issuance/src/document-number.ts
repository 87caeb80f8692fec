import { createHash } from 'node:crypto';

// Crockford's base32: no I, L, O, U, so a number read aloud or typed is not mistaken.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * The document's number, derived from the decision event it records: the same decision always
 * gets the same number, so a retried job stores and records the same document.
 */
export function documentNumber(kind: 'attestation' | 'certificate', decisionEventId: string): string {
  const digest = createHash('sha256').update(`${kind}:${decisionEventId}`).digest();
  let bits = 0n;
  for (const byte of digest.subarray(0, 7)) bits = (bits << 8n) | BigInt(byte);
  let text = '';
  for (let i = 0; i < 11; i++) {
    text = ALPHABET[Number(bits & 31n)] + text;
    bits >>= 5n;
  }
  return `JAL-${kind === 'attestation' ? 'A' : 'C'}-${text}`;
}

export const DOCUMENT_NUMBER = /^JAL-[AC]-[0-9A-HJKMNP-TV-Z]{11}$/;
