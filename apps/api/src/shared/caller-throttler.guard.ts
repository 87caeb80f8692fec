import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerException, ThrottlerGuard } from '@nestjs/throttler';
import { AuthenticatedActor } from '../auth/auth.decorators';

type ThrottlerLimitDetail = Parameters<ThrottlerGuard['throwThrottlingException']>[1];

/**
 * Rate limits per caller and route (the throttler keys each count by handler too): an
 * authenticated request counts against its subject in its organisation (a school's staff behind
 * one address do not share a budget), a public one against its address; a caller busy on one
 * route (an import polling its progress) keeps its budget on the others. It runs after the AuthGuard, which names the caller. A refusal says in a sentence
 * how many requests a minute are allowed and when to retry (Retry-After says it too).
 */
@Injectable()
export class CallerThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    const actor = request.actor as AuthenticatedActor | undefined;
    return actor ? `caller:${actor.organisationId}:${actor.id}` : `address:${String(request.ip)}`;
  }

  protected override async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const who = detail.tracker.startsWith('caller:') ? 'this caller' : 'this address';
    const seconds = Math.max(1, Math.ceil(detail.timeToBlockExpire));
    throw new ThrottlerException(
      `${who} made more than ${detail.limit} requests to this route in the last minute; retry in ${seconds} second${seconds === 1 ? '' : 's'}`,
    );
  }
}
