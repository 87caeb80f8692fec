import { ChildWorker, killAllChildWorkers, spawnChildWorker, waitReady } from '@jalon/event-store/testing/child-worker';
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import { loadCatalogue } from '@jalon/catalogue';
import { Actor, candidateStreamId, decideCandidate, EnrollmentEvent, initialCandidateState } from '@jalon/domain';
import { comparePositions, GlobalPosition, migrateToLatest, NewEvent, openSqlDatabase, SqlDatabase, SqlDb, SqlEventStore, START } from '@jalon/event-store';
import { createTestDatabase, TestDatabase } from '@jalon/event-store/testing/postgres-test-database';
import { ProjectionRunner } from '@jalon/projections';
import { generatePath, prng, publishReferential, toNewEvents } from '../../../read-models/src/testing/generate-paths';
import { documentNumber } from '../document-number';
import { connect } from '../issuance-queue';
import { generateIssuerKey } from '../render';
import { REDIS_TEST_DATABASES, redisTestUrl } from '../testing/redis-test-databases';
import { DELIVERY_QUEUE, DeliveryQueue } from './delivery-queue';
import { createDeliveryProcess, DeliveryJob, reconcileDelivery } from './document-delivery.projection';
import { deliveryMessageId } from './document-delivery.service';
import { ReceivedMail, SmtpTestServer, startSmtpTestServer } from './testing/smtp-test-server';

