import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { sql } from 'kysely';
import request from 'supertest';
import { enrollmentStreamId, Referential } from '@jalon/domain';
import { Storage } from '@jalon/event-store';
import { DELIVERY_QUEUE, DeliveryQueue, DocumentDelivery, reconcileDelivery } from '@jalon/issuance';
import { startSmtpTestServer, SmtpTestServer } from '@jalon/issuance/delivery/testing/smtp-test-server';
import { STORAGE } from '@jalon/runtime';
import { Redis } from 'ioredis';
import { eventually } from './support/eventually';
import { actor, HttpActor } from './support/http-actors';
import { PathDriver } from './support/path-driver';
import { settle } from './support/settle';
import { registerCandidateWithoutAddress } from './support/candidate-without-address';
import { startTestApp, TestApp } from './support/test-app';

const PUBLIC_BASE_URL = 'https://certificats.jalon.test';
// Planted in every sealed field the e-mail must not carry.
const MARKER = `zq${randomBytes(6).toString('hex')}`;

/**
 * Part 3 of issue 20: each document event (issued, revoked, reissued) e-mailed once to its holder,
 * in French, with links that work, through a real SMTP server (smtp-server, messages parsed with
 * mailparser) and the service's own queue, worker and outbox; nothing sealed beyond their name; an
 * erased holder gets nothing; a holder without an address is listed for the admin, and e-mailed
 * their documents once it is completed; a mail server down delays the e-mail, neither loses nor
 * doubles it; an address it refuses fails at once, and is sent to once corrected.
 */
