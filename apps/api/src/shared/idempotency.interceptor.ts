import { BadRequestException, CallHandler, ConflictException, ExecutionContext, HttpException, Inject, Injectable, NestInterceptor, UnprocessableEntityException } from '@nestjs/common';
import { Request, Response } from 'express';
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { from, Observable } from 'rxjs';
import { SQL_DB, SqlDb } from '@jalon/runtime';
import { AuthenticatedActor } from '../auth/auth.decorators';
import { ProblemDetails, toProblem } from './problem-details.filter';

const HEADER = 'idempotency-key';
const KEY = /^[\x21-\x7e]{1,200}$/;

/**
 * `Idempotency-Key` on a POST makes a retry return the first answer and append nothing. Keys are
 * scoped to the caller; the same key with another request is refused (422), and a retry while the
 * first is still running is told so (409). Answers of 4xx are kept too (a refused command stays
 * refused); a 5xx frees the key so the retry runs again.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(@Inject(SQL_DB) private readonly db: SqlDb) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request & { actor?: AuthenticatedActor }>();
    const key = request.headers[HEADER];
    if (request.method !== 'POST' || key === undefined || !request.actor) return next.handle();
    if (typeof key !== 'string' || !KEY.test(key)) throw new BadRequestException({ code: 'IDEMPOTENCY.INVALID_KEY', message: 'Idempotency-Key is 1 to 200 visible ASCII characters' });
    return from(this.handle(context, next, request, request.actor, key));
  }

  private async handle(context: ExecutionContext, next: CallHandler, request: Request, actor: AuthenticatedActor, key: string): Promise<unknown> {
    const response = context.switchToHttp().getResponse<Response>();
    const requestHash = createHash('sha256').update(`${request.method} ${request.originalUrl}\n${JSON.stringify(request.body ?? {})}`).digest('hex');
    const claimed = await sql`INSERT INTO idempotency_keys (organisation_id, actor_id, key, request_hash, state) VALUES (${actor.organisationId}, ${actor.id}, ${key}, ${requestHash}, 'pending')
      ON CONFLICT DO NOTHING RETURNING key`.execute(this.db);
    if (claimed.rows.length === 0) return this.replay(response, actor, key, requestHash);

    try {
      const body = await new Promise<unknown>((resolve, reject) => next.handle().subscribe({ next: resolve, error: reject }));
      await this.remember(actor, key, response.statusCode, body);
      return body;
    } catch (error) {
      const problem = toProblem(error);
      if (problem.status >= 500) await sql`DELETE FROM idempotency_keys WHERE organisation_id = ${actor.organisationId} AND actor_id = ${actor.id} AND key = ${key}`.execute(this.db);
      else await this.remember(actor, key, problem.status, problem);
      throw error;
    }
  }

  private async remember(actor: AuthenticatedActor, key: string, status: number, body: unknown): Promise<void> {
    await sql`UPDATE idempotency_keys SET state = 'done', status_code = ${status}, response = ${JSON.stringify(body ?? null)}::jsonb
      WHERE organisation_id = ${actor.organisationId} AND actor_id = ${actor.id} AND key = ${key}`.execute(this.db);
  }

  private async replay(response: Response, actor: AuthenticatedActor, key: string, requestHash: string): Promise<unknown> {
    const { rows } = await sql<{ request_hash: string; state: string; status_code: number; response: unknown }>`
      SELECT request_hash, state, status_code, response FROM idempotency_keys WHERE organisation_id = ${actor.organisationId} AND actor_id = ${actor.id} AND key = ${key}`.execute(this.db);
    const first = rows[0];
    if (!first) throw new ConflictException({ code: 'IDEMPOTENCY.IN_PROGRESS', message: 'a request with this Idempotency-Key was just abandoned; retry' });
    if (first.request_hash !== requestHash) throw new UnprocessableEntityException({ code: 'IDEMPOTENCY.KEY_REUSED', message: 'this Idempotency-Key was used for another request' });
    if (first.state !== 'done') throw new ConflictException({ code: 'IDEMPOTENCY.IN_PROGRESS', message: 'the first request with this Idempotency-Key is still running' });
    response.setHeader('Idempotent-Replayed', 'true');
    if (first.status_code >= 400) {
      const problem = first.response as ProblemDetails;
      // Thrown again as it was answered: the exception filter renders it the same way.
      throw new HttpException({ ...problem, message: problem.detail }, first.status_code);
    }
    response.status(first.status_code);
    return first.response;
  }
}
