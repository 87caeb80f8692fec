import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { candidateStreamId, CandidateEvent, EnrollmentCommand, enrollmentStreamId, Referential } from '@jalon/domain';
import { fixtureReferential } from '@jalon/domain/testing/fixture-referential';
import { admin, at, cmd, fixtureTimedParts, history, passBloc, sit } from '@jalon/domain/testing/enrollment-fixtures';
import { migrateToLatest, NewEvent, openSqlDatabase, SqlDatabase, SqlEventStore } from '@jalon/event-store';
import { createTestDatabase, TestDatabase } from '@jalon/event-store/testing/postgres-test-database';
import { DataKeys, enrollmentCommandHandler, masterKeysOrThrowaway, PersonalDataVault } from '@jalon/privacy';
import { randomUUID } from 'node:crypto';
import { FolderDocumentStorage } from './document-storage';
import { Issuance } from './issuance.service';
import { generateIssuerKey } from './render';

/**
 * Issuance against PostgreSQL: a decision withdrawn since it was taken gets no document, even when
 * its bloc was validated again or when it is annulled on the enrollment a transfer carried it to; a
 * holder whose personal data was erased gets none either.
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
    const registered: CandidateEvent[] = await new PersonalDataVault(keys).seal(
      [{ type: 'CandidateRegistered', data: { candidateId, organisationId: 'org-1', identity, by: admin, at: '2026-01-01T00:00:00.000Z' } }],
      candidateId,
    );
    await store.append(
      candidateStreamId(candidateId),
      registered.map((e) => ({ id: randomUUID(), type: e.type, data: e.data })),
      { expectedRevision: 'no_stream' },
    );
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
    issuance = new Issuance({
      store,
      enrollments: enrollmentCommandHandler(store, new PersonalDataVault(keys)),
      documents: new FolderDocumentStorage(dir),
      referential: async () => fixtureReferential,
      key: generateIssuerKey('https://jalon.example.org/issuer', 'Jalon'),
      publicBaseUrl: 'https://jalon.example.org',
      vault: new PersonalDataVault(keys),
    });
  });
  afterAll(async () => {
    await home?.close();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an annulled decision gets no document, even once its bloc is validated again; the new decision gets its own', async () => {
    const { enrollmentId, decisions } = await enrollmentOf('cand-revalidated', [
      ...passBloc('BC01'),
      cmd.annulBloc('BC01'),
      ...sit('s-E1-again', 'E1', true, fixtureTimedParts('E1')),
      cmd.validateBloc('BC01'),
    ]);
    expect(decisions).toHaveLength(2);
    expect(await issuance.issue({ kind: 'attestation', enrollmentId, decisionEventId: decisions[0] })).toBe('decision-withdrawn');
    expect(await issuance.issue({ kind: 'attestation', enrollmentId, decisionEventId: decisions[1] })).toBe('issued');
    expect(await issuance.issue({ kind: 'attestation', enrollmentId, decisionEventId: decisions[1] })).toBe('already-issued');
    expect(readdirSync(dir)).toHaveLength(2);
  });

  it('a decision whose bloc was carried by transfers and annulled where it went gets no document; another carried bloc still gets its own (R13)', async () => {
    const v2: Referential = { ...fixtureReferential, version: '2' };
    const carried = (blocs: string[]) => blocs.map((code) => ({ fromBloc: code, toBloc: code }));
    const transferOut = (toEnrollmentId: string, toVersion: string, blocs: string[]): EnrollmentCommand => ({
      type: 'TransferOut',
      data: { toEnrollmentId, toReferentialId: 'fixture-cert', toVersion, carriedBlocs: carried(blocs), by: admin, now: at(30) },
    });
    /** An enrollment opened by a transfer from `from`, then `commands` on it. */
    const transferredIn = async (
      enrollmentId: string,
      from: { enrollmentId: string; version: string },
      referential: Referential,
      blocs: string[],
      commands: EnrollmentCommand[],
      candidateId = 'cand-carried',
    ) => {
      const enroll: EnrollmentCommand = {
        type: 'EnrollByTransfer',
        data: {
          enrollmentId,
          fromEnrollmentId: from.enrollmentId,
          fromVersion: from.version,
          candidateId,
          organisationId: 'org-1',
          referentialId: 'fixture-cert',
          version: referential.version,
          cohort: '2026-A',
          accessRoute: 'formation-continue',
          optionBlocs: ['BC04'],
          carriedBlocs: carried(blocs).map((c) => ({ ...c, validatedAt: at(20) })),
          by: admin,
          now: at(30),
        },
      };
      const events = history([enroll, ...commands], referential).map((e) => ({ id: randomUUID(), type: e.type, data: e.data }));
      await store.append(enrollmentStreamId(enrollmentId), events, { expectedRevision: 'no_stream' });
    };

    // A → B carrying BC01 and BC02; BC01 annulled on B.
    const b = randomUUID();
    const a = await enrollmentOf('cand-carried', [...passBloc('BC01'), ...passBloc('BC02'), transferOut(b, '2', ['BC01', 'BC02'])]);
    await transferredIn(b, { enrollmentId: a.enrollmentId, version: '1' }, v2, ['BC01', 'BC02'], [cmd.annulBloc('BC01')]);
    expect(await issuance.issue({ kind: 'attestation', enrollmentId: a.enrollmentId, decisionEventId: a.decisions[0] })).toBe('decision-withdrawn');
    expect(await issuance.issue({ kind: 'attestation', enrollmentId: a.enrollmentId, decisionEventId: a.decisions[1] })).toBe('issued');

    // A → B → C, BC01 carried twice, annulled on C.
    const [b2, c2] = [randomUUID(), randomUUID()];
    const a2 = await enrollmentOf('cand-carried-twice', [...passBloc('BC01'), transferOut(b2, '2', ['BC01'])]);
    await transferredIn(b2, { enrollmentId: a2.enrollmentId, version: '1' }, v2, ['BC01'], [transferOut(c2, '1', ['BC01'])], 'cand-carried-twice');
    await transferredIn(c2, { enrollmentId: b2, version: '2' }, fixtureReferential, ['BC01'], [cmd.annulBloc('BC01')], 'cand-carried-twice');
    expect(await issuance.issue({ kind: 'attestation', enrollmentId: a2.enrollmentId, decisionEventId: a2.decisions[0] })).toBe('decision-withdrawn');
  });

  it('a holder whose personal data was erased gets no document, and no file is left', async () => {
    const { enrollmentId, decisions } = await enrollmentOf('cand-erased', passBloc('BC01'));
    await keys.destroy('cand-erased');
    const before = readdirSync(dir).length;
    expect(await issuance.issue({ kind: 'attestation', enrollmentId, decisionEventId: decisions[0] })).toBe('holder-erased');
    expect(readdirSync(dir)).toHaveLength(before);
  });
});
