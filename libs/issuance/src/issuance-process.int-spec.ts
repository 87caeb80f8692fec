import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { migrateToLatest, NewEvent, openSqlDatabase, SqlDatabase, SqlEventStore } from '@jalon/event-store';
import { createTestDatabase, TestDatabase } from '@jalon/event-store/testing/postgres-test-database';
import { waitUntilVisible } from '@jalon/event-store/testing/visibility';
import { ProjectionRunner } from '@jalon/projections';
import { documentNumber } from './document-number';
import { createIssuanceProcess, ISSUANCE_PROCESS, reconcileIssuance } from './issuance-process.projection';
import { EnqueueIssuanceJobs, IssuanceJobData, jobIdOf } from './issuance-queue';

/**
 * The issuance process manager and its reconciler against PostgreSQL, with a recording stand-in
 * for the queue: which jobs each batch hands over, and which the reconciler finds still to do. The
 * events carry only what the process manager reads (the domain's deciders are not involved).
 */

const event = (type: string, data: Record<string, unknown> = {}): NewEvent => ({ id: randomUUID(), type, data });
const issued = (number: string) => event('DocumentIssued', { document: { number } });
const ids = (jobs: readonly IssuanceJobData[]) => jobs.map(jobIdOf).sort();

/** A database of the suite's own, migrated, opened before its tests and dropped after them. */
function withDatabase(use: (opened: { home: SqlDatabase; store: SqlEventStore }) => void): void {
  let database: TestDatabase | undefined;
  let home: SqlDatabase | undefined;
  beforeAll(async () => {
    database = await createTestDatabase('jalon_issuance_process');
    home = await openSqlDatabase({ kind: 'postgres', url: database.url });
    await migrateToLatest(home.db);
    use({ home, store: new SqlEventStore(home, { pollIntervalMs: 10 }) });
  });
  afterAll(async () => {
    await home?.close();
    await database?.drop();
  });
}