describe('documents e-mailed to their holders (PostgreSQL, Redis, a real SMTP server)', () => {
  let smtp: SmtpTestServer;
  let testApp: TestApp;
  let consoleDir: string;
  let admin: HttpActor;
  let jury: HttpActor;
  let referent: HttpActor;
  let dpo: HttpActor;
  let driver: PathDriver;
  let registered = 0;
  const until = <T>(check: () => Promise<T>) => eventually(check, 30_000);
  /**
   * Until every document event the outbox lists has its delivery recorded (the reconciler, asked to
   * enqueue nothing, finds none): a job still running records its outcome a moment after its mail.
   */
  const nothingLeftToDeliver = () => until(async () => expect(await reconcileDelivery(db(), async () => undefined)).toBe(0));
  const db = () => testApp.app.get<Storage>(STORAGE).sql.db;

  beforeAll(async () => {
    // The mail server knows no « inconnu… » mailbox: it refuses them (550).
    smtp = await startSmtpTestServer({ refuse: (address) => address.startsWith('inconnu') });
    // The console's page, as `npm start` builds it: the download link leads there.
    consoleDir = mkdtempSync(join(tmpdir(), 'jalon-delivery-console-'));
    writeFileSync(join(consoleDir, 'index.html'), '<!DOCTYPE html><html lang="fr"><title>Jalon</title><div id="root"></div></html>');
    testApp = await startTestApp({
      PUBLIC_BASE_URL,
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Jalon <no-reply@jalon.test>',
      CONSOLE_DIR: consoleDir,
      // The certifier of the shipped référentiel sends its documents under its own name.
      ACCROCHAGE_CERTIFIERS: JSON.stringify([
        {
          id: 'ecole-data',
          organisationId: 'org-1',
          senderClientId: 'ABCD1234',
          certifierClientId: 'EFGH5678',
          contractId: 'C-1',
          certifications: [{ referentialId: 'data-ia-quatre-blocs', type: 'RNCP', code: 'RNCP35288' }],
          mailFrom: 'École Data <certificats@ecole-data.test>',
        },
      ]),
    });
    admin = actor(testApp.app, 'admin');
    jury = actor(testApp.app, 'jury');
    referent = actor(testApp.app, 'referent');
    dpo = actor(testApp.app, 'dpo');
    const referential: Referential = (await admin.get('/referentials/data-ia-quatre-blocs/versions/1').expect(200)).body;
    driver = new PathDriver(referential, { admin, jury, assessor: actor(testApp.app, 'assessor'), referent });
  }, 60_000);
  afterAll(async () => {
    await testApp?.close();
    await smtp?.stop();
    if (consoleDir) rmSync(consoleDir, { recursive: true, force: true });
  });

  /** A candidate registered through the api, with their own address. */
  async function candidate(): Promise<{ candidateId: string; email: string }> {
    registered += 1;
    const email = `lea.${registered}.${MARKER}@example.org`;
    const { body } = await admin
      .post('/candidates', {
        birthName: `Martin-${registered}`,
        firstNames: ['Léa', 'Marie'],
        birthDate: '2001-03-14',
        sex: 'F',
        birthPlace: `Lyon${MARKER}`,
        email,
      })
      .expect(201);
    return { candidateId: body.id, email };
  }

  const candidateWithoutAddress = (birthName: string) => registerCandidateWithoutAddress(testApp.app, 'org-1', birthName);

  interface DeliveryView {
    enabled: boolean;
    outcomes: Record<string, number>;
    failed: {
      data: { eventId: string };
      reason: string;
      error: string;
      detail: string;
      candidateId?: string;
      number?: string;
      kind?: string;
      eventType?: string;
    }[];
    undelivered: { eventId: string; candidateId: string; kind: string }[];
    unconfirmed: { eventId: string; candidateId: string; enrollmentId: string; number: string; kind: string; eventType: string; handedOverAt: string }[];
  }
  const deliveryView = async () => (await admin.get('/admin/delivery').expect(200)).body as DeliveryView;

  /** The document events recorded on an enrollment, oldest first. */
  const documentEvents = async (enrollmentId: string) =>
    (await testApp.app.get<Storage>(STORAGE).store.readStream(enrollmentStreamId(enrollmentId))).filter((e) => e.type.startsWith('Document'));

  const outcomeOf = async (eventId: string) =>
    (await sql<{ outcome: string }>`SELECT outcome FROM document_deliveries WHERE event_id = ${eventId}`.execute(db())).rows[0]?.outcome;

  it('an attestation issued: one e-mail in French from the certifier, with links that work, and nothing sealed but the holder’s name', async () => {
    const { candidateId, email } = await candidate();
    const id = await driver.enroll({ candidateId });
    // An accommodation with its details: sealed, never to be e-mailed.
    await referent
      .post(
        `/enrollments/${id}/accommodations`,
        { kind: 'tiers-temps', validFrom: '2026-01-01', details: `Details${MARKER}` },
        { 'Idempotency-Key': randomUUID() },
      )
      .expect(201);
    await driver.passBloc(id, 'BC01');
    const [mail] = await until(async () => {
      const mails = smtp.to(email);
      expect(mails).toHaveLength(1);
      return mails;
    });
    const [issued] = await documentEvents(id);
    expect(issued.type).toBe('DocumentIssued');
    const number = (issued.data as { document: { number: string } }).document.number;

    expect(mail).toMatchObject({
      messageId: `<${issued.id}.document@certificats.jalon.test>`,
      from: '"École Data" <certificats@ecole-data.test>',
      to: [email],
      subject: `Votre document : Attestation de réussite n° ${number}`,
    });
    expect(mail.text).toContain(`Bonjour Léa Marie MARTIN-${registered},`);
    expect(mail.text).toContain('Le document suivant vous a été délivré le');
    expect(mail.text).toContain('Bloc de compétences BC01');
    expect(mail.text).toContain('Le télécharger (après connexion à votre espace) :');
    expect(mail.html).toContain('<html lang="fr">');
    // Nothing sealed beyond the name: no accommodation, no birth date or place, not even the address in the body.
    for (const part of [mail.text, mail.html, mail.subject]) {
      expect(part).not.toContain(MARKER);
      expect(part).not.toMatch(/tiers-temps|aménagement|2001|14 mars/i);
    }

    // The links work: the public verification page, and the console's page of the path, where the holder downloads it.
    const links = mail.text.match(/https:\/\/\S+/g)!;
    expect(links).toEqual([`${PUBLIC_BASE_URL}/parcours/${id}`, `${PUBLIC_BASE_URL}/verify/${number}`]);
    const server = testApp.app.getHttpServer();
    const page = await request(server).get(new URL(links[1]).pathname).expect(200);
    expect(page.text).toContain('Document authentique et valide');
    const consolePage = await request(server).get(new URL(links[0]).pathname).set('Accept', 'text/html').expect(200);
    expect(consolePage.text).toContain('<div id="root">');
    // What that page downloads for the signed-in holder.
    const pdf = await actor(testApp.app, 'candidate', candidateId).get(`/enrollments/${id}/documents/${number}/pdf`).expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');

    // The address was opened for it, and that read is recorded (R14).
    const reads = (await dpo.get(`/candidates/${candidateId}/personal-data-reads`).expect(200)).body as { view: string; subjects: string[] }[];
    expect(reads.filter((r) => r.view === 'identity:delivery')).toEqual([
      expect.objectContaining({ view: 'identity:delivery', subjects: ['firstNames', 'birthName', 'email'] }),
    ]);

    // Asked again — the reconciler, a replay, the job itself run again — nothing more is sent.
    await settle(testApp.app);
    expect(await outcomeOf(issued.id)).toBe('sent');
    await nothingLeftToDeliver();
    expect(await reconcileDelivery(db(), (jobs) => testApp.app.get(DeliveryQueue).enqueueAll(jobs))).toBe(0);
    expect(await testApp.app.get(DocumentDelivery).deliver({ eventId: issued.id, enrollmentId: id })).toBe('already-delivered');
    await testApp.app.get(DeliveryQueue).enqueueAll([{ eventId: issued.id, enrollmentId: id }]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(smtp.to(email)).toHaveLength(1);
  }, 60_000);

  it('a revocation: its own e-mail, after the issue’s, saying why; one per document event', async () => {
    const { candidateId, email } = await candidate();
    const id = await driver.enroll({ candidateId });
    await driver.passBloc(id, 'BC02');
    await until(async () => expect(smtp.to(email)).toHaveLength(1));
    await jury.post(`/enrollments/${id}/blocs/BC02/annulment`, { reason: 'fraud', details: `Fraude${MARKER}` }).expect(200);
    const mails = await until(async () => {
      const received = smtp.to(email);
      expect(received).toHaveLength(2);
      return received;
    });
    const [issued, revoked] = await documentEvents(id);
    expect(revoked.type).toBe('DocumentRevoked');
    expect(mails.map((m) => m.messageId)).toEqual([`<${issued.id}.document@certificats.jalon.test>`, `<${revoked.id}.document@certificats.jalon.test>`]);
    expect(mails[1].subject).toMatch(/^Révocation de votre document : Attestation de réussite n° JAL-A-/);
    expect(mails[1].text).toContain('(motif : annulation du bloc de compétences par le jury)');
    expect(mails[1].text).toContain('Ce document ne fait plus foi');
    // The annulment's details are the jury's, not the e-mail's.
    expect(mails[1].text).not.toContain(MARKER);
    const verification = new URL(mails[1].text.match(/https:\/\/\S+\/verify\/\S+/)![0]).pathname;
    expect((await request(testApp.app.getHttpServer()).get(verification).expect(200)).text).toMatch(/révoqu/i);
  }, 60_000);

  it('an erased holder gets nothing: the revocation of their document is not e-mailed', async () => {
    const { candidateId, email } = await candidate();
    const id = await driver.enroll({ candidateId });
    await driver.passBloc(id, 'BC01');
    await until(async () => expect(smtp.to(email)).toHaveLength(1));
    await dpo.post(`/candidates/${candidateId}/erasure`).expect(200);
    await jury.post(`/enrollments/${id}/blocs/BC01/annulment`, { reason: 'fraud', details: 'x' }).expect(200);
    const revoked = await until(async () => {
      const events = await documentEvents(id);
      expect(events.map((e) => e.type)).toEqual(['DocumentIssued', 'DocumentRevoked']);
      return events[1];
    });
    await until(async () => expect(await outcomeOf(revoked.id)).toBe('holder-erased'));
    expect(smtp.to(email)).toHaveLength(1);
  }, 60_000);

  it('a holder without an e-mail address gets nothing, and is listed for their admin (and auditors), not for another organisation’s', async () => {
    const candidateId = await candidateWithoutAddress('Sansadresse');
    const sent = smtp.received.length;
    const id = await driver.enroll({ candidateId });
    await driver.passBloc(id, 'BC01');
    const [issued] = await until(async () => {
      const events = await documentEvents(id);
      expect(events).toHaveLength(1);
      return events;
    });
    const listed = await until(async () => {
      const view = (await admin.get('/admin/delivery').expect(200)).body as { enabled: boolean; undelivered: { eventId: string }[] };
      expect(view.undelivered.map((u) => u.eventId)).toContain(issued.id);
      return view;
    });
    expect(listed.enabled).toBe(true);
    expect(listed.undelivered.find((u) => u.eventId === issued.id)).toMatchObject({
      eventType: 'DocumentIssued',
      enrollmentId: id,
      candidateId,
      number: (issued.data as { document: { number: string } }).document.number,
      reason: 'no-email',
    });
    expect(
      ((await actor(testApp.app, 'auditor').get('/admin/delivery').expect(200)).body.undelivered as { eventId: string }[]).map((u) => u.eventId),
    ).toContain(issued.id);
    const otherAdmin = actor(testApp.app, 'admin', 'admin-2', 'org-2');
    expect(((await otherAdmin.get('/admin/delivery').expect(200)).body.undelivered as { eventId: string }[]).map((u) => u.eventId)).not.toContain(issued.id);
    expect(smtp.received.length).toBe(sent);
  }, 60_000);

  it('a holder whose address is completed later is e-mailed the current state of each document, once, and leaves the list', async () => {
    const candidateId = await candidateWithoutAddress('Tardif');
    const id = await driver.enroll({ candidateId });
    await driver.passBloc(id, 'BC01');
    await driver.passBloc(id, 'BC02');
    // Annulled once its attestation is issued (annulled before, it would never be).
    await until(async () => expect(await documentEvents(id)).toHaveLength(2));
    await jury.post(`/enrollments/${id}/blocs/BC02/annulment`, { reason: 'fraud', details: 'x' }).expect(200);
    const events = await until(async () => {
      const recorded = await documentEvents(id);
      expect(recorded.map((e) => e.type)).toEqual(['DocumentIssued', 'DocumentIssued', 'DocumentRevoked']);
      return recorded;
    });
    const [bc01, bc02, bc02Revoked] = events;
    // Listed: each document once, by its latest event; the second one's issue is superseded by its revocation.
    await until(async () =>
      expect((await deliveryView()).undelivered.filter((u) => u.candidateId === candidateId).map((u) => u.eventId)).toEqual([bc01.id, bc02Revoked.id]),
    );
    expect(await outcomeOf(bc02.id)).toBe('superseded');
    const sent = smtp.received.length;

    // The admin completes the address, as the console's identity page does.
    const email = `noe.tardif.${MARKER}@example.org`;
    await admin.post(`/candidates/${candidateId}/identity-amendments`, { email }).expect(200);
    const mails = await until(async () => {
      const received = smtp.to(email);
      expect(received).toHaveLength(2);
      return received;
    });
    expect(mails.map((m) => m.messageId).sort()).toEqual([bc01.id, bc02Revoked.id].map((eventId) => `<${eventId}.document@certificats.jalon.test>`).sort());
    const issue = mails.find((m) => m.messageId.startsWith(`<${bc01.id}`))!;
    expect(issue.subject).toMatch(/^Votre document : Attestation de réussite n° JAL-A-/);
    expect(issue.text).toContain('ce message vous parvient maintenant qu’elle est enregistrée');
    expect(mails.find((m) => m.messageId.startsWith(`<${bc02Revoked.id}`))!.subject).toMatch(/^Révocation de votre document/);
    const view = await until(async () => {
      const answered = await deliveryView();
      expect(answered.undelivered.filter((u) => u.candidateId === candidateId)).toEqual([]);
      return answered;
    });
    expect(view.outcomes.sentLate).toBeGreaterThanOrEqual(2);
    expect(await outcomeOf(bc01.id)).toBe('sent');
    expect(await outcomeOf(bc02.id)).toBe('superseded');

    // Corrected again: nothing more. A document issued afterwards goes on time, to the address recorded.
    await admin.post(`/candidates/${candidateId}/identity-amendments`, { email: `noe.t.${MARKER}@example.org` }).expect(200);
    await driver.passBloc(id, 'BC03');
    await until(async () => expect(smtp.to(`noe.t.${MARKER}@example.org`)).toHaveLength(1));
    await settle(testApp.app);
    await nothingLeftToDeliver();
    expect(await reconcileDelivery(db(), (jobs) => testApp.app.get(DeliveryQueue).enqueueAll(jobs))).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(smtp.to(email)).toHaveLength(2);
    expect(smtp.received.length).toBe(sent + 3);
  }, 60_000);

  it('an address the mail server refuses: failed at once, listed with why; once corrected, e-mailed', async () => {
    const { candidateId } = await candidate();
    await admin.post(`/candidates/${candidateId}/identity-amendments`, { email: `inconnu.${MARKER}@example.org` }).expect(200);
    const id = await driver.enroll({ candidateId });
    await driver.passBloc(id, 'BC01');
    const [issued] = await until(async () => {
      const events = await documentEvents(id);
      expect(events).toHaveLength(1);
      return events;
    });
    // Not retried with backoff for minutes: failed at the first refusal, for the admin to see.
    const failed = await until(async () => {
      const found = (await deliveryView()).failed.find((f) => f.data.eventId === issued.id);
      expect(found).toBeDefined();
      return found!;
    });
    expect(failed).toMatchObject({
      reason: 'refused',
      candidateId,
      number: (issued.data as { document: { number: string } }).document.number,
      kind: 'attestation',
      eventType: 'DocumentIssued',
    });
    expect(failed.detail).toMatch(/^550 5\.1\.1 <…@…>: Recipient address rejected/);
    expect(failed.error).toMatch(/^refused by the mail server: 550 /);
    // The server quotes the address it refused: it is not kept with the job (Redis), nor shown.
    expect(failed.error).not.toContain('inconnu');
    expect(failed.error).toContain('<…@…>');
    expect(
      (await sql<{ last_error: string }>`SELECT last_error FROM document_delivery_attempts WHERE event_id = ${issued.id}`.execute(db())).rows[0].last_error,
    ).not.toContain('inconnu');
    expect(await outcomeOf(issued.id)).toBeUndefined();

    const email = `lea.corrigee.${MARKER}@example.org`;
    await admin.post(`/candidates/${candidateId}/identity-amendments`, { email }).expect(200);
    const [mail] = await until(async () => {
      const received = smtp.to(email);
      expect(received).toHaveLength(1);
      return received;
    });
    expect(mail.messageId).toBe(`<${issued.id}.document@certificats.jalon.test>`);
    await until(async () => expect((await deliveryView()).failed.map((f) => f.data.eventId)).not.toContain(issued.id));
    expect(await outcomeOf(issued.id)).toBe('sent');
  }, 60_000);

  it('an e-mail handed over by a worker that died before the server’s answer is not sent again unasked: listed unconfirmed, sent again once an admin asks', async () => {
    const { candidateId, email } = await candidate();
    const id = await driver.enroll({ candidateId });
    await driver.passBloc(id, 'BC02');
    const [issued] = await until(async () => {
      const events = await documentEvents(id);
      expect(events).toHaveLength(1);
      return events;
    });
    const messageId = `<${issued.id}.document@certificats.jalon.test>`;
    await until(async () => expect(await outcomeOf(issued.id)).toBe('sent'));
    expect(smtp.to(email).map((m) => m.messageId)).toEqual([messageId]);
    const sentEventId = issued.id;

    // What a worker killed after handing the message over leaves: its attempt open and handed over, no outcome; its job is run again.
    await sql`DELETE FROM document_deliveries WHERE event_id = ${issued.id}`.execute(db());
    await sql`UPDATE document_delivery_attempts SET open = true, handed_over_at = clock_timestamp() WHERE event_id = ${issued.id}`.execute(db());
    await testApp.app.get(DeliveryQueue).enqueueAgain({ eventId: issued.id, enrollmentId: id });
    await until(async () => expect(await outcomeOf(issued.id)).toBe('unconfirmed'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(smtp.to(email)).toHaveLength(1);
    const view = await deliveryView();
    expect(view.outcomes.unconfirmed).toBeGreaterThanOrEqual(1);
    const number = (issued.data as { document: { number: string } }).document.number;
    expect(view.unconfirmed.find((u) => u.eventId === issued.id)).toEqual({
      eventId: issued.id,
      eventType: 'DocumentIssued',
      enrollmentId: id,
      candidateId,
      number,
      kind: 'attestation',
      handedOverAt: expect.any(String),
    });
    // Another organisation's admin neither sees it nor may send it; an auditor sees it, and may not send it.
    const elsewhere = actor(testApp.app, 'admin', 'admin-2', 'org-2');
    expect(((await elsewhere.get('/admin/delivery').expect(200)).body as DeliveryView).unconfirmed.map((u) => u.eventId)).not.toContain(issued.id);
    expect((await elsewhere.post(`/admin/delivery/unconfirmed/${issued.id}/resend`, {}).expect(404)).body.code).toBe('DELIVERY.NOT_FOUND');
    const auditor = actor(testApp.app, 'auditor');
    expect(((await auditor.get('/admin/delivery').expect(200)).body as DeliveryView).unconfirmed.map((u) => u.eventId)).toContain(issued.id);
    await auditor.post(`/admin/delivery/unconfirmed/${issued.id}/resend`, {}).expect(403);

    // The admin, having checked with the holder, asks: it goes again, once, under the same Message-ID.
    expect((await admin.post(`/admin/delivery/unconfirmed/${issued.id}/resend`, {}).expect(200)).body).toEqual({ eventId: issued.id, enrollmentId: id });
    await until(async () => expect(await outcomeOf(issued.id)).toBe('sent'));
    expect(smtp.to(email).map((m) => m.messageId)).toEqual([messageId, messageId]);
    expect((await deliveryView()).unconfirmed.map((u) => u.eventId)).not.toContain(issued.id);
    const { rows } = await sql<{
      resend_asked_by: string;
      open: boolean;
    }>`SELECT resend_asked_by, open FROM document_delivery_attempts WHERE event_id = ${issued.id}`.execute(db());
    expect(rows).toEqual([{ resend_asked_by: admin.id, open: false }]);
    // Sent, it is not sent again on asking.
    const refused = (await admin.post(`/admin/delivery/unconfirmed/${sentEventId}/resend`, {}).expect(409)).body;
    expect(refused).toMatchObject({ code: 'DELIVERY.NOT_UNCONFIRMED' });
    await admin.post(`/admin/delivery/unconfirmed/not-a-uuid/resend`, {}).expect(400);
  }, 60_000);

  it('the mail server down delays the e-mail, retried with backoff: it arrives once the server is back, once', async () => {
    const { candidateId, email } = await candidate();
    const id = await driver.enroll({ candidateId });
    await smtp.stop();
    try {
      await driver.passBloc(id, 'BC03');
      const [issued] = await until(async () => {
        const events = await documentEvents(id);
        expect(events).toHaveLength(1);
        return events;
      });
      // Refused at least once while the server was down: the job waits for its next attempt.
      const redis = new Redis(testApp.config.redisUrl);
      const inspector = new Queue(DELIVERY_QUEUE, { connection: redis, prefix: testApp.config.redisPrefix });
      try {
        await until(async () => expect((await inspector.getJob(`deliver-${issued.id}`))?.attemptsMade).toBeGreaterThanOrEqual(1));
        expect(await outcomeOf(issued.id)).toBeUndefined();
      } finally {
        await inspector.close();
        redis.disconnect();
      }
    } finally {
      await smtp.start();
    }
    await until(async () => expect(smtp.to(email)).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(smtp.to(email)).toHaveLength(1);
  }, 60_000);
});
