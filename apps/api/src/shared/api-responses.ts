import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiHeader, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ProblemDetailsSchema } from './problem-details.schema';

/** The error statuses the api answers (see ProblemDetailsFilter); 500 is left out, as on any api. */
export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 422 | 429 | 503;

/** An error status with what it means on this route. */
export interface ProblemAnswer {
  readonly status: ProblemStatus;
  readonly description: string;
}

/** What a status means when a route says nothing more of it. */
const GENERIC: Record<ProblemStatus, string> = {
  400: 'The request is not valid: REQUEST.INVALID lists each field and why in `errors`; a refusal with a code of its own names its `field`',
  401: 'No valid bearer token: AUTH.TOKEN_REQUIRED, AUTH.INVALID_TOKEN',
  403: 'The caller’s role may not do this: AUTH.ROLE_NOT_ALLOWED; or the identity provider’s token names no single Jalon role and organisation: AUTH.NO_ROLE',
  404: 'Not found, or not visible to the caller (another organisation’s, another candidate’s)',
  409: 'A conflict with the current state',
  410: 'It existed, and is gone for good',
  413: 'REQUEST.TOO_LARGE: the body is larger than the limit (BODY_LIMIT_BYTES)',
  415: 'REQUEST.UNSUPPORTED_MEDIA_TYPE: a body was sent that is not JSON (Content-Type other than application/json, or none)',
  422: 'The request cannot be processed as sent',
  429: 'REQUEST.TOO_MANY: too many requests to this route from this caller (or, unauthenticated, this address) in the last minute; `detail` and `Retry-After` say when to retry',
  503: 'The service cannot answer for now; retry later',
};

/** Answers shared by several routes, described once. */
export const Problems = {
  invalidQuery: {
    status: 400,
    description: 'A query parameter is not valid: REQUEST.INVALID lists each and why in `errors`; QUERY.* codes name their `field`',
  },
  invalidId: { status: 400, description: 'An id in the path is not a uuid: REQUEST.INVALID' },
  readModelsNotThere: {
    status: 503,
    description:
      'consistentWith cannot be met: READ_MODEL.BEHIND (the read models did not reach it within the wait; retry shortly) or READ_MODEL.FAILED (a read model stopped on an error before it; `projections` names them)',
  },
  readNotRecorded: { status: 503, description: 'PRIVACY.READ_NOT_RECORDED: the read of personal data could not be recorded, so nothing is answered' },
} satisfies Record<string, ProblemAnswer>;

/** What any command (every POST) may answer besides its own refusals. */
const COMMAND_ANSWERS: readonly ProblemAnswer[] = [
  {
    status: 400,
    description:
      'REQUEST.INVALID: a field of the body is missing, unknown or wrong (each listed in `errors`); REQUEST.MALFORMED_JSON: the body is not JSON; IDEMPOTENCY.INVALID_KEY: the Idempotency-Key header is not 1 to 200 visible ASCII characters',
  },
  { status: 401, description: GENERIC[401] },
  { status: 403, description: GENERIC[403] },
  { status: 409, description: 'IDEMPOTENCY.IN_PROGRESS: the first request with this Idempotency-Key is still running; retry after `Retry-After` seconds' },
  { status: 413, description: GENERIC[413] },
  { status: 415, description: GENERIC[415] },
  { status: 422, description: 'IDEMPOTENCY.KEY_REUSED: this Idempotency-Key was used by the caller for another request' },
  { status: 429, description: GENERIC[429] },
];

const PROBLEM_CONTENT = { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDetailsSchema) } } };
const RETRY_AFTER = { 'Retry-After': { description: 'Seconds until the client may send again', schema: { type: 'integer' } } };

/**
 * The error answers of a route (or of every route of a controller), each as ProblemDetails in
 * `application/problem+json`. A bare status takes its generic meaning; a status given more than
 * once (the command's own and the route's) lists every meaning.
 */
export function ApiProblemResponses(...answers: (ProblemStatus | ProblemAnswer)[]): MethodDecorator & ClassDecorator {
  const meanings = new Map<ProblemStatus, string[]>();
  for (const answer of answers) {
    const { status, description } = typeof answer === 'number' ? { status: answer, description: GENERIC[answer] } : answer;
    const known = meanings.get(status) ?? [];
    if (!known.includes(description)) meanings.set(status, [...known, description]);
  }
  return applyDecorators(
    ApiExtraModels(ProblemDetailsSchema),
    ...[...meanings]
      .sort(([a], [b]) => a - b)
      .map(([status, descriptions]) =>
        ApiResponse({ status, description: descriptions.join('. Or: '), content: PROBLEM_CONTENT, ...(status === 429 ? { headers: RETRY_AFTER } : {}) }),
      ),
  );
}

/**
 * A command (a POST): the optional `Idempotency-Key` header (IdempotencyInterceptor) and what every
 * command may answer, with the route's own refusals.
 */
export function ApiCommandResponses(...answers: (ProblemStatus | ProblemAnswer)[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'Makes a retry safe: the same request with the same key (per caller) returns the first answer, with `Idempotent-Replayed: true`, and appends nothing. The key with another request answers 422, while the first still runs 409.',
      schema: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[!-~]{1,200}$' },
    }),
    ApiProblemResponses(...COMMAND_ANSWERS, ...answers),
  );
}
