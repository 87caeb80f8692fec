import { randomUUID } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import request from 'supertest';
import { actor, HttpActor, registerCandidate } from './support/http-actors';
import { startTestApp, TestApp } from './support/test-app';

describe('security: mass assignment, BOLA, tokens, body size, throttling (PostgreSQL)', () => {
  let testApp: TestApp;
  let admin: HttpActor;
  let enrollmentId: string;
  /** Where the log stood after the enrollment: reads of it wait for the read models to get there. */
  let enrolledAt: string;
  const server = () => testApp.app.getHttpServer();

  beforeAll(async () => {
    testApp = await startTestApp({ THROTTLE_PER_MINUTE: '300', BODY_LIMIT_BYTES: String(64 * 1024) });
    admin = actor(testApp.app, 'admin');
    const candidateId = await registerCandidate(admin);
    const enrolled = (
      await admin.post('/enrollments', { candidateId, referentialId: 'data-ia-quatre-blocs', version: '1', cohort: '2026-A', accessRoute: 'vae' }).expect(201)
    ).body;
    enrollmentId = enrolled.id;
    enrolledAt = enrolled.position;
  });
  afterAll(() => testApp?.close());

  describe('mass assignment answers 400 and changes nothing', () => {
    const base = () => ({ referentialId: 'data-ia-quatre-blocs', version: '1', cohort: '2026-A', accessRoute: 'vae', candidateId: randomUUID() });
    it.each([
      ['an unknown field', { ...base(), grade: 'A+' }],
      ['a role in the body', { ...base(), role: 'jury' }],
      ['an organisation in the body', { ...base(), organisationId: 'org-2' }],
    ])('%s', async (_name, body) => {
      const response = await admin.post('/enrollments', body).expect(400);
      expect(response.body.code).toBe('REQUEST.INVALID');
    });

    it.each([
      [
        '__proto__',
        '{"referentialId":"data-ia-quatre-blocs","version":"1","cohort":"2026-A","accessRoute":"vae","candidateId":"00000000-0000-4000-8000-000000000000","__proto__":{"role":"jury"}}',
      ],
      [
        'constructor',
        '{"referentialId":"data-ia-quatre-blocs","version":"1","cohort":"2026-A","accessRoute":"vae","candidateId":"00000000-0000-4000-8000-000000000000","constructor":{"prototype":{"role":"jury"}}}',
      ],
    ])('%s', async (_name, raw) => {
      const response = await request(server())
        .post('/enrollments')
        .set({ authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' })
        .send(raw)
        .expect(400);
      expect(response.body.code).toBe('REQUEST.INVALID');
      expect(({} as Record<string, unknown>).role).toBeUndefined();
    });
  });

  it("an organisation's admin can neither read nor act on another organisation's candidates (404, existence not leaked)", async () => {
    const intruder = actor(testApp.app, 'admin', 'admin-x', 'org-x');
    // Once the read models hold the enrollment: a 404 then says the intruder may not see it, not that it is not there yet.
    expect((await intruder.get(`/enrollments/${enrollmentId}?consistentWith=${enrolledAt}`).expect(404)).body.code).toBe('ENROLLMENT.NOT_FOUND');
    expect((await intruder.post(`/enrollments/${enrollmentId}/withdrawal`, { reason: 'x' }).expect(404)).body.code).toBe('ENROLLMENT.NOT_FOUND');
    expect((await intruder.get(`/enrollments/${enrollmentId}/documents`).expect(404)).body.code).toBe('ENROLLMENT.NOT_FOUND');
    const path = (await admin.get(`/enrollments/${enrollmentId}?consistentWith=${enrolledAt}`).expect(200)).body;
    expect((await intruder.get(`/candidates/${path.candidateId}`).expect(404)).body.code).toBe('CANDIDATE.NOT_FOUND');
    expect(
      (
        await intruder
          .post('/enrollments', { candidateId: path.candidateId, referentialId: 'data-ia-quatre-blocs', version: '1', cohort: 'x', accessRoute: 'vae' })
          .expect(400)
      ).body.code,
    ).toBe('CANDIDATE.NOT_REGISTERED');
  });

  describe('tokens that are expired, unsigned, signed with another key or alg none answer 401', () => {
    const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const claims = { sub: 'admin-1', role: 'admin', org: 'org-1' };
    it.each([
      ['expired', () => testApp.app.get(JwtService).sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 60 })],
      ['unsigned (alg none)', () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, exp: Math.floor(Date.now() / 1000) + 600 })}.`],
      ['signed with another key', () => new JwtService({ secret: 'another-secret-another-secret-123456' }).sign(claims, { expiresIn: '1h' })],
      ['HS512 with the right key', () => testApp.app.get(JwtService).sign(claims, { algorithm: 'HS512', expiresIn: '1h' })],
      ['garbage', () => 'not.a.token'],
    ])('%s', async (_name, token) => {
      const response = await request(server()).get('/enrollments').set('authorization', `Bearer ${token()}`).expect(401);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(['AUTH.INVALID_TOKEN', 'AUTH.TOKEN_REQUIRED']).toContain(response.body.code);
    });
  });

  it('an id in the path that is not a UUID answers 400 naming the parameter; an unknown enrollment is not found, whatever is asked of it', async () => {
    for (const path of ['/enrollments/not-a-uuid', '/enrollments/not-a-uuid/documents', '/enrollments/not-a-uuid/blocs/BC01/provenance']) {
      const response = await admin.get(path).expect(400);
      expect(response.body).toMatchObject({ code: 'REQUEST.INVALID', errors: [{ field: 'enrollmentId', reasons: ['enrollmentId must be a UUID'] }] });
    }
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const path of [`/enrollments/${unknown}`, `/enrollments/${unknown}/documents`, `/enrollments/${unknown}/documents/JAL-A-0000000000/pdf`]) {
      expect((await admin.get(path).expect(404)).body.code).toBe('ENROLLMENT.NOT_FOUND');
    }
  });

  it('malformed JSON answers 400', async () => {
    const response = await request(server())
      .post('/enrollments')
      .set({ authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' })
      .send('{"cohort": ')
      .expect(400);
    expect(response.body).toMatchObject({ status: 400, code: expect.stringMatching(/^REQUEST\.(INVALID|MALFORMED_JSON)$/) });
  });

  it('a body nested beyond reason answers 400 naming where, and a référentiel whose aliases would explode answers 400 too', async () => {
    const deep = `{"birthName":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const response = await request(server())
      .post('/candidates')
      .set({ authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' })
      .send(deep)
      .expect(400);
    expect(response.body).toMatchObject({
      code: 'REQUEST.INVALID',
      errors: [{ field: expect.stringMatching(/^birthName(\.0)+$/), reasons: ['the body is nested deeper than 16 levels'] }],
    });

    const levels = [
      'a: &l0 [x, x, x, x, x, x, x, x, x]',
      ...Array.from({ length: 7 }, (_, i) => `l${i + 1}: &l${i + 1} [${Array(9).fill(`*l${i}`).join(', ')}]`),
    ];
    const bomb = await admin.post('/referentials', { content: levels.join('\n') }).expect(400);
    expect(bomb.body).toMatchObject({
      code: 'REFERENTIAL.INVALID',
      problems: [{ path: '/', code: 'REFERENTIAL.YAML', message: expect.stringContaining('alias') }],
    });
  });

  it('a body over the size limit answers 413', async () => {
    const response = await admin.post('/referentials', { content: 'x'.repeat(100 * 1024) }).expect(413);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 413, code: 'REQUEST.TOO_LARGE' });
  });

  it('a burst of requests from one client is throttled with 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 320; i++) statuses.push((await request(server()).get('/health')).status);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(200);
    expect(statuses.at(-1)).toBe(429);
    const throttled = await request(server()).get('/health').expect(429);
    expect(throttled.body.code).toBe('REQUEST.TOO_MANY');
    expect(throttled.headers['retry-after']).toBeDefined();
  });

  it('behind a load balancer (TRUST_PROXY), each forwarded address has a budget of its own, not the balancer’s one', async () => {
    const behindBalancer = await startTestApp({ THROTTLE_PER_MINUTE: '2', TRUST_PROXY: '1' });
    try {
      const get = (address: string) => request(behindBalancer.app.getHttpServer()).get('/health').set('x-forwarded-for', address);
      expect([(await get('203.0.113.7')).status, (await get('203.0.113.7')).status, (await get('203.0.113.7')).status]).toEqual([200, 200, 429]);
      expect((await get('203.0.113.8')).status).toBe(200);
      // Only the last hop (the balancer's) is believed: an address a client adds in front does not make it someone else.
      expect((await get('198.51.100.1, 203.0.113.7')).status).toBe(429);
    } finally {
      await behindBalancer.close();
    }
  });

  it('the development sign-in is refused where it is off (outside the embedded mode unless DEV_SIGN_IN=true)', async () => {
    const refused = await request(server()).post('/auth/dev-sign-in').send({ role: 'admin', organisationId: 'org-1', subject: 'admin-1' }).expect(403);
    expect(refused.body.code).toBe('AUTH.DEV_SIGN_IN_DISABLED');
  });

  it('limits count per caller: one caller throttled leaves another of the same address and school alone', async () => {
    const [busy, calm] = [actor(testApp.app, 'admin', 'admin-busy'), actor(testApp.app, 'admin', 'admin-calm')];
    let last = 0;
    for (let i = 0; i < 320 && last !== 429; i++) last = (await busy.get('/enrollments?pageSize=1')).status;
    expect(last).toBe(429);
    const throttled = await busy.get('/enrollments?pageSize=1').expect(429);
    expect(throttled.body).toMatchObject({
      code: 'REQUEST.TOO_MANY',
      detail: expect.stringMatching(/^this caller made more than 300 requests to this route in the last minute; retry in \d+ seconds?$/),
    });
    await calm.get('/enrollments?pageSize=1').expect(200);
  });
});
