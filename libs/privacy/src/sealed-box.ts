import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM through Node's crypto: a fresh 96-bit IV per message and the associated data bound
 * in, so a box only opens under the key and the context (event type, candidate) it was sealed for.
 */
export interface Ciphertext {
  readonly iv: string;
  readonly data: string;
  readonly tag: string;
}

const ALGORITHM = 'aes-256-gcm';
const b64 = (bytes: Buffer) => bytes.toString('base64url');

export function encrypt(key: Buffer, associatedData: string, plaintext: Buffer): Ciphertext {
  const iv = randomBytes(12);
  const cipher = createCipheriv(ALGORITHM, key, iv);
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const data = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv: b64(iv), data: b64(data), tag: b64(cipher.getAuthTag()) };
}

/** Throws when the key, the associated data or a byte of the box is not what it was sealed with. */
export function decrypt(key: Buffer, associatedData: string, box: Ciphertext): Buffer {
  const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(box.iv, 'base64url'));
  decipher.setAAD(Buffer.from(associatedData, 'utf8'));
  decipher.setAuthTag(Buffer.from(box.tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(box.data, 'base64url')), decipher.final()]);
}

export const newDataKey = (): Buffer => randomBytes(32);
