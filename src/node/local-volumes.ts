// The file-system side of the local provisioner (controllers/persistent-volume.ts): each volume is
// a directory `<data dir>/volumes/<name>`, world-writable as local-path-provisioner makes them
// (0777), so a container of any user can write to it. Removal touches nothing outside that folder.
import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { LocalVolumes } from '../api/storage-classes.js';

export function localVolumes(dataDir: string): LocalVolumes {
  const root = join(resolve(dataDir), 'volumes');
  return {
    create(name) {
      mkdirSync(root, { recursive: true, mode: 0o711 });
      const dir = join(root, name);
      mkdirSync(dir, { recursive: true });
      chmodSync(dir, 0o777);
      return dir;
    },
    remove(path) {
      const dir = resolve(path);
      if (!dir.startsWith(`${root}/`)) throw new Error(`${path} is not a volume of the local provisioner`);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
