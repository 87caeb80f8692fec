import { Inject, Injectable } from '@nestjs/common';
import { Referential, referentialDecider, ReferentialEvent, ReferentialState, referentialStreamId, ValidationError, withdrawalOf } from '@jalon/domain';
import { EventStore, fromRecorded } from '@jalon/event-store';
import { EVENT_STORE } from './runtime.tokens';

/** What this process has read of one référentiel's stream: its fold, and the contents published there. */
interface FollowedStream {
  /** The revision of the next event to read: everything before it is folded here. */
  next: number;
  state: ReferentialState;
  readonly contents: Map<string, Referential>;
}

/** A read of a stream under way, and the one that follows it for the questions asked meanwhile. */
interface StreamRead {
  readonly read: Promise<FollowedStream>;
  next?: Promise<FollowedStream>;
}

/**
 * Finds the content of a published référentiel version — the shipped ones and those imported
 * over HTTP alike — and whether it is withdrawn from new enrollments, from its stream in the log.
 *
 * A stream only grows: what this process read of it is kept (published contents never change, R1),
 * and each question reads only the events appended since. A withdrawal is asked of the log every
 * time (one read of the stream from the revision already folded, empty unless something was
 * appended), never answered from memory alone: one recorded by another process is seen by the very
 * next decision here.
 */
@Injectable()
export class ReferentialResolver {
  private readonly streams = new Map<string, FollowedStream>();
  /** The read of each stream under way, if any, and the one that follows it for the questions asked meanwhile. */
  private readonly reads = new Map<string, StreamRead>();

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async resolve(referentialId: string, version: string): Promise<Referential> {
    const known = this.streams.get(referentialId)?.contents.get(version);
    if (known) return known;
    const found = (await this.catchUp(referentialId)).contents.get(version);
    if (found) return found;
    const key = `${referentialId}@${version}`;
    throw new ValidationError('REFERENTIAL.NOT_PUBLISHED', `référentiel ${key} is not published`, { referentialId, version });
  }

  /** When and why the version was withdrawn from new enrollments, as the log says now; undefined when it was not (or is not published). */
  async withdrawal(referentialId: string, version: string): Promise<{ at: string; reason: string } | undefined> {
    const withdrawn = withdrawalOf((await this.catchUp(referentialId)).state, version);
    return withdrawn && { at: withdrawn.at, reason: withdrawn.reason };
  }

  /** When and why each withdrawn version of the référentiel was withdrawn from new enrollments, as the log says now. */
  async withdrawals(referentialId: string): Promise<ReadonlyMap<string, { at: string; reason: string }>> {
    const { state } = await this.catchUp(referentialId);
    return new Map(
      [...state.versions].flatMap(([version, { withdrawn }]) => (withdrawn ? [[version, { at: withdrawn.at, reason: withdrawn.reason }] as const] : [])),
    );
  }

  /**
   * Folds the events appended to the référentiel's stream since the last read. A read already under
   * way may have started before this question: the next read, started once it is done and shared
   * by every question asked meanwhile, answers them all (the stream is read once per turn, not once
   * per caller); every answer comes from a read started after it was asked.
   */
  private catchUp(referentialId: string): Promise<FollowedStream> {
    const underWay = this.reads.get(referentialId);
    if (!underWay) return this.startRead(referentialId);
    underWay.next ??= underWay.read.catch(() => undefined).then(() => this.startRead(referentialId));
    return underWay.next;
  }

  private startRead(referentialId: string): Promise<FollowedStream> {
    const flight: StreamRead = { read: this.readAppended(referentialId) };
    this.reads.set(referentialId, flight);
    const done = () => {
      if (this.reads.get(referentialId) === flight) this.reads.delete(referentialId);
    };
    flight.read.then(done, done);
    return flight.read;
  }

  private async readAppended(referentialId: string): Promise<FollowedStream> {
    const from = this.streams.get(referentialId)?.next ?? 0;
    const recorded = await this.store.readStream(referentialStreamId(referentialId), { fromRevision: from });
    let followed = this.streams.get(referentialId);
    if (!followed) {
      followed = { next: 0, state: referentialDecider.initialState(), contents: new Map() };
      this.streams.set(referentialId, followed);
    }
    // Reads may still overlap: each folds only what no other has folded meanwhile, in stream order.
    for (const event of recorded) {
      if (event.streamRevision !== followed.next) continue;
      const domain = fromRecorded<ReferentialEvent>(event);
      followed.state = referentialDecider.evolve(followed.state, domain);
      if (domain.type === 'ReferentialVersionPublished') followed.contents.set(domain.data.version, domain.data.content);
      followed.next = event.streamRevision + 1;
    }
    return followed;
  }
}