describe.each([500, 1])('issuance process manager and reconciler (PostgreSQL), batches of %d event(s)', (batchSize) => {
  let home: SqlDatabase;
  let store: SqlEventStore;
  withDatabase((opened) => ({ home, store } = opened));

  const append = async (streamId: string, events: NewEvent[]) => {
    const { position } = await store.append(streamId, events, { expectedRevision: 'any' });
    await waitUntilVisible(store, position);
    return events;
  };

  it('hands each batch its jobs at once; asks revocations of issued documents only; the reconciler re-enqueues what is left, never a revocation of a document never issued', async () => {
    const calls: IssuanceJobData[][] = [];
    const runner = new ProjectionRunner(home.db, store, [createIssuanceProcess(async (jobs) => void calls.push([...jobs]))], { batchSize });
    await runner.prepare();

    const attestation = (e: NewEvent) => documentNumber('attestation', e.id);
    // Decided, not issued yet.
    const [pending] = await append('enrollment-pending', [event('BlocValidated', { blocCode: 'BC01' })]);
    // Issued: nothing left to do.
    const [done] = await append('enrollment-done', [event('BlocValidated', { blocCode: 'BC01' })]);
    await append('enrollment-done', [issued(attestation(done))]);
    // Annulled before its attestation was issued: the decision is withdrawn, nothing to issue or revoke.
    const [withdrawn] = await append('enrollment-withdrawn', [event('BlocValidated', { blocCode: 'BC02' }), event('BlocAnnulled', { blocCode: 'BC02' })]);
    // Issued, then annulled: its revocation is still to record.
    const [annulled] = await append('enrollment-annulled', [event('BlocValidated', { blocCode: 'BC01' })]);
    await append('enrollment-annulled', [issued(attestation(annulled)), event('BlocAnnulled', { blocCode: 'BC01' })]);
    // Issued, annulled, revoked: nothing left.
    const [revoked] = await append('enrollment-revoked', [event('BlocValidated', { blocCode: 'BC01' })]);
    await append('enrollment-revoked', [
      issued(attestation(revoked)),
      event('BlocAnnulled', { blocCode: 'BC01' }),
      event('DocumentRevoked', { number: attestation(revoked) }),
    ]);
    // A certificate issued, then the certification revoked.
    const [awarded] = await append('enrollment-certified', [event('CertificationAwarded')]);
    const certificate = documentNumber('certificate', awarded.id);
    await append('enrollment-certified', [issued(certificate), event('CertificationRevoked')]);
    // Annulled before its attestation was issued, validated again, and the first attestation issued
    // after all (its job ran late): revoked as its issue is read.
    const [first] = await append('enrollment-late', [event('BlocValidated', { blocCode: 'BC03' }), event('BlocAnnulled', { blocCode: 'BC03' })]);
    const [second] = await append('enrollment-late', [event('BlocValidated', { blocCode: 'BC03' })]);
    await append('enrollment-late', [issued(attestation(first))]);
    // Not an enrollment: ignored.
    await append('candidate-1', [event('BlocValidated', { blocCode: 'BC01' })]);

    const applied = await runner.catchUp();
    expect(applied).toBe(20);
    const issueOf = (e: NewEvent, kind: 'attestation' | 'certificate' = 'attestation', enrollmentId: string): IssuanceJobData => ({
      type: 'issue',
      job: { kind, enrollmentId, decisionEventId: e.id },
    });
    const revokeOf = (number: string, enrollmentId: string, reasonCategory: 'bloc-annulled' | 'certification-revoked' = 'bloc-annulled'): IssuanceJobData => ({
      type: 'revoke',
      job: { enrollmentId, number, reasonCategory },
    });
    const expected = [
      issueOf(pending, 'attestation', 'pending'),
      issueOf(done, 'attestation', 'done'),
      issueOf(withdrawn, 'attestation', 'withdrawn'),
      issueOf(annulled, 'attestation', 'annulled'),
      revokeOf(attestation(annulled), 'annulled'),
      issueOf(revoked, 'attestation', 'revoked'),
      revokeOf(attestation(revoked), 'revoked'),
      issueOf(awarded, 'certificate', 'certified'),
      revokeOf(certificate, 'certified', 'certification-revoked'),
      issueOf(first, 'attestation', 'late'),
      issueOf(second, 'attestation', 'late'),
      revokeOf(attestation(first), 'late'),
    ];
    // In log order, one call per batch that has jobs: with batches of 500, one call in all.
    expect(calls.flat()).toEqual(expected);
    expect(calls).toHaveLength(batchSize === 1 ? expected.length : 1);
    // The withdrawn decision: revocation asked, never issued, no revoke job.
    const rows = await sql<{
      number: string;
      issued: boolean;
      revocation_requested: string | null;
      revoked: boolean;
    }>`SELECT number, issued, revocation_requested, revoked FROM issuance_decisions ORDER BY number`.execute(home.db);
    expect(rows.rows).toHaveLength(8);
    expect(rows.rows.find((r) => r.number === attestation(withdrawn))).toEqual({
      number: attestation(withdrawn),
      issued: false,
      revocation_requested: 'bloc-annulled',
      revoked: false,
    });
    expect(rows.rows.find((r) => r.number === attestation(revoked))).toEqual({
      number: attestation(revoked),
      issued: true,
      revocation_requested: 'bloc-annulled',
      revoked: true,
    });

    // What the reconciler finds still to do: the pending decision and the second validation to
    // issue, three revocations of issued documents; not the withdrawn decision, either way.
    const reconciled: IssuanceJobData[][] = [];
    const enqueue: EnqueueIssuanceJobs = async (jobs) => void reconciled.push([...jobs]);
    expect(await reconcileIssuance(home.db, enqueue)).toEqual({ issue: 2, revoke: 3 });
    expect(ids(reconciled.flat())).toEqual(
      ids([
        issueOf(pending, 'attestation', 'pending'),
        issueOf(second, 'attestation', 'late'),
        revokeOf(attestation(annulled), 'annulled'),
        revokeOf(certificate, 'certified', 'certification-revoked'),
        revokeOf(attestation(first), 'late'),
      ]),
    );
    expect(reconciled.flat()).toContainEqual(revokeOf(certificate, 'certified', 'certification-revoked'));

    // Replaying the log (a rebuild) hands the same jobs over again and changes nothing.
    calls.length = 0;
    await runner.rebuild(ISSUANCE_PROCESS);
    expect(ids(calls.flat())).toEqual(ids(expected));
    expect((await sql`SELECT number, issued, revocation_requested, revoked FROM issuance_decisions ORDER BY number`.execute(home.db)).rows).toEqual(rows.rows);

    // Once the documents are recorded, nothing is left.
    await append('enrollment-pending', [issued(attestation(pending))]);
    await append('enrollment-late', [issued(attestation(second)), event('DocumentRevoked', { number: attestation(first) })]);
    await append('enrollment-annulled', [event('DocumentRevoked', { number: attestation(annulled) })]);
    await append('enrollment-certified', [event('DocumentRevoked', { number: certificate })]);
    await runner.catchUp();
    expect(await reconcileIssuance(home.db, enqueue)).toEqual({ issue: 0, revoke: 0 });
  });

  it('an annulled carried bloc revokes the attestation it rests on, its source’s, through every transfer (R13); one not issued yet is revoked as its issue is read', async () => {
    const calls: IssuanceJobData[][] = [];
    const runner = new ProjectionRunner(home.db, store, [createIssuanceProcess(async (jobs) => void calls.push([...jobs]))], { batchSize });
    await runner.prepare();
    const ours: string[] = Array.from({ length: 7 }, () => randomUUID());
    const [a, b, c, d, e, f, g] = ours;
    // The revocations asked for this test's enrollments (a rebuild replays the other tests' too).
    const revokes = () => calls.flat().filter((job) => job.type === 'revoke' && ours.includes(job.job.enrollmentId));
    const attestation = (e: NewEvent) => documentNumber('attestation', e.id);
    const revokeOf = (e: NewEvent, enrollmentId: string): IssuanceJobData => ({
      type: 'revoke',
      job: { enrollmentId, number: attestation(e), reasonCategory: 'bloc-annulled' },
    });
    const stream = (enrollmentId: string) => `enrollment-${enrollmentId}`;
    /** The two events of a transfer: out of `from`, into `to`, each carried bloc as [fromBloc, toBloc]. */
    const transfer = async (from: string, to: string, carried: [string, string][]) => {
      const carriedBlocs = carried.map(([fromBloc, toBloc]) => ({ fromBloc, toBloc, validatedAt: '2026-06-01T00:00:00.000Z' }));
      await append(stream(from), [event('EnrollmentTransferredOut', { toEnrollmentId: to, carriedBlocs })]);
      await append(stream(to), [event('EnrolledByTransfer', { enrollmentId: to, fromEnrollmentId: from, candidateId: 'cand-carried', carriedBlocs })]);
    };

    // A's BC01 and BC02 carried to B (BC01 becoming BC11); B validates BC03 itself.
    const [a1, a2] = await append(stream(a), [event('BlocValidated', { blocCode: 'BC01' }), event('BlocValidated', { blocCode: 'BC02' })]);
    await append(stream(a), [issued(attestation(a1)), issued(attestation(a2))]);
    await transfer(a, b, [
      ['BC01', 'BC11'],
      ['BC02', 'BC02'],
    ]);
    const [b3] = await append(stream(b), [event('BlocValidated', { blocCode: 'BC03' })]);
    await append(stream(b), [issued(attestation(b3))]);
    await runner.catchUp();
    expect(revokes()).toEqual([]);
    // Annulled on B: A's attestation of BC01 goes, not A's BC02 nor B's own BC03.
    await append(stream(b), [event('BlocAnnulled', { blocCode: 'BC11' })]);
    await runner.catchUp();
    expect(revokes()).toEqual([revokeOf(a1, a)]);

    // Carried twice, C → D (read in an earlier batch), then D → E annulled at once (in one batch of 500).
    const [c1] = await append(stream(c), [event('BlocValidated', { blocCode: 'BC01' })]);
    await append(stream(c), [issued(attestation(c1))]);
    await transfer(c, d, [['BC01', 'BC01']]);
    await runner.catchUp();
    await transfer(d, e, [['BC01', 'BC04']]);
    await append(stream(e), [event('BlocAnnulled', { blocCode: 'BC04' })]);
    await runner.catchUp();
    expect(revokes()).toEqual([revokeOf(a1, a), revokeOf(c1, c)]);

    // Carried before its attestation was issued, annulled: nothing to revoke yet, nothing to re-issue either…
    const [f1] = await append(stream(f), [event('BlocValidated', { blocCode: 'BC02' })]);
    await transfer(f, g, [['BC02', 'BC02']]);
    await append(stream(g), [event('BlocAnnulled', { blocCode: 'BC02' })]);
    await runner.catchUp();
    expect(revokes()).toEqual([revokeOf(a1, a), revokeOf(c1, c)]);
    const reconciled: IssuanceJobData[] = [];
    const reconcile = async () => {
      reconciled.length = 0;
      return reconcileIssuance(home.db, async (jobs) => void reconciled.push(...jobs));
    };
    await reconcile();
    expect(reconciled.filter((job) => job.type === 'issue')).toEqual([]);
    // …until its job, already queued, issues it after all: revoked as its issue is read.
    await append(stream(f), [issued(attestation(f1))]);
    await runner.catchUp();
    expect(revokes()).toEqual([revokeOf(a1, a), revokeOf(c1, c), revokeOf(f1, f)]);

    const state = async () =>
      (
        await sql<{
          number: string;
          issued: boolean;
          revocation_requested: string | null;
          revoked: boolean;
        }>`SELECT number, issued, revocation_requested, revoked FROM issuance_decisions
        WHERE enrollment_id = ANY(${ours}::text[]) ORDER BY number`.execute(home.db)
      ).rows;
    const rows = await state();
    expect(
      rows
        .filter((r) => r.revocation_requested)
        .map((r) => r.number)
        .sort(),
    ).toEqual([a1, c1, f1].map(attestation).sort());
    expect(rows.find((r) => r.number === attestation(a2))).toMatchObject({ issued: true, revocation_requested: null });
    expect(rows.find((r) => r.number === attestation(b3))).toMatchObject({ issued: true, revocation_requested: null });
    // The reconciler finds the three revocations still to record, then none once they are.
    expect(await reconcile()).toEqual({ issue: 0, revoke: 3 });
    expect(ids(reconciled)).toEqual(ids([revokeOf(a1, a), revokeOf(c1, c), revokeOf(f1, f)]));
    await append(stream(a), [event('DocumentRevoked', { number: attestation(a1) })]);
    await append(stream(c), [event('DocumentRevoked', { number: attestation(c1) })]);
    await append(stream(f), [event('DocumentRevoked', { number: attestation(f1) })]);
    await runner.catchUp();
    expect(await reconcile()).toEqual({ issue: 0, revoke: 0 });

    // Replaying the log (a rebuild) finds the same links and asks the same revocations.
    const before = await state();
    calls.length = 0;
    await runner.rebuild(ISSUANCE_PROCESS);
    expect(revokes()).toEqual([revokeOf(a1, a), revokeOf(c1, c), revokeOf(f1, f)]);
    expect(await state()).toEqual(before);
  });

  it('the reconciler leaves alone the decisions of a holder whose personal data was erased (R14): no document can name them', async () => {
    const runner = new ProjectionRunner(home.db, store, [createIssuanceProcess(async () => undefined)], { batchSize });
    await runner.prepare();
    const holder = `cand-${randomUUID()}`;
    const other = `cand-${randomUUID()}`;
    const [, erasedDecision] = await append(`enrollment-erased-${batchSize}`, [
      event('CandidateEnrolled', { candidateId: holder }),
      event('BlocValidated', { blocCode: 'BC01' }),
    ]);
    const [, keptDecision] = await append(`enrollment-kept-${batchSize}`, [
      event('CandidateEnrolled', { candidateId: other }),
      event('BlocValidated', { blocCode: 'BC01' }),
    ]);
    await runner.catchUp();
    const pendingIds = async () => {
      const found: IssuanceJobData[] = [];
      await reconcileIssuance(home.db, async (jobs) => void found.push(...jobs));
      return found.filter((j) => j.type === 'issue').map((j) => (j.job as { decisionEventId: string }).decisionEventId);
    };
    expect(await pendingIds()).toEqual(expect.arrayContaining([erasedDecision.id, keptDecision.id]));
    await sql`INSERT INTO candidate_keys (candidate_id, erased_at) VALUES (${holder}, now())`.execute(home.db);
    const after = await pendingIds();
    expect(after).toContain(keptDecision.id);
    expect(after).not.toContain(erasedDecision.id);
  });
});

