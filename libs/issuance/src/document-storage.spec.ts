import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { documentNumber } from './document-number';
import { FolderDocumentStorage } from './document-storage';

describe('FolderDocumentStorage.sweep: what writers that died mid-write left behind', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'jalon-docs-sweep-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A file as put() names it while writing, last modified `ageMs` ago. */
  const partial = (name: string, ageMs: number): string => {
    const file = `${name}.${randomUUID()}.part`;
    writeFileSync(join(dir, file), 'half a document');
    const at = new Date(Date.now() - ageMs);
    utimesSync(join(dir, file), at, at);
    return file;
  };

  it('removes partial files older than a minute, keeps younger ones (maybe being written), documents and anything else', async () => {
    const storage = new FolderDocumentStorage(dir);
    const a = documentNumber('attestation', 'evt-a');
    const c = documentNumber('certificate', 'evt-c');
    await storage.put(a, 'pdf', Buffer.from('%PDF-1.3'));
    await storage.put(a, 'credential', Buffer.from('eyJ'));
    const stalePdf = partial(`${c}.pdf`, 5 * 60_000);
    const staleCredential = partial(`${c}.vc.jwt`, 61_000);
    const fresh = partial(`${a}.pdf`, 2_000);
    // Not put()'s names: never touched, however old.
    const foreign = ['notes.part', `${a}.pdf.part`, `${a}.pdf.not-a-uuid.part`];
    for (const name of foreign) {
      writeFileSync(join(dir, name), 'other');
      utimesSync(join(dir, name), new Date(0), new Date(0));
    }

    expect((await storage.sweep()).sort()).toEqual([stalePdf, staleCredential].sort());
    expect(readdirSync(dir).sort()).toEqual([`${a}.pdf`, `${a}.vc.jwt`, fresh, ...foreign].sort());
    expect((await storage.get(a, 'pdf'))?.toString()).toBe('%PDF-1.3');
    // Nothing left to do: a second pass removes nothing.
    expect(await storage.sweep()).toEqual([]);
  });

  it('with olderThanMs 0 (no other writer can be running) removes every partial file', async () => {
    const storage = new FolderDocumentStorage(dir);
    const number = documentNumber('certificate', 'evt-1');
    const fresh = partial(`${number}.pdf`, 0);
    expect(await storage.sweep({ olderThanMs: 0 })).toEqual([fresh]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('finds nothing to do when the folder does not exist yet', async () => {
    expect(await new FolderDocumentStorage(join(dir, 'not-yet')).sweep()).toEqual([]);
  });
});

describe('FolderDocumentStorage: the versions of a reissued document', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'jalon-docs-versions-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps each version apart under the same number, the first under its usual name, and an erasure removes them all', async () => {
    const storage = new FolderDocumentStorage(dir);
    const number = documentNumber('attestation', 'evt-v');
    const other = documentNumber('attestation', 'evt-other');
    await storage.put(number, 'pdf', Buffer.from('v1'));
    await storage.put(number, 'pdf', Buffer.from('v2'), 2);
    await storage.put(number, 'credential', Buffer.from('jwt2'), 2);
    await storage.put(other, 'pdf', Buffer.from('other'));
    expect((await storage.get(number, 'pdf'))?.toString()).toBe('v1');
    expect((await storage.get(number, 'pdf', 1))?.toString()).toBe('v1');
    expect((await storage.get(number, 'pdf', 2))?.toString()).toBe('v2');
    expect(await storage.get(number, 'pdf', 3)).toBeUndefined();
    expect(readdirSync(dir).sort()).toEqual([`${number}.pdf`, `${number}.v2.pdf`, `${number}.v2.vc.jwt`, `${other}.pdf`].sort());
    // A partial file of a reissue, left by a writer that died a minute ago, is swept like any other.
    const partialName = `${number}.v3.pdf.${randomUUID()}.part`;
    writeFileSync(join(dir, partialName), 'half');
    const aMinuteAgo = new Date(Date.now() - 61_000);
    utimesSync(join(dir, partialName), aMinuteAgo, aMinuteAgo);
    expect(await storage.sweep()).toEqual([partialName]);

    expect(await storage.remove(number)).toBe(true);
    expect(readdirSync(dir)).toEqual([`${other}.pdf`]);
    await expect(storage.put(number, 'pdf', Buffer.from('x'), 0)).rejects.toThrow('not a document version');
  });
});
