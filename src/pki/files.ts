// Writing the data dir's files. Each is written whole or not at all: into a temporary file,
// flushed to disk, then renamed over the name (and the directory flushed), so a crash leaves
// either the old file or the new one, never half a key. Private keys and kubeconfigs are
// readable by the owner only.
import { closeSync, fchmodSync, fsyncSync, mkdirSync, openSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

function writeWhole(path: string, content: string, mode: number): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w', mode);
  try {
    fchmodSync(fd, mode);
    writeFileSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  const dirFd = openSync(dir, 'r');
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
}

export const writePrivate = (path: string, content: string) => writeWhole(path, content, 0o600);

export const writePublic = (path: string, content: string) => writeWhole(path, content, 0o644);
