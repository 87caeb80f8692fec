import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandOutcome } from '../../shared/command-outcome';
import { actorOf } from '../enrollment-act';
import { EnrollmentCommands } from '../enrollment-commands.service';
import { ValidateExtraRequirementCommand } from './validate-extra-requirement.command';

@CommandHandler(ValidateExtraRequirementCommand)
export class ValidateExtraRequirementHandler implements ICommandHandler<ValidateExtraRequirementCommand, CommandOutcome> {
  constructor(private readonly enrollments: EnrollmentCommands) {}

  execute({ enrollmentId, actor, requirementCode }: ValidateExtraRequirementCommand): Promise<CommandOutcome> {
    return this.enrollments.run(enrollmentId, actor, (now) => ({ type: 'ValidateExtraRequirement', data: { requirementCode, by: actorOf(actor), now } }));
  }
}
