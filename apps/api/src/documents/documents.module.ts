import { Module } from '@nestjs/common';
import { EventSourcingModule, IssuanceModule, JobQueuesModule, PrivacyModule } from '@jalon/runtime';
import { DocumentReads } from './document-reads.service';
import { DocumentsController } from './documents.controller';
import { GetDocumentCredentialHandler } from './get-document-credential/get-document-credential.handler';
import { GetDocumentDeliveryHandler } from './get-document-delivery/get-document-delivery.handler';
import { GetDocumentPdfHandler } from './get-document-pdf/get-document-pdf.handler';
import { GetIssuanceQueueHandler } from './get-issuance-queue/get-issuance-queue.handler';
import { GetIssuerKeySetHandler } from './get-issuer-key-set/get-issuer-key-set.handler';
import { GetIssuerKeyHandler } from './get-issuer-key/get-issuer-key.handler';
import { GetIssuerProfileHandler } from './get-issuer-profile/get-issuer-profile.handler';
import { GetLegacyIssuerProfileHandler } from './get-legacy-issuer-profile/get-legacy-issuer-profile.handler';
import { GetServiceKeySetHandler } from './get-service-key-set/get-service-key-set.handler';
import { GetStatusListHandler } from './get-status-list/get-status-list.handler';
import { IssuersController } from './issuers.controller';
import { ListDocumentsHandler } from './list-documents/list-documents.handler';
import { ResendDocumentEmailHandler } from './resend-document-email/resend-document-email.handler';
import { StatusListController } from './status-list.controller';
import { VerifyDocumentHandler } from './verify-document/verify-document.handler';

/**
 * Attestations and certificates: their public verification, their downloads, the issuers' profiles,
 * keys and status lists, the issuance queue's and the e-mail delivery's state, and an unconfirmed e-mail sent
 * again; one folder per question or act.
 */
@Module({
  // A document is read from its enrollment's stream (its holder's data key says whether they were erased), checked
  // against its issuer's keys and status list, and queued for issue and for e-mail in Redis.
  imports: [EventSourcingModule, PrivacyModule, IssuanceModule, JobQueuesModule],
  controllers: [DocumentsController, StatusListController, IssuersController],
  providers: [
    DocumentReads,
    VerifyDocumentHandler,
    ListDocumentsHandler,
    GetDocumentPdfHandler,
    GetDocumentCredentialHandler,
    GetIssuanceQueueHandler,
    GetDocumentDeliveryHandler,
    GetIssuerProfileHandler,
    GetIssuerKeySetHandler,
    GetIssuerKeyHandler,
    GetLegacyIssuerProfileHandler,
    GetServiceKeySetHandler,
    GetStatusListHandler,
    ResendDocumentEmailHandler,
  ],
})
export class DocumentsModule {}
