import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { ConfigError, loadConfig } from '@jalon/config';
import { createTestDatabase, TestDatabase } from '@jalon/event-store/testing/postgres-test-database';
import { IssuanceQueue } from '@jalon/issuance';
import { sql } from 'kysely';
import { Storage } from '@jalon/event-store';
import { ISSUER_KEY, STORAGE } from '@jalon/runtime';
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

  it('a signing key that did not sign the stored documents is refused; the one that did starts', async () => {
    const documents = join(dataDir, 'documents');
    mkdirSync(documents, { recursive: true });
    const credential = (kid: string) => `${Buffer.from(JSON.stringify({ alg: 'EdDSA', typ: 'JWT', kid })).toString('base64url')}.e30.c2ln`;
    writeFileSync(join(documents, 'JAL-A-0000000001A.vc.jwt'), credential('an-older-key'));
    expect(await startUpError({})).toMatch(
      /^invalid configuration: ISSUER_SIGNING_KEY is not the key the stored documents were signed with \(their kid an-older-key, this key's [\w-]+\)/,
    );

    let keyId = '';
    await withApp({ DOCUMENTS_DIR: join(dataDir, 'elsewhere') }, async (app) => void (keyId = app.get<{ keyId: string }>(ISSUER_KEY).keyId));
    writeFileSync(join(documents, 'JAL-A-0000000001A.vc.jwt'), credential(keyId));
    await withApp({});
  });
});
