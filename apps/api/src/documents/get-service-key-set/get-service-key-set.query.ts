import { Query } from '@nestjs/cqrs';
import { JwkSetView } from '../documents.responses.dto';

/** Every key of every issuer of this service as one JWK set, current and retired, the Ed25519 key of the documents issued before RS256 included. */
export class GetServiceKeySetQuery extends Query<JwkSetView> {}
