import { ChildWorker, killAllChildWorkers, spawnChildWorker, waitReady } from '@jalon/event-store/testing/child-worker';
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import { loadCatalogue } from '@jalon/catalogue';
import { Actor, CandidateEvent, candidateStreamId, decideCandidate, EnrollmentEvent, evolveCandidate, initialCandidateState } from '@jalon/domain';
import { comparePositions, GlobalPosition, migrateToLatest, NewEvent, openSqlDatabase, SqlDatabase, SqlDb, SqlEventStore, START } from '@jalon/event-store';
import { createTestDatabase, TestDatabase } from '@jalon/event-store/testing/postgres-test-database';
import { ProjectionRunner } from '@jalon/projections';
import { generatePath, prng, publishReferential, toNewEvents } from '../../../read-models/src/testing/generate-paths';
import { documentNumber } from '../document-number';
import { connect } from '../issuance-queue';
import { generateIssuerKey } from '../render';
import { REDIS_TEST_DATABASES, redisTestUrl } from '../testing/redis-test-databases';
import { DELIVERY_QUEUE, DeliveryQueue } from './delivery-queue';
import { createDeliveryProcess, DeliveryJob, deliveryOutcomes, isAddressCompletedJob, reconcileDelivery } from './document-delivery.projection';
import { deliveryMessageId } from './document-delivery.service';
import { ReceivedMail, SmtpTestServer, startSmtpTestServer } from './testing/smtp-test-server';

/**
 * Document e-mails under fire, as issuance-crash.int-spec.ts does for documents: separate delivery
 * worker processes (testing/run-delivery-worker.process.ts) take the jobs the outbox projection
 * enqueues from the log, send through a real SMTP server run here, and are killed with SIGKILL at
 * random moments, round after round; then Redis loses the queue (obliterated), the reconciler
 * rebuilds it from the outbox, and a last worker is left to finish. A quarter of the holders have
 * no address at first: from halfway, the addresses of those found without one are completed (the
 * rest's before the last run), so their documents go late, by the address jobs, under the same fire.
 *
 * In the end every document event has exactly one recorded outcome: `sent`, with its message (its
 * Message-ID derived from the event id) at the server once; `unconfirmed`, handed over to the server
 * by a worker killed before it read the answer — at the server at most once, never sent again by
 * itself; or, for a holder who had no address then, `superseded` by a later event of the same
 * document, which was sent in its place. Every document's latest event was sent or handed over.
 *
 * No message arrives twice, whatever the kill. The sender cannot know whether a message whose answer
 * it never read was accepted (the two generals' problem), so a message is recorded handed over just
 * before the line that ends its data goes, and one found handed over by a dead worker is not sent
 * again but left for an admin (DocumentDelivery). The server takes SMTP_DELAY_MS to accept, as a
 * real one does, so kills land between the end of the data and the answer: those messages arrive
 * and are recorded unconfirmed. One killed between the hand-over's record and the last line (a few
 * microseconds) would not arrive: unconfirmed too, so listed, never silently lost. Any second copy
 * fails the test (a job run again after its outcome was recorded — a 40 ms pause there makes kills
 * land in that window — or two workers sending at once, or a hand-over not honoured).
 */

const ROUNDS = 8;
/** Document events still to deliver at the start of each round: more than a worker sends before the latest kill. */
const BACKLOG = 48;
const KILL_WINDOW_MS: readonly [number, number] = [50, 500];
/** How long the server takes to accept a message, as a real one does: the window before acceptance is then the wider one. */
const SMTP_DELAY_MS = 20;
const REDIS_URL = redisTestUrl(REDIS_TEST_DATABASES.issuancePrefixed);
const REDIS_PREFIX = `jalon-delivery-crash-${process.pid}-${randomBytes(4).toString('hex')}`;
const PUBLIC_BASE_URL = 'https://certificats.jalon.test';
const WORKER_SETTINGS = {
  CONCURRENCY: '4',
  LOCK_DURATION_MS: '1500',
  STALLED_INTERVAL_MS: '1000',
  MAX_STALLED_COUNT: String(ROUNDS + 2),
  COMPLETION_DELAY_MS: '40',
};
const WORKER = path.resolve(__dirname, 'testing/run-delivery-worker.process.ts');

/** The share of holders registered without an address, completed later. */
const WITHOUT_ADDRESS = 0.25;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const admin: Actor = { id: 'admin-crash', role: 'admin' };
const system: Actor = { id: 'jalon-issuance', role: 'system' };
const count = async (db: SqlDb, query: ReturnType<typeof sql>) => Number(((await query.execute(db)).rows[0] as { n: string | null }).n ?? 0);

