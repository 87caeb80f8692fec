import {
  BadRequestException,
  CallHandler,
  ConflictException,
  ExecutionContext,
  HttpException,
  Inject,
  Injectable,
  NestInterceptor,
  UnprocessableEntityException,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { from, Observable } from 'rxjs';
import { withDerivedIds } from '@jalon/event-store';
import { ownerIsGone, ProcessLiveness, SQL_DB, SqlDb } from '@jalon/runtime';
import { AuthenticatedActor } from '../auth/auth.decorators';
import { ProblemDetails, toProblem } from './problem-details.filter';

const HEADER = 'idempotency-key';
const KEY = /^[\x21-\x7e]{1,200}$/;

/**
 * How old a pending claim must be before a retry may take it over even though the process that
 * claimed it still lives: a live one answers well within it (the longest wait a command makes is
 * an erasure's 10 s for the read models), so by then the request is stuck. A claim whose process
 * died is taken over at once (ProcessLiveness).
 */
export const ABANDONED_CLAIM_AFTER_SECONDS = 30;

/** The fingerprint of a request: its retries must send exactly this. */
export function idempotencyRequestHash(method: string, url: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${url}\n${JSON.stringify(body ?? {})}`)
    .digest('hex');
}

/**
 * What the ids a keyed request creates derive from (see DerivedIds): the caller, the key and the
 * request. Another caller's key, or another request under the key, derives other ids.
 */
export function idempotencySeed(actor: { organisationId: string; id: string }, key: string, requestHash: string): string {
  return createHash('sha256')
    .update(JSON.stringify([actor.organisationId, actor.id, key, requestHash]))
    .digest('hex');
}

/** Answers that say "try again" rather than decide anything: never kept as the final answer. */
function isTransient(problem: ProblemDetails): boolean {
  return problem.status >= 500 || problem.status === 429 || problem.code === 'EVENT_STORE.CONCURRENCY_CONFLICT';
}

/** One claim of a key, told apart from a later takeover by the time it was made. */
interface Claim {
  readonly actor: AuthenticatedActor;
  readonly key: string;
  readonly claimedAt: string;
}

/**
 * `Idempotency-Key` on a POST makes a retry return the first answer and append nothing. Keys are
 * scoped to the caller; the same key with another request is refused (422), and a retry while the
 * first is still running is told so (409). Answers of 4xx are kept too (a refused command stays
 * refused); an answer that asks for a retry (5xx, 429, a concurrency conflict) frees the key so the
 * retry runs again, and so does a claim whose process died, or one stuck for ABANDONED_CLAIM_AFTER_SECONDS.
 *
 * Exactly once does not rest on this table, written after the append: the request runs with ids
 * derived from the caller, the key and the request (withDerivedIds), so a retry that runs it again
 * — its first run died after the append and before its answer was kept — appends nothing and is
 * answered from what the first run appended.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    @Inject(SQL_DB) private readonly db: SqlDb,
    private readonly liveness: ProcessLiveness,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest & { actor?: AuthenticatedActor }>();
    const key = request.headers[HEADER];
    if (request.method !== 'POST' || key === undefined || !request.actor) return next.handle();
    if (typeof key !== 'string' || !KEY.test(key))
      throw new BadRequestException({ code: 'IDEMPOTENCY.INVALID_KEY', message: 'Idempotency-Key is 1 to 200 visible ASCII characters' });
    return from(this.handle(context, next, request, request.actor, key));
  }

  private async handle(context: ExecutionContext, next: CallHandler, request: FastifyRequest, actor: AuthenticatedActor, key: string): Promise<unknown> {
    const response = context.switchToHttp().getResponse<FastifyReply>();
    const requestHash = idempotencyRequestHash(request.method, request.originalUrl, request.body);
    // A new key is claimed; so is a pending claim of the same request whose process died, or that
    // is stuck. The row lock makes the takeover atomic: a second retry waiting on it then sees the
    // claim's fresh time and live owner and does not take it too. created_at is the time of the current claim.
    const claimed = await sql<{ claimed_at: string }>`
      INSERT INTO idempotency_keys AS k (organisation_id, actor_id, key, request_hash, state, owner_lock) VALUES (${actor.organisationId}, ${actor.id}, ${key}, ${requestHash}, 'pending', ${this.liveness.lockId})
      ON CONFLICT (organisation_id, actor_id, key) DO UPDATE SET created_at = clock_timestamp(), owner_lock = EXCLUDED.owner_lock
        WHERE k.state = 'pending' AND k.request_hash = EXCLUDED.request_hash
          AND (k.created_at < clock_timestamp() - make_interval(secs => ${ABANDONED_CLAIM_AFTER_SECONDS}) OR (k.owner_lock IS NOT NULL AND ${ownerIsGone(sql`k.owner_lock`)}))
      RETURNING created_at::text AS claimed_at`.execute(this.db);
    if (claimed.rows.length === 0) return this.replay(response, actor, key, requestHash);
    const claim: Claim = { actor, key, claimedAt: claimed.rows[0].claimed_at };

    try {
      // Everything the handler creates (ids, events) derives from the request: see the class comment.
      const seed = idempotencySeed(actor, key, requestHash);
      const body = await new Promise<unknown>((resolve, reject) => withDerivedIds(seed, () => next.handle().subscribe({ next: resolve, error: reject })));
      await this.remember(claim, response.statusCode, body);
      return body;
    } catch (error) {
      const problem = toProblem(error);
      if (isTransient(problem)) await this.release(claim);
      else await this.remember(claim, problem.status, problem);
      throw error;
    }
  }

  // Both touch the row only while it is still this claim: if a retry took it over (this request
  // outlived the bound), the retry's answer is the one kept.
  private async remember(claim: Claim, status: number, body: unknown): Promise<void> {
    await sql`UPDATE idempotency_keys SET state = 'done', status_code = ${status}, response = ${JSON.stringify(body ?? null)}::jsonb
      WHERE ${this.isCurrent(claim)}`.execute(this.db);
  }

  private async release(claim: Claim): Promise<void> {
    await sql`DELETE FROM idempotency_keys WHERE ${this.isCurrent(claim)}`.execute(this.db);
  }

  private isCurrent({ actor, key, claimedAt }: Claim) {
    return sql`organisation_id = ${actor.organisationId} AND actor_id = ${actor.id} AND key = ${key} AND state = 'pending' AND created_at = ${claimedAt}::timestamptz`;
  }

  private async replay(response: FastifyReply, actor: AuthenticatedActor, key: string, requestHash: string): Promise<unknown> {
    const { rows } = await sql<{ request_hash: string; state: string; status_code: number; response: unknown }>`
      SELECT request_hash, state, status_code, response FROM idempotency_keys WHERE organisation_id = ${actor.organisationId} AND actor_id = ${actor.id} AND key = ${key}`.execute(
      this.db,
    );
    const first = rows[0];
    if (!first) throw new ConflictException({ code: 'IDEMPOTENCY.IN_PROGRESS', message: 'a request with this Idempotency-Key was just abandoned; retry' });
    if (first.request_hash !== requestHash)
      throw new UnprocessableEntityException({ code: 'IDEMPOTENCY.KEY_REUSED', message: 'this Idempotency-Key was used for another request' });
    if (first.state !== 'done') {
      response.header('Retry-After', '1');
      throw new ConflictException({
        code: 'IDEMPOTENCY.IN_PROGRESS',
        message: 'the first request with this Idempotency-Key is still running; retry in a second',
      });
    }
    response.header('Idempotent-Replayed', 'true');
    if (first.status_code >= 400) {
      const problem = first.response as ProblemDetails;
      // Thrown again as it was answered: the exception filter renders it the same way.
      throw new HttpException({ ...problem, message: problem.detail }, first.status_code);
    }
    response.status(first.status_code);
    return first.response;
  }
}
