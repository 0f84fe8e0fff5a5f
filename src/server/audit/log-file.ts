// The audit log backend's file: lines appended as kube-apiserver's log backend writes them
// (through lumberjack): the file made 0600 in a 0700 directory, and past --audit-log-maxsize MB
// moved aside as `<name>-<UTC time 2006-01-02T15-04-05.000>.<ext>`, keeping at most
// --audit-log-maxbackup such backups, none older than --audit-log-maxage days.
// Each line is written synchronously, as the default `blocking` mode waits for it: a few
// microseconds into the page cache, and nothing written is lost if the process dies.
import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';

export interface LogFileOptions {
  path: string;
  /** Megabytes before the file is rotated; 0: never. */
  maxSizeMb: number;
  /** Backups kept; 0: all. */
  maxBackups: number;
  /** Days a backup is kept; 0: no limit. */
  maxAgeDays: number;
  /** Wall clock in milliseconds (injectable for tests). */
  now?: () => number;
}

export interface LineWriter {
  write(line: string): void;
  close(): void;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** lumberjack's backup time format, 2006-01-02T15-04-05.000 in UTC. */
export function backupTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}-${pad(d.getUTCMinutes())}-${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
}

const BACKUP_TIME = /^(\d{4})-(\d\d)-(\d\d)T(\d\d)-(\d\d)-(\d\d)\.(\d{3})$/;

export function openLogFile(opts: LogFileOptions): LineWriter {
  const now = opts.now ?? Date.now;
  const maxBytes = opts.maxSizeMb * 1024 * 1024;
  const dir = dirname(opts.path);
  const ext = extname(opts.path);
  const prefix = `${basename(opts.path, ext)}-`;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  let fd: number | undefined = openSync(opts.path, 'a', 0o600);
  let size = fstatSync(fd).size;

  const backups = () =>
    readdirSync(dir)
      .filter((f) => f.startsWith(prefix) && f.endsWith(ext))
      .map((f) => ({ f, m: BACKUP_TIME.exec(f.slice(prefix.length, f.length - ext.length)) }))
      .filter((b): b is { f: string; m: RegExpExecArray } => !!b.m)
      .map(({ f, m }) => ({ f, t: Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, +m[7]!) }))
      .sort((a, b) => b.t - a.t);

  const removeOld = () => {
    const cutoff = opts.maxAgeDays ? now() - opts.maxAgeDays * 24 * 3600_000 : -Infinity;
    backups().forEach((b, i) => {
      if ((opts.maxBackups && i >= opts.maxBackups) || b.t < cutoff) unlinkSync(join(dir, b.f));
    });
  };

  const rotate = () => {
    closeSync(fd!);
    renameSync(opts.path, join(dir, `${prefix}${backupTime(now())}${ext}`));
    fd = openSync(opts.path, 'a', 0o600);
    size = 0;
    removeOld();
  };

  return {
    write(line) {
      // Requests that end while the server closes (watches) find the file closed: their events are dropped.
      if (fd === undefined) return;
      const bytes = Buffer.from(line);
      if (maxBytes && size > 0 && size + bytes.length > maxBytes) rotate();
      writeSync(fd, bytes);
      size += bytes.length;
    },
    close() {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}

/** `--audit-log-path -`: lines go to standard output. */
export const stdoutWriter: LineWriter = {
  write: (line) => void process.stdout.write(line),
  close: () => undefined,
};
