import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EnrollmentCommand } from '@jalon/domain';
import { newId } from '@jalon/event-store';
import { CreatedOutcome } from '../../shared/command-outcome';
import { actorOf } from '../enrollment-act';
import { EnrollmentCommands } from '../enrollment-commands.service';
import { EnrollCommand } from './enroll.command';

@CommandHandler(EnrollCommand)
export class EnrollHandler implements ICommandHandler<EnrollCommand, CreatedOutcome> {
  constructor(private readonly enrollments: EnrollmentCommands) {}

  async execute(command: EnrollCommand): Promise<CreatedOutcome> {
    await this.enrollments.assertCandidateRegistered(command.candidateId, command.actor);
    const enrollmentId = newId('enrollment');
    return this.enrollments.created(enrollmentId, enrollmentId, command.actor, (now) => enrollmentCommandOf(command, enrollmentId, now), command.asRead);
  }
}

/** The domain's Enroll command of the act (a cohort import decides it too, before writing anything). */
export function enrollmentCommandOf(
  { actor, candidateId, referentialId, version, cohort, accessRoute, optionBlocs, particulars }: EnrollCommand,
  enrollmentId: string,
  now: string,
): EnrollmentCommand {
  return {
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
  };
}
