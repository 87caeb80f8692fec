import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { DomainError, DomainErrorKind } from '@jalon/domain';
import { EventStoreError } from '@jalon/event-store';
import { DataKeyUnreadableError, PersonalDataReadNotRecordedError } from '@jalon/privacy';

/** The one place where a domain error's kind becomes an HTTP status. */
const STATUS_OF_KIND: Record<DomainErrorKind, number> = {
  validation: HttpStatus.BAD_REQUEST,
  'illegal-state': HttpStatus.CONFLICT,
  conflict: HttpStatus.CONFLICT,
  'not-found': HttpStatus.NOT_FOUND,
  forbidden: HttpStatus.FORBIDDEN,
};

/** Stable codes for statuses that come from the framework rather than from a domain error. */
const CODE_OF_STATUS: Record<number, string> = { 400: 'REQUEST.INVALID', 413: 'REQUEST.TOO_LARGE', 429: 'REQUEST.TOO_MANY', 404: 'ROUTE.NOT_FOUND' };

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  [extension: string]: unknown;
}

/** Every error leaves as `application/problem+json` (RFC 9457) with a stable `code`. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    sendProblem(host.switchToHttp().getResponse<FastifyReply>(), toProblem(exception));
  }
}

function sendProblem(reply: FastifyReply, problem: ProblemDetails): void {
  reply.status(problem.status).type('application/problem+json; charset=utf-8').send(JSON.stringify(problem));
}

const logger = new Logger(ProblemDetailsFilter.name);

/**
 * A problem with its `title` from one vocabulary: the HTTP reason phrase of its status ("Bad
 * Request", "Conflict"…); the `code` says what precisely, the `detail` says it in a sentence.
 */
function problem(status: number, code: string, detail: string, extensions: Record<string, unknown> = {}): ProblemDetails {
  return { type: `urn:jalon:error:${code}`, title: STATUS_CODES[status] ?? 'Error', status, code, detail, ...extensions };
}

export function toProblem(exception: unknown): ProblemDetails {
  if (exception instanceof DomainError) return problem(STATUS_OF_KIND[exception.kind], exception.code, exception.message, { ...exception.details });
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const body = exception.getResponse();
    // Fastify refuses a body over the limit itself; Nest hands its error over as an HttpException with Fastify's wording.
    if (status === HttpStatus.PAYLOAD_TOO_LARGE && typeof body === 'string')
      return problem(413, 'REQUEST.TOO_LARGE', 'the request body is larger than the limit');
    const extensions = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    const code = typeof extensions.code === 'string' ? extensions.code : (CODE_OF_STATUS[status] ?? `HTTP.${status}`);
    const detail = typeof extensions.message === 'string' ? extensions.message : exception.message;
    const { statusCode: _s, error: _e, message: _m, title: _t, type: _type, status: _status, code: _c, detail: _d, ...rest } = extensions;
    return problem(status, code, detail, rest);
  }
  if (exception instanceof PersonalDataReadNotRecordedError) {
    // The cause may be anything the database said: it is logged for operators, never answered.
    logger.error(`a read of personal data was refused because it could not be recorded: ${(exception.cause as Error | undefined)?.message ?? 'unknown cause'}`);
    return problem(503, 'PRIVACY.READ_NOT_RECORDED', exception.message);
  }
  if (exception instanceof DataKeyUnreadableError) {
    logger.error(exception.message);
    return problem(
      503,
      exception.code,
      'personal data needed by this request cannot be opened with the configured master keys; nothing was changed (operators: see the service log)',
    );
  }
  if (exception instanceof EventStoreError)
    return problem(exception.code === 'EVENT_STORE.INVALID_ARGUMENT' ? HttpStatus.BAD_REQUEST : HttpStatus.CONFLICT, exception.code, exception.message);
  logger.error(exception instanceof Error ? exception.stack : String(exception));
  return problem(500, 'INTERNAL', 'an unexpected error occurred');
}
