import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { newId } from '@jalon/event-store';
import { CreatedOutcome } from '../../shared/command-outcome';
import { actorOf } from '../enrollment-act';
import { EnrollmentCommands } from '../enrollment-commands.service';
import { EnrollCommand } from './enroll.command';

@CommandHandler(EnrollCommand)
export class EnrollHandler implements ICommandHandler<EnrollCommand, CreatedOutcome> {
  constructor(private readonly enrollments: EnrollmentCommands) {}

  async execute({ actor, candidateId, referentialId, version, cohort, accessRoute, optionBlocs, particulars }: EnrollCommand): Promise<CreatedOutcome> {
    await this.enrollments.assertCandidateRegistered(candidateId, actor);
    const enrollmentId = newId('enrollment');
    return this.enrollments.created(enrollmentId, enrollmentId, actor, (now) => ({
      type: 'Enroll',
      data: {
        enrollmentId,
        candidateId,
        organisationId: actor.organisationId,
        referentialId,
        version,
        cohort,
        accessRoute,
        optionBlocs,
        ...particulars,
        by: actorOf(actor),
        now,
      },
    }));
  }
}
