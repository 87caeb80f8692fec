import { Inject, Injectable } from '@nestjs/common';

import {
  accommodationsAsSeenBy,
  AccommodationsView,
  accommodationsViewOf,
  ActiveEnrollment,
  assertMayAccess,
  EnrollmentEvent,
  foldEnrollment,
  NotFoundError,
  readsAccommodations,
} from '@jalon/domain';
import { fromRecorded, RecordedEvent } from '@jalon/event-store';
import { PersonalDataReadLog } from '@jalon/privacy';

import { SQL_DB, SqlDb, StreamCommandHandlers } from '@jalon/runtime';
import { AuthenticatedActor } from '../auth/auth.decorators';

/**
 * What the questions on paths share beyond the read model's own questions (@jalon/read-models:
 * visiblePaths, pathRow, listEnrollments…): a path's history read from its stream, and the reader's
 * view of the accommodations, opened and recorded only when it shows something (R14).
 */
@Injectable()
export class PathReads {
  constructor(
    @Inject(SQL_DB) readonly db: SqlDb,
    private readonly handlers: StreamCommandHandlers,
    private readonly reads: PersonalDataReadLog,
  ) {}

  /**
   * The reader's view of the accommodations. Read models and raw streams hold them sealed: when the
   * view has something to show, the events are opened (`open`), and the read is recorded before it
   * is answered. `only`: the accommodations the question bears on.
   */
  async accommodationsFor(
    actor: AuthenticatedActor,
    sealed: ActiveEnrollment,
    read: { enrollmentId: string; view: string; open: () => Promise<readonly EnrollmentEvent[]>; only?: ReadonlySet<string> },
  ): Promise<AccommodationsView> {
    const withheld = accommodationsAsSeenBy(actor, sealed, read.only);
    if (!readsAccommodations(withheld)) return withheld;
    const opened = foldEnrollment(await read.open());
    if (opened.status === 'none') throw new NotFoundError('ENROLLMENT.NOT_FOUND', 'no such enrollment');
    const view = accommodationsAsSeenBy(actor, opened, read.only);
    if (readsAccommodations(view))
      await this.reads.record({
        actor,
        candidateId: opened.candidateId,
        enrollmentId: read.enrollmentId,
        view: `${read.view}:${view.view}`,
        subjects: subjectsOf(view),
      });
    return view;
  }

  /**
   * The reader's view of the accommodations of an enrollment as its stream stands; a reader whose
   * view is none whoever the path is (an admin, a jury without the candidate's consent) reads nothing.
   */
  async accommodationsOf(
    actor: AuthenticatedActor,
    enrollmentId: string,
    view: string,
    path: Pick<ActiveEnrollment, 'candidateId' | 'juryDisclosureConsent'>,
  ): Promise<AccommodationsView> {
    if (accommodationsViewOf(actor, path) === 'none') return { view: 'none' };
    const { state } = await this.handlers.enrollments.load(enrollmentId);
    if (state.status === 'none') throw new NotFoundError('ENROLLMENT.NOT_FOUND', 'no such enrollment');
    return this.accommodationsFor(actor, state, { enrollmentId, view, open: () => this.openedEvents(enrollmentId) });
  }

  /** The enrollment's events with their sealed values opened. */
  async openedEvents(enrollmentId: string): Promise<readonly EnrollmentEvent[]> {
    return (await this.handlers.enrollments.load(enrollmentId, { open: true })).events;
  }

  /** The stream as stored (sealed) and its state, for a reader who may see it; sealed values stay sealed until a view needs them. */
  async history(enrollmentId: string, actor: AuthenticatedActor): Promise<{ events: readonly RecordedEvent[]; state: ActiveEnrollment }> {
    const { recorded, state } = await this.handlers.enrollments.load(enrollmentId);
    if (state.status === 'none') throw new NotFoundError('ENROLLMENT.NOT_FOUND', 'no such enrollment');
    assertMayAccess(actor, state);
    return { events: recorded, state };
  }
}

/** A stored event in its domain form (sealed values stay sealed). */
export const toDomain = (event: RecordedEvent): EnrollmentEvent => fromRecorded<EnrollmentEvent>(event);

/** What a view showed, for the read log: accommodation ids and sittings, never values. */
function subjectsOf(view: AccommodationsView): string[] {
  switch (view.view) {
    case 'full':
    case 'consented':
    case 'kinds':
      return view.accommodations.map((a) => `accommodation:${a.accommodationId}`);
    case 'to-apply':
      return view.sittings.filter((s) => s.measures.length > 0).map((s) => `sitting:${s.sittingId}`);
    case 'none':
      return [];
  }
}
