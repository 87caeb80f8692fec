import { createPrivateKey, createPublicKey, generateKeyPair, KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { ConfigError, MasterKey } from '@jalon/config';
import { SqlDb } from '@jalon/event-store';
import { decrypt, encrypt } from '@jalon/privacy';
import { IssuerKey, IssuerKeyAlgorithm, SigningAlgorithm } from '../document-model';
import { algorithmOf, jwkThumbprint, keyIdOf, keyPairOf, keyUri, PublicJwk, publicJwkOf, RSA_MODULUS_BITS } from '../render/issuer-key';
import { IssuerIdentity, issuerIdOf, IssuerProfile, issuerProfile } from './issuer-profile';

const generateKeyPairAsync = promisify(generateKeyPair);

/** The live keys every issuer has: RS256 signs the stored credentials, ES256 the ones offered at request time. */
const SIGNING_ALGORITHMS: readonly SigningAlgorithm[] = ['RS256', 'ES256'];

export interface IssuerKeyRingOptions {
  /** Base of the issuer ids and key URIs (PUBLIC_BASE_URL). */
  readonly publicBaseUrl: string;
  /** The issuers this instance signs as: the default one (ISSUER_SLUG) and each certifier that issues as itself. */
  readonly issuers: readonly IssuerIdentity[];
  /** Size of the RSA keys it creates (RSA_MODULUS_BITS). */
  readonly modulusLength?: number;
}

/** A stored key as published: its JWK (with kid, alg, use), and whether it is the one new credentials are signed with. */
export interface PublishedIssuerKey {
  readonly issuerSlug: string;
  readonly thumbprint: string;
  readonly jwk: PublicJwk;
  readonly createdAt: string;
  /** Since when it signs nothing more; absent for a current key. */
  readonly retiredAt?: string;
  /** Whether it is live: an issuer has one current key per algorithm (RS256, ES256). */
  readonly current: boolean;
}

/** Where a process gets the key to sign with: asked at each document, so a rotation made elsewhere is followed at once. */
export interface SigningKeySource {
  signingKey(): Promise<IssuerKey>;
}

interface KeyRow {
  issuer_slug: string;
  thumbprint: string;
  alg: IssuerKeyAlgorithm;
  public_jwk: Record<string, string> | string;
  legacy_kid: string | null;
  master_key_id: string | null;
  sealed_private_key: string | null;
  created_at: Date | string;
  retired_at: Date | string | null;
}

const COLUMNS = sql.raw('issuer_slug, thumbprint, alg, public_jwk, legacy_kid, master_key_id, sealed_private_key, created_at, retired_at');
/** The live keys first (the RS256 one, then the ES256 one), then the retired ones, newest first. */
const ORDER_WITHIN_ISSUER = "(retired_at IS NULL) DESC, (retired_at IS NULL AND alg = 'RS256') DESC, created_at DESC, thumbprint";
const ORDER = sql.raw(`ORDER BY ${ORDER_WITHIN_ISSUER}`);

/**
 * Each issuer's signing keys, kept in `issuer_keys` so that every instance signs with the same one
 * and keys can rotate: the current RSA key (the live RS256 row) signs the credentials stored, the
 * current P-256 key (the live ES256 row) the ES256 copies offered at request time; a rotation retires
 * both (their private keys are dropped) and creates the next two, and every key ever used stays
 * published, so every credential ever issued stays verifiable. Private keys are sealed (AES-256-GCM, privacy's sealed box) by the
 * first of MASTER_KEYS, bound to their issuer and thumbprint. An issuer without a key of an algorithm
 * gets one on first use: nothing to configure. The Ed25519 key of the first documents is published here too
 * (importLegacyKey), without its private key: it never signs again.
 */
export class IssuerKeyRing {
  private readonly opened = new Map<string, IssuerKey>();
  private readonly current: MasterKey;

  constructor(
    private readonly db: SqlDb,
    private readonly masterKeys: readonly MasterKey[],
    private readonly options: IssuerKeyRingOptions,
  ) {
    if (masterKeys.length === 0) throw new Error('at least one master key is needed');
    this.current = masterKeys[0];
  }

  /** The slugs of the issuers this instance signs as. */
  slugs(): string[] {
    return this.options.issuers.map((issuer) => issuer.slug);
  }

  /** The configured issuer, or undefined for a slug this instance does not issue as. */
  identity(slug: string): IssuerIdentity | undefined {
    return this.options.issuers.find((issuer) => issuer.slug === slug);
  }

  profile(slug: string): IssuerProfile | undefined {
    const identity = this.identity(slug);
    return identity && issuerProfile(this.options.publicBaseUrl, identity);
  }

  issuerId(slug: string): string {
    return issuerIdOf(this.options.publicBaseUrl, slug);
  }

  /** The key to sign with now: the issuer's live key of that algorithm (RS256 unless asked), created on first use. */
  async signingKey(slug: string, alg: SigningAlgorithm = 'RS256'): Promise<IssuerKey> {
    const identity = this.identity(slug);
    if (!identity) throw new RangeError(`no issuer "${slug}" is configured`);
    for (let attempt = 0; attempt < 3; attempt++) {
      const [live] = await this.rows(sql`WHERE issuer_slug = ${slug} AND retired_at IS NULL AND alg = ${alg}`);
      if (live) return this.open(live, identity);
      await this.create(slug, alg);
    }
    throw new Error(`issuer "${slug}" has no live key after creating one`);
  }

  /** A source of signing keys for one issuer, for the issuance service. */
  signer(slug: string): SigningKeySource {
    return { signingKey: () => this.signingKey(slug) };
  }

  /**
   * Every key of the issuer, the current ones first (RS256, then ES256), then the retired ones newest
   * first. A configured issuer that lacks a current key of an algorithm gets it now, so its key set
   * always holds the keys it signs with.
   */
  async keys(slug: string): Promise<PublishedIssuerKey[]> {
    let rows = await this.rows(sql`WHERE issuer_slug = ${slug}`);
    const missing = SIGNING_ALGORITHMS.filter((alg) => !rows.some((row) => row.retired_at === null && row.alg === alg));
    if (this.identity(slug) && missing.length > 0) {
      for (const alg of missing) await this.create(slug, alg);
      rows = await this.rows(sql`WHERE issuer_slug = ${slug}`);
    }
    return rows.map((row) => this.published(row));
  }

  /** One key of the issuer by its thumbprint, current or retired. */
  async key(slug: string, thumbprint: string): Promise<PublishedIssuerKey | undefined> {
    const [row] = await this.rows(sql`WHERE issuer_slug = ${slug} AND thumbprint = ${thumbprint}`);
    return row && this.published(row);
  }

  /** Every key of every issuer stored, for the service-wide JWK set (`/.well-known/jwks.json`). */
  async allKeys(): Promise<PublishedIssuerKey[]> {
    return (await this.rows(sql``, sql.raw(`ORDER BY issuer_slug, ${ORDER_WITHIN_ISSUER}`))).map((row) => this.published(row));
  }

  /**
   * Retires the issuer's current keys (they stay published) and makes a new one of each algorithm
   * current: `current` the RS256 one (it signs the stored credentials), `currentEs256` the ES256 one.
   */
  async rotate(
    slug: string,
  ): Promise<{ readonly current: PublishedIssuerKey; readonly currentEs256: PublishedIssuerKey; readonly retired: readonly PublishedIssuerKey[] }> {
    if (!this.identity(slug)) throw new RangeError(`no issuer "${slug}" is configured`);
    const [fresh, freshEs256] = await Promise.all([this.generate('RS256'), this.generate('ES256')]);
    const retiredThumbprints = await this.db.transaction().execute(async (trx) => {
      await lockIssuer(trx, slug);
      // The private key of a retired key is dropped: it signs nothing any more, only its public key is needed.
      const { rows } = await sql<{ thumbprint: string }>`UPDATE issuer_keys SET retired_at = clock_timestamp(), master_key_id = NULL, sealed_private_key = NULL
        WHERE issuer_slug = ${slug} AND retired_at IS NULL RETURNING thumbprint`.execute(trx);
      await this.insert(trx, slug, fresh);
      await this.insert(trx, slug, freshEs256);
      return rows.map((row) => row.thumbprint);
    });
    const current = await this.key(slug, jwkThumbprint(fresh.publicKey));
    const currentEs256 = await this.key(slug, jwkThumbprint(freshEs256.publicKey));
    const retired = await Promise.all(retiredThumbprints.map((thumbprint) => this.key(slug, thumbprint)));
    return { current: current!, currentEs256: currentEs256!, retired: retired.filter((key): key is PublishedIssuerKey => key !== undefined) };
  }

  /**
   * Publishes the Ed25519 key the first documents were signed with (ISSUER_SIGNING_KEY, or the one
   * an earlier version generated in DATA_DIR), under its old kid, retired from the start: its private
   * key is not kept. Returns whether it was added (false: already there).
   */
  async importLegacyKey(slug: string, privateKeyPem: string): Promise<boolean> {
    const publicKey = createPublicKey(createPrivateKey(privateKeyPem));
    if (publicKey.asymmetricKeyType !== 'ed25519') throw new RangeError('the legacy issuer key is an Ed25519 key');
    const { numAffectedRows } = await sql`INSERT INTO issuer_keys (issuer_slug, thumbprint, alg, public_jwk, legacy_kid, retired_at)
      VALUES (${slug}, ${jwkThumbprint(publicKey)}, 'EdDSA', ${JSON.stringify(publicMembers(publicKey))}::jsonb, ${keyIdOf(publicKey)}, clock_timestamp())
      ON CONFLICT (issuer_slug, thumbprint) DO NOTHING`.execute(this.db);
    return Number(numAffectedRows ?? 0) > 0;
  }

  /**
   * At start-up: whether the configured master keys open every stored private key. A master key set
   * that does not would only show when the next document is signed, as a failing job; this stops
   * start-up instead, saying how to recover.
   */
  async assertMasterKeysOpenStoredKeys(): Promise<void> {
    for (const row of await this.rows(sql`WHERE sealed_private_key IS NOT NULL`)) {
      try {
        this.unseal(row);
      } catch (error) {
        throw new ConfigError([
          `MASTER_KEYS does not open the signing key of issuer "${row.issuer_slug}" (${row.thumbprint}): ${(error as Error).message}; start with the MASTER_KEYS the keys were sealed with (embedded mode: the file master-keys in DATA_DIR); to change master keys, put the new one first, keep the old after it, and run \`npm run cli -- keys rotate\``,
        ]);
      }
    }
  }

  /** Reseals every private key not sealed by the first master key (after MASTER_KEYS changed); returns how many. Safe to rerun. */
  async reseal(): Promise<number> {
    let resealed = 0;
    for (const row of await this.rows(sql`WHERE sealed_private_key IS NOT NULL AND master_key_id <> ${this.current.id}`)) {
      const pem = this.unseal(row);
      // Only the row still sealed as read is rewritten: a concurrent rotation (which drops it) wins.
      const { numAffectedRows } =
        await sql`UPDATE issuer_keys SET master_key_id = ${this.current.id}, sealed_private_key = ${this.seal(row.issuer_slug, row.thumbprint, pem, this.current)}
        WHERE issuer_slug = ${row.issuer_slug} AND thumbprint = ${row.thumbprint} AND master_key_id = ${row.master_key_id} AND sealed_private_key = ${row.sealed_private_key}`.execute(
          this.db,
        );
      resealed += Number(numAffectedRows ?? 0);
    }
    return resealed;
  }

  /** Creates the issuer's first key of that algorithm, unless another process made one meanwhile. */
  private async create(slug: string, alg: SigningAlgorithm): Promise<void> {
    const fresh = await this.generate(alg);
    await this.db.transaction().execute(async (trx) => {
      await lockIssuer(trx, slug);
      const { rows } = await sql`SELECT 1 FROM issuer_keys WHERE issuer_slug = ${slug} AND retired_at IS NULL AND alg = ${alg}`.execute(trx);
      if (rows.length === 0) await this.insert(trx, slug, fresh);
    });
  }

  private async generate(alg: SigningAlgorithm): Promise<{ privateKey: KeyObject; publicKey: KeyObject }> {
    if (alg === 'ES256')
      return keyPairOf(
        await generateKeyPairAsync('ec', {
          namedCurve: 'P-256',
          privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
          publicKeyEncoding: { type: 'spki', format: 'pem' },
        }),
      );
    return keyPairOf(
      await generateKeyPairAsync('rsa', {
        modulusLength: this.options.modulusLength ?? RSA_MODULUS_BITS,
        publicExponent: 0x10001,
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
        publicKeyEncoding: { type: 'spki', format: 'pem' },
      }),
    );
  }

  private async insert(trx: SqlDb, slug: string, key: { privateKey: KeyObject; publicKey: KeyObject }): Promise<void> {
    const thumbprint = jwkThumbprint(key.publicKey);
    const pem = key.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    await sql`INSERT INTO issuer_keys (issuer_slug, thumbprint, alg, public_jwk, master_key_id, sealed_private_key)
      VALUES (${slug}, ${thumbprint}, ${algorithmOf(key.publicKey)}, ${JSON.stringify(publicMembers(key.publicKey))}::jsonb, ${this.current.id}, ${this.seal(slug, thumbprint, pem, this.current)})`.execute(
      trx,
    );
  }

  private async rows(where: ReturnType<typeof sql>, order = ORDER): Promise<KeyRow[]> {
    const { rows } = await sql<KeyRow>`SELECT ${COLUMNS} FROM issuer_keys ${where} ${order}`.execute(this.db);
    return rows;
  }

  private published(row: KeyRow): PublishedIssuerKey {
    const members = typeof row.public_jwk === 'string' ? (JSON.parse(row.public_jwk) as Record<string, string>) : row.public_jwk;
    const kid = row.legacy_kid ?? keyUri(this.issuerId(row.issuer_slug), row.thumbprint);
    return {
      issuerSlug: row.issuer_slug,
      thumbprint: row.thumbprint,
      jwk: { ...members, kid, alg: row.alg, use: 'sig' } as PublicJwk,
      createdAt: new Date(row.created_at).toISOString(),
      ...(row.retired_at !== null ? { retiredAt: new Date(row.retired_at).toISOString() } : {}),
      current: row.retired_at === null,
    };
  }

  private open(row: KeyRow, identity: IssuerIdentity): IssuerKey {
    const cacheKey = `${row.issuer_slug}/${row.thumbprint}`;
    const cached = this.opened.get(cacheKey);
    if (cached && cached.issuerName === identity.name) return cached;
    const privateKey = createPrivateKey(this.unseal(row));
    const publicKey = createPublicKey(privateKey);
    const issuerId = this.issuerId(row.issuer_slug);
    const key: IssuerKey = {
      issuerId,
      issuerName: identity.name,
      keyId: keyUri(issuerId, row.thumbprint),
      alg: row.alg,
      privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    };
    this.opened.set(cacheKey, key);
    return key;
  }

  /** The private key's PEM; throws when no configured master key opens it, or it is not the key its row publishes. */
  private unseal(row: KeyRow): string {
    const master = this.masterKeys.find((k) => k.id === row.master_key_id);
    if (!master) throw new Error(`it is sealed by master key "${row.master_key_id}", which MASTER_KEYS does not hold`);
    const [iv, tag, data] = (row.sealed_private_key ?? '').split('.');
    let pem: string;
    try {
      pem = decrypt(master.key, sealingContext(row.issuer_slug, row.thumbprint, master.id), { iv, tag, data }).toString('utf8');
    } catch {
      throw new Error(`the master key "${master.id}" configured is not the one it was sealed with under that id`);
    }
    if (jwkThumbprint(createPublicKey(createPrivateKey(pem))) !== row.thumbprint) throw new Error('it is not the key its row publishes');
    return pem;
  }

  private seal(slug: string, thumbprint: string, pem: string, master: MasterKey): string {
    const box = encrypt(master.key, sealingContext(slug, thumbprint, master.id), Buffer.from(pem, 'utf8'));
    return [box.iv, box.tag, box.data].join('.');
  }
}

/** A sealed private key opens only for its issuer and thumbprint: rows cannot be swapped. */
const sealingContext = (slug: string, thumbprint: string, masterKeyId: string) => `jalon:issuer-key:v1:${slug}:${thumbprint}:${masterKeyId}`;

/** Seed of the advisory lock an issuer's key changes queue on (any constant: it only has to be the same everywhere). */
const ISSUER_LOCK_SEED = 7_638;

/** Key creation and rotation of one issuer, one at a time across every process (held to the transaction's end). */
async function lockIssuer(trx: SqlDb, slug: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`issuer-keys:${slug}`}, ${ISSUER_LOCK_SEED}))`.execute(trx);
}

/** The members a public JWK is made of (RSA n, e; EC crv, x, y; OKP crv, x): what is stored, the kid, alg and use being derived. */
function publicMembers(publicKey: KeyObject): Record<string, string> {
  const { kid: _kid, alg: _alg, use: _use, ...members } = publicJwkOf(publicKey, '');
  return members as Record<string, string>;
}
