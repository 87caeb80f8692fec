import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { newId } from '@jalon/event-store';
import { CreatedOutcome } from '../../shared/command-outcome';
import { actorOf } from '../enrollment-act';
import { EnrollmentCommands } from '../enrollment-commands.service';
import { CorrectAssessmentCommand } from './correct-assessment.command';

@CommandHandler(CorrectAssessmentCommand)
export class CorrectAssessmentHandler implements ICommandHandler<CorrectAssessmentCommand, CreatedOutcome> {
  constructor(private readonly enrollments: EnrollmentCommands) {}

  execute({ enrollmentId, actor, assessmentId, results, reason }: CorrectAssessmentCommand): Promise<CreatedOutcome> {
    const id = newId('correction');
    return this.enrollments.created(enrollmentId, id, actor, (now) => ({
      type: 'CorrectAssessment',
      data: { correctionId: id, assessmentId, results, reason, by: actorOf(actor), now },
    }));
  }
}
