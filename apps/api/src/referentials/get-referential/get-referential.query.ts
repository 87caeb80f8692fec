import { Query } from '@nestjs/cqrs';
import { Referential } from '@jalon/domain';

export class GetReferentialQuery extends Query<Referential> {
  constructor(
    readonly referentialId: string,
    readonly version: string,
  ) {
    super();
  }
}