describe('issuance process manager while the queue is slow or failing (PostgreSQL)', () => {
  let home: SqlDatabase;
  let store: SqlEventStore;
  withDatabase((opened) => ({ home, store } = opened));

  it('holds back no reader of the log while it waits for the queue: the batch is written after its jobs are queued', async () => {
    // Whether each wait saw the append: a failed one fails its batch, which the runner then applies
    // event by event, so the checkpoint alone would not tell.
    const shownMeanwhile: boolean[] = [];
    const runner = new ProjectionRunner(home.db, store, [
      createIssuanceProcess(async () => {
        // While the batch waits on Redis, another process appends; the log must show it. Had the
        // batch's transaction written already, it would hold that event back until its end
        // (DESIGN.md decision 3), and this wait would time out.
        const { position } = await store.append('enrollment-other', [event('Noted')], { expectedRevision: 'any' });
        shownMeanwhile.push(
          await waitUntilVisible(store, position, 5_000).then(
            () => true,
            () => false,
          ),
        );
      }),
    ]);
    await runner.prepare();
    // A holder and a carried bloc to record in the same batch: written after the jobs too.
    await store.append('enrollment-0', [event('CandidateEnrolled', { candidateId: 'cand-0' })], { expectedRevision: 'no_stream' });
    const { position } = await store.append(
      'enrollment-1',
      [
        event('EnrolledByTransfer', {
          candidateId: 'cand-0',
          fromEnrollmentId: '0',
          carriedBlocs: [{ fromBloc: 'BC02', toBloc: 'BC02', validatedAt: '2026-06-01T00:00:00.000Z' }],
        }),
        event('BlocValidated', { blocCode: 'BC01' }),
      ],
      { expectedRevision: 'no_stream' },
    );
    await waitUntilVisible(store, position);
    expect(await runner.catchUp()).toBeGreaterThanOrEqual(3);
    expect(shownMeanwhile).toEqual([true]);
    expect((await runner.statuses())[0]).toMatchObject({ status: 'running' });
  });

  it('moves no checkpoint and writes no row when the jobs cannot be queued', async () => {
    const runner = new ProjectionRunner(home.db, store, [createIssuanceProcess(async () => Promise.reject(new Error('Redis is gone')))], {
      logger: { log: () => undefined, error: () => undefined },
    });
    const before = (await runner.statuses())[0];
    const decision = event('BlocValidated', { blocCode: 'BC02' });
    const { position } = await store.append('enrollment-2', [decision], { expectedRevision: 'no_stream' });
    await waitUntilVisible(store, position);
    await runner.catchUp();
    const after = (await runner.statuses())[0];
    expect(after).toMatchObject({ status: 'failed', position: before.position, eventsApplied: before.eventsApplied });
    expect((await sql`SELECT * FROM issuance_decisions WHERE decision_event_id = ${decision.id}`.execute(home.db)).rows).toEqual([]);
  });
});
