import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { ConfigError, loadConfig } from '@jalon/config';
import { createTestDatabase, TestDatabase } from '@jalon/event-store/testing/postgres-test-database';
import { IssuanceQueue, issuerKeyFromPem } from '@jalon/issuance';
import { sql } from 'kysely';
import { openSqlDatabase, SqlDb, Storage } from '@jalon/event-store';
import request from 'supertest';
import { STORAGE } from '@jalon/runtime';
import { createApp } from '../apps/api/src/create-app';
import { actor, registerCandidate } from './support/http-actors';
import { capturingLoggedErrors } from './support/logged-errors';

/**
 * Keys that changed under existing data stop start-up in one line that says what is wrong and how
 * to recover, instead of a service that starts and then answers 500 on every read of personal data
 * (as restarting with a freshly generated MASTER_KEYS did) or verifies its own documents as invalid.
 */
describe('keys that do not fit the stored data stop start-up (PostgreSQL)', () => {
  let database: TestDatabase;
  let dataDir: string;
  const key = () => randomBytes(32).toString('base64');
  const firstKey = key();
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await createTestDatabase('jalon_keys');
    dataDir = mkdtempSync(join(tmpdir(), 'jalon-keys-'));
    env = {
      DATA_DIR: dataDir,
      LOG_LEVEL: 'error',
      EVENT_STORE: 'postgres',
      DATABASE_URL: database.url,
      JWT_SECRET: randomBytes(32).toString('hex'),
      MASTER_KEYS: `k1:${firstKey}`,
      PUBLIC_BASE_URL: 'https://certificats.jalon.test',
      RUN_ISSUANCE: 'false',
      REDIS_PREFIX: `jalon-keys-${randomBytes(4).toString('hex')}`,
    };
    // A candidate registered: their data key is stored, wrapped by k1.
    await withApp(env, async (app) => void (await registerCandidate(actor(app, 'admin'))));
  });
  afterAll(async () => {
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function withApp(overrides: Record<string, string>, use: (app: INestApplication) => Promise<void> = async () => undefined): Promise<void> {
    const app = await createApp(loadConfig({ ...env, ...overrides }));
    try {
      await app.init();
      await use(app);
    } finally {
      await app
        .get(IssuanceQueue)
        .obliterate()
        .catch(() => undefined);
      await app.close().catch(() => undefined);
    }
  }

  /** The suite's database, opened beside the service (which is stopped). */
  async function withDatabase<T>(use: (db: SqlDb) => Promise<T>): Promise<T> {
    const home = await openSqlDatabase({ kind: 'postgres', url: database.url });
    try {
      return await use(home.db);
    } finally {
      await home.close();
    }
  }

  const startUpError = async (overrides: Record<string, string>) => {
    const error = await withApp(overrides).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  };

  it('a new key under the same id (a MASTER_KEYS generated again) is refused, saying how to recover', async () => {
    const message = await startUpError({ MASTER_KEYS: `k1:${key()}` });
    expect(message).toMatch(
      /^invalid configuration: MASTER_KEYS does not open the stored candidate keys: .*master key "k1" configured is not the one they were wrapped with/,
    );
    expect(message).toContain('start with the MASTER_KEYS the data was written with');
    expect(message.split('\n')).toHaveLength(1);
  });

  it('a key set without the id the keys are wrapped by is refused', async () => {
    expect(await startUpError({ MASTER_KEYS: `k2:${key()}` })).toContain('they are wrapped by master key "k1", which MASTER_KEYS does not hold');
  });

  it('a new key put first with the old one after it starts (a rotation in progress)', async () => {
    await withApp({ MASTER_KEYS: `k2:${key()},k1:${firstKey}` }, async (app) => {
      await actor(app, 'admin').get('/enrollments').expect(200);
    });
  });

  it('a command that needs personal data it cannot open refuses with a clear code and writes nothing', async () => {
    await withApp({}, async (app) => {
      const [admin, referent] = [actor(app, 'admin'), actor(app, 'referent')];
      const candidateId = await registerCandidate(admin);
      const enrolled = (
        await admin.post('/enrollments', { candidateId, referentialId: 'data-ia-quatre-blocs', version: '1', cohort: '2026-A', accessRoute: 'vae' }).expect(201)
      ).body;
      const db = app.get<Storage>(STORAGE).sql.db;
      // The key is there but wrapped by a master key this service does not hold (taken away while it runs).
      await sql`UPDATE candidate_keys SET master_key_id = 'gone' WHERE candidate_id = ${candidateId}`.execute(db);
      const { result: refused, errors } = await capturingLoggedErrors(() =>
        referent.post(`/enrollments/${enrolled.id}/accommodations`, { kind: 'tiers-temps', validFrom: '2026-01-01' }).expect(503),
      );
      expect(refused.body).toMatchObject({ code: 'PRIVACY.KEY_UNREADABLE', title: 'Service Unavailable' });
      expect(errors).toEqual([expect.stringContaining('which MASTER_KEYS does not hold')]);
      const events = await app.get<Storage>(STORAGE).store.readStream(`enrollment-${enrolled.id}`);
      expect(events.map((e) => e.type)).toEqual(['CandidateEnrolled']);
      await sql`UPDATE candidate_keys SET master_key_id = 'k1' WHERE candidate_id = ${candidateId}`.execute(db);
    });
  });

  it('stored documents signed by a key the issuer does not publish are refused; the legacy Ed25519 key, once given, stays published', async () => {
    const documents = join(dataDir, 'documents');
    mkdirSync(documents, { recursive: true });
    const credential = (alg: string, kid: string) => `${Buffer.from(JSON.stringify({ alg, typ: 'JWT', kid })).toString('base64url')}.e30.c2ln`;
    const pem = generateKeyPairSync('ed25519', {
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    }).privateKey;
    const legacyKid = issuerKeyFromPem(pem, 'https://certificats.jalon.test/issuer', 'Jalon').keyId;
    writeFileSync(join(documents, 'JAL-A-0000000001A.vc.jwt'), credential('EdDSA', legacyKid));
    expect(await startUpError({})).toBe(
      `invalid configuration: the stored documents were signed with the Ed25519 key ${legacyKid}, which issuer "jalon" does not publish: every one of them would verify as invalid; start once with that key (ISSUER_SIGNING_KEY, or issuer-ed25519.pem in DATA_DIR) so that it is published`,
    );

    // Given once (as an earlier version left it in DATA_DIR), it is published from the database: later starts need it no more.
    writeFileSync(join(dataDir, 'issuer-ed25519.pem'), pem, { mode: 0o600 });
    await withApp({}, async (app) => {
      const { keys } = (await request(app.getHttpServer()).get('/.well-known/jwks.json').expect(200)).body as { keys: { kid: string; alg: string }[] };
      expect(keys.map((k) => k.alg).sort()).toEqual(['ES256', 'EdDSA', 'RS256']);
      expect(keys.find((k) => k.alg === 'EdDSA')!.kid).toBe(legacyKid);
    });
    rmSync(join(dataDir, 'issuer-ed25519.pem'));
    await withApp({});

    // A key URI the issuer never had (another database, another PUBLIC_BASE_URL or ISSUER_SLUG): refused too.
    writeFileSync(join(documents, 'JAL-A-0000000001A.vc.jwt'), credential('RS256', 'https://elsewhere.example/issuers/jalon/keys/x'));
    expect(await startUpError({})).toMatch(
      /^invalid configuration: the stored documents were signed with the key https:\/\/elsewhere\.example\/issuers\/jalon\/keys\/x, which issuer "jalon" does not publish/,
    );
    rmSync(join(documents, 'JAL-A-0000000001A.vc.jwt'));
  });

  it('an issuer signing key the configured master keys cannot open is refused, saying how to recover', async () => {
    // The issuer's first keys (RS256 and ES256), made on first use, sealed by k1.
    await withApp({}, async (app) => void (await request(app.getHttpServer()).get('/issuers/jalon/jwks.json').expect(200)));
    const { rows } = await withDatabase((database) =>
      sql<{ master_key_id: string }>`SELECT master_key_id FROM issuer_keys WHERE retired_at IS NULL`.execute(database),
    );
    expect(rows).toEqual([{ master_key_id: 'k1' }, { master_key_id: 'k1' }]);
    await withDatabase((database) => sql`UPDATE issuer_keys SET master_key_id = 'gone' WHERE retired_at IS NULL`.execute(database));
    const message = await startUpError({});
    expect(message).toMatch(
      /^invalid configuration: MASTER_KEYS does not open the signing key of issuer "jalon" \([\w-]{43}\): it is sealed by master key "gone", which MASTER_KEYS does not hold/,
    );
    expect(message).toContain('start with the MASTER_KEYS the keys were sealed with');
    await withDatabase((database) => sql`UPDATE issuer_keys SET master_key_id = 'k1' WHERE retired_at IS NULL`.execute(database));
    await withApp({});
  });
});
