import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Thrown when another live process (or this one) already holds the lock. */
export class DirectoryLockedError extends Error {
  override readonly name = 'DirectoryLockedError';
}

/**
 * Takes an exclusive lock on `path` by creating `<path>.lock` holding this process id, and resolves
 * to a release function. A lock left behind by a process that no longer exists is taken over, and `uncleanStop`
 * then says so: that process ended without closing what it had open (killed, crashed).
 *
 * Why: dynalite crashes the whole process with an uncatchable "Database is closed" when its LevelDB
 * directory is already open, so a second `npm start` on the same data folder must be refused first.
 * Rejects with {@link DirectoryLockedError} naming the holder's pid.
 */
export async function lockDirectory(path: string): Promise<{ release: () => Promise<void>; uncleanStop: boolean }> {
  const lockFile = `${path}.lock`;
  let uncleanStop = false;
  await mkdir(dirname(lockFile), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await open(lockFile, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return { release: () => rm(lockFile, { force: true }), uncleanStop };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number((await readFile(lockFile, 'utf8').catch(() => '')).trim());
      if (isAlive(holder)) throw new DirectoryLockedError(`${path} is in use by process ${holder}`);
      await rm(lockFile, { force: true });
      uncleanStop = true;
    }
  }
  throw new DirectoryLockedError(`${path} is in use (lock file ${lockFile} keeps reappearing)`);
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
