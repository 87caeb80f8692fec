import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DirectoryInUseError, lockFile } from './directory-lock';

describe('an embedded database is one process’s alone', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'jalon-lock-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a second taker is refused, naming the holder; once released, it is free again', () => {
    const path = join(dir, 'db.lock');
    const release = lockFile(path, 'the database');
    expect(readFileSync(path, 'utf8')).toBe(String(process.pid));
    expect(() => lockFile(path, 'the database')).toThrow(
      new DirectoryInUseError(`the database is in use by process ${process.pid} (this one): stop it first, or run against PostgreSQL (${path})`),
    );
    release();
    expect(existsSync(path)).toBe(false);
    lockFile(path, 'the database')();
  });

  it('another running process holds it: refused; once that process is gone, its stale lock is taken over', async () => {
    const path = join(dir, 'db.lock');
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      writeFileSync(path, String(holder.pid));
      expect(() => lockFile(path, 'the database')).toThrow(`in use by process ${holder.pid}`);
    } finally {
      holder.kill('SIGKILL');
      await new Promise((resolve) => holder.once('exit', resolve));
    }
    const release = lockFile(path, 'the database');
    expect(readFileSync(path, 'utf8')).toBe(String(process.pid));
    release();
  });

  it('a release does not remove a lock that another process took since', () => {
    const path = join(dir, 'db.lock');
    const release = lockFile(path, 'the database');
    const other = spawnSync(process.execPath, ['-e', 'console.log(process.pid)']).stdout.toString().trim();
    writeFileSync(path, other);
    release();
    expect(readFileSync(path, 'utf8')).toBe(other);
  });
});
