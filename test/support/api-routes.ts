import { HttpStatus, RequestMethod } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
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
  /** The status it answers on success: its @HttpCode, else 201 for a POST and 200 for the rest. */
  readonly successStatus: number;
  /** Whether the handler reads a body (`@Body`). */
  readonly takesBody: boolean;
  /** The class of its `@Query()` DTO, if it reads the query string. */
  readonly queryType?: abstract new (...args: never[]) => unknown;
  /** Its path parameters that go through a pipe (ParseUUIDPipe): a malformed one answers 400. */
  readonly validatedParams: string[];
}

interface RouteArgument {
  readonly index: number;
  readonly data?: unknown;
  readonly pipes?: unknown[];
}

/** What a handler takes from the request, from the metadata of its parameter decorators. */
function argumentsOf(controller: { prototype: object }, name: string) {
  const args = Object.entries((Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) ?? {}) as Record<string, RouteArgument>);
  // Keys are `<paramtype>:<index>` (custom decorators such as @CurrentActor have keys of their own).
  const ofType = (type: RouteParamtypes) => args.filter(([key]) => key.split(':')[0] === String(type)).map(([, arg]) => arg);
  const types = (Reflect.getMetadata('design:paramtypes', controller.prototype, name) ?? []) as (abstract new (...args: never[]) => unknown)[];
  const query = ofType(RouteParamtypes.QUERY)[0];
  return {
    takesBody: ofType(RouteParamtypes.BODY).length > 0,
    queryType: query ? types[query.index] : undefined,
    validatedParams: ofType(RouteParamtypes.PARAM)
      .filter((arg) => (arg.pipes ?? []).length > 0)
      .map((arg) => String(arg.data)),
  };
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
        const requestMethod = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod;
        const method = RequestMethod[requestMethod];
        const path = `/${[base, String(Reflect.getMetadata(PATH_METADATA, handler))].filter((p) => p && p !== '/').join('/')}`.replace(/\/+/g, '/');
        routes.push({
          name: `${controller.name}.${name}`,
          method,
          path,
          roles: Reflect.getMetadata(ROLES_KEY, handler) ?? Reflect.getMetadata(ROLES_KEY, controller),
          isPublic: Boolean(Reflect.getMetadata(PUBLIC_KEY, handler) ?? Reflect.getMetadata(PUBLIC_KEY, controller)),
          successStatus: Reflect.getMetadata(HTTP_CODE_METADATA, handler) ?? (requestMethod === RequestMethod.POST ? HttpStatus.CREATED : HttpStatus.OK),
          ...argumentsOf(controller, name),
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
