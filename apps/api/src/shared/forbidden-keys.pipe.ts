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

/** Refuses, before validation, any body carrying `__proto__`, `constructor` or `prototype` keys. */
@Injectable()
export class ForbiddenKeysPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'body') return value;
    const found = forbiddenKeys(value);
    if (found.length > 0) {
      throw new BadRequestException({ code: 'REQUEST.INVALID', message: 'the request body is not valid', errors: found.map((field) => ({ field, reasons: [`${field} is not allowed`] })) });
    }
    return value;
  }
}
