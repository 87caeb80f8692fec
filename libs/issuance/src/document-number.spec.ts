import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOCUMENT_NUMBER, documentNumber } from './document-number';
import { FolderDocumentStorage } from './document-storage';

describe('document numbers and storage', () => {
  it('derives the same number from the same decision, another from another, in a readable alphabet', () => {
    const a = documentNumber('attestation', '1b0e9c9e-0000-4000-8000-000000000001');
    expect(a).toBe(documentNumber('attestation', '1b0e9c9e-0000-4000-8000-000000000001'));
    expect(a).toMatch(DOCUMENT_NUMBER);
    expect(a.startsWith('JAL-A-')).toBe(true);
    expect(documentNumber('certificate', '1b0e9c9e-0000-4000-8000-000000000001').startsWith('JAL-C-')).toBe(true);
    const many = new Set(Array.from({ length: 5000 }, (_, i) => documentNumber('attestation', `evt-${i}`)));
    expect(many.size).toBe(5000);
  });

  it('stores and reads back documents, leaves no partial file, and refuses names that are not numbers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jalon-docs-'));
    try {
      const storage = new FolderDocumentStorage(dir);
      const number = documentNumber('certificate', 'evt-1');
      await storage.put(number, 'pdf', Buffer.from('%PDF-1.3'));
      await storage.put(number, 'pdf', Buffer.from('%PDF-1.3 again'));
      expect((await storage.get(number, 'pdf'))?.toString()).toBe('%PDF-1.3 again');
      expect(await storage.get(number, 'credential')).toBeUndefined();
      expect(readdirSync(dir)).toEqual([`${number}.pdf`]);
      await expect(storage.put('../../etc/passwd', 'pdf', Buffer.from('x'))).rejects.toThrow('not a document number');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
