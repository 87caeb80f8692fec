import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { MasterKey } from '@jalon/config';
import { CandidateEvent, EnrollmentEvent, ERASED, SEALED } from '@jalon/domain';
import { migrateToLatest, openSqlDatabase, SqlDatabase } from '@jalon/event-store';
import { createTestDatabase, TestDatabase } from '@jalon/event-store/testing/postgres-test-database';
import { DataKeys } from './data-keys';
import { PersonalDataReadLog, PersonalDataReadNotRecordedError } from './personal-data-reads';
import { PersonalDataVault } from './personal-data-vault';

const master = (id: string): MasterKey => ({ id, key: randomBytes(32) });
const by = { id: 'referent-1', role: 'referent' as const };
const MARKER = `marker-${randomBytes(6).toString('hex')}`;

const granted: EnrollmentEvent = {
  type: 'AccommodationGranted',
  data: {
    accommodationId: 'acc-1',
    terms: { kind: 'tiers-temps', scope: { all: true }, validFrom: '2026-01-01', details: `salle calme ${MARKER}` },
    by,
    at: '2026-01-02T00:00:00.000Z',
  },
};
const scheduled: EnrollmentEvent = {
  type: 'SittingScheduled',
  data: {
    sittingId: 's1',
    epreuveCode: 'E1',
    blocCode: 'BC01',
    attempt: 1,
    scheduledAt: '2026-02-01T09:00:00.000Z',
    assessorIds: ['assessor-1'],
    timedParts: [{ code: 'soutenance', baseDurationMinutes: 30, effectiveDurationMinutes: 40 }],
    applicableAccommodations: [
      { accommodationId: 'acc-1', kind: 'tiers-temps' },
      { accommodationId: 'acc-2', kind: 'third-party-assistance' },
    ],
    by,
    at: '2026-01-03T00:00:00.000Z',
  },
};
const noAccommodation: EnrollmentEvent = { ...scheduled, data: { ...scheduled.data, applicableAccommodations: [] } } as EnrollmentEvent;
const registered: CandidateEvent = {
  type: 'CandidateRegistered',
  data: {
    candidateId: 'cand-1',
    organisationId: 'org-1',
    identity: { birthName: MARKER, firstNames: ['Léa'], birthDate: '2001-03-14', sex: 'F', birthPlace: 'Lyon', email: 'lea@example.org' },
    by,
    at: '2026-01-01T00:00:00.000Z',
  },
};

