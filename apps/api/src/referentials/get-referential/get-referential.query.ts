import { Query } from '@nestjs/cqrs';
import { DocumentIssuability, Referential } from '@jalon/domain';

/**
 * A version as its file states it, with when and why it was withdrawn from new enrollments, once
 * it is, and whether its documents can carry every mandatory mention (ReferentialView).
 */
export type PublishedReferentialVersion = Referential & {
  readonly withdrawn?: { readonly at: string; readonly reason: string };
  readonly documents: DocumentIssuability;
};

export class GetReferentialQuery extends Query<PublishedReferentialVersion> {
  constructor(
    readonly referentialId: string,
    readonly version: string,
  ) {
    super();
  }
}
