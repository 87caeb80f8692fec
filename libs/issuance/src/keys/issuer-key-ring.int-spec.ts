import { createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { ConfigError, MasterKey } from '@jalon/config';
import { migrateToLatest, openSqlDatabase, SqlDatabase } from '@jalon/event-store';
import { createTestDatabase, TestDatabase } from '@jalon/event-store/testing/postgres-test-database';
import { issueCredential, issuerKeyFromPem, jwkThumbprint, signJwt, verifyCredential } from '../render';
import { sampleAttestation } from '../render/testing/sample-models';
import { IssuerKeyRing } from './issuer-key-ring';

/**
 * The issuers' signing keys on both SQL homes (the same SQL): the first made once on first use
 * however many ask, sealed by the master keys, rotated with every old key still published and the
 * rotation followed by every process at once, the legacy Ed25519 key published and never signing.
 */
const backends: [string, () => Promise<{ home: SqlDatabase; drop: () => Promise<void> }>][] = [
  [
    'PostgreSQL',
    async () => {
      const database: TestDatabase = await createTestDatabase('jalon_issuer_keys');
      const home = await openSqlDatabase({ kind: 'postgres', url: database.url });
      return { home, drop: () => database.drop() };
    },
  ],
  ['PGlite', async () => ({ home: await openSqlDatabase({ kind: 'pglite' }), drop: async () => undefined })],
];

const BASE = 'https://certificats.example.fr';
const master = (id: string): MasterKey => ({ id, key: randomBytes(32) });

interface Row {
  thumbprint: string;
  alg: string;
  public_jwk: unknown;
  legacy_kid: string | null;
  master_key_id: string | null;
  sealed_private_key: string | null;
  retired_at: Date | null;
}

describe.each(backends)('the issuer key ring (%s)', (_name, open) => {
  let home: SqlDatabase;
  let drop: () => Promise<void>;
  const k1 = master('k1');
  /** A ring as one process holds it (tests make several, for several processes). */
  const ring = (masterKeys: readonly MasterKey[] = [k1], slug = 'jalon') =>
    new IssuerKeyRing(home.db, masterKeys, { publicBaseUrl: `${BASE}/`, issuers: [{ slug, name: 'Jalon' }], modulusLength: 2048 });
  const rows = async (slug = 'jalon') =>
    (await sql<Row>`SELECT * FROM issuer_keys WHERE issuer_slug = ${slug} ORDER BY created_at`.execute(home.db)).rows.map((row) => ({
      ...row,
      public_jwk: typeof row.public_jwk === 'string' ? JSON.parse(row.public_jwk) : row.public_jwk,
    }));

  beforeAll(async () => {
    ({ home, drop } = await open());
    await migrateToLatest(home.db);
  });
  afterAll(async () => {
    await home?.close();
    await drop?.();
  });

  it('makes an issuer’s first key on first use, once, however many processes ask at once', async () => {
    const [a, b] = [ring(), ring()];
    const keys = await Promise.all([a.signingKey('jalon'), b.signingKey('jalon'), a.signingKey('jalon'), b.keys('jalon')]);
    const [first] = keys;
    expect(keys.slice(0, 3).map((k) => (k as { keyId: string }).keyId)).toEqual([first.keyId, first.keyId, first.keyId]);
    // The RSA key the first signature made, and the P-256 key (ES256) its key set always holds beside it.
    const stored = await rows();
    expect(stored.map((row) => row.alg)).toEqual(['RS256', 'ES256']);
    expect(first).toMatchObject({
      issuerId: `${BASE}/issuers/jalon`,
      issuerName: 'Jalon',
      alg: 'RS256',
      keyId: `${BASE}/issuers/jalon/keys/${stored[0].thumbprint}`,
    });
    expect(jwkThumbprint(createPrivateKey(first.privateKeyPem))).toBe(stored[0].thumbprint);
    expect(await a.keys('jalon')).toEqual([
      {
        issuerSlug: 'jalon',
        thumbprint: stored[0].thumbprint,
        jwk: { kty: 'RSA', n: expect.any(String), e: 'AQAB', kid: first.keyId, alg: 'RS256', use: 'sig' },
        createdAt: expect.any(String),
        current: true,
      },
      {
        issuerSlug: 'jalon',
        thumbprint: stored[1].thumbprint,
        jwk: {
          kty: 'EC',
          crv: 'P-256',
          x: expect.any(String),
          y: expect.any(String),
          kid: `${BASE}/issuers/jalon/keys/${stored[1].thumbprint}`,
          alg: 'ES256',
          use: 'sig',
        },
        createdAt: expect.any(String),
        current: true,
      },
    ]);
    const es256 = await b.signingKey('jalon', 'ES256');
    expect(es256).toMatchObject({ alg: 'ES256', keyId: `${BASE}/issuers/jalon/keys/${stored[1].thumbprint}` });
    expect(jwkThumbprint(createPrivateKey(es256.privateKeyPem))).toBe(stored[1].thumbprint);
  });

  it('keeps the private key sealed by the first master key, bound to its row: the table never holds it in clear', async () => {
    const [row, ecRow] = await rows();
    expect(ecRow).toMatchObject({
      alg: 'ES256',
      master_key_id: 'k1',
      sealed_private_key: expect.stringMatching(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/),
    });
    expect(Object.keys(ecRow.public_jwk as object).sort()).toEqual(['crv', 'kty', 'x', 'y']);
    const pem = (await ring().signingKey('jalon')).privateKeyPem;
    const der = createPrivateKey(pem).export({ format: 'der', type: 'pkcs8' });
    expect(row.master_key_id).toBe('k1');
    expect(row.sealed_private_key).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(row.sealed_private_key).not.toContain('PRIVATE KEY');
    expect(row.sealed_private_key).not.toContain(der.toString('base64url').slice(40, 80));
    expect(Object.keys(row.public_jwk as object).sort()).toEqual(['e', 'kty', 'n']);
    await expect(ring().assertMasterKeysOpenStoredKeys()).resolves.toBeUndefined();
    // The same id with another key (a MASTER_KEYS generated again), or without the id: start-up is refused, saying how to recover.
    await expect(ring([{ id: 'k1', key: randomBytes(32) }]).assertMasterKeysOpenStoredKeys()).rejects.toThrow(ConfigError);
    await expect(ring([{ id: 'k1', key: randomBytes(32) }]).assertMasterKeysOpenStoredKeys()).rejects.toThrow(
      /MASTER_KEYS does not open the signing key of issuer "jalon" \(.+\): the master key "k1" configured is not the one it was sealed with under that id; start with the MASTER_KEYS/,
    );
    await expect(ring([master('k9')]).assertMasterKeysOpenStoredKeys()).rejects.toThrow(/sealed by master key "k1", which MASTER_KEYS does not hold/);
    await expect(ring([master('k9')]).signingKey('jalon')).rejects.toThrow(/which MASTER_KEYS does not hold/);
  });

  it('rotates: a new key signs, the old stays published without its private key, and a process that read the old one follows at once', async () => {
    const before = ring();
    const old = await before.signingKey('jalon');
    const oldCredential = issueCredential(sampleAttestation, old);
    const oldEs256 = await before.signingKey('jalon', 'ES256');
    const oldEs256Credential = signJwt(JSON.parse(Buffer.from(oldCredential.split('.')[1], 'base64url').toString()), oldEs256);
    const { current, currentEs256, retired } = await ring().rotate('jalon');
    expect(retired.map((k) => k.jwk.kid).sort()).toEqual([old.keyId, oldEs256.keyId].sort());
    expect(currentEs256).toMatchObject({ current: true, jwk: { alg: 'ES256', kty: 'EC', crv: 'P-256' } });
    expect((await before.signingKey('jalon', 'ES256')).keyId).toBe(currentEs256.jwk.kid);
    expect(current).toMatchObject({ current: true, jwk: { alg: 'RS256', kid: expect.stringMatching(`^${BASE}/issuers/jalon/keys/[A-Za-z0-9_-]{43}$`) } });
    expect(current.jwk.kid).not.toBe(old.keyId);
    // The process that signed with the old key signs with the new one from its next document: no restart.
    const now = await before.signingKey('jalon');
    expect(now.keyId).toBe(current.jwk.kid);

    const published = await before.keys('jalon');
    expect(published.map((k) => [k.jwk.kid, k.current, k.retiredAt !== undefined])).toEqual([
      [now.keyId, true, false],
      [currentEs256.jwk.kid, true, false],
      [oldEs256.keyId, false, true],
      [old.keyId, false, true],
    ]);
    const stored = await rows();
    for (const retiredKey of published.slice(2)) {
      expect(stored.find((r) => r.thumbprint === retiredKey.thumbprint)).toMatchObject({ master_key_id: null, sealed_private_key: null });
    }
    // What the old key signed verifies with the published set; what the new one signs names the new key.
    const set = { keys: published.map((k) => k.jwk) };
    expect(verifyCredential(oldCredential, set).valid).toBe(true);
    expect(verifyCredential(oldEs256Credential, set).valid).toBe(true);
    const newCredential = issueCredential(sampleAttestation, now);
    expect(JSON.parse(Buffer.from(newCredential.split('.')[0], 'base64url').toString()).kid).toBe(now.keyId);
    expect(verifyCredential(newCredential, set).valid).toBe(true);
    expect(await before.key('jalon', published[3].thumbprint)).toEqual(published[3]);
    expect(await before.key('jalon', 'x'.repeat(43))).toBeUndefined();
  });

  it('rotations at once leave one live key per algorithm, every other published', async () => {
    const count = (await rows()).length;
    await Promise.all([ring().rotate('jalon'), ring().rotate('jalon'), ring().rotate('jalon')]);
    const stored = await rows();
    expect(stored).toHaveLength(count + 6);
    expect(stored.filter((r) => r.retired_at === null).map((r) => r.alg)).toEqual(['RS256', 'ES256']);
    expect(stored.filter((r) => r.sealed_private_key !== null)).toHaveLength(2);
  });

  it('publishes the legacy Ed25519 key under its bare-hash kid, retired from the start and without its private key; importing it again changes nothing', async () => {
    const pem = generateKeyPairSync('ed25519', {
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    }).privateKey;
    const legacy = issuerKeyFromPem(pem, `${BASE}/issuer`, 'Jalon');
    const oldDocument = issueCredential(sampleAttestation, legacy);
    const keyRing = ring();
    expect(await keyRing.importLegacyKey('jalon', pem)).toBe(true);
    expect(await keyRing.importLegacyKey('jalon', pem)).toBe(false);
    const published = await keyRing.keys('jalon');
    const imported = published.find((k) => k.jwk.alg === 'EdDSA')!;
    expect(imported).toMatchObject({ current: false, jwk: { kty: 'OKP', crv: 'Ed25519', kid: legacy.keyId, alg: 'EdDSA', use: 'sig' } });
    expect(published[0].jwk.alg).toBe('RS256');
    expect((await rows()).find((r) => r.alg === 'EdDSA')).toMatchObject({ legacy_kid: legacy.keyId, sealed_private_key: null, retired_at: expect.anything() });
    expect((await keyRing.signingKey('jalon')).alg).toBe('RS256');
    expect(verifyCredential(oldDocument, { keys: published.map((k) => k.jwk) }).valid).toBe(true);
    const rsa = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    }).privateKey;
    await expect(keyRing.importLegacyKey('jalon', rsa)).rejects.toThrow(/Ed25519/);
  });

  it('reseals the live keys under a new first master key; then the old master key can go', async () => {
    const k2 = master('k2');
    expect(await ring([k2, k1]).reseal()).toBe(2);
    expect(await ring([k2, k1]).reseal()).toBe(0);
    await expect(ring([k2]).assertMasterKeysOpenStoredKeys()).resolves.toBeUndefined();
    expect((await ring([k2]).signingKey('jalon')).alg).toBe('RS256');
    expect((await ring([k2]).signingKey('jalon', 'ES256')).alg).toBe('ES256');
    expect((await rows()).filter((r) => r.master_key_id !== null).map((r) => r.master_key_id)).toEqual(['k2', 'k2']);
  });

  it('keeps each issuer’s keys apart, and makes none for an issuer it is not configured for', async () => {
    const other = ring([k1], 'cnam-idf');
    const key = await other.signingKey('cnam-idf');
    expect(key.keyId).toMatch(new RegExp(`^${BASE}/issuers/cnam-idf/keys/[A-Za-z0-9_-]{43}$`));
    expect((await other.keys('cnam-idf')).map((k) => [k.jwk.kid, k.jwk.alg])).toEqual([
      [key.keyId, 'RS256'],
      [expect.stringMatching(new RegExp(`^${BASE}/issuers/cnam-idf/keys/[A-Za-z0-9_-]{43}$`)), 'ES256'],
    ]);
    expect((await ring().keys('jalon')).some((k) => k.jwk.kid === key.keyId)).toBe(false);
    const all = await ring().allKeys();
    expect(new Set(all.map((k) => k.issuerSlug))).toEqual(new Set(['jalon', 'cnam-idf']));
    // A sealed key moved to another row does not open there: the box is bound to its issuer and thumbprint.
    const [cnam] = await rows('cnam-idf');
    await sql`UPDATE issuer_keys SET sealed_private_key = ${cnam.sealed_private_key}, master_key_id = ${cnam.master_key_id} WHERE issuer_slug = 'jalon' AND retired_at IS NULL`.execute(
      home.db,
    );
    await expect(ring([k1, master('k2')]).assertMasterKeysOpenStoredKeys()).rejects.toThrow(ConfigError);
    await expect(ring().signingKey('unknown')).rejects.toThrow('no issuer "unknown" is configured');
    expect(await ring().keys('unknown')).toEqual([]);
  });
});
