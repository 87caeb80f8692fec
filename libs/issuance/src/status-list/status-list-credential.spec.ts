import Ajv2019 from 'ajv/dist/2019';
import addFormats from 'ajv-formats';
import { createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildCredential, issueCredential, verifyCredential } from '../render/credential';
import { generateIssuerKey } from '../render/issuer-key';
import { sampleAttestation, sampleCertificate } from '../render/testing/sample-models';
import { bitAt, bitstringOf, decodeList, encodeList } from './bitstring';
import { statusListCredential, statusListEntry, statusListUrl } from './status-list-credential';
import { matchesIfNoneMatch, StatusListPublisher } from './status-list-publisher';
import { issuerKeySigner, StatusListSigner } from './status-list-signer';
import { StatusListContent, StatusLists } from './status-lists';

const key = generateIssuerKey('https://jalon.example.org/issuer', 'Jalon');
const listUrl = statusListUrl('https://jalon.example.org/', 'jalon', 0);
const decode = (segment: string): Record<string, unknown> => JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));

describe('a document’s entry in a status list', () => {
  it('is a BitstringStatusListEntry naming the list and the index (a string)', () => {
    expect(listUrl).toBe('https://jalon.example.org/issuers/jalon/status/0');
    expect(statusListEntry({ listUrl, index: 4242 })).toEqual({
      id: 'https://jalon.example.org/issuers/jalon/status/0#4242',
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: '4242',
      statusListCredential: 'https://jalon.example.org/issuers/jalon/status/0',
    });
  });

  describe('carried by the credential as its credentialStatus', () => {
    const schemas = resolve(__dirname, '../../../../../shared/open-badges');
    const ajv = new Ajv2019({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(resolve(schemas, 'ob_v3p0_achievementcredential_schema.json'), 'utf8')));

    it.each([
      ['attestation', sampleAttestation],
      ['certificate', sampleCertificate],
    ] as const)('the %s’s, still valid against the Open Badges 3.0 AchievementCredential schema, and verifying', (_kind, sample) => {
      const model = { ...sample, statusListEntry: { listUrl, index: 17 } };
      const jwt = issueCredential(model, key);
      const verified = verifyCredential(jwt, key.publicKeyPem);
      if (!verified.valid) throw new Error(verified.reason);
      expect((verified.credential as { credentialStatus?: unknown }).credentialStatus).toEqual(statusListEntry({ listUrl, index: 17 }));
      expect(validate(verified.credential)).toBe(true);
      expect(validate.errors ?? []).toEqual([]);
      // The same document and entry: the same bytes (a job run twice stores the same credential).
      expect(issueCredential({ ...model, statusListEntry: { listUrl, index: 17 } }, key)).toBe(jwt);
    });

    it('only where the document was given an entry', () => {
      expect(buildCredential(sampleAttestation, key)).not.toHaveProperty('credentialStatus');
    });
  });
});

describe('the BitstringStatusListCredential', () => {
  const encodedList = encodeList(bitstringOf([5]));
  const credential = statusListCredential({ listUrl, issuer: { id: key.issuerId, name: key.issuerName }, validFrom: '2026-07-01T10:00:00Z', encodedList });

  it('has the shape of Bitstring Status List v1.0', () => {
    expect(credential).toEqual({
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      id: listUrl,
      type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      issuer: { id: 'https://jalon.example.org/issuer', name: 'Jalon' },
      validFrom: '2026-07-01T10:00:00Z',
      credentialSubject: { id: `${listUrl}#list`, type: 'BitstringStatusList', statusPurpose: 'revocation', encodedList },
    });
  });

  it('is signed as a VC-JWT with the issuer key: the signature verifies with its public key, the same list gives the same string', async () => {
    const signer = issuerKeySigner(key);
    const jwt = await signer.sign(credential as unknown as Record<string, unknown>);
    const [header, payload, signature] = jwt.split('.');
    expect(decode(header)).toEqual({ alg: key.alg ?? 'EdDSA', typ: 'vc+jwt', kid: key.keyId });
    expect(decode(payload)).toEqual({ ...credential, iss: key.issuerId, jti: listUrl, nbf: Date.parse('2026-07-01T10:00:00Z') / 1000 });
    const algorithm = decode(header)['alg'] === 'RS256' ? 'sha256' : null;
    expect(verify(algorithm, Buffer.from(`${header}.${payload}`), createPublicKey(key.publicKeyPem), Buffer.from(signature, 'base64url'))).toBe(true);
    expect(await signer.sign(credential as unknown as Record<string, unknown>)).toBe(jwt);
    expect(bitAt(decodeList((decode(payload)['credentialSubject'] as { encodedList: string }).encodedList), 5)).toBe(1);
  });
});

describe('publishing a list', () => {
  /** A list whose content the test sets, and a signer that counts its signatures. */
  function setUp(resignAfterMs = 60_000) {
    let content: StatusListContent | undefined = { listUrl, revokedIndices: [], validFrom: '2026-07-01T10:00:00Z' };
    const lists = { content: async (slug: string, n: number) => (slug === 'jalon' && n === 0 ? content : undefined) } as unknown as StatusLists;
    const real = issuerKeySigner(key);
    let signatures = 0;
    const signer: StatusListSigner = { issuer: real.issuer, sign: (credential) => (signatures++, real.sign(credential)) };
    let now = 0;
    const publisher = new StatusListPublisher(lists, signer, { resignAfterMs, now: () => now });
    return {
      publisher,
      set: (next: StatusListContent | undefined) => (content = next),
      signatures: () => signatures,
      advance: (ms: number) => (now += ms),
    };
  }

  it('signs again only when the content changed, so the same content keeps its ETag; an unknown list is none', async () => {
    const { publisher, set, signatures } = setUp();
    const first = (await publisher.publish('jalon', 0))!;
    expect(first.etag).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
    expect(await publisher.publish('jalon', 0)).toMatchObject({ etag: first.etag, jwt: first.jwt });
    expect(signatures()).toBe(1);
    set({ listUrl, revokedIndices: [9], validFrom: '2026-07-02T10:00:00Z' });
    const second = (await publisher.publish('jalon', 0))!;
    expect(second.etag).not.toBe(first.etag);
    expect(signatures()).toBe(2);
    const subject = decode(second.jwt.split('.')[1])['credentialSubject'] as { encodedList: string };
    expect(bitAt(decodeList(subject.encodedList), 9)).toBe(1);
    expect(await publisher.publish('jalon', 1)).toBeUndefined();
    expect(await publisher.publish('other', 0)).toBeUndefined();
  });

  it('signs the same content again after a while (a new key shows), keeping the ETag when the signature is the same', async () => {
    const { publisher, signatures, advance } = setUp(1000);
    const first = (await publisher.publish('jalon', 0))!;
    advance(1500);
    expect((await publisher.publish('jalon', 0))!.etag).toBe(first.etag);
    expect(signatures()).toBe(2);
  });

  it('answers If-None-Match by its entity tags, weak or strong, or *', () => {
    expect(matchesIfNoneMatch('"abc"', '"abc"')).toBe(true);
    expect(matchesIfNoneMatch('W/"abc"', '"abc"')).toBe(true);
    expect(matchesIfNoneMatch('"x", "abc"', '"abc"')).toBe(true);
    expect(matchesIfNoneMatch('*', '"abc"')).toBe(true);
    expect(matchesIfNoneMatch('"abd"', '"abc"')).toBe(false);
    expect(matchesIfNoneMatch(undefined, '"abc"')).toBe(false);
  });
});
