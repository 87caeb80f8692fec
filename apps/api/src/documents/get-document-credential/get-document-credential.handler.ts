import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { NotFoundError } from '@jalon/domain';
import { DocumentStorage } from '@jalon/issuance';
import { DOCUMENT_STORAGE } from '@jalon/runtime';
import { DocumentReads } from '../document-reads.service';
import { GetDocumentCredentialQuery } from './get-document-credential.query';

@QueryHandler(GetDocumentCredentialQuery)
export class GetDocumentCredentialHandler implements IQueryHandler<GetDocumentCredentialQuery, { jwt: string; revoked: boolean }> {
  constructor(
    private readonly reads: DocumentReads,
    @Inject(DOCUMENT_STORAGE) private readonly documents: DocumentStorage,
  ) {}

  async execute({ enrollmentId, number, actor }: GetDocumentCredentialQuery): Promise<{ jwt: string; revoked: boolean }> {
    const { issued } = await this.reads.downloadable(enrollmentId, number, actor);
    const bytes = await this.documents.get(number, 'credential', issued.version);
    if (!bytes) throw new NotFoundError('DOCUMENT.NOT_STORED', 'the document is recorded but its file is missing');
    return { jwt: bytes.toString('utf8'), revoked: Boolean(issued.revokedAt) };
  }
}
