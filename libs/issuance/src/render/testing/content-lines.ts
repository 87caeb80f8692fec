import { IssuedDocumentModel } from '../../document-model';
import { documentContent } from '../render-pdf';

/** What a document's body says, one string per block (an entry: its code then its text), for tests to read. */
export const contentLines = (model: IssuedDocumentModel): string[] =>
  documentContent(model).body.map((block) =>
    block.kind === 'text' ? block.text : block.kind === 'signature' ? block.lines.join(' ') : `${block.code} ${block.text}`,
  );
