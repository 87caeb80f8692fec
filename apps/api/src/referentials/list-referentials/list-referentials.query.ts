import { Query } from '@nestjs/cqrs';
import { ReferentialSummaryDto } from './referential-summary.response.dto';

export class ListReferentialsQuery extends Query<ReferentialSummaryDto[]> {}