/**
 * Document e-mails under fire, as issuance-crash.int-spec.ts does for documents: separate delivery
 * worker processes (testing/run-delivery-worker.process.ts) take the jobs the outbox projection
 * enqueues from the log, send through a real SMTP server run here, and are killed with SIGKILL at
 * random moments, round after round; then Redis loses the queue (obliterated), the reconciler
 * rebuilds it from the outbox, and a last worker is left to finish.
 *
 * In the end every document event has exactly one recorded outcome, `sent`, and its message (its
 * Message-ID derived from the event id) reached the server. A message reaches it twice only in the
 * window the design leaves open: its worker was killed after the server accepted it and before the
 * outcome was recorded — so the copies come from different workers, each but the last from a killed
 * one, and carry the same Message-ID, for receivers to fold into one. The test counts those and
 * fails on any other duplicate (a job run again after its outcome was recorded — a 40 ms pause there
 * makes kills land in that window — or two workers sending at once).
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

  it(`after ${ROUNDS} kills mid-send, Redis losing the queue and a last run, every document event has one outcome, sent, and its one message`, async () => {
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

    /** New enrollment histories, each decision with its document issued, some revoked or reissued, until `n` more document events are on the log. */
    const addEvents = async (n: number) => {
      const goal = eventIds.size + n;
      while (eventIds.size < goal) {
        const entry = entries[Math.floor(random() * entries.length)];
        const generated = generatePath(entry.referential, random, { organisationId: 'org-1' });
        const enrolled = generated.events[0] as Extract<EnrollmentEvent, { type: 'CandidateEnrolled' }>;
        const { candidateId, organisationId } = enrolled.data;
        const k = ++candidates;
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
                email: `candidate-${k}@example.org`,
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
        const pathEvents = toNewEvents(generated.events);
        const documents: NewEvent[] = [];
        const at = '2026-07-01T10:00:00.000Z';
        const push = (number: string, type: string, data: object) => {
          const id = randomUUID();
          documents.push({ id, type, data: { ...data, by: system, at }, metadata: { actor: system, occurredAt: at } });
          byNumber.set(number, [...(byNumber.get(number) ?? []), id]);
          eventIds.add(id);
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
      // The log is read up to the oldest running transaction of the server (decision 3), which other suites may hold back for a moment.
      for (let waited = 0; comparePositions(await store.headPosition(), target) < 0; waited += 10) {
        if (waited > 30_000) throw new Error("the store's head never reached the last append");
        await sleep(10);
      }
      await runner.catchUp();
      expect(await count(home.db, sql`SELECT count(*)::text AS n FROM delivery_outbox`)).toBe(eventIds.size);
    };
    const outcomes = () => count(home.db, sql`SELECT count(*)::text AS n FROM document_deliveries`);

    const kills: { round: number; client: string; delayMs: number; killedAt: number; sent: number; interrupted: number }[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      await addEvents(Math.max(0, BACKLOG - (eventIds.size - (await outcomes()))));
      const before = smtp.received.length;
      const client = `round-${round}.workers.test`;
      const spawnedAt = Date.now();
      const doomed: ChildWorker = spawnChildWorker(WORKER, { ...workerEnv, CLIENT_NAME: client });
      await waitReady(doomed);
      const delayMs = KILL_WINDOW_MS[0] + Math.floor(random() * (KILL_WINDOW_MS[1] - KILL_WINDOW_MS[0]));
      await sleep(delayMs);
      doomed.child.kill('SIGKILL');
      expect(await doomed.exited).toEqual({ code: null, signal: 'SIGKILL' });
      const killedAt = Date.now();
      const interrupted = (await inspector.getActive()).filter((job) => (job.processedOn ?? 0) >= spawnedAt).length;
      kills.push({ round, client, delayMs, killedAt, sent: smtp.received.length - before, interrupted });
    }

    // Redis loses its data: the queue goes, jobs of the killed workers included; the outbox brings back every event without an outcome.
    await queue.obliterate();
    const reconciled = await reconcileDelivery(home.db, (jobs) => queue.enqueueAll(jobs));
    expect(reconciled).toBe(eventIds.size - (await outcomes()));

    const survivor = spawnChildWorker(WORKER, { ...workerEnv, CLIENT_NAME: 'survivor.workers.test' });
    await waitReady(survivor);
    for (const waitingSince = Date.now(); ; await sleep(50)) {
      const counts = await queue.counts();
      if (counts.waiting + counts.active + counts.delayed === 0 && (await outcomes()) >= eventIds.size) break;
      if (Date.now() - waitingSince > 60_000)
        throw new Error(
          `the last worker is still at it after 60 s: ${await outcomes()} of ${eventIds.size} outcomes, queue ${JSON.stringify(counts)}, failed ${JSON.stringify(await queue.failed())}; stderr:\n${survivor.stderr()}`,
        );
    }
    survivor.child.kill('SIGTERM');
    expect(await survivor.exited).toEqual({ code: 0, signal: null });

    // One outcome per event, sent, under the event's Message-ID.
    const recorded = (
      await sql<{ event_id: string; outcome: string; message_id: string }>`SELECT event_id, outcome, message_id FROM document_deliveries`.execute(home.db)
    ).rows;
    expect(recorded).toHaveLength(eventIds.size);
    expect(recorded.filter((r) => r.outcome !== 'sent' || r.message_id !== deliveryMessageId(PUBLIC_BASE_URL, r.event_id))).toEqual([]);

    // Every event's message reached the server; a second copy only from the window between acceptance and the outcome.
    const copies = new Map<string, ReceivedMail[]>();
    for (const mail of smtp.received) copies.set(mail.messageId, [...(copies.get(mail.messageId) ?? []), mail]);
    const expectedIds = [...eventIds].map((id) => deliveryMessageId(PUBLIC_BASE_URL, id));
    expect(expectedIds.filter((id) => !copies.has(id))).toEqual([]);
    expect([...copies.keys()].filter((id) => !expectedIds.includes(id))).toEqual([]);
    const killedAt = new Map(kills.map((k) => [k.client, k.killedAt]));
    const twice = [...copies].filter(([, mails]) => mails.length > 1);
    const outsideTheWindow = twice.filter(([, mails]) =>
      mails.some((mail, i) => {
        if (i === mails.length - 1) return false;
        // An earlier copy: its worker was killed (after accepting it), and the next copy came from another worker, after the kill.
        const kill = killedAt.get(mail.client);
        return kill === undefined || mails[i + 1].client === mail.client || mails[i + 1].acceptedAt < kill;
      }),
    );
    expect(outsideTheWindow.map(([id, mails]) => `${id}: ${mails.map((m) => m.client).join(', ')}`)).toEqual([]);

    // A document's messages went in the order of its events (first copies).
    const firstAccepted = (eventId: string) => copies.get(deliveryMessageId(PUBLIC_BASE_URL, eventId))![0].acceptedAt;
    const outOfOrder = [...byNumber].filter(([, ids]) => ids.some((id, i) => i > 0 && firstAccepted(id) < firstAccepted(ids[i - 1])));
    expect(outOfOrder.map(([number]) => number)).toEqual([]);

    // Nothing failed or left behind; the reconciler finds nothing to do.
    expect(await queue.failed()).toEqual([]);
    expect(await queue.counts()).toMatchObject({ waiting: 0, active: 0, delayed: 0, failed: 0 });
    expect(await reconcileDelivery(home.db, async () => undefined)).toBe(0);

    const midWork = kills.filter((k) => k.interrupted > 0);
    process.stdout.write(
      `delivery crash test: seed ${seed}, ${ROUNDS} rounds, ${eventIds.size} document events (${byNumber.size} documents), worker ${JSON.stringify(WORKER_SETTINGS)}, SMTP ${SMTP_DELAY_MS} ms\n` +
        kills
          .map((k) => `  round ${k.round}: killed after ${k.delayMs} ms, ${k.sent} message(s) accepted during the run, ${k.interrupted} job(s) interrupted`)
          .join('\n') +
        `\n${reconciled} job(s) re-enqueued from the outbox after the queue was lost; ${twice.length} message(s) accepted twice, each across a kill between acceptance and outcome; ` +
        `${smtp.received.length} messages in all; ${Math.round((Date.now() - started) / 1000)} s\n`,
    );
    // The kills landed while the workers were at work.
    expect(midWork.length).toBeGreaterThan(ROUNDS / 2);
  }, 300_000);
});
