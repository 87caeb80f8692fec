import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnrecoverableError } from 'bullmq';
import { sql } from 'kysely';
import { loadCatalogue } from '@jalon/catalogue';
import { Actor, CandidateIdentity, candidateStreamId, decideCandidate, EnrollmentEvent, enrollmentStreamId } from '@jalon/domain';
import { comparePositions, GlobalPosition, migrateToLatest, NewEvent, openSqlDatabase, SqlDatabase, SqlDb, SqlEventStore, START } from '@jalon/event-store';
import { createTestDatabase, TestDatabase } from '@jalon/event-store/testing/postgres-test-database';
import { candidateCommandHandler, DataKeys, enrollmentCommandHandler, masterKeysOrThrowaway, PersonalDataReadLog, PersonalDataVault } from '@jalon/privacy';
import { ProjectionRunner } from '@jalon/projections';
import { generatePath, prng, publishReferential, toNewEvents } from '../../../read-models/src/testing/generate-paths';
import { FolderDocumentStorage } from '../document-storage';
import { documentNumber } from '../document-number';
import { Issuance } from '../issuance.service';
import { generateIssuerKey, issuerKeyFromPem } from '../render';
import { referentialLookup } from '../testing/run-issuance-worker.process';
import { createDeliveryProcess, DeliveryJob, reconcileDelivery, undeliveredForWantOfEmail } from './document-delivery.projection';
import { deliveryMessageId, DocumentDelivery, DeliveryResult } from './document-delivery.service';
import { smtpMailer } from './mailer';
import { SmtpTestServer, startSmtpTestServer } from './testing/smtp-test-server';

/**
 * Part 3 of issue 20, for a holder whose address is completed after their documents were issued
 * (PostgreSQL, a real SMTP server; the jobs the outbox projection enqueues from the log are run by
 * hand, so that each interleaving is the test's to choose): they are sent the current state of each
 * document once, whatever the races between the amendment, the document's own job and a second
 * amendment; an erased holder nothing; a refused address is not tried again until it is corrected.
 */

