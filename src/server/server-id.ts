// The identity a server's controller manager and scheduler stand for election under:
// `<node name>_<uuid>`, as upstream's `<hostname>_<uuid>`, but the uuid is made once per data dir
// (its `server-id` file) rather than at every start. A server that restarts is the same candidate,
// holding the lease it held, so a lone server takes its controllers back at once instead of
// waiting out its old lease.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Random } from '../api/clock.js';
import { writePublic } from '../pki/files.js';

export function serverIdentity(dataDir: string, nodeName: string, random: Random): string {
  const file = join(dataDir, 'server-id');
  let id = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
  if (!id) {
    id = random.uuid();
    writePublic(file, `${id}\n`);
  }
  return `${nodeName}_${id}`;
}
