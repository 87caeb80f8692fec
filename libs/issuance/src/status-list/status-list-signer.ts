import { createPrivateKey, sign } from 'node:crypto';
import { IssuerKey } from '../document-model';

/**
 * Who publishes the status lists and how a list is signed: the issuer of the documents' credentials
 * (a verifier requires the list's issuer to be the credential's), and a VC-JWT signature with its
 * current key. One provider in the runtime builds it: swap it there for a key ring.
 */
export interface StatusListSigner {
  readonly issuer: { readonly id: string; readonly name: string };
  /** The compact JWS (VC-JWT, media type application/vc+jwt) of this credential. */
  sign(credential: Readonly<Record<string, unknown>>): Promise<string>;
}

/**
 * Signs with one issuer key (RS256 or EdDSA, as the key says): header `{ alg, typ: 'vc+jwt', kid }`,
 * payload the credential with the registered claims that mirror it (`iss`, `jti`, `nbf`), as the
 * documents' credentials. Both signatures are deterministic (PKCS#1 v1.5, Ed25519): the same list
 * signed twice with one key is the same string.
 */
export function issuerKeySigner(key: IssuerKey): StatusListSigner {
  const privateKey = createPrivateKey(key.privateKeyPem);
  const alg = key.alg ?? 'EdDSA';
  return {
    issuer: { id: key.issuerId, name: key.issuerName },
    async sign(credential) {
      const header = { alg, typ: 'vc+jwt', kid: key.keyId };
      const validFrom = typeof credential['validFrom'] === 'string' ? Date.parse(credential['validFrom']) : NaN;
      const payload = {
        ...credential,
        iss: key.issuerId,
        ...(typeof credential['id'] === 'string' ? { jti: credential['id'] } : {}),
        ...(Number.isFinite(validFrom) ? { nbf: Math.floor(validFrom / 1000) } : {}),
      };
      const signingInput = `${base64url(header)}.${base64url(payload)}`;
      const signature = sign(alg === 'RS256' ? 'sha256' : null, Buffer.from(signingInput, 'ascii'), privateKey);
      return `${signingInput}.${signature.toString('base64url')}`;
    },
  };
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
