import { Query } from '@nestjs/cqrs';
import { AuthenticatedActor } from '../../auth/auth.decorators';
import { HoldersQuery } from '../accrochage.requests.dto';
import { AwardedHolderView } from '../accrochage.responses.dto';

/** The certifier's awards and where each stands with the Caisse des Dépôts: to declare (overdue first), to correct, declared. */
export class ListHoldersToDeclareQuery extends Query<AwardedHolderView[]> {
  constructor(
    readonly certifierId: string,
    readonly filters: HoldersQuery,
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}