describe('document e-mails survive SIGKILL of their worker mid-send (PostgreSQL, Redis, SMTP, separate process)', () => {
  let database: TestDatabase;
  let home: SqlDatabase;
  let store: SqlEventStore;
  let redis: Redis;
  let queue: DeliveryQueue;
  let inspector: Queue<DeliveryJob>;
  let smtp: SmtpTestServer;

  beforeAll(async () => {
    database = await createTestDatabase('jalon_delivery_crash');
    home = await openSqlDatabase({ kind: 'postgres', url: database.url });
    await migrateToLatest(home.db);
    store = new SqlEventStore(home);
    // A prefix of this run's own in a database no suite empties; its keys are deleted afterwards (see issuance-crash).
    redis = connect({ url: REDIS_URL });
    queue = new DeliveryQueue(redis, { url: REDIS_URL, prefix: REDIS_PREFIX });
    inspector = new Queue<DeliveryJob>(DELIVERY_QUEUE, { connection: redis, prefix: REDIS_PREFIX });
    smtp = await startSmtpTestServer({ delayMs: SMTP_DELAY_MS });
  });
  afterAll(async () => {
    await killAllChildWorkers();
    await inspector?.close();
    await queue?.obliterate().catch(() => undefined);
    await queue?.close();
    await redis?.quit().catch(() => redis.disconnect());
    await smtp?.stop();
    await home?.close();
    await database?.drop();
  });

  it(`after ${ROUNDS} kills mid-send, Redis losing the queue and a last run, every document event has one outcome, sent (or unconfirmed across a kill, or superseded, its holder’s address completed late), and no message twice`, async () => {
    const seed = Number(process.env.CRASH_TEST_SEED ?? Math.floor(Math.random() * 2 ** 31));
    const random = prng(seed);
    const started = Date.now();
    const { entries } = loadCatalogue();
    for (const entry of entries) await publishReferential(store, entry.referential, entry.contentHash);
    const workerEnv = {
      DATABASE_URL: database.url,
      REDIS_URL,
      REDIS_PREFIX,
      SMTP_URL: smtp.url,
      PUBLIC_BASE_URL,
      ISSUER_KEY_PEM: generateIssuerKey(`${PUBLIC_BASE_URL}/issuer`, 'Jalon (crash test)').privateKeyPem,
      ...WORKER_SETTINGS,
    };

    // The service's path from the log to the jobs: the outbox projection, fed by the runner.
    const runner = new ProjectionRunner(home.db, store, [createDeliveryProcess((jobs) => queue.enqueueAll(jobs))]);
    await runner.prepare();

    /** Every document event on the log, in its order within its document: number → event ids. */
    const byNumber = new Map<string, string[]>();
    const eventIds = new Set<string>();
    let target: GlobalPosition = START;
    let candidates = 0;
    /** Holders registered without an address, theirs not completed yet; and the events of every holder that had none. */
    const withoutAddress = new Map<string, { k: number; registered: CandidateEvent }>();
    const eventsOfHoldersWithoutAddress = new Set<string>();

    const waitForHead = async () => {
      // The log is read up to the oldest running transaction of the server (decision 3), which other suites may hold back for a moment.
      for (let waited = 0; comparePositions(await store.headPosition(), target) < 0; waited += 10) {
        if (waited > 30_000) throw new Error("the store's head never reached the last append");
        await sleep(10);
      }
      await runner.catchUp();
    };

    /**
     * Their addresses completed, as an admin's amendment records it (the identity appended in clear
     * here, as the registration): those already found without one (`onlyFound`), or all.
     */
    const completeAddresses = async (onlyFound: boolean) => {
      const found = new Set(
        (await sql<{ candidate_id: string }>`SELECT DISTINCT candidate_id FROM document_deliveries WHERE outcome = 'no-email'`.execute(home.db)).rows.map(
          (r) => r.candidate_id,
        ),
      );
      for (const [candidateId, { k, registered }] of withoutAddress) {
        if (onlyFound && !found.has(candidateId)) continue;
        const state = evolveCandidate(initialCandidateState(), registered);
        const amended = decideCandidate(
          {
            type: 'AmendCandidateIdentity',
            data: { changes: { email: `tardif-${k}@example.org` }, organisationId: 'org-1', by: admin, now: '2026-07-02T09:00:00.000Z' },
          },
          state,
        );
        const appended = await store.append(
          candidateStreamId(candidateId),
          amended.map((e) => ({ id: randomUUID(), type: e.type, data: e.data, metadata: { actor: e.data.by, occurredAt: e.data.at } })),
          { expectedRevision: 0 },
        );
        if (appended.position && comparePositions(appended.position, target) > 0) target = appended.position;
        withoutAddress.delete(candidateId);
      }
      await waitForHead();
    };

    /** New enrollment histories, each decision with its document issued, some revoked or reissued, until `n` more document events are on the log. */
    const addEvents = async (n: number) => {
      const goal = eventIds.size + n;
      while (eventIds.size < goal) {
        const entry = entries[Math.floor(random() * entries.length)];
        const generated = generatePath(entry.referential, random, { organisationId: 'org-1' });
        const enrolled = generated.events[0] as Extract<EnrollmentEvent, { type: 'CandidateEnrolled' }>;
        const { candidateId, organisationId } = enrolled.data;
        const k = ++candidates;
        // The first holders among them, so that their documents are found without an address before it is completed.
        const addressLater = random() < WITHOUT_ADDRESS || k <= 3;
        const registered = decideCandidate(
          {
            type: 'RegisterCandidate',
            data: {
              candidateId,
              organisationId,
              identity: {
                birthName: `Envoi-${k}`,
                firstNames: ['Camille'],
                birthDate: '1990-05-12',
                sex: 'F',
                birthPlace: 'Lyon',
                email: addressLater ? '' : `candidate-${k}@example.org`,
              },
              by: admin,
              now: '2026-01-02T09:00:00.000Z',
            },
          },
          initialCandidateState(),
        );
        await store.append(
          candidateStreamId(candidateId),
          registered.map((e) => ({ id: randomUUID(), type: e.type, data: e.data, metadata: { actor: e.data.by, occurredAt: e.data.at } })),
          { expectedRevision: 'no_stream' },
        );
        if (addressLater) withoutAddress.set(candidateId, { k, registered: registered[0] });
        const pathEvents = toNewEvents(generated.events);
        const documents: NewEvent[] = [];
        const at = '2026-07-01T10:00:00.000Z';
        const push = (number: string, type: string, data: object) => {
          const id = randomUUID();
          documents.push({ id, type, data: { ...data, by: system, at }, metadata: { actor: system, occurredAt: at } });
          byNumber.set(number, [...(byNumber.get(number) ?? []), id]);
          eventIds.add(id);
          if (addressLater) eventsOfHoldersWithoutAddress.add(id);
        };
        pathEvents.forEach((event, i) => {
          const decision = generated.events[i];
          if (decision.type !== 'BlocValidated' && decision.type !== 'CertificationAwarded') return;
          const kind = decision.type === 'BlocValidated' ? 'attestation' : 'certificate';
          const number = documentNumber(kind, event.id);
          const hashes = { pdfSha256: 'a'.repeat(64), credentialSha256: 'b'.repeat(64) };
          const blocCode = decision.type === 'BlocValidated' ? { blocCode: decision.data.blocCode } : {};
          push(number, 'DocumentIssued', { document: { kind, number, decisionEventId: event.id, ...blocCode, ...hashes } });
          // Some documents have later events, whose e-mails follow the issue's.
          const draw = random();
          if (draw < 0.2) push(number, 'DocumentReissued', { reissue: { number, version: 2, ...hashes, reason: 'nouvelle police' } });
          if (draw < 0.1 || draw > 0.85)
            push(number, 'DocumentRevoked', { number, kind, reasonCategory: kind === 'attestation' ? 'bloc-annulled' : 'certification-revoked' });
        });
        const appended = await store.append(generated.streamId, [...pathEvents, ...documents], { expectedRevision: 'no_stream' });
        if (appended.position && comparePositions(appended.position, target) > 0) target = appended.position;
      }
      await waitForHead();
      expect(await count(home.db, sql`SELECT count(*)::text AS n FROM delivery_outbox`)).toBe(eventIds.size);
    };
    const outcomes = () => count(home.db, sql`SELECT count(*)::text AS n FROM document_deliveries`);
    /** Rows still to send late (their address completed, or not yet). */
    const owedLate = () => count(home.db, sql`SELECT count(*)::text AS n FROM document_deliveries WHERE outcome = 'no-email'`);

    const kills: { round: number; client: string; delayMs: number; killSentAt: number; killedAt: number; sent: number; interrupted: number }[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      // From halfway, the addresses found missing are completed: their documents go late, under fire.
      if (round > ROUNDS / 2) await completeAddresses(true);
      await addEvents(Math.max(0, BACKLOG - (eventIds.size - (await outcomes()))));
      const before = smtp.received.length;
      const client = `round-${round}.workers.test`;
      const spawnedAt = Date.now();
      const doomed: ChildWorker = spawnChildWorker(WORKER, { ...workerEnv, CLIENT_NAME: client });
      await waitReady(doomed);
      const delayMs = KILL_WINDOW_MS[0] + Math.floor(random() * (KILL_WINDOW_MS[1] - KILL_WINDOW_MS[0]));
      await sleep(delayMs);
      const killSentAt = Date.now();
      doomed.child.kill('SIGKILL');
      expect(await doomed.exited).toEqual({ code: null, signal: 'SIGKILL' });
      const killedAt = Date.now();
      const interrupted = (await inspector.getActive()).filter((job) => (job.processedOn ?? 0) >= spawnedAt).length;
      kills.push({ round, client, delayMs, killSentAt, killedAt, sent: smtp.received.length - before, interrupted });
    }
    // The other addresses are completed too: the last run sends their documents, late or on time.
    await completeAddresses(false);

    // Redis loses its data: the queue goes, jobs of the killed workers included; the outbox brings back every event without an outcome.
    await queue.obliterate();
    const reEnqueued: DeliveryJob[] = [];
    const reconciled = await reconcileDelivery(home.db, async (jobs) => {
      reEnqueued.push(...jobs);
      await queue.enqueueAll(jobs);
    });
    expect(reconciled).toBe(reEnqueued.length);
    // Every document event without an outcome (and the address jobs not done, the documents taken on late by their own job).
    const settled = await deliveryOutcomes(home.db, [...eventIds]);
    expect(reEnqueued.filter((job) => !isAddressCompletedJob(job) && !settled.has(job.eventId))).toHaveLength(eventIds.size - settled.size);

    const lastRunFrom = Date.now();
    const survivor = spawnChildWorker(WORKER, { ...workerEnv, CLIENT_NAME: 'survivor.workers.test' });
    await waitReady(survivor);
    for (const waitingSince = Date.now(); ; await sleep(50)) {
      const counts = await queue.counts();
      if (counts.waiting + counts.active + counts.delayed === 0 && (await outcomes()) >= eventIds.size && (await owedLate()) === 0) break;
      if (Date.now() - waitingSince > 60_000)
        throw new Error(
          `the last worker is still at it after 60 s: ${await outcomes()} of ${eventIds.size} outcomes, ${await owedLate()} owed late, queue ${JSON.stringify(counts)}, failed ${JSON.stringify(await queue.failed())}; stderr:\n${survivor.stderr()}`,
        );
    }
    const lastRunMs = Date.now() - lastRunFrom;
    survivor.child.kill('SIGTERM');
    expect(await survivor.exited).toEqual({ code: 0, signal: null });

    // One outcome per event: sent, or unconfirmed (handed over by a killed worker), under the event's Message-ID (a holder who had no address aside).
    const recorded = (
      await sql<{ event_id: string; outcome: string; message_id: string; sent_late_at: Date | null }>`
        SELECT event_id, outcome, message_id, sent_late_at FROM document_deliveries`.execute(home.db)
    ).rows;
    expect(recorded).toHaveLength(eventIds.size);
    const handed = (r: { outcome: string }) => r.outcome === 'sent' || r.outcome === 'unconfirmed';
    const withAddress = recorded.filter((r) => !eventsOfHoldersWithoutAddress.has(r.event_id));
    expect(withAddress.filter((r) => !handed(r) || r.message_id !== deliveryMessageId(PUBLIC_BASE_URL, r.event_id))).toEqual([]);
    // A holder who had none: each event sent (late, or on time once the address was there), or superseded by a later one of its document.
    const completed = recorded.filter((r) => eventsOfHoldersWithoutAddress.has(r.event_id));
    expect(completed.filter((r) => !(r.outcome === 'superseded' || (handed(r) && r.message_id === deliveryMessageId(PUBLIC_BASE_URL, r.event_id))))).toEqual(
      [],
    );
    const outcomeOf = new Map(recorded.map((r) => [r.event_id, r.outcome]));
    // Each document's latest event was sent (or handed over): its holder knows where it stands.
    expect([...byNumber].filter(([, ids]) => !['sent', 'unconfirmed'].includes(outcomeOf.get(ids[ids.length - 1])!)).map(([number]) => number)).toEqual([]);
    const sentLate = completed.filter((r) => r.sent_late_at !== null).length;
    if (eventsOfHoldersWithoutAddress.size > 0) expect(sentLate).toBeGreaterThan(0);

    // No message twice; every one sent at the server, an unconfirmed one at most once, nothing else.
    const copies = new Map<string, ReceivedMail[]>();
    for (const mail of smtp.received) copies.set(mail.messageId, [...(copies.get(mail.messageId) ?? []), mail]);
    expect([...copies].filter(([, mails]) => mails.length > 1).map(([id, mails]) => `${id}: ${mails.map((m) => m.client).join(', ')}`)).toEqual([]);
    const idOf = (r: { event_id: string }) => deliveryMessageId(PUBLIC_BASE_URL, r.event_id);
    const sentIds = recorded.filter((r) => r.outcome === 'sent').map(idOf);
    const unconfirmed = recorded.filter((r) => r.outcome === 'unconfirmed');
    expect(sentIds.filter((id) => !copies.has(id))).toEqual([]);
    const known = new Set([...sentIds, ...unconfirmed.map(idOf)]);
    expect([...copies.keys()].filter((id) => !known.has(id))).toEqual([]);
    // Each unconfirmed one was handed over by a worker that was killed: its copy, if any, came from a killed worker, before its kill.
    const killedAt = new Map(kills.map((k) => [k.client, k.killedAt]));
    const attempts = new Map(
      (
        await sql<{ message_id: string; interrupted: number; handed_over_at: Date | null; open: boolean }>`
          SELECT message_id, interrupted, handed_over_at, open FROM document_delivery_attempts`.execute(home.db)
      ).rows.map((r) => [r.message_id, r]),
    );
    expect(unconfirmed.map(idOf).filter((id) => !(attempts.get(id)?.handed_over_at && attempts.get(id)!.interrupted > 0))).toEqual([]);
    const arrivedUnconfirmed = unconfirmed.map(idOf).filter((id) => copies.has(id));
    expect(
      arrivedUnconfirmed.filter((id) => {
        const [mail] = copies.get(id)!;
        const kill = killedAt.get(mail.client);
        return kill === undefined || mail.acceptedAt > kill + 1000;
      }),
    ).toEqual([]);
    // At most what the killed workers were running when they died.
    expect(unconfirmed.length).toBeLessThanOrEqual(kills.reduce((n, k) => n + k.interrupted, 0));
    expect([...attempts.values()].filter((a) => a.open)).toEqual([]);

    // A document's messages went in the order of its events.
    const acceptedAt = (eventId: string) => copies.get(deliveryMessageId(PUBLIC_BASE_URL, eventId))?.[0].acceptedAt;
    const outOfOrder = [...byNumber].filter(([, ids]) => {
      const arrived = ids.map(acceptedAt).filter((at): at is number => at !== undefined);
      return arrived.some((at, i) => i > 0 && at < arrived[i - 1]);
    });
    expect(outOfOrder.map(([number]) => number)).toEqual([]);

    // Nothing failed or left behind; the reconciler finds nothing to do.
    expect(await queue.failed()).toEqual([]);
    expect(await queue.counts()).toMatchObject({ waiting: 0, active: 0, delayed: 0, failed: 0 });
    expect(await reconcileDelivery(home.db, async () => undefined)).toBe(0);

    const midWork = kills.filter((k) => k.interrupted > 0);
    process.stdout.write(
      `delivery crash test: seed ${seed}, ${ROUNDS} rounds, ${eventIds.size} document events (${byNumber.size} documents; ${eventsOfHoldersWithoutAddress.size} of holders with no address at first, ${sentLate} sent late), worker ${JSON.stringify(WORKER_SETTINGS)}, SMTP ${SMTP_DELAY_MS} ms\n` +
        kills
          .map((k) => `  round ${k.round}: killed after ${k.delayMs} ms, ${k.sent} message(s) accepted during the run, ${k.interrupted} job(s) interrupted`)
          .join('\n') +
        `\n${reconciled} job(s) re-enqueued from the outbox after the queue was lost; ${unconfirmed.length} e-mail(s) unconfirmed (handed over by a killed worker), ` +
        `${arrivedUnconfirmed.length} of them at the server, none sent twice; ` +
        `${smtp.received.length} messages in all; the last run ${(lastRunMs / 1000).toFixed(1)} s; ${Math.round((Date.now() - started) / 1000)} s\n`,
    );
    // The kills landed while the workers were at work.
    expect(midWork.length).toBeGreaterThan(ROUNDS / 2);
  }, 300_000);
});