describe('personal data: keys per candidate, sealed fields, erasure, rotation, the read log (PostgreSQL)', () => {
  let database: TestDatabase;
  let home: SqlDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('jalon_privacy');
    home = await openSqlDatabase({ kind: 'postgres', url: database.url });
    await migrateToLatest(home.db);
  });
  afterAll(async () => {
    await home?.close();
    await database?.drop();
  });

  it('seals only the sensitive fields, in place, and opens them back exactly', async () => {
    const vault = new PersonalDataVault(new DataKeys(home.db, [master('m1')]));
    const [storedGrant, storedSitting, storedPlain] = await vault.seal([granted, scheduled, noAccommodation], 'cand-seal');
    expect(JSON.stringify([storedGrant, storedSitting])).not.toContain(MARKER);
    expect(JSON.stringify(storedSitting)).not.toContain('tiers-temps');
    expect(storedGrant.data).toMatchObject({ accommodationId: 'acc-1', terms: SEALED, at: granted.data.at, sealed: { v: 1, key: 'cand-seal' } });
    // The clear facts stay readable to every reader: durations, ids, dates.
    expect(storedSitting.data).toMatchObject({
      timedParts: scheduled.data.timedParts,
      applicableAccommodations: [
        { accommodationId: 'acc-1', kind: SEALED },
        { accommodationId: 'acc-2', kind: SEALED },
      ],
    });
    // Nothing sensitive, nothing sealed, no key needed.
    expect(storedPlain).toEqual(noAccommodation);
    expect(await vault.open([storedGrant, storedSitting, storedPlain])).toEqual([granted, scheduled, noAccommodation]);
  });

  it('refuses to store a sealed marker without its ciphertext: a decision copied a fact it had not opened', async () => {
    const vault = new PersonalDataVault(new DataKeys(home.db, [master('m1')]));
    const copied = { ...scheduled, data: { ...scheduled.data, applicableAccommodations: [{ accommodationId: 'acc-1', kind: SEALED }] } } as EnrollmentEvent;
    await expect(vault.seal([copied], 'cand-guard')).rejects.toThrow(/without its ciphertext/);
    // The erased marker is a value of its own (nothing left to seal): it is stored as it is.
    const erasedCopy = { ...scheduled, data: { ...scheduled.data, applicableAccommodations: [{ accommodationId: 'acc-1', kind: ERASED }] } } as EnrollmentEvent;
    expect(await vault.seal([erasedCopy], 'cand-guard')).toEqual([erasedCopy]);
  });

  it('a sealed box opens only for its event type and its candidate, and a changed byte is refused', async () => {
    const vault = new PersonalDataVault(new DataKeys(home.db, [master('m1')]));
    const [stored] = await vault.seal([granted], 'cand-aad');
    const data = stored.data as unknown as { sealed: { data: string; key: string } };
    await expect(vault.open([{ ...stored, type: 'AccommodationAmended' } as EnrollmentEvent])).rejects.toThrow();
    const [other] = await vault.seal([granted], 'cand-aad-2');
    await expect(
      vault.open([{ ...stored, data: { ...stored.data, sealed: { ...data.sealed, key: 'cand-aad-2' } } } as EnrollmentEvent, other]),
    ).rejects.toThrow();
    const flipped = Buffer.from(data.sealed.data, 'base64url');
    flipped[0] ^= 1;
    await expect(
      vault.open([{ ...stored, data: { ...stored.data, sealed: { ...data.sealed, data: flipped.toString('base64url') } } } as EnrollmentEvent]),
    ).rejects.toThrow();
  });

  it('one key per candidate, created once even when two writers race for it', async () => {
    const keys = new DataKeys(home.db, [master('m1')]);
    const [a, b] = await Promise.all([keys.obtain('cand-race'), keys.obtain('cand-race')]);
    expect(a).toEqual(b);
    expect(await keys.obtain('cand-other')).not.toEqual(a);
    // A registration creates the key before looking: racing with a writer that looks first, or
    // finding one there already, it ends with the key that stands.
    const [c, d] = await Promise.all([keys.obtain('cand-fresh', { fresh: true }), keys.obtain('cand-fresh')]);
    expect(c).toEqual(d);
    expect(await keys.obtain('cand-race', { fresh: true })).toEqual(a);
  });

  it('erasure destroys the key: sealed fields open as "erased" everywhere, the rest holds, and nothing new can be sealed', async () => {
    const keys = new DataKeys(home.db, [master('m1')]);
    const vault = new PersonalDataVault(keys);
    const stored = await vault.seal([registered], 'cand-1');
    const sealedGrant = await vault.seal([granted], 'cand-1');
    await keys.destroy('cand-1');
    const [opened] = await vault.open(stored);
    expect(opened).toEqual({ ...registered, data: { ...registered.data, identity: ERASED } });
    expect(await vault.open(sealedGrant)).toEqual([{ ...granted, data: { ...granted.data, terms: ERASED } }]);
    await expect(vault.seal([granted], 'cand-1')).rejects.toMatchObject({ code: 'PERSONAL_DATA.ERASED' });
    // Erasing again changes nothing; a candidate erased before any key never gets one.
    await keys.destroy('cand-1');
    await keys.destroy('cand-never');
    expect((await keys.obtain('cand-never')).state).toBe('erased');
    expect((await keys.obtain('cand-never', { fresh: true })).state).toBe('erased');
    await expect(vault.seal([registered], 'cand-never', { fresh: true })).rejects.toMatchObject({ code: 'PERSONAL_DATA.ERASED' });
    const { rows } = await sql<{
      wrapped_key: string | null;
      erased_at: Date | null;
    }>`SELECT wrapped_key, erased_at FROM candidate_keys WHERE candidate_id = 'cand-1'`.execute(home.db);
    expect(rows).toEqual([{ wrapped_key: null, erased_at: expect.any(Date) }]);
  });

  it('rotating the master key rewraps the data keys, touches no event, and the old master key can then go', async () => {
    // Its own database: rotation rewraps every row, and refuses rows wrapped by a key it is not given.
    const own = await createTestDatabase('jalon_privacy_rotation');
    const ownHome = await openSqlDatabase({ kind: 'postgres', url: own.url });
    try {
      await migrateToLatest(ownHome.db);
      const old = master('old');
      const before = new PersonalDataVault(new DataKeys(ownHome.db, [old]));
      const sealedBefore = [...(await before.seal([granted], 'cand-rotate-1')), ...(await before.seal([registered], 'cand-rotate-2'))];
      await new DataKeys(ownHome.db, [old]).destroy('cand-rotate-erased');
      const fresh = master('new');
      const rotated = new DataKeys(ownHome.db, [fresh, old]);
      expect(await rotated.rotate(1)).toBe(2);
      expect(await rotated.rotate()).toBe(0);
      // Only the new master key now: the same stored events still open.
      expect(await new PersonalDataVault(new DataKeys(ownHome.db, [fresh])).open(sealedBefore)).toEqual([granted, registered]);
      // Without the master key that wraps a row, opening fails loudly rather than guessing.
      await expect(new PersonalDataVault(new DataKeys(ownHome.db, [master('unknown')])).open(sealedBefore)).rejects.toThrow(/which MASTER_KEYS does not hold/);
    } finally {
      await ownHome.close();
      await own.drop();
    }
  });

  it('the read log records who read what, is append-only, and a read it cannot record is refused', async () => {
    const log = new PersonalDataReadLog(home.db);
    await log.record({
      actor: { id: 'referent-1', role: 'referent', organisationId: 'org-1' },
      candidateId: 'cand-log',
      enrollmentId: 'enr-1',
      view: 'accommodations:full',
      subjects: ['accommodation:acc-1'],
    });
    expect(await log.of('cand-log')).toEqual([
      {
        readAt: expect.any(String),
        actorId: 'referent-1',
        actorRole: 'referent',
        organisationId: 'org-1',
        enrollmentId: 'enr-1',
        view: 'accommodations:full',
        subjects: ['accommodation:acc-1'],
      },
    ]);
    await expect(sql`UPDATE personal_data_reads SET actor_id = 'someone-else'`.execute(home.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM personal_data_reads`.execute(home.db)).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE personal_data_reads`.execute(home.db)).rejects.toThrow(/append-only/);
    await sql`ALTER TABLE personal_data_reads ADD CONSTRAINT refuse_for_test CHECK (view <> 'refused') NOT VALID`.execute(home.db);
    try {
      await expect(
        log.record({ actor: { id: 'x', role: 'referent', organisationId: 'org-1' }, candidateId: 'cand-log', view: 'refused', subjects: [] }),
      ).rejects.toBeInstanceOf(PersonalDataReadNotRecordedError);
    } finally {
      await sql`ALTER TABLE personal_data_reads DROP CONSTRAINT refuse_for_test`.execute(home.db);
    }
  });
});
