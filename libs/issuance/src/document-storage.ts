import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { DOCUMENT_NUMBER } from './document-number';

export type DocumentFile = 'pdf' | 'credential';

/** Where issued documents are kept: a folder by default; an object store would fit the same port. */
export interface DocumentStorage {
  put(number: string, file: DocumentFile, bytes: Buffer): Promise<void>;
  get(number: string, file: DocumentFile): Promise<Buffer | undefined>;
  /** Deletes both files of a document, if they exist (an erasure, R14); true when something was removed. */
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
const PARTIAL = new RegExp(`^${DOCUMENT_NUMBER.source.slice(1, -1)}\\.(pdf|vc\\.jwt)\\.[0-9a-f-]{36}\\.part$`);
const STALE_AFTER_MS = 60_000;

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

  async anyCredential(): Promise<Buffer | undefined> {
    const names = await readdir(this.dir).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? [] : Promise.reject(error)));
    const name = names.find((n) => n.endsWith(`.${EXTENSION.credential}`));
    return name ? readFile(join(this.dir, name)) : undefined;
  }

  async remove(number: string): Promise<boolean> {
    let removed = false;
    for (const file of ['pdf', 'credential'] as const) {
      try {
        await unlink(this.path(number, file));
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

  async get(number: string, file: DocumentFile): Promise<Buffer | undefined> {
    try {
      return await readFile(this.path(number, file));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }
}
