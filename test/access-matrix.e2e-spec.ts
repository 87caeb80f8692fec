import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import request from 'supertest';
import { Role, ROLES } from '@jalon/domain';
import { AuthGuard } from '../apps/api/src/auth/auth.guard';
import { IdentityProvider } from '../apps/api/src/auth/identity-provider';
import { ApiRoute, routesOf, samplePath } from './support/api-routes';
import { actor } from './support/http-actors';
import { capturingLoggedErrors } from './support/logged-errors';
import { startTestApp, TestApp } from './support/test-app';

const CHANGING_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const changesSomething = (route: ApiRoute) => CHANGING_METHODS.has(route.method);
const described = (route: ApiRoute) => `${route.method} ${route.path} (${route.name}) admits ${(route.roles ?? []).join(', ')}`;

/**
 * The acts that belong to one set of roles alone, found by their path so that a new route of the
 * same kind falls under the same rule. Each rule must match a route, or it would hold vacuously.
 */
const SOLE_ROLES: { readonly acts: string; readonly path: RegExp; readonly roles: Role[] }[] = [
  { acts: 'granting, amending and ending accommodations', path: /\/accommodations(\/|$)/, roles: ['referent'] },
  { acts: 'recording a sitting held (the admin, or an assessor of the sitting)', path: /\/sittings\/:sittingId\/held$/, roles: ['admin', 'assessor'] },
  { acts: 'recording an assessment', path: /\/sittings\/:sittingId\/assessments$/, roles: ['assessor'] },
  { acts: 'correcting an assessment', path: /\/assessments\/:assessmentId\/corrections$/, roles: ['assessor', 'jury'] },
  { acts: 'validating and annulling a bloc', path: /\/blocs\/:blocCode\//, roles: ['jury'] },
  { acts: 'validating an extra requirement', path: /\/requirements\/:requirementCode\//, roles: ['jury'] },
  { acts: 'the final jury decision', path: /\/final-decision$/, roles: ['jury'] },
];

/*
 * Who may do what (issue 4, §3): admins act within their organisation; assessors record
 * assessments; jury members take decisions; the referent alone manages accommodations; auditors
 * read everything and change nothing; a candidate reads only their own path. The first tests check
 * that the guard obeys each route's declared roles; the policy tests below check the declarations
 * themselves against those rules, so a route declared for the wrong role fails too.
 */

describe('who may do what: every route against every role', () => {
  let testApp: TestApp;
  let routes: ApiRoute[];

  beforeAll(async () => {
    testApp = await startTestApp();
    routes = routesOf(testApp);
  });
  afterAll(() => testApp?.close());

  it('finds the routes, and every one declares who may call it', () => {
    expect(routes.length).toBeGreaterThan(20);
    expect(routes.filter((r) => !r.isPublic && !r.roles).map((r) => r.name)).toEqual([]);
  });

  it('each role is let through exactly where the route allows it (403 elsewhere), and no token is 401', async () => {
    const server = testApp.app.getHttpServer();
    const mismatches: string[] = [];
    for (const route of routes) {
      const path = samplePath(route);
      const call = (token?: string) => {
        const test = (request(server) as unknown as Record<string, (p: string) => request.Test>)[route.method.toLowerCase()](path);
        return (token ? test.set('authorization', `Bearer ${token}`) : test).send({});
      };
      const anonymous = await call();
      if (route.isPublic ? anonymous.status === 401 || anonymous.status === 403 : anonymous.status !== 401)
        mismatches.push(`${route.method} ${route.path} without token: ${anonymous.status}`);
      if (route.isPublic) continue;
      for (const role of ROLES.filter((r) => r !== 'system')) {
        const response = await call(actor(testApp.app, role).token);
        const allowed = route.roles!.includes(role);
        const refused = response.status === 403 && ['AUTH.ROLE_NOT_ALLOWED'].includes(response.body.code);
        if (allowed === refused || response.status === 401)
          mismatches.push(`${route.method} ${route.path} as ${role}: ${response.status} ${response.body.code ?? ''}`);
      }
    }
    expect(mismatches).toEqual([]);
  }, 120_000);

  describe('the declared roles follow the policy', () => {
    it('auditors change nothing: no POST, PUT, PATCH or DELETE route admits the auditor', () => {
      expect(routes.filter((r) => changesSomething(r) && r.roles?.includes('auditor')).map(described)).toEqual([]);
    });

    it('a candidate changes nothing but their own consent to show a disability to the jury (R10)', () => {
      const candidateActs = routes.filter((r) => changesSomething(r) && r.roles?.includes('candidate')).map((r) => `${r.method} ${r.path}`);
      expect(candidateActs.sort()).toEqual(['POST /enrollments/:enrollmentId/jury-consent', 'POST /enrollments/:enrollmentId/jury-consent/withdrawal']);
    });

    it('a candidate reads only who they are signed in as, their own path, identity and documents: these routes and no other, each scoped to the caller by its service', () => {
      // The services scope each answer to the caller (proven in the path-queries and personal-data
      // specs); this list makes opening a new route to candidates a deliberate change of the policy.
      const candidateReads = routes.filter((r) => !changesSomething(r) && r.roles?.includes('candidate')).map((r) => `${r.method} ${r.path}`);
      expect(candidateReads.sort()).toEqual([
        'GET /auth/me',
        'GET /candidates/:candidateId',
        'GET /enrollments',
        'GET /enrollments/:enrollmentId',
        'GET /enrollments/:enrollmentId/documents',
        'GET /enrollments/:enrollmentId/documents/:number/credential',
        'GET /enrollments/:enrollmentId/documents/:number/pdf',
      ]);
    });

    it.each(SOLE_ROLES)('$acts: only $roles', ({ path, roles }) => {
      const acts = routes.filter((r) => changesSomething(r) && path.test(r.path));
      expect(acts.length).toBeGreaterThan(0);
      expect(acts.filter((r) => [...(r.roles ?? [])].sort().join() !== [...roles].sort().join()).map(described)).toEqual([]);
    });
  });

  it('a route without a rule is refused by the guard, not let through', async () => {
    const guard = new AuthGuard(new Reflector(), testApp.app.get(JwtService), testApp.app.get(IdentityProvider));
    const token = actor(testApp.app, 'admin').token;
    const handler = function unguarded() {};
    class Bare {}
    const context = {
      getHandler: () => handler,
      getClass: () => Bare,
      switchToHttp: () => ({ getRequest: () => ({ headers: { authorization: `Bearer ${token}` } }) }),
    };
    const { errors } = await capturingLoggedErrors(() =>
      expect(guard.canActivate(context as never)).rejects.toMatchObject({ response: { code: 'AUTH.NO_RULE' } }),
    );
    expect(errors).toEqual(['route Bare.unguarded declares no roles: refused']);
  });
});
