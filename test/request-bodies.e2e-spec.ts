import request from 'supertest';
import { candidateStreamId, enrollmentStreamId } from '@jalon/domain';
import { EventStore } from '@jalon/event-store';
import { EVENT_STORE } from '@jalon/runtime';
import { routesOf, samplePath } from './support/api-routes';
import { actor, HttpActor, registerCandidate } from './support/http-actors';
import { PathDriver } from './support/path-driver';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Every POST route declares its body, so the global ValidationPipe (whitelist,
 * forbidNonWhitelisted) answers 400 for a field it does not know, naming it, before the act runs.
 * The acts that take no fields at all (bloc and extra-requirement validation, erasure) are proven
 * one by one: the refused request leaves their stream as it was, and the same act without a body
 * is still taken.
 */
describe('request bodies: unknown fields answer 400 and change nothing', () => {
  let testApp: TestApp;
  let store: EventStore;
  let admin: HttpActor;
  let jury: HttpActor;
  let dpo: HttpActor;
  let seed000: PathDriver;
  let dataEngineer: PathDriver;

  beforeAll(async () => {
    testApp = await startTestApp();
    store = testApp.app.get<EventStore>(EVENT_STORE);
    admin = actor(testApp.app, 'admin');
    jury = actor(testApp.app, 'jury');
    dpo = actor(testApp.app, 'dpo');
    const actors = { admin, assessor: actor(testApp.app, 'assessor'), jury, referent: actor(testApp.app, 'referent') };
    const referential = async (id: string) => (await admin.get(`/referentials/${id}/versions/1`).expect(200)).body;
    seed000 = new PathDriver(await referential('expert-ingenierie-science-donnees'), actors);
    dataEngineer = new PathDriver(await referential('data-engineer-data-scientist'), actors);
  });
  afterAll(() => testApp?.close());

  /** The answer is a 400 problem naming exactly these unknown fields, each with its reason. */
  function expectUnknownFieldsRefused(response: request.Response, fields: string[]): void {
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.code).toBe('REQUEST.INVALID');
    expect(response.body.errors).toEqual(fields.map((field) => ({ field, reasons: [`property ${field} should not exist`] })));
  }

  it('every POST route names an unknown field in its 400, whatever else its body lacks', async () => {
    const server = testApp.app.getHttpServer();
    const posts = routesOf(testApp).filter((r) => r.method === 'POST' && !r.isPublic);
    expect(posts.length).toBeGreaterThan(15);
    const unnamed: string[] = [];
    for (const route of posts) {
      const role = route.roles![0];
      const response = await request(server)
        .post(samplePath(route))
        .set('authorization', `Bearer ${actor(testApp.app, role).token}`)
        .send({ decidedBy: 'x' });
      const named =
        response.status === 400 &&
        response.body.errors?.some(
          (e: { field: string; reasons: string[] }) => e.field === 'decidedBy' && e.reasons.includes('property decidedBy should not exist'),
        );
      if (!named) unnamed.push(`${route.method} ${route.path} as ${role}: ${response.status} ${JSON.stringify(response.body)}`);
    }
    expect(unnamed).toEqual([]);
  });

  it('every POST route refuses a body that is not a JSON object (an array, empty or not) with a 400 naming the body', async () => {
    const server = testApp.app.getHttpServer();
    const posts = routesOf(testApp).filter((r) => r.method === 'POST' && !r.isPublic);
    const accepted: string[] = [];
    for (const route of posts) {
      for (const body of [[], [{ decidedBy: 'x' }]]) {
        const response = await request(server)
          .post(samplePath(route))
          .set('authorization', `Bearer ${actor(testApp.app, route.roles![0]).token}`)
          .send(body);
        const refused =
          response.status === 400 &&
          response.body.code === 'REQUEST.INVALID' &&
          response.body.errors?.some((e: { field: string; reasons: string[] }) => e.field === 'body' && e.reasons.includes('the body must be a JSON object'));
        if (!refused) accepted.push(`${route.method} ${route.path} with ${JSON.stringify(body)}: ${response.status} ${JSON.stringify(response.body)}`);
      }
    }
    expect(accepted).toEqual([]);
  });

  it('the OpenAPI document describes the body of every POST route; the acts without fields have an optional empty one', async () => {
    const document = (await request(testApp.app.getHttpServer()).get('/docs-json').expect(200)).body;
    const bodyOf = (path: string) => document.paths[path.replace(/:(\w+)/g, '{$1}')]?.post?.requestBody;
    const posts = routesOf(testApp).filter((r) => r.method === 'POST');
    // A file upload (a cohort spreadsheet) is described as the multipart form it is.
    const schemaOf = (path: string) => (bodyOf(path)?.content?.['application/json'] ?? bodyOf(path)?.content?.['multipart/form-data'])?.schema;
    expect(posts.filter((r) => !schemaOf(r.path)).map((r) => r.path)).toEqual([]);
    expect(posts.filter((r) => !bodyOf(r.path).content['application/json']).map((r) => r.path)).toEqual(['/imports/cohort']);
    const withoutFields = posts.filter((r) => schemaOf(r.path).$ref === '#/components/schemas/NoFieldsRequest');
    expect(withoutFields.map((r) => r.path).sort()).toEqual([
      '/admin/delivery/unconfirmed/:eventId/resend',
      '/candidates/:candidateId/erasure',
      '/enrollments/:enrollmentId/blocs/:blocCode/validation',
      '/enrollments/:enrollmentId/requirements/:requirementCode/validation',
    ]);
    expect(withoutFields.map((r) => bodyOf(r.path).required)).toEqual([false, false, false, false]);
    expect(document.components.schemas.NoFieldsRequest).toEqual({ type: 'object', properties: {} });
    // And what each answers on success: every act says where the stream and the log stand.
    const answerOf = (path: string) => {
      const responses = document.paths[path.replace(/:(\w+)/g, '{$1}')]?.post?.responses ?? {};
      return (responses['200'] ?? responses['201'])?.content?.['application/json']?.schema;
    };
    expect(posts.filter((r) => !answerOf(r.path)).map((r) => `${r.method} ${r.path}`)).toEqual([]);
  });

  it('bloc validation: a body with fields is refused and the validatable bloc stays unvalidated; without a body the jury validates it', async () => {
    const id = await seed000.enroll({ optionBlocs: ['BC04'] });
    for (const epreuve of seed000.referential.blocs.find((b) => b.code === 'BC01')!.epreuves) await seed000.sit(id, epreuve.code);
    const before = await store.readStream(enrollmentStreamId(id));

    expectUnknownFieldsRefused(await jury.post(`/enrollments/${id}/blocs/BC01/validation`, { decidedBy: 'x', anything: 1 }), ['decidedBy', 'anything']);
    expect(await store.readStream(enrollmentStreamId(id))).toEqual(before);

    expect((await jury.post(`/enrollments/${id}/blocs/BC01/validation`).expect(200)).body).toMatchObject({
      revision: before.length,
      events: ['BlocValidated'],
    });
  });

  it('extra-requirement validation: a body with fields is refused and the requirement stays unvalidated; without a body the jury validates it', async () => {
    const id = await dataEngineer.enroll();
    const before = await store.readStream(enrollmentStreamId(id));

    expectUnknownFieldsRefused(await jury.post(`/enrollments/${id}/requirements/PROJET-FIL-ROUGE/validation`, { decidedBy: 'x', anything: 1 }), [
      'decidedBy',
      'anything',
    ]);
    expect(await store.readStream(enrollmentStreamId(id))).toEqual(before);

    expect((await jury.post(`/enrollments/${id}/requirements/PROJET-FIL-ROUGE/validation`).expect(200)).body).toMatchObject({
      revision: before.length,
      events: ['ExtraRequirementValidated'],
    });
  });

  it('erasure: a body with fields is refused before any key is destroyed; without a body the DPO erases', async () => {
    const candidateId = await registerCandidate(admin);
    const before = await store.readStream(candidateStreamId(candidateId));

    expectUnknownFieldsRefused(await dpo.post(`/candidates/${candidateId}/erasure`, { reason: 'demande RGPD', anything: 1 }), ['reason', 'anything']);
    expect(await store.readStream(candidateStreamId(candidateId))).toEqual(before);
    // The key still opens the identity: the refusal came before the crypto-shredding.
    expect((await admin.get(`/candidates/${candidateId}`).expect(200)).body.identity).toMatchObject({ firstNames: ['Léa'] });

    expect((await dpo.post(`/candidates/${candidateId}/erasure`).expect(200)).body).toMatchObject({ candidateId, events: ['CandidatePersonalDataErased'] });
  });
});
