import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { newId } from '@jalon/event-store';
import { CreatedOutcome } from '../../shared/command-outcome';
import { actorOf } from '../enrollment-act';
import { EnrollmentCommands } from '../enrollment-commands.service';
import { RecordAssessmentCommand } from './record-assessment.command';

@CommandHandler(RecordAssessmentCommand)
export class RecordAssessmentHandler implements ICommandHandler<RecordAssessmentCommand, CreatedOutcome> {
  constructor(private readonly enrollments: EnrollmentCommands) {}

  execute({ enrollmentId, actor, sittingId, results }: RecordAssessmentCommand): Promise<CreatedOutcome> {
    const id = newId('assessment');
    return this.enrollments.created(enrollmentId, id, actor, (now) => ({
      type: 'RecordAssessment',
      data: { assessmentId: id, sittingId, results, by: actorOf(actor), now },
    }));
  }
}
