import { Module } from '@nestjs/common';
import { DocumentReads } from './document-reads.service';
import { DocumentsController } from './documents.controller';
import { GetDocumentCredentialHandler } from './get-document-credential/get-document-credential.handler';
import { GetDocumentDeliveryHandler } from './get-document-delivery/get-document-delivery.handler';
import { GetDocumentPdfHandler } from './get-document-pdf/get-document-pdf.handler';
import { GetIssuanceQueueHandler } from './get-issuance-queue/get-issuance-queue.handler';
import { IssuersController } from './issuers.controller';
import { ListDocumentsHandler } from './list-documents/list-documents.handler';
import { StatusListController } from './status-list.controller';
import { VerifyDocumentHandler } from './verify-document/verify-document.handler';

/** Attestations and certificates: their public verification, their downloads, the issuer's keys, the issuance queue's and the e-mail delivery's state; one folder per question. */
@Module({
  controllers: [DocumentsController, StatusListController, IssuersController],
  providers: [
    DocumentReads,
    VerifyDocumentHandler,
    ListDocumentsHandler,
    GetDocumentPdfHandler,
    GetDocumentCredentialHandler,
    GetIssuanceQueueHandler,
    GetDocumentDeliveryHandler,
  ],
})
export class DocumentsModule {}
