import { Query } from '@nestjs/cqrs';
import { AuthenticatedActor } from '../../auth/auth.decorators';
import { SessionView } from '../sessions.responses.dto';

/** A session's timetable and each candidate's sitting, as an admin of the school or one of its assessors sees them. */
export class GetSessionQuery extends Query<SessionView> {
  constructor(
    readonly sessionId: string,
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}
