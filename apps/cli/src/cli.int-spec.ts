import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { JwtService } from '@nestjs/jwt';
import { loadCatalogue } from '@jalon/catalogue';
import { parseMasterKeys } from '@jalon/config';
import { migrateToLatest, openSqlDatabase, SqlDatabase, SqlEventStore } from '@jalon/event-store';
import { createTestDatabase, TestDatabase } from '@jalon/event-store/testing/postgres-test-database';
import { waitUntilVisible } from '@jalon/event-store/testing/visibility';
import { IssuerKeyRing } from '@jalon/issuance';
import { DataKeys, PersonalDataVault } from '@jalon/privacy';
import { generatePath, prng, publishReferential, toNewEvents } from '@jalon/read-models/testing/generate-paths';

const root = resolve(__dirname, '../../..');

let compiled = false;

/** Runs the CLI as `npm run cli -- …` does (scripts/run.js: compiled when its sources changed, then run). */
function cli(args: string[], env: Record<string, string>) {
  // Compiled first, once (scripts/compile.js), so that each run's stderr is the cli's alone.
  if (!compiled) execFileSync(process.execPath, ['scripts/compile.js'], { cwd: root, stdio: 'pipe' });
  compiled = true;
  return spawnSync(process.execPath, ['scripts/run.js', 'cli', ...args], {
    cwd: root,
    env: { ...process.env, NODE_OPTIONS: '', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('npm run cli (PostgreSQL)', () => {
  let database: TestDatabase;
  let home: SqlDatabase;
  let env: Record<string, string>;
  let events = 0;

  beforeAll(async () => {
    database = await createTestDatabase();
    home = await openSqlDatabase({ kind: 'postgres', url: database.url });
    await migrateToLatest(home.db);
    const store = new SqlEventStore(home);
    const entry = loadCatalogue().entries[0];
    await publishReferential(store, entry.referential, entry.contentHash);
    const random = prng(3);
    let last;
    for (let i = 0; i < 40; i++) {
      const path = generatePath(entry.referential, random);
      last = await store.append(path.streamId, toNewEvents(path.events), { expectedRevision: 'no_stream' });
      events += path.events.length;
    }
    await waitUntilVisible(store, last!.position);
    env = {
      EVENT_STORE: 'postgres',
      DATABASE_URL: database.url,
      JWT_SECRET: randomBytes(24).toString('hex'),
      MASTER_KEYS: `cli-1:${randomBytes(32).toString('base64')}`,
      PUBLIC_BASE_URL: 'https://certificats.jalon.test',
    };
  });
  afterAll(async () => {
    await home?.close();
    await database?.drop();
  });

  it('projections rebuild replays the log with a progress bar and swaps the tables in', () => {
    const run = cli(['projections', 'rebuild', 'candidate-path'], env);
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('rebuilding candidate-path');
    expect(run.stderr).toMatch(/100%\s+[\d,]+ events\s+[\d,]+ ev\/s\s+ETA/);
    expect(run.stdout).toMatch(new RegExp(`candidate-path: ${events + 1} events replayed in \\d+s, swapped in`));
    // Every projection the service runs is listed, and where it stands against the log, never "running" (the cli cannot know).
    const status = cli(['projections', 'status'], env);
    expect(status.stdout).toContain(`candidate-path  caught up with the log  position`);
    expect(status.stdout).toContain(`${events + 1} events applied`);
    expect(status.stdout).toContain('issuance-process  not started yet');
    expect(status.stdout).not.toContain('running');
  }, 90_000);

  it('token prints a bearer token the service accepts, and refuses an unknown role', () => {
    const run = cli(['token', '--role', 'auditor', '--subject', 'a-7', '--org', 'cnc'], env);
    expect(run.status).toBe(0);
    const claims = new JwtService({ secret: env.JWT_SECRET }).verify(run.stdout.trim(), { algorithms: ['HS256'] });
    expect(claims).toMatchObject({ sub: 'a-7', role: 'auditor', org: 'cnc' });
    const bad = cli(['token', '--role', 'root'], env);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--role is one of');
  }, 60_000);

  it('keys rotate rewraps the candidates’ keys under the first master key; the old one can then go', async () => {
    const oldKey = env.MASTER_KEYS;
    const vault = new PersonalDataVault(new DataKeys(home.db, parseMasterKeys(oldKey)));
    const sealed = await vault.seal(
      [
        {
          type: 'AccommodationEnded',
          data: { accommodationId: 'a-1', reason: 'fin du semestre', by: { id: 'r-1', role: 'referent' }, at: '2026-01-01T00:00:00.000Z' },
        },
      ],
      'cand-cli',
    );
    // The issuer's signing key, sealed by the old master key too.
    const issuerKeys = (masterKeys: string) =>
      new IssuerKeyRing(home.db, parseMasterKeys(masterKeys), {
        publicBaseUrl: 'http://localhost:3000',
        issuers: [{ slug: 'jalon', name: 'Jalon' }],
        modulusLength: 2048,
      });
    await issuerKeys(oldKey).signingKey('jalon');
    const newKey = `cli-2:${randomBytes(32).toString('base64')}`;
    const run = cli(['keys', 'rotate'], { ...env, MASTER_KEYS: `${newKey},${oldKey}` });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim().split('\n')).toEqual([
      '1 candidate key(s) rewrapped with master key "cli-2"',
      '1 issuer signing key(s) resealed with master key "cli-2"',
    ]);
    expect(await new PersonalDataVault(new DataKeys(home.db, parseMasterKeys(newKey))).open(sealed)).toMatchObject([{ data: { reason: 'fin du semestre' } }]);
    await expect(issuerKeys(newKey).assertMasterKeysOpenStoredKeys()).resolves.toBeUndefined();
    expect(
      cli(['keys', 'rotate'], { ...env, MASTER_KEYS: newKey })
        .stdout.trim()
        .split('\n'),
    ).toEqual(['0 candidate key(s) rewrapped with master key "cli-2"', '0 issuer signing key(s) resealed with master key "cli-2"']);
    env = { ...env, MASTER_KEYS: newKey };
  }, 60_000);

  it('issuer keys rotate makes a new signing key current; the old ones stay published, and list shows them', async () => {
    const issuerEnv = { ...env, PUBLIC_BASE_URL: 'https://certificats.example.fr', ISSUER_SLUG: 'cli-issuer' };
    const ring = new IssuerKeyRing(home.db, parseMasterKeys(env.MASTER_KEYS), {
      publicBaseUrl: 'https://certificats.example.fr',
      issuers: [{ slug: 'cli-issuer', name: 'Jalon' }],
    });
    const before = await ring.signingKey('cli-issuer');
    const run = cli(['issuer', 'keys', 'rotate'], issuerEnv);
    expect(run.stderr).toBe('');
    const [current, currentEs256] = await ring.keys('cli-issuer');
    expect(current.jwk.kid).not.toBe(before.keyId);
    expect(currentEs256.jwk).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256' });
    expect(run.stdout.trim()).toBe(
      `issuer "cli-issuer" signs with ${current.jwk.kid} (RS256) from now on, and with ${currentEs256.jwk.kid} (ES256) what is asked as ES256; 1 retired key(s) stay published`,
    );
    expect((await ring.signingKey('cli-issuer')).keyId).toBe(current.jwk.kid);

    const again = cli(['issuer', 'keys', 'rotate', '--issuer', 'cli-issuer'], issuerEnv);
    expect(again.status).toBe(0);
    const list = cli(['issuer', 'keys', 'list'], issuerEnv).stdout.trim().split('\n');
    // The current RS256 and ES256 keys, the two the first rotation made (retired by the second), the first RS256 one.
    expect(list).toHaveLength(5);
    expect(list[0]).toMatch(/^https:\/\/certificats\.example\.fr\/issuers\/cli-issuer\/keys\/[\w-]{43}  RS256  created \S+  current$/);
    expect(list[1]).toMatch(/^https:\/\/certificats\.example\.fr\/issuers\/cli-issuer\/keys\/[\w-]{43}  ES256  created \S+  current$/);
    expect(list.filter((line) => / ES256 .* retired /.test(line))).toHaveLength(1);
    expect(list[4]).toMatch(new RegExp(`^${before.keyId}  RS256  created \\S+  retired \\S+$`));

    const other = cli(['issuer', 'keys', 'rotate', '--issuer', 'another'], issuerEnv);
    expect(other.status).toBe(2);
    expect(other.stderr.trim()).toBe('this service issues as "cli-issuer" (ISSUER_SLUG) only, not "another"');
    // A certifier issuing as itself (CERTIFIERS) is an issuer of this service too: its keys rotate the same way.
    const certifierEnv = {
      ...issuerEnv,
      CERTIFIERS: JSON.stringify([
        { id: 'cli-certifier', organisationId: 'org-1', legalName: 'École CLI SAS', certifications: [{ referentialId: 'r', type: 'RNCP', code: 'RNCP35288' }] },
      ]),
    };
    const certifierRun = cli(['issuer', 'keys', 'rotate', '--issuer', 'cli-certifier'], certifierEnv);
    expect(certifierRun.stderr).toBe('');
    expect(certifierRun.stdout.trim()).toMatch(
      /^issuer "cli-certifier" signs with https:\/\/certificats\.example\.fr\/issuers\/cli-certifier\/keys\/[\w-]{43} \(RS256\) from now on, and with https:\/\/certificats\.example\.fr\/issuers\/cli-certifier\/keys\/[\w-]{43} \(ES256\) what is asked as ES256; 0 retired key\(s\) stay published$/,
    );
    expect(cli(['issuer', 'keys', 'rotate', '--issuer', 'another'], certifierEnv).stderr.trim()).toBe(
      'this service issues as "cli-issuer", "cli-certifier" (ISSUER_SLUG, and the certifiers of CERTIFIERS that give their legalName), not "another"',
    );
    expect(cli(['issuer', 'keys', 'rotate', '--issuer', 'Bad_Slug'], issuerEnv).status).toBe(2);
    expect(cli(['issuer', 'keys', 'rotate'], { ...issuerEnv, ISSUER_SLUG: 'Bad_Slug' }).stderr.trim()).toMatch(
      /^invalid configuration: ISSUER_SLUG="Bad_Slug" must be lower-case letters/,
    );
  }, 90_000);

  it('an unreachable store is one line and exit 1', () => {
    const run = cli(['projections', 'status'], { ...env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual(['PostgreSQL at postgres://nobody@127.0.0.1:1/none is unreachable: connect ECONNREFUSED 127.0.0.1:1']);
  }, 60_000);
});
