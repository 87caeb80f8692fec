import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { DOCUMENT_NUMBER } from './document-number';

export type DocumentFile = 'pdf' | 'credential';

/** Where issued documents are kept: a folder by default; an object store would fit the same port. */
export interface DocumentStorage {
  put(number: string, file: DocumentFile, bytes: Buffer): Promise<void>;
  get(number: string, file: DocumentFile): Promise<Buffer | undefined>;
}

const EXTENSION: Record<DocumentFile, string> = { pdf: 'pdf', credential: 'vc.jwt' };

export class FolderDocumentStorage implements DocumentStorage {
  private readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  private path(number: string, file: DocumentFile): string {
    // The number is derived by the service, but never let a name escape the folder.
    if (!DOCUMENT_NUMBER.test(number)) throw new Error(`not a document number: ${number}`);
    return join(this.dir, `${number}.${EXTENSION[file]}`);
  }

  async put(number: string, file: DocumentFile, bytes: Buffer): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const target = this.path(number, file);
    // Write then rename: a crash never leaves half a document under its final name.
    const partial = `${target}.${randomUUID()}.part`;
    await writeFile(partial, bytes);
    await rename(partial, target);
  }

  async get(number: string, file: DocumentFile): Promise<Buffer | undefined> {
    try {
      return await readFile(this.path(number, file));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }
}
