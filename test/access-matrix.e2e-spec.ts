import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer, Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import request from 'supertest';
import { Role, ROLES } from '@jalon/domain';
import { PUBLIC_KEY, ROLES_KEY } from '../apps/api/src/auth/auth.decorators';
import { AuthGuard } from '../apps/api/src/auth/auth.guard';
import { actor } from './support/http-actors';
import { startTestApp, TestApp } from './support/test-app';

interface Route {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly roles?: Role[];
  readonly isPublic: boolean;
}

const SAMPLE_PARAMS: Record<string, string> = { blocCode: 'BC01', requirementCode: 'PROJET-FIL-ROUGE', referential: 'data-ia-quatre-blocs', version: '1' };

/** Every route of the api, read from the controllers' own metadata: a new route is in the matrix by construction. */
function routesOf(testApp: TestApp): Route[] {
  const routes: Route[] = [];
  for (const module of testApp.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as { prototype: Record<string, unknown>; name: string } | null;
      if (!controller) continue;
      const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = controller.prototype[name];
        if (name === 'constructor' || typeof handler !== 'function' || Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
        const path = `/${[base, String(Reflect.getMetadata(PATH_METADATA, handler))].filter((p) => p && p !== '/').join('/')}`.replace(/\/+/g, '/');
        routes.push({
          name: `${controller.name}.${name}`,
          method,
          path,
          roles: Reflect.getMetadata(ROLES_KEY, handler) ?? Reflect.getMetadata(ROLES_KEY, controller),
          isPublic: Boolean(Reflect.getMetadata(PUBLIC_KEY, handler) ?? Reflect.getMetadata(PUBLIC_KEY, controller)),
        });
      }
    }
  }
  return routes;
}

describe('who may do what: every route against every role', () => {
  let testApp: TestApp;
  let routes: Route[];

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
      const path = route.path.replace(/:(\w+)/g, (_m, param: string) => SAMPLE_PARAMS[param] ?? '00000000-0000-4000-8000-000000000000');
      const call = (token?: string) => {
        const test = (request(server) as unknown as Record<string, (p: string) => request.Test>)[route.method.toLowerCase()](path);
        return (token ? test.set('authorization', `Bearer ${token}`) : test).send({});
      };
      const anonymous = await call();
      if (route.isPublic ? anonymous.status === 401 || anonymous.status === 403 : anonymous.status !== 401) mismatches.push(`${route.method} ${route.path} without token: ${anonymous.status}`);
      if (route.isPublic) continue;
      for (const role of ROLES.filter((r) => r !== 'system')) {
        const response = await call(actor(testApp.app, role).token);
        const allowed = route.roles!.includes(role);
        const refused = response.status === 403 && ['AUTH.ROLE_NOT_ALLOWED'].includes(response.body.code);
        if (allowed === refused || response.status === 401) mismatches.push(`${route.method} ${route.path} as ${role}: ${response.status} ${response.body.code ?? ''}`);
      }
    }
    expect(mismatches).toEqual([]);
  }, 120_000);

  it('a route without a rule is refused by the guard, not let through', async () => {
    const guard = new AuthGuard(new Reflector(), testApp.app.get(JwtService));
    const token = actor(testApp.app, 'admin').token;
    const handler = function unguarded() {};
    class Bare {}
    const context = {
      getHandler: () => handler,
      getClass: () => Bare,
      switchToHttp: () => ({ getRequest: () => ({ headers: { authorization: `Bearer ${token}` } }) }),
    };
    await expect(guard.canActivate(context as never)).rejects.toMatchObject({ response: { code: 'AUTH.NO_RULE' } });
  });
});
