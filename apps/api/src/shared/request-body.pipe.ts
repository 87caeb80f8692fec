import { ArgumentMetadata, BadRequestException, Injectable, PipeTransform } from '@nestjs/common';

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** Paths of keys in a JSON body that could reach an object's prototype (prototype pollution). */
export function forbiddenKeys(value: unknown, path = ''): string[] {
  if (value === null || typeof value !== 'object') return [];
  return Object.keys(value).flatMap((key) => {
    const here = path ? `${path}.${key}` : key;
    return FORBIDDEN.has(key) ? [here] : forbiddenKeys((value as Record<string, unknown>)[key], here);
  });
}

/** The body's problems before any DTO sees it: each as a field and its reasons. */
function bodyProblems(value: unknown): { field: string; reasons: string[] }[] {
  // Every body is an object of named fields; an array would reach the DTO as fields "0", "1"...,
  // and an empty one would pass for "no fields" on the acts that take none.
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [{ field: 'body', reasons: ['the body must be a JSON object'] }];
  return forbiddenKeys(value).map((field) => ({ field, reasons: [`${field} is not allowed`] }));
}

/**
 * Refuses, before validation, a body that is not a JSON object, or that carries `__proto__`,
 * `constructor` or `prototype` keys. No body at all is the usual call of the acts without fields.
 */
@Injectable()
export class RequestBodyPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'body' || value === undefined) return value;
    const errors = bodyProblems(value);
    if (errors.length > 0) throw new BadRequestException({ code: 'REQUEST.INVALID', message: 'the request body is not valid', errors });
    return value;
  }
}
