import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';

/** The embedded database is open in another process (or already in this one). */
export class DirectoryInUseError extends Error {}

/** Whether a process of that pid runs (one we may not signal still runs). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes `lockFile` for this process: an embedded PGlite database is one process's alone. A second
 * opener (the cli or the worker beside `npm start`) would write the same files unsynchronised and
 * corrupt them, so it is refused, naming the holder. A lock left by a process that is gone (killed)
 * is taken over. Returns the release, which removes the file only while it is still ours.
 */
export function lockFile(path: string, what: string): () => void {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          if (readFileSync(path, 'utf8') === String(process.pid)) rmSync(path, { force: true });
        } catch {
          // already gone
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let holder = NaN;
      try {
        holder = Number(readFileSync(path, 'utf8'));
      } catch {
        continue; // removed meanwhile: try again
      }
      if (Number.isInteger(holder) && holder > 0 && running(holder)) {
        throw new DirectoryInUseError(
          `${what} is in use by process ${holder}${holder === process.pid ? ' (this one)' : ''}: stop it first, or run against PostgreSQL (${path})`,
        );
      }
      // Its holder is gone (killed, crashed): the lock is stale.
      rmSync(path, { force: true });
    }
  }
  throw new DirectoryInUseError(`${what} could not be locked (${path})`);
}
