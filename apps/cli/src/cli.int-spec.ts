import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { JwtService } from '@nestjs/jwt';
import { loadCatalogue } from '@jalon/catalogue';
import { parseMasterKeys } from '@jalon/config';
import { migrateToLatest, openSqlDatabase, SqlDatabase, SqlEventStore } from '@jalon/event-store';
import { createTestDatabase, TestDatabase } from '@jalon/event-store/testing/postgres-test-database';
import { waitUntilVisible } from '@jalon/event-store/testing/visibility';
import { DataKeys, PersonalDataVault } from '@jalon/privacy';
import { generatePath, prng, publishReferential, toNewEvents } from '@jalon/read-models/testing/generate-paths';

const root = resolve(__dirname, '../../..');

/** Runs the CLI as `npm run cli -- …` does (ts-node with the path aliases). */
function cli(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/cli/src/main.ts', ...args], {
    cwd: root,
    env: { ...process.env, NODE_OPTIONS: '', TS_NODE_TRANSPILE_ONLY: 'true', ...env },
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
    const newKey = `cli-2:${randomBytes(32).toString('base64')}`;
    const run = cli(['keys', 'rotate'], { ...env, MASTER_KEYS: `${newKey},${oldKey}` });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('1 candidate key(s) rewrapped with master key "cli-2"');
    expect(await new PersonalDataVault(new DataKeys(home.db, parseMasterKeys(newKey))).open(sealed)).toMatchObject([{ data: { reason: 'fin du semestre' } }]);
    expect(cli(['keys', 'rotate'], { ...env, MASTER_KEYS: newKey }).stdout.trim()).toBe('0 candidate key(s) rewrapped with master key "cli-2"');
  }, 60_000);

  it('an unreachable store is one line and exit 1', () => {
    const run = cli(['projections', 'status'], { ...env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual(['PostgreSQL at postgres://nobody@127.0.0.1:1/none is unreachable: connect ECONNREFUSED 127.0.0.1:1']);
  }, 60_000);
});
