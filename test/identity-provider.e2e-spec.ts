import { Client } from 'pg';
import request from 'supertest';
import { actor } from './support/http-actors';
import { RunningIdentityProvider, startIdentityProvider } from './support/identity-provider';
import { startTestApp, TestApp } from './support/test-app';

const AUDIENCE = 'urn:jalon:api';
const SECRET = 'a-secret-long-enough-for-the-provider-0123456789';

/**
 * The api behind a school's real OpenID Connect provider (oidc-provider in a child process): its
 * access tokens are accepted when its keys signed them, for this api, unexpired; the role and the
 * organisation read from its claims; the api's own tokens still work; the development sign-in is off.
 */
describe('signing in through an identity provider', () => {
  let school: RunningIdentityProvider;
  let another: RunningIdentityProvider;
  let testApp: TestApp;
  const server = () => testApp.app.getHttpServer();
  const me = (token: string) => request(server()).get('/auth/me').set('authorization', `Bearer ${token}`);

  beforeAll(async () => {
    [school, another] = await Promise.all([
      startIdentityProvider({
        audience: AUDIENCE,
        roleClaim: 'groups',
        organisationClaim: 'https://jalon.example/org',
        machineClients: {
          'admin-rs': { secret: SECRET, role: 'admin', org: 'org-1', alg: 'RS256' },
          'jury-es': { secret: SECRET, role: ['staff', 'jury'], org: 'org-1', alg: 'ES256' },
          'no-role': { secret: SECRET, role: ['staff'], org: 'org-1', alg: 'ES256' },
          'two-roles': { secret: SECRET, role: ['admin', 'jury'], org: 'org-1', alg: 'ES256' },
          'no-org': { secret: SECRET, role: 'admin', alg: 'ES256' },
          brief: { secret: SECRET, role: 'admin', org: 'org-1', alg: 'ES256', ttl: 1 },
          elsewhere: { secret: SECRET, role: 'admin', org: 'org-1', alg: 'ES256', audience: 'urn:another:api' },
        },
      }),
      startIdentityProvider({ audience: AUDIENCE, machineClients: { 'admin-rs': { secret: SECRET, role: 'admin', org: 'org-1', alg: 'RS256' } } }),
    ]);
    testApp = await startTestApp({
      OIDC_ISSUER: school.issuer,
      OIDC_CLIENT_ID: 'jalon-console',
      OIDC_AUDIENCE: AUDIENCE,
      OIDC_ROLE_CLAIM: 'groups',
      OIDC_ORGANISATION_CLAIM: 'https://jalon.example/org',
      OIDC_SCOPES: 'openid jalon',
    });
  }, 60_000);

  afterAll(async () => {
    await testApp?.close();
    await Promise.all([school?.stop(), another?.stop()]);
  });

  it('tells the console where to send people: the provider’s endpoints, the client and the scopes', async () => {
    const { body } = await request(server()).get('/auth/sign-in').expect(200);
    expect(body).toEqual({
      method: 'provider',
      provider: {
        issuer: school.issuer,
        clientId: 'jalon-console',
        scopes: 'openid jalon',
        authorizationEndpoint: expect.stringMatching(/\/auth$/),
        tokenEndpoint: expect.stringMatching(/\/token$/),
        endSessionEndpoint: expect.stringMatching(/\/session\/end$/),
      },
    });
  });

  it('accepts the provider’s RS256 and ES256 access tokens, with the role and organisation of its claims, and applies the api’s own rules to them', async () => {
    const adminToken = await school.tokenFor('admin-rs');
    expect((await me(adminToken).expect(200)).body).toEqual({ subject: 'admin-rs', role: 'admin', organisationId: 'org-1' });
    const registered = await request(server())
      .post('/candidates')
      .set('authorization', `Bearer ${adminToken}`)
      .send({ birthName: 'Durand', firstNames: ['Inès'], birthDate: '2000-05-02', sex: 'F', birthPlace: 'Nantes (44)', email: 'ines.durand@example.org' })
      .expect(201);
    expect(registered.body.id).toEqual(expect.any(String));

    // A list of roles in the claim (as groups are) holding one Jalon role: that role, no other.
    const juryToken = await school.tokenFor('jury-es');
    expect((await me(juryToken).expect(200)).body).toEqual({ subject: 'jury-es', role: 'jury', organisationId: 'org-1' });
    const refused = await request(server()).post('/candidates').set('authorization', `Bearer ${juryToken}`).send({}).expect(403);
    expect(refused.body.code).toBe('AUTH.ROLE_NOT_ALLOWED');
  });

  it('refuses a token of another issuer, for another api, or expired, saying why', async () => {
    const brief = await school.tokenFor('brief');
    const foreign = await another.tokenFor('admin-rs');
    expect((await me(foreign).expect(401)).body).toMatchObject({
      code: 'AUTH.INVALID_TOKEN',
      detail: 'the token is not valid: no key of the identity provider signed it',
    });
    expect((await me(await school.tokenFor('elsewhere')).expect(401)).body).toMatchObject({
      code: 'AUTH.INVALID_TOKEN',
      detail: 'the token is not valid: its aud claim is not the one this api expects',
    });
    // One second to live, five of tolerance for clocks apart: gone after that.
    await new Promise((resolve) => setTimeout(resolve, 6_500));
    expect((await me(brief).expect(401)).body).toMatchObject({ code: 'AUTH.INVALID_TOKEN', detail: 'the token is not valid: it has expired' });
  }, 20_000);

  it('refuses a person whose token names no Jalon role, several, or no organisation (403: signed in, but nothing to do here)', async () => {
    expect((await me(await school.tokenFor('no-role')).expect(403)).body).toMatchObject({
      code: 'AUTH.NO_ROLE',
      detail: expect.stringContaining('names no Jalon role in its claim groups'),
    });
    expect((await me(await school.tokenFor('two-roles')).expect(403)).body).toMatchObject({
      code: 'AUTH.NO_ROLE',
      detail: expect.stringContaining('several Jalon roles in its claim groups (admin, jury)'),
    });
    expect((await me(await school.tokenFor('no-org')).expect(403)).body).toMatchObject({
      code: 'AUTH.NO_ROLE',
      detail: 'the token names no single organisation in its claim https://jalon.example/org',
    });
  });

  it('still accepts its own tokens (the cli’s), and refuses the development sign-in', async () => {
    const admin = actor(testApp.app, 'admin');
    expect((await me(admin.token).expect(200)).body).toEqual({ subject: 'admin-1', role: 'admin', organisationId: 'org-1' });
    const refused = await request(server()).post('/auth/dev-sign-in').send({ role: 'admin', organisationId: 'org-1', subject: 'admin-1' }).expect(403);
    expect(refused.body.code).toBe('AUTH.DEV_SIGN_IN_DISABLED');
  });

  it('answers 503 while the provider cannot be reached, and changes nothing', async () => {
    const token = await another.tokenFor('admin-rs');
    const unreachable = await startTestApp({ OIDC_ISSUER: 'http://127.0.0.1:9/realms/gone', OIDC_CLIENT_ID: 'jalon-console', OIDC_AUDIENCE: AUDIENCE });
    const database = new Client({ connectionString: unreachable.database.url });
    await database.connect();
    const eventCount = async () => (await database.query<{ count: string }>('SELECT count(*) FROM events')).rows[0].count;
    try {
      const before = await eventCount();
      const signIn = await request(unreachable.app.getHttpServer()).get('/auth/sign-in').expect(503);
      expect(signIn.body.code).toBe('AUTH.PROVIDER_UNREACHABLE');
      const act = await request(unreachable.app.getHttpServer())
        .post('/candidates')
        .set('authorization', `Bearer ${token}`)
        .send({ birthName: 'X', firstNames: ['Y'], birthDate: '2000-01-01', sex: 'F', birthPlace: 'Lyon (69)', email: 'x@example.org' })
        .expect(503);
      expect(act.body.code).toBe('AUTH.PROVIDER_UNREACHABLE');
      expect(await eventCount()).toBe(before);
    } finally {
      await database.end();
      await unreachable.close();
    }
  });
});
