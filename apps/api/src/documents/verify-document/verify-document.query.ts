import { Query } from '@nestjs/cqrs';
import { Verification } from '../document-reads.service';

/** Valid, revoked, invalid or unknown, after checking the stored files against the recorded hashes and the signature: what anyone may ask of a document number. */
export class VerifyDocumentQuery extends Query<Verification> {
  constructor(readonly number: string) {
    super();
  }
}
