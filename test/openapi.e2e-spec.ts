import { STATUS_CODES } from 'node:http';
import { randomUUID } from 'node:crypto';
import Ajv, { ValidateFunction } from 'ajv';
import request from 'supertest';
import { Referential } from '@jalon/domain';
import { ConsistencyQuery } from '../apps/api/src/paths/path-queries.requests.dto';
import { ApiRoute, routesOf } from './support/api-routes';
import { eventually } from './support/eventually';
import { actor } from './support/http-actors';
import { PathDriver } from './support/path-driver';
import { settle } from './support/settle';
import { startTestApp, TestApp } from './support/test-app';

interface MediaType {
  schema?: { $ref?: string; type?: string };
}
interface DocumentedResponse {
  description: string;
  content?: Record<string, MediaType>;
}
interface Operation {
  parameters?: { name: string; in: string; required?: boolean; schema?: { type?: string; minimum?: number; maximum?: number; example?: unknown } }[];
  responses: Record<string, DocumentedResponse>;
}
interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { type?: string; properties?: object; required?: string[]; additionalProperties?: boolean }> };
}

const PROBLEM = '#/components/schemas/ProblemDetails';
/** What a route may answer on success besides JSON: each must still say its type. */
const NON_JSON = [
  'application/xml',
  'text/csv',
  'text/html',
  'application/pdf',
  'application/vc+jwt',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
];
/** Routes with a path parameter that never answer 404, and why. */
const NEVER_NOT_FOUND: Record<string, string> = {
  'GET /verifications/:number': 'an unknown number is an answer: 200, status "unknown"',
  'GET /verify/:number': 'the same, as a page',
};
/**
 * Schemas whose answers carry members of their own beyond those listed: a problem's code-specific
 * members, a provenance item's members by event type. Every other schema is closed in the checks
 * below, so an answer with a member the document does not list fails.
 */
const OPEN_SCHEMAS = new Set(['ProblemDetails', 'ProvenanceHistoryItem']);

const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');
const label = (route: Pick<ApiRoute, 'method' | 'path'>) => `${route.method} ${route.path}`;
const mediaTypeOf = (response: request.Response) => String(response.headers['content-type'] ?? '').split(';')[0];

/**
 * The OpenAPI document checked against the api itself: every route (found from the controllers,
 * so a new one is checked by construction) documents its success with a schema and every error it
 * can answer as ProblemDetails; and real answers, successes and errors, match the schema documented
 * for their status and content type.
 */
