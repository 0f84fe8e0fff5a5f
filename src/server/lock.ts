// One server per data dir, with a lock the kernel keeps: `badge.lock` is a tiny SQLite database
// that the server opens in exclusive locking mode and writes to. That write takes SQLite's POSIX
// (fcntl) lock on the file in one step, and the server holds it until it closes the database or
// exits. The kernel drops the lock when the process dies, however it dies (kill -9 included) and
// whether or not anyone reaps it, so two servers never share a data dir and a restart after a
// crash always gets the lock. A process killed a moment ago holds it until its last thread has
// exited: a server waits up to half a second for the lock before it gives up. The write stores
// the holder's pid in the database header (user_version) for the message a second server
// prints; the pid decides nothing.
import { closeSync, openSync, readSync, realpathSync, truncateSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';

export class DataDirInUseError extends Error {
  readonly code = 'DataDirInUse';
}

/** The header field SQLite keeps user_version in: 4 bytes, big-endian, at offset 60. */
const USER_VERSION = 60;

/**
 * The lock files this process holds. Closing any descriptor of a file drops all of a process's
 * fcntl locks on it, so this process never opens those files but through SQLite.
 */
const held = new Set<string>();

function take(path: string): Database.Database {
  const db = new Database(path, { timeout: 500 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = MEMORY');
    db.pragma('synchronous = OFF');
    db.pragma(`user_version = ${process.pid}`);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** The pid the holder wrote, if the header has one. */
function holder(path: string): number | undefined {
  const header = Buffer.alloc(USER_VERSION + 4);
  const fd = openSync(path, 'r');
  try {
    return readSync(fd, header, 0, header.length, 0) === header.length ? header.readUInt32BE(USER_VERSION) || undefined : undefined;
  } finally {
    closeSync(fd);
  }
}

function inUse(path: string, pid: number | undefined): DataDirInUseError {
  const dir = dirname(path);
  return new DataDirInUseError(`the data dir ${dir} is in use by another badge server${pid ? ` (pid ${pid})` : ''}; stop it or use another --data-dir`);
}

/** Takes the lock or throws DataDirInUseError; returns the function that releases it. */
export function lockDataDir(file: string): () => void {
  const path = join(realpathSync(dirname(file)), basename(file));
  if (held.has(path)) throw inUse(path, process.pid);
  let db: Database.Database | undefined;
  for (let attempt = 0; !db; attempt++) {
    try {
      db = take(path);
    } catch (err) {
      const code = String((err as { code?: string }).code);
      if (code.startsWith('SQLITE_BUSY')) throw inUse(path, holder(path));
      if (code !== 'SQLITE_NOTADB' || attempt > 0) throw new Error(`cannot lock ${path}: ${(err as Error).message}`);
      // Not a database: the pid file an earlier Badge locked with, which locks nothing. Emptied,
      // never removed: two servers racing here must end up locking the same file.
      truncateSync(path);
    }
  }
  const lock = db;
  held.add(path);
  return () => {
    held.delete(path);
    lock.close();
  };
}