const PUBLIC_BASE_URL = 'https://certificats.jalon.test';
const LATE = 'Nous n’avions pas votre adresse électronique pour vous en informer jusqu’ici';
const admin: Actor = { id: 'admin-1', role: 'admin' };
const system: Actor = { id: 'jalon-issuance', role: 'system' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('documents e-mailed once their holder’s address is completed (PostgreSQL, SMTP, jobs run by hand)', () => {
  let database: TestDatabase;
  let home: SqlDatabase;
  let db: SqlDb;
  let store: SqlEventStore;
  let keys: DataKeys;
  let candidates: ReturnType<typeof candidateCommandHandler>;
  let issuance: Issuance;
  let smtp: SmtpTestServer;
  let runner: ProjectionRunner;
  let documentsDir: string;
  /** The jobs the outbox projection enqueued, not run yet. */
  const jobs: DeliveryJob[] = [];
  /** Called by the delivery's identity reads, before they answer (the race test appends an amendment there). */
  let onIdentityRead: ((candidateId: string) => Promise<void>) | undefined;
  let delivery: DocumentDelivery;
  const random = prng(20);
  let target: GlobalPosition = START;
  let registered = 0;

  beforeAll(async () => {
    database = await createTestDatabase('jalon_delivery_address');
    home = await openSqlDatabase({ kind: 'postgres', url: database.url });
    db = home.db;
    await migrateToLatest(db);
    store = new SqlEventStore(home);
    keys = new DataKeys(db, masterKeysOrThrowaway(undefined));
    const vault = new PersonalDataVault(keys);
    candidates = candidateCommandHandler(store, vault);
    documentsDir = mkdtempSync(join(tmpdir(), 'jalon-delivery-address-'));
    issuance = new Issuance({
      store,
      enrollments: enrollmentCommandHandler(store, vault),
      documents: new FolderDocumentStorage(documentsDir),
      referential: referentialLookup(store),
      key: issuerKeyFromPem(generateIssuerKey(`${PUBLIC_BASE_URL}/issuer`, 'Jalon').privateKeyPem, `${PUBLIC_BASE_URL}/issuer`, 'Jalon'),
      publicBaseUrl: PUBLIC_BASE_URL,
      vault,
    });
    smtp = await startSmtpTestServer({ refuse: (address) => address.startsWith('inconnu') });
    for (const entry of loadCatalogue().entries) await publishReferential(store, entry.referential, entry.contentHash);
    runner = new ProjectionRunner(db, store, [createDeliveryProcess(async (enqueued) => void jobs.push(...enqueued))]);
    await runner.prepare();
    delivery = new DocumentDelivery({
      db,
      store,
      issuance: {
        facts: (job, state, events) => issuance.facts(job, state, events),
        identity: async (candidateId) => {
          const identity = await issuance.identity(candidateId);
          await onIdentityRead?.(candidateId);
          return identity;
        },
      },
      readLog: new PersonalDataReadLog(db),
      mailer: smtpMailer(smtp.url),
      senderOf: () => ({ name: 'Jalon', address: 'no-reply@jalon.test' }),
      publicBaseUrl: PUBLIC_BASE_URL,
    });
  });
  afterAll(async () => {
    delivery?.close();
    await smtp?.stop();
    await home?.close();
    await database?.drop();
    if (documentsDir) rmSync(documentsDir, { recursive: true, force: true });
  });

  /** The projection caught up with every append (the log is read up to its oldest running transaction: waited for). */
  async function settle(position?: GlobalPosition) {
    if (position && comparePositions(position, target) > 0) target = position;
    for (let waited = 0; comparePositions(await store.headPosition(), target) < 0; waited += 10) {
      if (waited > 30_000) throw new Error("the store's head never reached the last append");
      await sleep(10);
    }
    await runner.catchUp();
  }

  /** Runs every job enqueued, in order, until none is left: what each answered. */
  async function drain(): Promise<DeliveryResult[]> {
    const results: DeliveryResult[] = [];
    while (jobs.length > 0) results.push(await delivery.deliver(jobs.shift()!));
    return results;
  }

  /** A candidate of org-1, registered (sealed) with this address (or none, as before addresses were asked), enrolled on a path with `decisions` decisions. */
  async function holderWithPath(email: string, decisions = 3) {
    const entry = loadCatalogue().entries.find((e) => e.referential.blocs.length >= 3)!;
    let generated = generatePath(entry.referential, random, { organisationId: 'org-1' });
    const decisionsOf = (events: readonly EnrollmentEvent[]) => events.filter((e) => e.type === 'BlocValidated' || e.type === 'CertificationAwarded');
    while (decisionsOf(generated.events).length < decisions) generated = generatePath(entry.referential, random, { organisationId: 'org-1' });
    const enrolled = generated.events[0] as Extract<EnrollmentEvent, { type: 'CandidateEnrolled' }>;
    const { candidateId, enrollmentId } = enrolled.data;
    registered += 1;
    const identity: CandidateIdentity = {
      birthName: `Tardif-${registered}`,
      firstNames: ['Noé'],
      birthDate: '2000-01-01',
      sex: 'M',
      birthPlace: 'Paris',
      email,
    };
    await candidates.handle(
      candidateId,
      (state) =>
        decideCandidate(
          { type: 'RegisterCandidate', data: { candidateId, organisationId: 'org-1', identity, by: admin, now: '2026-01-02T09:00:00.000Z' } },
          state,
        ),
      { organisationId: 'org-1' },
    );
    const pathEvents = toNewEvents(generated.events);
    const appended = await store.append(generated.streamId, pathEvents, { expectedRevision: 'no_stream' });
    await settle(appended.position);
    const decided = pathEvents
      .map((event, i) => ({ event, decision: generated.events[i] }))
      .filter(({ decision }) => decision.type === 'BlocValidated' || decision.type === 'CertificationAwarded')
      .map(({ event, decision }) => {
        const kind = decision.type === 'BlocValidated' ? ('attestation' as const) : ('certificate' as const);
        return {
          decisionEventId: event.id,
          kind,
          number: documentNumber(kind, event.id),
          ...(decision.type === 'BlocValidated' ? { blocCode: decision.data.blocCode } : {}),
        };
      });
    return { candidateId, enrollmentId, decided };
  }

  /** Document events appended to the path, as the issuance worker records them: their ids. */
  async function documentEvents(
    enrollmentId: string,
    events: { type: 'DocumentIssued' | 'DocumentRevoked'; document: { decisionEventId: string; kind: string; number: string; blocCode?: string } }[],
  ) {
    const at = '2026-07-01T10:00:00.000Z';
    const hashes = { pdfSha256: 'a'.repeat(64), credentialSha256: 'b'.repeat(64) };
    const newEvents: NewEvent[] = events.map(({ type, document }) => ({
      id: randomUUID(),
      type,
      data:
        type === 'DocumentIssued'
          ? { document: { ...document, ...hashes }, by: system, at }
          : {
              number: document.number,
              kind: document.kind,
              reasonCategory: document.kind === 'attestation' ? 'bloc-annulled' : 'certification-revoked',
              by: system,
              at,
            },
      metadata: { actor: system, occurredAt: at },
    }));
    const appended = await store.append(enrollmentStreamId(enrollmentId), newEvents, { expectedRevision: 'any' });
    await settle(appended.position);
    return newEvents.map((e) => e.id!);
  }

  async function amend(candidateId: string, email: string) {
    const result = await candidates.handle(
      candidateId,
      (state) =>
        decideCandidate(
          { type: 'AmendCandidateIdentity', data: { changes: { email }, organisationId: 'org-1', by: admin, now: new Date().toISOString() } },
          state,
        ),
      { organisationId: 'org-1', open: true },
    );
    await settle(result.position ?? undefined);
    const [last] = await store.readStream(candidateStreamId(candidateId), { direction: 'backwards', maxCount: 1 });
    return last.id;
  }

  const rowsOf = async (candidateId: string) =>
    (
      await sql<{ event_id: string; outcome: string; message_id: string | null; sent_late_at: Date | null; address_completed_by: string | null }>`
        SELECT event_id, outcome, message_id, sent_late_at, address_completed_by FROM document_deliveries WHERE candidate_id = ${candidateId}`.execute(db)
    ).rows;
  const outcomeOf = async (candidateId: string, eventId: string) => (await rowsOf(candidateId)).find((r) => r.event_id === eventId);
  const listed = async (candidateId: string) => (await undeliveredForWantOfEmail(db, 1000)).filter((u) => u.candidateId === candidateId).map((u) => u.eventId);

  it('completed later: the current state of each document, once, under its latest event’s Message-ID, saying it comes late; nothing more after', async () => {
    const { candidateId, enrollmentId, decided } = await holderWithPath('');
    const [a1, a2, a2Revoked] = await documentEvents(enrollmentId, [
      { type: 'DocumentIssued', document: decided[0] },
      { type: 'DocumentIssued', document: decided[1] },
      { type: 'DocumentRevoked', document: decided[1] },
    ]);
    expect(await drain()).toEqual(['no-email', 'no-email', 'no-email']);
    // The revocation tells the second document's state: its issue is not to be sent any more.
    expect((await outcomeOf(candidateId, a2))?.outcome).toBe('superseded');
    expect(await listed(candidateId)).toEqual([a1, a2Revoked]);

    const email = `noe.${randomUUID().slice(0, 8)}@exemple.fr`;
    const amendment = await amend(candidateId, email);
    expect(jobs).toEqual([{ eventId: amendment, candidateId }]);
    expect(await drain()).toEqual(['sent']);
    const mails = smtp.to(email);
    expect(mails.map((m) => m.messageId)).toEqual([deliveryMessageId(PUBLIC_BASE_URL, a1), deliveryMessageId(PUBLIC_BASE_URL, a2Revoked)]);
    expect(mails[0].subject).toMatch(/^Votre document : Attestation de réussite n° JAL-A-/);
    expect(mails[1].subject).toMatch(/^Révocation de votre document : /);
    for (const mail of mails) expect(mail.text).toContain(LATE);
    const rows = await rowsOf(candidateId);
    expect(rows.filter((r) => r.outcome === 'sent').map((r) => [r.event_id, r.address_completed_by, r.sent_late_at !== null])).toEqual(
      expect.arrayContaining([
        [a1, amendment, true],
        [a2Revoked, amendment, true],
      ]),
    );
    expect(await listed(candidateId)).toEqual([]);

    // Run again, amended again, reconciled: nothing more.
    expect(await delivery.deliver({ eventId: amendment, candidateId })).toBe('already-delivered');
    const second = `noe.autre.${randomUUID().slice(0, 8)}@exemple.fr`;
    await amend(candidateId, second);
    expect(jobs).toEqual([]);
    expect(await reconcileDelivery(db, async (enqueued) => void jobs.push(...enqueued))).toBe(0);
    expect(smtp.to(email)).toHaveLength(2);
    expect(smtp.to(second)).toHaveLength(0);

    // A document issued afterwards goes on time, to the address now recorded.
    const [a3] = await documentEvents(enrollmentId, [{ type: 'DocumentIssued', document: decided[2] }]);
    expect(await drain()).toEqual(['sent']);
    expect(smtp.to(second).map((m) => m.messageId)).toEqual([deliveryMessageId(PUBLIC_BASE_URL, a3)]);
    expect(smtp.to(second)[0].text).not.toContain(LATE);

    // Each opening of the address was a recorded read.
    const reads = await sql<{ view: string }>`SELECT view FROM personal_data_reads WHERE candidate_id = ${candidateId}`.execute(db);
    expect(reads.rows.map((r) => r.view)).toEqual(['identity:delivery', 'identity:delivery', 'identity:delivery', 'identity:delivery', 'identity:delivery']);
  });

  it('completed while the document’s own job read the identity without it: that job takes the document on and sends it once', async () => {
    const { candidateId, enrollmentId, decided } = await holderWithPath('');
    const [issued] = await documentEvents(enrollmentId, [{ type: 'DocumentIssued', document: decided[0] }]);
    const email = `noe.course.${randomUUID().slice(0, 8)}@exemple.fr`;
    // The amendment lands, and the outbox sees it, after the job read the identity and before it records 'no-email':
    // the outbox finds nothing untold yet, and enqueues no address job.
    onIdentityRead = async (id) => {
      if (id !== candidateId) return;
      onIdentityRead = undefined;
      await amend(candidateId, email);
    };
    expect(await drain()).toEqual(['sent']);
    expect(jobs).toEqual([]);
    const mails = smtp.to(email);
    expect(mails.map((m) => m.messageId)).toEqual([deliveryMessageId(PUBLIC_BASE_URL, issued)]);
    expect(mails[0].text).toContain(LATE);
    expect(await outcomeOf(candidateId, issued)).toMatchObject({ outcome: 'sent', address_completed_by: issued });
    expect(await reconcileDelivery(db, async (enqueued) => void jobs.push(...enqueued))).toBe(0);
    expect(await delivery.deliver({ eventId: issued, enrollmentId })).toBe('already-delivered');
    expect(smtp.to(email)).toHaveLength(1);
  });

  it('completed twice at once: the two address jobs, run together, send each document once', async () => {
    const { candidateId, enrollmentId, decided } = await holderWithPath('');
    const issued = await documentEvents(enrollmentId, [
      { type: 'DocumentIssued', document: decided[0] },
      { type: 'DocumentIssued', document: decided[1] },
    ]);
    await drain();
    const first = `noe.un.${randomUUID().slice(0, 8)}@exemple.fr`;
    const second = `noe.deux.${randomUUID().slice(0, 8)}@exemple.fr`;
    await amend(candidateId, first);
    await amend(candidateId, second);
    expect(jobs).toHaveLength(2);
    const results = await Promise.all(jobs.splice(0).map((job) => delivery.deliver(job)));
    // One took both documents on; the other found them taken (or, starting later, nothing owed).
    expect(results).toContain('sent');
    const received = [...smtp.to(first), ...smtp.to(second)];
    expect(received.map((m) => m.messageId).sort()).toEqual(issued.map((id) => deliveryMessageId(PUBLIC_BASE_URL, id)).sort());
    expect(await listed(candidateId)).toEqual([]);
  });

  it('an erased holder gets nothing, though their address was completed before the erasure', async () => {
    const { candidateId, enrollmentId, decided } = await holderWithPath('');
    const [issued] = await documentEvents(enrollmentId, [{ type: 'DocumentIssued', document: decided[0] }]);
    await drain();
    const email = `noe.efface.${randomUUID().slice(0, 8)}@exemple.fr`;
    const amendment = await amend(candidateId, email);
    // Erased before the address job runs.
    await keys.destroy(candidateId);
    await candidates.handle(
      candidateId,
      (state) => decideCandidate({ type: 'RecordPersonalDataErased', data: { by: { id: 'dpo-1', role: 'dpo' }, now: new Date().toISOString() } }, state),
      {
        organisationId: 'org-1',
      },
    );
    expect(await drain()).toEqual(['holder-erased']);
    expect(smtp.to(email)).toEqual([]);
    expect((await outcomeOf(candidateId, issued))?.outcome).toBe('no-email');
    // Not listed for the admin (there is no one to write to any more), and nothing left to reconcile.
    expect(await listed(candidateId)).toEqual([]);
    expect(await reconcileDelivery(db, async (enqueued) => void jobs.push(...enqueued))).toBe(0);
    expect(await delivery.deliver({ eventId: amendment, candidateId })).toBe('already-delivered');
  });

  it('an address the mail server refuses: failed at once, not tried again until it is corrected, then sent once', async () => {
    const { candidateId, enrollmentId, decided } = await holderWithPath(`inconnu.${randomUUID().slice(0, 8)}@exemple.fr`);
    const [issued] = await documentEvents(enrollmentId, [{ type: 'DocumentIssued', document: decided[0] }]);
    const job = jobs.shift()!;
    await expect(delivery.deliver(job)).rejects.toThrow(UnrecoverableError);
    await expect(delivery.deliver(job)).rejects.toThrow(/^refused by the mail server: 550 .*not sent again until the holder's address is corrected/);
    // Tried once: the second run neither asked the server nor opened the identity again.
    expect(smtp.refused).toHaveLength(1);
    const reads = async () =>
      Number((await sql<{ n: string }>`SELECT count(*)::text AS n FROM personal_data_reads WHERE candidate_id = ${candidateId}`.execute(db)).rows[0].n);
    expect(await reads()).toBe(1);
    expect(await outcomeOf(candidateId, issued)).toBeUndefined();

    // Corrected: its job is asked again at once, and sends it.
    const email = `noe.corrige.${randomUUID().slice(0, 8)}@exemple.fr`;
    await amend(candidateId, email);
    expect(jobs).toEqual([job]);
    expect(await drain()).toEqual(['sent']);
    expect(smtp.to(email).map((m) => m.messageId)).toEqual([deliveryMessageId(PUBLIC_BASE_URL, issued)]);
    expect(smtp.to(email)[0].text).not.toContain(LATE);
  });

  it('an address job stopped mid-way (the mail server down): run again, each document once', async () => {
    const { candidateId, enrollmentId, decided } = await holderWithPath('');
    const issued = await documentEvents(enrollmentId, [
      { type: 'DocumentIssued', document: decided[0] },
      { type: 'DocumentIssued', document: decided[1] },
    ]);
    await drain();
    const email = `noe.panne.${randomUUID().slice(0, 8)}@exemple.fr`;
    const amendment = await amend(candidateId, email);
    await smtp.stop();
    try {
      await expect(drain()).rejects.toThrow(/^mail server unavailable: /);
    } finally {
      await smtp.start();
    }
    // Taken on: no longer listed as without an address; its job is what the reconciler brings back.
    expect(await listed(candidateId)).toEqual([]);
    expect(await reconcileDelivery(db, async (enqueued) => void jobs.push(...enqueued))).toBe(1);
    expect(jobs).toEqual([{ eventId: amendment, candidateId }]);
    expect(await drain()).toEqual(['sent']);
    expect(
      smtp
        .to(email)
        .map((m) => m.messageId)
        .sort(),
    ).toEqual(issued.map((id) => deliveryMessageId(PUBLIC_BASE_URL, id)).sort());
    expect(await reconcileDelivery(db, async (enqueued) => void jobs.push(...enqueued))).toBe(0);
  });
});
