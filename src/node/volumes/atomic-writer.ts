// The kubelet's AtomicWriter (pkg/volume/util/atomic_writer.go): a volume's files live in a
// timestamped directory; `..data` points at it and each visible name is a link through `..data`,
// so a reader sees either the whole old content or the whole new one, swapped by one rename.
//
//   <dir>/..2026_01_01_00_00_00.123456789/token   (0755 directory, files with their modes)
//   <dir>/..data -> ..2026_01_01_00_00_00.123456789
//   <dir>/token  -> ..data/token
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { randomInt } from 'node:crypto';

export interface FileProjection {
  data: Buffer;
  /** Permission bits (0o644, …). */
  mode: number;
  /** Owner to give the file (the pod's common runAsUser), when there is one. */
  fsUser?: number;
}

export type Payload = Record<string, FileProjection>;

export const DATA_DIR_NAME = '..data';
const DATA_TMP_NAME = '..data_tmp';
const MAX_PATH_LENGTH = 4096;
const MAX_FILE_NAME_LENGTH = 255;

export class AtomicWriterError extends Error {}

/** validatePath: relative, no `..` element, no leading `..`, bounded lengths. */
export function validatePath(target: string): void {
  if (Buffer.byteLength(target) > MAX_PATH_LENGTH) throw new AtomicWriterError(`invalid path: must be less than or equal to ${MAX_PATH_LENGTH} characters`);
  if (target.startsWith('/')) throw new AtomicWriterError(`invalid path: must be relative path: ${target}`);
  if (target.startsWith('..')) throw new AtomicWriterError(`invalid path: must not start with '..': ${target}`);
  for (const item of target.split('/')) {
    if (item === '..') throw new AtomicWriterError(`invalid path: must not contain '..': ${target}`);
    if (Buffer.byteLength(item) > MAX_FILE_NAME_LENGTH) throw new AtomicWriterError(`invalid path: filenames must be less than ${MAX_FILE_NAME_LENGTH} characters`);
  }
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** `..2006_01_02_15_04_05.` in UTC, as the kubelet names the data directories. */
export function timestampPrefix(now: Date): string {
  return `..${now.getUTCFullYear()}_${pad(now.getUTCMonth() + 1)}_${pad(now.getUTCDate())}_${pad(now.getUTCHours())}_${pad(now.getUTCMinutes())}_${pad(now.getUTCSeconds())}.`;
}

export interface WriteResult {
  /** A new data directory was written. */
  changed: boolean;
  /** The data directory `..data` points at now. */
  dataDir: string;
}

export class AtomicWriter {
  constructor(
    readonly targetDir: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Makes the directory show exactly `payload`. `setPerms` runs on the new data directory before
   * it is published (volume ownership for an fsGroup).
   */
  write(input: Payload, setPerms?: (dataDir: string) => void): WriteResult {
    const payload: Payload = {};
    for (const [p, f] of Object.entries(input)) {
      validatePath(p);
      payload[posix.normalize(p)] = f;
    }
    mkdirSync(this.targetDir, { recursive: true });
    const dataLink = join(this.targetDir, DATA_DIR_NAME);
    let oldDir = '';
    try {
      oldDir = readlinkSync(dataLink);
    } catch {
      oldDir = '';
    }
    const oldPath = oldDir ? join(this.targetDir, oldDir) : '';
    const oldExists = !!oldPath && existsSync(oldPath);

    const newTop = new Set(Object.keys(payload).map((p) => p.split('/')[0]!));
    const oldTop = oldExists ? this.visibleNames() : new Set<string>();
    const toRemove = [...oldTop].filter((n) => !newTop.has(n));

    if (oldExists && toRemove.length === 0 && sameContent(oldPath, payload)) {
      this.createVisibleLinks(newTop);
      return { changed: false, dataDir: oldDir };
    }

    const name = this.newDataDirName();
    const tsPath = join(this.targetDir, name);
    mkdirSync(tsPath, { mode: 0o755 });
    chmodSync(tsPath, 0o755);
    try {
      for (const [p, f] of Object.entries(payload)) {
        const file = join(tsPath, p);
        mkdirSync(dirname(file), { recursive: true, mode: 0o755 });
        writeFileSync(file, f.data);
        chmodSync(file, f.mode);
        if (f.fsUser !== undefined) {
          try {
            chownSync(file, f.fsUser, -1);
          } catch {
            // Not root: the file keeps the agent's owner.
          }
        }
      }
      setPerms?.(tsPath);
      const tmpLink = join(this.targetDir, DATA_TMP_NAME);
      rmSync(tmpLink, { force: true });
      symlinkSync(name, tmpLink);
      renameSync(tmpLink, dataLink);
    } catch (err) {
      rmSync(tsPath, { recursive: true, force: true });
      throw err;
    }
    this.createVisibleLinks(newTop);
    for (const n of toRemove) rmSync(join(this.targetDir, n), { force: true, recursive: false });
    if (oldPath && oldDir !== name) rmSync(oldPath, { recursive: true, force: true });
    return { changed: true, dataDir: name };
  }

  /** The user-visible entries: everything not starting with `..`. */
  private visibleNames(): Set<string> {
    return new Set(readdirSync(this.targetDir).filter((n) => !n.startsWith('..')));
  }

  private createVisibleLinks(names: Set<string>): void {
    for (const n of names) {
      const link = join(this.targetDir, n);
      let existing: string | undefined;
      try {
        if (lstatSync(link).isSymbolicLink()) existing = readlinkSync(link);
        else rmSync(link, { recursive: true, force: true });
      } catch {
        existing = undefined;
      }
      const target = posix.join(DATA_DIR_NAME, n);
      if (existing === target) continue;
      if (existing !== undefined) unlinkSync(link);
      symlinkSync(target, link);
    }
  }

  private newDataDirName(): string {
    const prefix = timestampPrefix(this.now());
    for (;;) {
      const name = `${prefix}${randomInt(0, 2 ** 32)}`;
      if (!existsSync(join(this.targetDir, name))) return name;
    }
  }
}

/** The old data directory holds exactly the payload's files, with the same bytes and modes. */
function sameContent(dir: string, payload: Payload): boolean {
  const files = new Set<string>();
  const walk = (rel: string) => {
    for (const n of readdirSync(join(dir, rel))) {
      const p = rel ? `${rel}/${n}` : n;
      if (statSync(join(dir, p)).isDirectory()) walk(p);
      else files.add(p);
    }
  };
  try {
    walk('');
  } catch {
    return false;
  }
  const wanted = Object.keys(payload);
  if (files.size !== wanted.length) return false;
  for (const p of wanted) {
    if (!files.has(p)) return false;
    const f = payload[p]!;
    const full = join(dir, p);
    if ((statSync(full).mode & 0o7777) !== (f.mode & 0o7777)) return false;
    if (!readFileSync(full).equals(f.data)) return false;
  }
  return true;
}
