import { Query } from '@nestjs/cqrs';
import { HealthView } from '../health.responses.dto';

/** Liveness, the event store in use, and where each projection stands. */
export class GetHealthQuery extends Query<HealthView> {}
