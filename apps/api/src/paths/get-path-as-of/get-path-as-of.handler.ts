import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ActiveEnrollment, evolveEnrollment, initialEnrollmentState, NotFoundError } from '@jalon/domain';
import { formatPosition } from '@jalon/event-store';
import { PersonalDataVault } from '@jalon/privacy';
import { presentPathFor } from '@jalon/read-models';
import { ReferentialResolver } from '@jalon/runtime';
import { PathReads, toDomain } from '../path-reads.service';
import { GetPathAsOf, PathAsOfAnswer } from './get-path-as-of.query';

@QueryHandler(GetPathAsOf)
export class GetPathAsOfHandler implements IQueryHandler<GetPathAsOf, PathAsOfAnswer> {
  constructor(
    private readonly paths: PathReads,
    private readonly referentials: ReferentialResolver,
    private readonly vault: PersonalDataVault,
  ) {}

  async execute({ enrollmentId, at, actor }: GetPathAsOf): Promise<PathAsOfAnswer> {
    const { events, state: now } = await this.paths.history(enrollmentId, actor);
    const cutoff = Date.parse(at);
    const known = events.filter((e) => Date.parse(e.recordedAt) <= cutoff);
    let past = initialEnrollmentState();
    for (const event of known) past = evolveEnrollment(past, toDomain(event));
    if (past.status === 'none') throw new NotFoundError('ENROLLMENT.NOT_YET', `the enrollment did not exist yet at ${at}`);
    // The past as it may be shown today: a consent to tell the jury, withdrawn since, no longer
    // opens what it opened then (R10).
    const state: ActiveEnrollment = { ...past, juryDisclosureConsent: past.juryDisclosureConsent && now.juryDisclosureConsent };
    const view = presentPathFor(actor, state, await this.referentials.resolve(state.referentialId, state.version));
    const accommodations = await this.paths.accommodationsFor(actor, state, {
      enrollmentId,
      view: 'as-of:accommodations',
      open: () => this.vault.open(known.map(toDomain)),
    });
    return {
      ...view,
      accommodations,
      asOf: new Date(cutoff).toISOString(),
      position: known.length > 0 ? formatPosition(known[known.length - 1].position) : null,
    };
  }
}
