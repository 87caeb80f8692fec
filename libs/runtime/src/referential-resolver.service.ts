import { Inject, Injectable } from '@nestjs/common';
import { Referential, ReferentialEvent, referentialStreamId, ValidationError } from '@jalon/domain';
import { EventStore } from '@jalon/event-store';
import { EVENT_STORE } from './runtime.tokens';

/**
 * Finds the content of a published référentiel version — the shipped ones and those imported
 * over HTTP alike — from its stream in the log. Published versions never change (R1), so each is
 * read once per process.
 */
@Injectable()
export class ReferentialResolver {
  private readonly cache = new Map<string, Referential>();

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async resolve(referentialId: string, version: string): Promise<Referential> {
    const key = `${referentialId}@${version}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const events = await this.store.readStream(referentialStreamId(referentialId));
    for (const event of events) {
      const data = (event as unknown as { data: ReferentialEvent['data'] }).data;
      if (event.type === 'ReferentialVersionPublished' && data.version === version) {
        this.cache.set(key, data.content);
        return data.content;
      }
    }
    throw new ValidationError('REFERENTIAL.NOT_PUBLISHED', `référentiel ${key} is not published`, { referentialId, version });
  }
}
