import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { isWithheld, NotFoundError } from '@jalon/domain';
import { DocumentStorage, Issuance, renderPdf } from '@jalon/issuance';
import { DOCUMENT_STORAGE } from '@jalon/runtime';
import { DocumentReads, filesErased } from '../document-reads.service';
import { GetDocumentPdfQuery } from './get-document-pdf.query';

@QueryHandler(GetDocumentPdfQuery)
export class GetDocumentPdfHandler implements IQueryHandler<GetDocumentPdfQuery, { bytes: Buffer; revoked: boolean }> {
  constructor(
    private readonly reads: DocumentReads,
    private readonly issuance: Issuance,
    @Inject(DOCUMENT_STORAGE) private readonly documents: DocumentStorage,
  ) {}

  async execute({ enrollmentId, number, actor }: GetDocumentPdfQuery): Promise<{ bytes: Buffer; revoked: boolean }> {
    const { state, events, issued } = await this.reads.downloadable(enrollmentId, number, actor);
    if (issued.revokedAt) {
      const holder = await this.issuance.holder(state.candidateId);
      // Erased between the two reads: the same answer.
      if (isWithheld(holder)) throw filesErased();
      const model = {
        ...(await this.issuance.facts({ kind: issued.kind, enrollmentId, decisionEventId: issued.decisionEventId }, state, events)),
        candidate: holder,
      };
      return {
        bytes: await renderPdf(model, { revoked: { date: issued.revokedAt, reasonCategory: issued.revocationReason ?? 'unspecified' } }),
        revoked: true,
      };
    }
    const bytes = await this.documents.get(number, 'pdf', issued.version);
    if (!bytes) throw new NotFoundError('DOCUMENT.NOT_STORED', 'the document is recorded but its file is missing');
    return { bytes, revoked: false };
  }
}
