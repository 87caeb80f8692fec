import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { Response } from 'express';
import { DomainError, DomainErrorKind } from '@jalon/domain';
import { EventStoreError } from '@jalon/event-store';
import { PersonalDataReadNotRecordedError } from '@jalon/privacy';

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
    sendProblem(host.switchToHttp().getResponse<Response>(), toProblem(exception));
  }
}

export function sendProblem(response: Response, problem: ProblemDetails): void {
  response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
}

const logger = new Logger(ProblemDetailsFilter.name);

export function toProblem(exception: unknown): ProblemDetails {
  if (exception instanceof DomainError) {
    const status = STATUS_OF_KIND[exception.kind];
    return { type: `urn:jalon:error:${exception.code}`, title: exception.kind, status, code: exception.code, detail: exception.message, ...exception.details };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const body = exception.getResponse();
    const extensions = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    const code = typeof extensions.code === 'string' ? extensions.code : (CODE_OF_STATUS[status] ?? `HTTP.${status}`);
    const detail = typeof extensions.message === 'string' ? extensions.message : exception.message;
    const { statusCode: _s, error: _e, message: _m, ...rest } = extensions;
    return { type: `urn:jalon:error:${code}`, title: HttpStatus[status] ?? 'Error', status, code, detail, ...rest };
  }
  // Errors of the body parser, raised before any route: too large, or not JSON.
  const parser = exception as { type?: string; status?: number };
  if (parser?.type === 'entity.too.large') return { type: 'urn:jalon:error:REQUEST.TOO_LARGE', title: 'Payload Too Large', status: 413, code: 'REQUEST.TOO_LARGE', detail: 'the request body is larger than the limit' };
  if (parser?.type === 'entity.parse.failed') return { type: 'urn:jalon:error:REQUEST.MALFORMED_JSON', title: 'Bad Request', status: 400, code: 'REQUEST.MALFORMED_JSON', detail: 'the request body is not valid JSON' };
  if (exception instanceof PersonalDataReadNotRecordedError) {
    // The cause may be anything the database said: it is logged for operators, never answered.
    logger.error(`a read of personal data was refused because it could not be recorded: ${(exception.cause as Error | undefined)?.message ?? 'unknown cause'}`);
    return { type: 'urn:jalon:error:PRIVACY.READ_NOT_RECORDED', title: 'Service Unavailable', status: 503, code: 'PRIVACY.READ_NOT_RECORDED', detail: exception.message };
  }
  if (exception instanceof EventStoreError) {
    const status = exception.code === 'EVENT_STORE.INVALID_ARGUMENT' ? HttpStatus.BAD_REQUEST : HttpStatus.CONFLICT;
    return { type: `urn:jalon:error:${exception.code}`, title: HttpStatus[status], status, code: exception.code, detail: exception.message };
  }
  logger.error(exception instanceof Error ? exception.stack : String(exception));
  return { type: 'urn:jalon:error:INTERNAL', title: 'Internal Server Error', status: 500, code: 'INTERNAL', detail: 'an unexpected error occurred' };
}
