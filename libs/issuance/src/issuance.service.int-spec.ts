import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { candidateStreamId, CandidateEvent, enrollmentStreamId } from '@jalon/domain';
import { fixtureReferential } from '@jalon/domain/testing/fixture-referential';
import { admin, cmd, fixtureTimedParts, history, passBloc, sit } from '@jalon/domain/testing/enrollment-fixtures';
import { migrateToLatest, NewEvent, openSqlDatabase, SqlDatabase, SqlEventStore } from '@jalon/event-store';
import { createTestDatabase, TestDatabase } from '@jalon/event-store/testing/postgres-test-database';
import { DataKeys, masterKeysOrThrowaway, PersonalDataVault } from '@jalon/privacy';
import { randomUUID } from 'node:crypto';
import { FolderDocumentStorage } from './document-storage';
import { Issuance } from './issuance.service';
import { generateIssuerKey } from './render';

/**
 * Issuance against PostgreSQL: a decision withdrawn since it was taken gets no document, even when
 * its bloc was validated again; a holder whose personal data was erased gets none either.
 */
describe('Issuance.issue (PostgreSQL)', () => {
  let database: TestDatabase;
  let home: SqlDatabase;
  let store: SqlEventStore;
  let dir: string;
  let keys: DataKeys;
  let issuance: Issuance;

  const enrollmentOf = async (candidateId: string, commands: Parameters<typeof history>[0]) => {
    const identity = { birthName: 'Martin', firstNames: ['Léa'], birthDate: '2001-03-14', sex: 'F' as const, birthPlace: 'Lyon', email: 'lea@example.org' };
    const registered: CandidateEvent[] = await new PersonalDataVault(keys).seal([{ type: 'CandidateRegistered', data: { candidateId, organisationId: 'org-1', identity, by: admin, at: '2026-01-01T00:00:00.000Z' } }], candidateId);
    await store.append(candidateStreamId(candidateId), registered.map((e) => ({ id: randomUUID(), type: e.type, data: e.data })), { expectedRevision: 'no_stream' });
    const enrollmentId = randomUUID();
    const events: NewEvent[] = history([cmd.enroll({ enrollmentId, candidateId }), ...commands]).map((e) => ({ id: randomUUID(), type: e.type, data: e.data }));
    await store.append(enrollmentStreamId(enrollmentId), events, { expectedRevision: 'no_stream' });
    return { enrollmentId, decisions: events.filter((e) => e.type === 'BlocValidated').map((e) => e.id) };
  };

  beforeAll(async () => {
    database = await createTestDatabase('jalon_issuance_service');
    home = await openSqlDatabase({ kind: 'postgres', url: database.url });
    await migrateToLatest(home.db);
    store = new SqlEventStore(home);
    dir = mkdtempSync(join(tmpdir(), 'jalon-issue-'));
    keys = new DataKeys(home.db, masterKeysOrThrowaway(undefined));
    issuance = new Issuance({ store, documents: new FolderDocumentStorage(dir), referential: async () => fixtureReferential, key: generateIssuerKey('https://jalon.example.org/issuer', 'Jalon'), publicBaseUrl: 'https://jalon.example.org', vault: new PersonalDataVault(keys) });
  });
  afterAll(async () => {
    await home?.close();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an annulled decision gets no document, even once its bloc is validated again; the new decision gets its own', async () => {
    const { enrollmentId, decisions } = await enrollmentOf('cand-revalidated', [...passBloc('BC01'), cmd.annulBloc('BC01'), ...sit('s-E1-again', 'E1', true, fixtureTimedParts('E1')), cmd.validateBloc('BC01')]);
    expect(decisions).toHaveLength(2);
    expect(await issuance.issue({ kind: 'attestation', enrollmentId, decisionEventId: decisions[0] })).toBe('decision-withdrawn');
    expect(await issuance.issue({ kind: 'attestation', enrollmentId, decisionEventId: decisions[1] })).toBe('issued');
    expect(await issuance.issue({ kind: 'attestation', enrollmentId, decisionEventId: decisions[1] })).toBe('already-issued');
    expect(readdirSync(dir)).toHaveLength(2);
  });

  it('a holder whose personal data was erased gets no document, and no file is left', async () => {
    const { enrollmentId, decisions } = await enrollmentOf('cand-erased', passBloc('BC01'));
    await keys.destroy('cand-erased');
    const before = readdirSync(dir).length;
    expect(await issuance.issue({ kind: 'attestation', enrollmentId, decisionEventId: decisions[0] })).toBe('holder-erased');
    expect(readdirSync(dir)).toHaveLength(before);
  });
});
