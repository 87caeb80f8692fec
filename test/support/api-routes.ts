import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { Role } from '@jalon/domain';
import { PUBLIC_KEY, ROLES_KEY } from '../../apps/api/src/auth/auth.decorators';
import { TestApp } from './test-app';

export interface ApiRoute {
  /** `Controller.handler`, to name the route in a failure. */
  readonly name: string;
  readonly method: string;
  /** With its parameters as declared: `/enrollments/:enrollmentId/option`. */
  readonly path: string;
  readonly roles?: Role[];
  readonly isPublic: boolean;
}

/** Every route of the api, read from the controllers' own metadata: a new route is found by construction. */
export function routesOf(testApp: TestApp): ApiRoute[] {
  const routes: ApiRoute[] = [];
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

const SAMPLE_PARAMS: Record<string, string> = { blocCode: 'BC01', requirementCode: 'PROJET-FIL-ROUGE', referential: 'data-ia-quatre-blocs', version: '1' };

/** The route's path with each parameter filled by a plausible value (a well-formed uuid for ids). */
export function samplePath(route: ApiRoute): string {
  return route.path.replace(/:(\w+)/g, (_m, param: string) => SAMPLE_PARAMS[param] ?? '00000000-0000-4000-8000-000000000000');
}
