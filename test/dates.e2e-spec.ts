import request from 'supertest';
import { enrollmentStreamId, Referential } from '@jalon/domain';
import { EventStore } from '@jalon/event-store';
import { EVENT_STORE } from '@jalon/runtime';
import { actor, HttpActor } from './support/http-actors';
import { PathDriver } from './support/path-driver';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Dates at the HTTP boundary (apps/api/src/shared/date-fields.ts): a calendar date is YYYY-MM-DD
 * and a day that exists; an instant carries its time zone and exists. A day that does not exist
 * (2026-02-30) or a date-time without its zone answers 400 naming the field, and nothing is
 * recorded; what the API's own docs and tests send is still taken.
 */
describe('dates over HTTP: impossible or zone-less ones answer 400 naming the field and change nothing', () => {
  let testApp: TestApp;
  let store: EventStore;
  let admin: HttpActor;
  let referent: HttpActor;
  let auditor: HttpActor;
  let driver: PathDriver;
  let enrollmentId: string;
  let sittingId: string;

  beforeAll(async () => {
    testApp = await startTestApp();
    store = testApp.app.get<EventStore>(EVENT_STORE);
    admin = actor(testApp.app, 'admin');
    referent = actor(testApp.app, 'referent');
    auditor = actor(testApp.app, 'auditor', 'auditor-1', 'cnc');
    const referential: Referential = (await admin.get('/referentials/data-engineer-data-scientist/versions/1').expect(200)).body;
    driver = new PathDriver(referential, { admin, referent, jury: actor(testApp.app, 'jury'), assessor: actor(testApp.app, 'assessor') });
    enrollmentId = await driver.enroll();
    sittingId = (
      await admin
        .post(`/enrollments/${enrollmentId}/sittings`, { epreuveCode: 'E1', scheduledAt: '2026-06-15T09:00:00Z', assessorIds: ['assessor-1'] })
        .expect(201)
    ).body.id;
  }, 60_000);
  afterAll(() => testApp?.close());

  /** A 400 problem whose errors name `field` (and only it) with a reason that says why. */
  function expectFieldRefused(response: request.Response, field: string, reason: RegExp): void {
    expect([response.status, response.headers['content-type']]).toEqual([400, expect.stringMatching(/^application\/problem\+json/)]);
    expect(response.body.code).toBe('REQUEST.INVALID');
    expect(response.body.errors).toEqual([{ field, reasons: [expect.stringMatching(reason)] }]);
  }

  /** Each body is refused naming `field`, and the enrollment's stream is as it was. */
  async function expectRefusedLeavingPathAsItWas(
    post: (body: Record<string, unknown>) => request.Test,
    field: string,
    bodies: { body: Record<string, unknown>; reason: RegExp }[],
  ) {
    const before = await store.readStream(enrollmentStreamId(enrollmentId));
    for (const { body, reason } of bodies) expectFieldRefused(await post(body), field, reason);
    expect(await store.readStream(enrollmentStreamId(enrollmentId))).toEqual(before);
  }

  const NOT_A_DAY = /^\w+ must be a day that exists in the calendar/;
  const NOT_A_CALENDAR_DATE = /^\w+ must be a calendar date YYYY-MM-DD/;
  const NOT_A_TIME = /^\w+ must be a date and time that exist: an instant with its time zone/;
  const NOT_AN_INSTANT = /^\w+ must be an instant with its time zone, e\.g\. 2026-06-15T09:00:00\+02:00/;
  const NOT_A_FILTER_DAY = /^\w+ must be a date \(and time\) that exist/;
  const NOT_A_FILTER = /^\w+ must be a calendar date YYYY-MM-DD, e\.g\. [\d-]+, or an instant with its time zone/;

  it('an accommodation’s validity is two calendar dates that exist', async () => {
    const grant = (body: Record<string, unknown>) =>
      referent.post(`/enrollments/${enrollmentId}/accommodations`, { kind: 'tiers-temps', validFrom: '2026-01-01', ...body });
    await expectRefusedLeavingPathAsItWas(grant, 'validFrom', [
      { body: { validFrom: '2026-02-30' }, reason: NOT_A_DAY },
      { body: { validFrom: '2026-02-31T00:00:00' }, reason: NOT_A_CALENDAR_DATE },
      { body: { validFrom: '2026-01-01T00:00:00Z' }, reason: NOT_A_CALENDAR_DATE },
    ]);
    await expectRefusedLeavingPathAsItWas(grant, 'validUntil', [
      { body: { validUntil: '2026-02-30' }, reason: NOT_A_DAY },
      { body: { validUntil: '2026-02-31T00:00:00' }, reason: NOT_A_CALENDAR_DATE },
    ]);
    const accommodationId = (await grant({ validFrom: '2026-01-01', validUntil: '2027-06-30' }).expect(201)).body.id;

    const amend = (body: Record<string, unknown>) =>
      referent.post(`/enrollments/${enrollmentId}/accommodations/${accommodationId}/amendment`, {
        kind: 'tiers-temps',
        validFrom: '2026-01-01',
        reason: 'prolongation',
        ...body,
      });
    await expectRefusedLeavingPathAsItWas(amend, 'validUntil', [{ body: { validUntil: '2028-02-30' }, reason: NOT_A_DAY }]);
    await amend({ validUntil: '2028-02-29' }).expect(200);
  });

  it('a sitting is scheduled at an instant with its zone that exists', async () => {
    const schedule = (body: Record<string, unknown>) =>
      admin.post(`/enrollments/${enrollmentId}/sittings`, { epreuveCode: 'E2', assessorIds: ['assessor-1'], ...body });
    // One sitting of an épreuve is open at a time: each good value goes to an épreuve of its own.
    await expectRefusedLeavingPathAsItWas(schedule, 'scheduledAt', [
      { body: { scheduledAt: '2026-02-30T09:00:00Z' }, reason: NOT_A_TIME },
      { body: { scheduledAt: '2026-06-15T09:00:00' }, reason: NOT_AN_INSTANT },
      { body: { scheduledAt: '2026-06-15' }, reason: NOT_AN_INSTANT },
    ]);
    await schedule({ scheduledAt: '2026-06-15T09:00:00+02:00' }).expect(201);
    await schedule({ epreuveCode: 'E3', scheduledAt: '2026-06-16T09:00:00.000Z' }).expect(201);
  });

  it('a sitting is held at an instant with its zone that exists', async () => {
    const held = (body: Record<string, unknown>) =>
      admin.post(`/enrollments/${enrollmentId}/sittings/${sittingId}/held`, { timedParts: [], accommodationsApplied: [], ...body });
    await expectRefusedLeavingPathAsItWas(held, 'heldAt', [
      { body: { heldAt: '2026-02-31T10:00:00Z' }, reason: NOT_A_TIME },
      { body: { heldAt: '2026-06-15T09:00:00' }, reason: NOT_AN_INSTANT },
    ]);
    await held({ heldAt: '2026-06-15T11:00:00+02:00' }).expect(200);
  });

  it('a candidate’s birth date is a calendar date that exists; nothing is recorded for a refused one', async () => {
    const register = (birthDate: string) =>
      admin.post('/candidates', { birthName: 'Martin', firstNames: ['Léa'], birthDate, sex: 'F', birthPlace: 'Lyon (69)', email: 'lea.dates@example.org' });
    const head = await store.headPosition();
    expectFieldRefused(await register('2001-01-01T10:00:00Z'), 'birthDate', NOT_A_CALENDAR_DATE);
    expectFieldRefused(await register('2001-02-30'), 'birthDate', NOT_A_DAY);
    expect(await store.headPosition()).toEqual(head);
    await register('2000-02-29').expect(201);
  });

  it('the list filter noProgressSince takes a date or an instant that exist, and refuses the others with 400', async () => {
    expectFieldRefused(await admin.get('/enrollments?noProgressSince=2026-02-30'), 'noProgressSince', NOT_A_FILTER_DAY);
    expectFieldRefused(await admin.get('/enrollments?noProgressSince=2026-09-01T00:00:00'), 'noProgressSince', NOT_A_FILTER);
    for (const since of ['2999-01-01', '2999-01-01T00:00:00Z', encodeURIComponent('2999-01-01T00:00:00+02:00')]) {
      expect((await admin.get(`/enrollments?noProgressSince=${since}`).expect(200)).body.items.map((i: { enrollmentId: string }) => i.enrollmentId)).toContain(
        enrollmentId,
      );
    }
  });

  it('as-of takes a date or an instant that exist; an impossible or zone-less one answers 400, not 404 or 200', async () => {
    const asOf = (at: string) => auditor.get(`/enrollments/${enrollmentId}/as-of?at=${encodeURIComponent(at)}`);
    expectFieldRefused(await asOf('2026-02-30'), 'at', NOT_A_FILTER_DAY);
    expectFieldRefused(await asOf('2027-02-30T00:00:00Z'), 'at', NOT_A_FILTER_DAY);
    expectFieldRefused(await asOf('2026-12-01T00:00:00'), 'at', NOT_A_FILTER);
    const tomorrow = new Date(Date.now() + 86_400_000);
    await asOf(tomorrow.toISOString()).expect(200);
    await asOf(tomorrow.toISOString().slice(0, 10)).expect(200);
    await asOf(tomorrow.toISOString().replace('Z', '+00:00')).expect(200);
    await asOf('2000-01-01T00:00:00+02:00').expect(404);
  });

  it('statistics of a référentiel version never published answer 404, as the référentiel itself does', async () => {
    for (const [referentialId, version] of [
      ['nope', '1'],
      ['data-engineer-data-scientist', '99'],
    ]) {
      const response = await admin.get(`/cohorts/statistics?referentialId=${referentialId}&version=${version}`);
      expect([response.status, response.body.code]).toEqual([404, 'REFERENTIAL.NOT_FOUND']);
      expect([(await admin.get(`/referentials/${referentialId}/versions/${version}`)).body.code]).toEqual([response.body.code]);
    }
    await admin.get('/cohorts/statistics?referentialId=data-engineer-data-scientist&version=1').expect(200);
  });
});
