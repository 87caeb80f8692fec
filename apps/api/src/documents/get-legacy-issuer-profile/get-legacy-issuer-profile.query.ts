import { Query } from '@nestjs/cqrs';
import { IssuerProfileView } from '../documents.responses.dto';

/**
 * The default issuer as the credentials issued before /issuers/{issuer} named it (their issuer id
 * is `<PUBLIC_BASE_URL>/issuer`), with every key of the issuer and its Open Badges profile's id.
 */
export class GetLegacyIssuerProfileQuery extends Query<IssuerProfileView> {}
