import { ArgumentMetadata, BadRequestException, Injectable, PipeTransform } from '@nestjs/common';

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** Deeper than any request the api takes (a référentiel travels as one string): beyond it, a body is refused. */
export const MAX_BODY_DEPTH = 16;

type FieldProblem = { field: string; reasons: string[] };

/**
 * Keys that could reach an object's prototype (prototype pollution), and nesting beyond
 * MAX_BODY_DEPTH. Walked with a stack, not recursion: a body of 5,000 nested arrays must get its
 * 400, not exhaust the call stack here or in the validators after.
 */
export function structureProblems(body: unknown): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const pending: { value: unknown; path: string; depth: number }[] = [{ value: body, path: '', depth: 0 }];
  while (pending.length > 0) {
    const { value, path, depth } = pending.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_BODY_DEPTH) return [{ field: path || 'body', reasons: [`the body is nested deeper than ${MAX_BODY_DEPTH} levels`] }];
    for (const key of Object.keys(value)) {
      const here = path ? `${path}.${key}` : key;
      if (FORBIDDEN.has(key)) problems.push({ field: here, reasons: [`${here} is not allowed`] });
      else pending.push({ value: (value as Record<string, unknown>)[key], path: here, depth: depth + 1 });
    }
  }
  return problems;
}

/** The body's problems before any DTO sees it: each as a field and its reasons. */
function bodyProblems(value: unknown): FieldProblem[] {
  // Every body is an object of named fields; an array would reach the DTO as fields "0", "1"...,
  // and an empty one would pass for "no fields" on the acts that take none.
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [{ field: 'body', reasons: ['the body must be a JSON object'] }];
  return structureProblems(value);
}

/**
 * Refuses, before validation, a body that is not a JSON object, that carries `__proto__`,
 * `constructor` or `prototype` keys, or that is nested too deep. No body at all is the usual call
 * of the acts without fields.
 */
@Injectable()
export class RequestBodyPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'body' || value === undefined) return value;
    const errors = bodyProblems(value);
    if (errors.length > 0) {
      const message =
        errors[0].field === 'body' && errors.length === 1
          ? 'the request body is not a JSON object'
          : 'the request body is not valid: see errors for each field';
      throw new BadRequestException({ code: 'REQUEST.INVALID', message, errors });
    }
    return value;
  }
}
