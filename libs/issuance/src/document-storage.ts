import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { DOCUMENT_NUMBER } from './document-number';

export type DocumentFile = 'pdf' | 'credential';

/** Where issued documents are kept: a folder by default; an object store would fit the same port. */
export interface DocumentStorage {
  /** `version`: 1 when issued, 2 and on when reissued; each version's files are kept apart (absent: 1). */
  put(number: string, file: DocumentFile, bytes: Buffer, version?: number): Promise<void>;
  get(number: string, file: DocumentFile, version?: number): Promise<Buffer | undefined>;
  /** Deletes every file of a document, every version, if they exist (an erasure, R14); true when something was removed. */
  remove(number: string): Promise<boolean>;
  /** One stored credential, if any: what start-up checks the signing key against. */
  anyCredential?(): Promise<Buffer | undefined>;
  /**
   * Removes what writers that died mid-write left behind (never a stored document); called at
   * start-up by the processes that issue. Returns what it removed.
   */
  sweep?(options?: SweepOptions): Promise<string[]>;
}

export interface SweepOptions {
  /**
   * Leave partial files younger than this (60 s): another process sharing the folder may be
   * writing them right now. 0 when no other writer can be running.
   */
  readonly olderThanMs?: number;
}

/** A file being written, or left by a writer that died before renaming it: `<document file>.<uuid>.part`. */
const PARTIAL = new RegExp(`^${DOCUMENT_NUMBER.source.slice(1, -1)}(\\.v\\d+)?\\.(pdf|vc\\.jwt)\\.[0-9a-f-]{36}\\.part$`);
const STALE_AFTER_MS = 60_000;

const EXTENSION: Record<DocumentFile, string> = { pdf: 'pdf', credential: 'vc.jwt' };

export class FolderDocumentStorage implements DocumentStorage {
  private readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  private path(number: string, file: DocumentFile, version = 1): string {
    // The number is derived by the service, but never let a name escape the folder.
    if (!DOCUMENT_NUMBER.test(number)) throw new Error(`not a document number: ${number}`);
    if (!Number.isSafeInteger(version) || version < 1) throw new Error(`not a document version: ${version}`);
    // Version 1 keeps the name documents were always stored under.
    return join(this.dir, `${number}${version === 1 ? '' : `.v${version}`}.${EXTENSION[file]}`);
  }

  async put(number: string, file: DocumentFile, bytes: Buffer, version?: number): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const target = this.path(number, file, version);
    // Write then rename: a crash never leaves half a document under its final name.
    const partial = `${target}.${randomUUID()}.part`;
    await writeFile(partial, bytes);
    await rename(partial, target);
  }

  async anyCredential(): Promise<Buffer | undefined> {
    const names = await readdir(this.dir).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? [] : Promise.reject(error)));
    const name = names.find((n) => n.endsWith(`.${EXTENSION.credential}`));
    return name ? readFile(join(this.dir, name)) : undefined;
  }

  async remove(number: string): Promise<boolean> {
    this.path(number, 'pdf');
    const names = await readdir(this.dir).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? [] : Promise.reject(error)));
    const ofDocument = new RegExp(`^${number}(\\.v\\d+)?\\.(pdf|vc\\.jwt)$`);
    let removed = false;
    for (const name of names.filter((n) => ofDocument.test(n))) {
      try {
        await unlink(join(this.dir, name));
        removed = true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    return removed;
  }

  async sweep(options: SweepOptions = {}): Promise<string[]> {
    const olderThanMs = options.olderThanMs ?? STALE_AFTER_MS;
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const removed: string[] = [];
    const now = Date.now();
    for (const name of names.filter((n) => PARTIAL.test(n))) {
      const path = join(this.dir, name);
      try {
        if (now - (await stat(path)).mtimeMs < olderThanMs) continue;
        await unlink(path);
        removed.push(name);
      } catch (error) {
        // Renamed by its writer, or removed by another process sweeping too.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    return removed;
  }

  async get(number: string, file: DocumentFile, version?: number): Promise<Buffer | undefined> {
    try {
      return await readFile(this.path(number, file, version));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }
}
