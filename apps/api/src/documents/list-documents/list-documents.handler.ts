import { assertMayAccess } from '@jalon/domain';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { pathDocuments, PathDocumentView } from '@jalon/read-models';
import { DocumentReads } from '../document-reads.service';
import { ListDocumentsQuery } from './list-documents.query';

@QueryHandler(ListDocumentsQuery)
export class ListDocumentsHandler implements IQueryHandler<ListDocumentsQuery, PathDocumentView[]> {
  constructor(private readonly reads: DocumentReads) {}

  async execute({ enrollmentId, actor }: ListDocumentsQuery): Promise<PathDocumentView[]> {
    const { state } = await this.reads.load(enrollmentId);
    assertMayAccess(actor, state);
    return pathDocuments(state, { personalDataErasedAt: await this.reads.personalDataErasedAt(state.candidateId) });
  }
}
