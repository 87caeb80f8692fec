import { Module } from '@nestjs/common';
import { EventSourcingModule } from '@jalon/runtime';
import { EnrollmentsModule } from '../enrollments/enrollments.module';
import { GetSessionHandler } from './get-session/get-session.handler';
import { RecordSessionHeldHandler } from './record-session-held/record-session-held.handler';
import { ScheduleSessionHandler } from './schedule-session/schedule-session.handler';
import { SessionsController } from './sessions.controller';

/** Sessions d'examen: a group's épreuve at one place and time, each candidate's sitting on their own path; one folder per use case. */
@Module({
  imports: [EventSourcingModule, EnrollmentsModule],
  controllers: [SessionsController],
  providers: [ScheduleSessionHandler, RecordSessionHeldHandler, GetSessionHandler],
})
export class SessionsModule {}