describe('the OpenAPI document says what the api answers', () => {
  let testApp: TestApp;
  let document: OpenApiDocument;
  let routes: ApiRoute[];
  let ajv: Ajv;
  const validators = new Map<string, ValidateFunction>();
  const server = () => testApp.app.getHttpServer();

  beforeAll(async () => {
    testApp = await startTestApp();
    document = (await request(server()).get('/docs-json').expect(200)).body;
    routes = routesOf(testApp);
    // Closed schemas: the document is held to every member an answer has, not only the required ones.
    const closed = structuredClone(document);
    for (const [name, schema] of Object.entries(closed.components.schemas)) {
      if (schema.type === 'object' && schema.properties && !OPEN_SCHEMAS.has(name)) schema.additionalProperties = false;
    }
    // OpenAPI 3.0 schemas: `nullable` is understood; formats and examples are descriptions here.
    ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, validateSchema: false });
    ajv.addSchema({ ...closed, $id: 'openapi' });
  });
  afterAll(() => testApp?.close());

  const operationOf = (route: Pick<ApiRoute, 'method' | 'path'>): Operation | undefined =>
    document.paths[openApiPath(route.path)]?.[route.method.toLowerCase()];

  /** The error statuses a route can answer, from what it is: who may call it, what it reads, whether it names something. */
  function problemsExpectedOf(route: ApiRoute): number[] {
    const statuses = [429];
    if (!route.isPublic) statuses.push(401, 403);
    if (route.takesBody || route.queryType || route.validatedParams.length > 0) statuses.push(400);
    if (/:\w+/.test(route.path) && !NEVER_NOT_FOUND[label(route)]) statuses.push(404);
    // Commands: Idempotency-Key in progress (409) or reused (422), a body over the limit (413), a body not JSON (415).
    // A public POST (the development sign-in) is no command: keys are a caller's, and it has none yet.
    if (route.method === 'POST') statuses.push(...(route.isPublic ? [413, 415] : [409, 413, 415, 422]));
    // consistentWith: the read models could not reach it (READ_MODEL.BEHIND, READ_MODEL.FAILED).
    if (route.queryType && (route.queryType === ConsistencyQuery || route.queryType.prototype instanceof ConsistencyQuery)) statuses.push(503);
    return statuses.sort();
  }

  it('documents every route of the api', () => {
    expect(routes.length).toBeGreaterThan(35);
    expect(routes.filter((route) => !operationOf(route)).map(label)).toEqual([]);
  });

  it('every route documents the success it really answers, with a schema (or a documented non-JSON content type)', () => {
    const wrong: string[] = [];
    for (const route of routes) {
      const responses = operationOf(route)?.responses ?? {};
      const successes = Object.keys(responses).filter((status) => status.startsWith('2'));
      if (successes.join() !== String(route.successStatus))
        wrong.push(`${label(route)}: documents ${successes.join(', ') || 'no success'}, answers ${route.successStatus}`);
      const content = responses[String(route.successStatus)]?.content ?? {};
      if (Object.keys(content).length === 0) wrong.push(`${label(route)}: no content documented for ${route.successStatus}`);
      for (const [type, media] of Object.entries(content)) {
        if (type === 'application/json' ? !media.schema?.$ref && !media.schema?.type : !NON_JSON.includes(type) || !media.schema)
          wrong.push(`${label(route)}: ${type} without a schema`);
      }
    }
    expect(wrong).toEqual([]);
    // What a command answers: its revision an integer, its position a string, each null when there is none.
    expect(document.components.schemas.CommandOutcome.properties).toMatchObject({
      revision: { type: 'integer', nullable: true },
      position: { type: 'string', nullable: true },
    });
  });

  it('every route documents each error it can answer (401, 403, 400, 404, 429…) as ProblemDetails in application/problem+json, and nothing else', () => {
    const wrong: string[] = [];
    for (const route of routes) {
      const responses = operationOf(route)?.responses ?? {};
      for (const status of problemsExpectedOf(route)) if (!responses[status]) wrong.push(`${label(route)}: ${status} not documented`);
      for (const [status, response] of Object.entries(responses)) {
        if (Number(status) < 400) continue;
        const types = Object.keys(response.content ?? {});
        if (types.join() !== 'application/problem+json' || response.content!['application/problem+json'].schema?.$ref !== PROBLEM) {
          wrong.push(
            `${label(route)}: ${status} is not documented as ProblemDetails in application/problem+json (${JSON.stringify(response.content ?? null)})`,
          );
        }
      }
      const header = operationOf(route)?.parameters?.find((p) => p.in === 'header' && p.name === 'Idempotency-Key');
      if (route.method === 'POST' && !route.isPublic && (!header || header.required)) wrong.push(`${label(route)}: no optional Idempotency-Key header`);
    }
    expect(wrong).toEqual([]);
    expect(document.components.schemas.ProblemDetails.required).toEqual(['type', 'title', 'status', 'code', 'detail']);
  });

  it('integer query parameters are documented with the bounds their validators enforce', async () => {
    const list = operationOf({ method: 'GET', path: '/enrollments' })!.parameters!;
    expect(list.find((p) => p.name === 'page')!.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 100000 });
    expect(list.find((p) => p.name === 'pageSize')!.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 500 });
    // Every bound documented is the validator's: just inside is taken, just outside (and a fraction) answers 400.
    const checked: string[] = [];
    const wrong: string[] = [];
    for (const route of routes.filter((r) => r.method === 'GET' && r.queryType)) {
      const parameters = operationOf(route)!.parameters!.filter((p) => p.in === 'query');
      const required = parameters.filter((p) => p.required).map((p) => `${p.name}=${encodeURIComponent(String(p.schema!.example))}`);
      // A public route is asked by an admin: a token changes nothing there.
      const caller = actor(testApp.app, route.roles?.[0] ?? 'admin');
      for (const parameter of parameters.filter((p) => p.schema?.type === 'integer')) {
        const { minimum, maximum } = parameter.schema!;
        const values = [
          ...(minimum !== undefined
            ? [
                [minimum, true],
                [minimum - 1, false],
              ]
            : []),
          ...(maximum !== undefined
            ? [
                [maximum, true],
                [maximum + 1, false],
              ]
            : []),
          [(minimum ?? 0) + 1.5, false],
        ] as [number, boolean][];
        for (const [value, taken] of values) {
          const response = await caller.get(`${route.path}?${[...required, `${parameter.name}=${value}`].join('&')}`);
          if ((response.status === 200) !== taken || (!taken && response.status !== 400))
            wrong.push(`${label(route)} ${parameter.name}=${value}: ${response.status}`);
        }
        checked.push(`${route.path} ${parameter.name}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toEqual(expect.arrayContaining(['/enrollments page', '/enrollments pageSize', '/findings/unapplied-accommodations pageSize']));
  });

  /** The answer's status and content type are documented for the route, and a JSON body matches the documented schema. */
  async function documented(routeLabel: string, pending: PromiseLike<request.Response>): Promise<request.Response> {
    const response = await pending;
    const [method, path] = routeLabel.split(' ');
    const type = mediaTypeOf(response);
    const media = operationOf({ method, path })?.responses[String(response.status)]?.content?.[type];
    const where = `${routeLabel} → ${response.status} ${type}`;
    expect({ where, documented: media !== undefined }).toEqual({ where, documented: true });
    if (type === 'application/json' || type === 'application/problem+json') {
      const pointer = ['paths', openApiPath(path), method.toLowerCase(), 'responses', String(response.status), 'content', type, 'schema']
        .map((segment) => encodeURIComponent(segment.replace(/~/g, '~0').replace(/\//g, '~1')))
        .join('/');
      const validate = validators.get(pointer) ?? ajv.compile({ $ref: `openapi#/${pointer}` });
      validators.set(pointer, validate);
      validate(response.body);
      expect({ where, body: response.body, errors: validate.errors ?? [] }).toEqual({ where, body: response.body, errors: [] });
    }
    // One vocabulary of titles: the reason phrase of the status; the code says what precisely.
    if (type === 'application/problem+json') expect({ where, title: response.body.title }).toEqual({ where, title: STATUS_CODES[response.status] });
    return response;
  }

  it('real answers match the schema documented for their status: the path as each reader sees it, lists, statistics, provenance, documents, commands', async () => {
    const app = testApp.app;
    const [admin, referent, assessor, jury, auditor, dpo] = (['admin', 'referent', 'assessor', 'jury', 'auditor', 'dpo'] as const).map((role) =>
      actor(app, role),
    );
    const anyone = request(server());

    await documented('GET /health', request(server()).get('/health'));
    await documented('GET /referentials', request(server()).get('/referentials'));
    const referential: Referential = (
      await documented('GET /referentials/:referential/versions/:version', anyone.get('/referentials/data-ia-quatre-blocs/versions/1'))
    ).body;
    await documented('GET /issuer', request(server()).get('/issuer'));
    await documented('GET /.well-known/jwks.json', request(server()).get('/.well-known/jwks.json'));

    // A path with an accommodation granted, consented to for the jury, and not applied at the sittings (a finding).
    const registered = await documented(
      'POST /candidates',
      admin.post('/candidates', {
        birthName: 'Martin',
        firstNames: ['Léa'],
        birthDate: '2001-03-14',
        sex: 'F',
        birthPlace: 'Lyon (69)',
        email: 'lea@example.org',
      }),
    );
    const candidateId: string = registered.body.id;
    const candidate = actor(app, 'candidate', candidateId);
    const enrolled = await documented(
      'POST /enrollments',
      admin.post('/enrollments', { candidateId, referentialId: referential.referential, version: referential.version, cohort: '2026-A', accessRoute: 'vae' }),
    );
    expect(enrolled.body).toMatchObject({ id: expect.any(String), revision: expect.any(Number), position: expect.any(String), events: ['CandidateEnrolled'] });
    const id: string = enrolled.body.id;
    await documented(
      'POST /enrollments/:enrollmentId/accommodations',
      referent.post(`/enrollments/${id}/accommodations`, { kind: 'third-party-assistance', validFrom: '2026-01-01', details: 'un lecteur' }),
    );
    await documented('POST /enrollments/:enrollmentId/jury-consent', candidate.post(`/enrollments/${id}/jury-consent`, {}));
    const driver = new PathDriver(referential, { admin, assessor, jury, referent });
    for (const epreuve of referential.blocs.find((b) => b.code === 'BC01')!.epreuves) await driver.sit(id, epreuve.code);
    const validated = await documented('POST /enrollments/:enrollmentId/blocs/:blocCode/validation', jury.post(`/enrollments/${id}/blocs/BC01/validation`));
    expect(validated.body).toMatchObject({ revision: expect.any(Number), position: expect.any(String), events: expect.arrayContaining(['BlocValidated']) });
    await settle(app);

    // Each reader's view of the accommodations is one of the documented five.
    const views: Record<string, string> = {};
    for (const reader of [admin, referent, assessor, jury, auditor, candidate]) {
      views[reader.role] = (
        await documented('GET /enrollments/:enrollmentId', reader.get(`/enrollments/${id}?consistentWith=${validated.body.position}`))
      ).body.accommodations.view;
    }
    expect(views).toEqual({ admin: 'none', referent: 'full', assessor: 'to-apply', jury: 'consented', auditor: 'kinds', candidate: 'full' });
    const page = await documented('GET /enrollments', admin.get('/enrollments?pageSize=5'));
    expect(page.body).toMatchObject({ total: 1, page: 1, pageSize: 5, items: [{ enrollmentId: id }] });
    const csv = await documented('GET /enrollments', admin.get('/enrollments?format=csv'));
    expect(csv.headers['x-total-count']).toBe('1');
    await documented('GET /enrollments/:enrollmentId/as-of', auditor.get(`/enrollments/${id}/as-of?at=${encodeURIComponent(new Date().toISOString())}`));
    await documented('GET /enrollments/:enrollmentId/blocs/:blocCode/provenance', auditor.get(`/enrollments/${id}/blocs/BC01/provenance`));
    await documented('GET /enrollments/:enrollmentId/blocs/:blocCode/provenance', jury.get(`/enrollments/${id}/blocs/BC01/provenance`));
    await documented(
      'GET /cohorts/statistics',
      admin.get(`/cohorts/statistics?referentialId=${referential.referential}&version=${referential.version}&cohort=2026-A`),
    );
    expect((await documented('GET /findings/unapplied-accommodations', auditor.get('/findings/unapplied-accommodations'))).body.length).toBeGreaterThan(0);

    // The attestation of the validated bloc, issued by the worker.
    const [attestation] = await eventually(async () => {
      const documents = (await documented('GET /enrollments/:enrollmentId/documents', admin.get(`/enrollments/${id}/documents`))).body;
      expect(documents).toHaveLength(1);
      return documents as { number: string }[];
    }, 30_000);
    await documented('GET /verifications/:number', anyone.get(`/verifications/${attestation.number}`));
    await documented('GET /verifications/:number', anyone.get('/verifications/JAL-A-0000000000A'));
    await documented('GET /verify/:number', anyone.get(`/verify/${attestation.number}`));
    await documented('GET /enrollments/:enrollmentId/documents/:number/pdf', admin.get(`/enrollments/${id}/documents/${attestation.number}/pdf`));
    await documented('GET /enrollments/:enrollmentId/documents/:number/credential', admin.get(`/enrollments/${id}/documents/${attestation.number}/credential`));
    await documented('GET /admin/issuance', admin.get('/admin/issuance'));
    await documented('GET /admin/delivery', admin.get('/admin/delivery'));

    // The candidate, the reads of their data, their erasure, and what the path and the documents say after it.
    await documented('GET /candidates/:candidateId', admin.get(`/candidates/${candidateId}`));
    await documented('GET /candidates/:candidateId/personal-data-reads', dpo.get(`/candidates/${candidateId}/personal-data-reads`));
    const erased = await documented('POST /candidates/:candidateId/erasure', dpo.post(`/candidates/${candidateId}/erasure`));
    expect(erased.body).toMatchObject({ candidateId, revision: expect.any(Number), position: expect.any(String) });
    expect((await documented('GET /candidates/:candidateId', admin.get(`/candidates/${candidateId}`))).body.identity).toEqual({ withheld: 'erased' });
    await settle(app);
    expect((await documented('GET /enrollments/:enrollmentId', referent.get(`/enrollments/${id}`))).body.personalDataErasedAt).toEqual(expect.any(String));
    expect((await documented('GET /verifications/:number', anyone.get(`/verifications/${attestation.number}`))).body.holderErased).toBe(true);
    await documented('GET /enrollments/:enrollmentId/documents', admin.get(`/enrollments/${id}/documents`));
  }, 90_000);

  it('error answers are ProblemDetails as documented for their route and status', async () => {
    const app = testApp.app;
    const [admin, assessor] = [actor(app, 'admin'), actor(app, 'assessor')];
    const codeOf = async (routeLabel: string, pending: PromiseLike<request.Response>) => {
      const response = await documented(routeLabel, pending);
      return `${response.status} ${response.body.code}`;
    };
    const enroll = { candidateId: randomUUID(), referentialId: 'data-ia-quatre-blocs', version: '1', cohort: '2026-A', accessRoute: 'vae' };

    expect(await codeOf('POST /enrollments', admin.post('/enrollments', { ...enroll, grade: 'A+' }))).toBe('400 REQUEST.INVALID');
    expect(await codeOf('POST /enrollments', admin.post('/enrollments', enroll))).toBe('400 CANDIDATE.NOT_REGISTERED');
    expect(await codeOf('GET /enrollments/:enrollmentId', admin.get('/enrollments/not-a-uuid'))).toBe('400 REQUEST.INVALID');
    expect(await codeOf('GET /enrollments', admin.get('/enrollments?page=0'))).toBe('400 REQUEST.INVALID');
    expect(await codeOf('GET /enrollments', request(server()).get('/enrollments'))).toBe('401 AUTH.TOKEN_REQUIRED');
    expect(await codeOf('GET /cohorts/statistics', assessor.get('/cohorts/statistics?referentialId=data-ia-quatre-blocs&version=1'))).toBe(
      '403 AUTH.ROLE_NOT_ALLOWED',
    );
    expect(await codeOf('GET /enrollments/:enrollmentId', admin.get(`/enrollments/${randomUUID()}`))).toBe('404 ENROLLMENT.NOT_FOUND');
    expect(await codeOf('GET /referentials/:referential/versions/:version', request(server()).get('/referentials/none/versions/1'))).toBe(
      '404 REFERENTIAL.NOT_FOUND',
    );

    // A refused act, and the idempotency answers of a command.
    const candidateId = (
      await admin
        .post('/candidates', {
          birthName: 'Durand',
          firstNames: ['Jules'],
          birthDate: '1999-05-02',
          sex: 'M',
          birthPlace: 'Nantes (44)',
          email: 'jules@example.org',
        })
        .expect(201)
    ).body.id;
    const id = (await admin.post('/enrollments', { ...enroll, candidateId }).expect(201)).body.id;
    await admin.post(`/enrollments/${id}/withdrawal`, { reason: 'départ' }).expect(200);
    expect(await codeOf('POST /enrollments/:enrollmentId/withdrawal', admin.post(`/enrollments/${id}/withdrawal`, { reason: 'départ' }))).toMatch(/^409 /);
    expect(await codeOf('POST /candidates', admin.post('/candidates', {}, { 'idempotency-key': 'k'.repeat(201) }))).toBe('400 IDEMPOTENCY.INVALID_KEY');
    const raw = (contentType: string | undefined, body: string) => {
      const test = request(server()).post('/candidates').set('authorization', `Bearer ${admin.token}`);
      return (contentType ? test.set('content-type', contentType) : test).send(body);
    };
    expect(await codeOf('POST /candidates', raw('application/json', '{"birthName": '))).toBe('400 REQUEST.MALFORMED_JSON');
    expect(await codeOf('POST /candidates', raw('text/plain', '{"birthName": "Martin"}'))).toBe('415 REQUEST.UNSUPPORTED_MEDIA_TYPE');
    expect(await codeOf('POST /candidates', raw('application/x-www-form-urlencoded', 'birthName=Martin'))).toBe('415 REQUEST.UNSUPPORTED_MEDIA_TYPE');
    const notAnObject = await documented('POST /candidates', raw('application/json', 'null'));
    expect(notAnObject.body).toMatchObject({ status: 400, code: 'REQUEST.INVALID', detail: 'the request body is not a JSON object' });
    const key = randomUUID();
    await admin.post(`/enrollments/${id}/withdrawal`, { reason: 'a' }, { 'idempotency-key': key });
    expect(
      await codeOf('POST /enrollments/:enrollmentId/withdrawal', admin.post(`/enrollments/${id}/withdrawal`, { reason: 'b' }, { 'idempotency-key': key })),
    ).toBe('422 IDEMPOTENCY.KEY_REUSED');
    expect(await codeOf('POST /referentials', admin.post('/referentials', { content: 'x'.repeat(testApp.config.bodyLimitBytes) }))).toBe(
      '413 REQUEST.TOO_LARGE',
    );
    // A position the read models will not reach within the wait.
    expect(await codeOf('GET /enrollments', admin.get('/enrollments?consistentWith=999999999-999999999'))).toBe('503 READ_MODEL.BEHIND');
  }, 30_000);

  it('a throttled answer is the documented 429, on a public route as on the others', async () => {
    const throttled = await startTestApp({ THROTTLE_PER_MINUTE: '2' });
    try {
      const get = () => request(throttled.app.getHttpServer()).get('/health');
      await get();
      await get();
      const response = await documented('GET /health', get());
      expect(response.status).toBe(429);
      expect(response.body).toMatchObject({
        title: 'Too Many Requests',
        code: 'REQUEST.TOO_MANY',
        detail: expect.stringMatching(/^this address made more than 2 requests to this route in the last minute; retry in \d+ seconds?$/),
      });
      expect(response.headers['retry-after']).toBeDefined();
    } finally {
      await throttled.close();
    }
  });
});
