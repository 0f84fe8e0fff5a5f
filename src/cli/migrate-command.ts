// `badge migrate`: moves a data dir's objects from its SQLite store (state.db) into etcd, so
// `badge server --storage-backend etcd3` on the same data dir serves them, and other servers
// started with the cluster token share its identity (CA, client certificates, signing keys):
// every certificate and token issued before the move keeps working.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { SigningAlg } from '../auth/tokens/keys.js';
import { BOOTSTRAP_KEY, shareClusterIdentity } from '../server/cluster-identity.js';
import { checkDataDir } from '../server/data-dir.js';
import { lockDataDir } from '../server/lock.js';
import { openEtcdStorage } from '../storage/etcd/etcd-storage.js';
import { moveToKubeLayout, REGISTRY_PREFIX } from '../storage/key-layout.js';
import { copyRegistry } from '../storage/migrate.js';
import { SqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import { allResources } from '../registry/resources/index.js';
import { parseFlags, usage, type FlagSpec } from './flags.js';
import { etcdOptions, SERVER_FLAGS } from './server-command.js';

const FLAGS: Record<string, FlagSpec> = {
  'from-data-dir': { type: 'string', help: 'The data dir of a Badge server on SQLite (stopped): its state.db is read, its pki becomes the cluster\'s identity.' },
  'etcd-servers': SERVER_FLAGS['etcd-servers']!,
  'etcd-prefix': SERVER_FLAGS['etcd-prefix']!,
  'etcd-cafile': SERVER_FLAGS['etcd-cafile']!,
  'etcd-certfile': SERVER_FLAGS['etcd-certfile']!,
  'etcd-keyfile': SERVER_FLAGS['etcd-keyfile']!,
  'cluster-token-file': { type: 'string', help: 'The cluster token to seal the identity with (default: DIR/token, made if missing).' },
  'service-account-signing-alg': SERVER_FLAGS['service-account-signing-alg']!,
};

export async function migrateCommand(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(`Usage: badge migrate --from-data-dir DIR --etcd-servers URL[,URL...] [flags]\n\n${usage(FLAGS)}`);
    return 0;
  }
  const f = parseFlags(args, FLAGS);
  if (!f['from-data-dir']) throw new Error('--from-data-dir is required');
  const dataDir = resolve(f['from-data-dir'] as string);
  const db = join(dataDir, 'state.db');
  if (!existsSync(db)) throw new Error(`${db} does not exist: --from-data-dir must be the data dir of a Badge server on SQLite`);
  const etcd = etcdOptions({ ...f, 'storage-backend': 'etcd3' })!;
  const alg = f['service-account-signing-alg'] as SigningAlg;
  const unlock = lockDataDir(join(dataDir, 'badge.lock'));
  try {
    checkDataDir(dataDir, alg);
    // state.db in the current key layout first, as a start of this version brings it there.
    const source = new SqliteStorage(db, { sweepIntervalMs: 0 });
    try {
      const unused = undefined as never;
      await moveToKubeLayout(source, allResources({ tokenRequest: unused, tokenAuthenticator: unused, authorizer: unused, rbac: unused }), (line) => console.log(line));
    } finally {
      await source.close();
    }
    const target = await openEtcdStorage({ ...etcd, healthIntervalMs: 0 });
    const store = `etcd ${etcd.servers.join(',')}`;
    try {
      const held = await target.list(REGISTRY_PREFIX, { limit: 1 });
      if (held.count > 0) throw new Error(`${store} already holds ${held.count} objects under ${etcd.prefix}: migrate into an empty etcd or another --etcd-prefix`);
      if (await target.get(BOOTSTRAP_KEY)) throw new Error(`${store} already holds a cluster's identity (${BOOTSTRAP_KEY}): migrate into an empty etcd`);
      // The identity first: an unreadable or too open token file stops the move before anything is copied.
      const tokenFile = (f['cluster-token-file'] as string | undefined) || undefined;
      await shareClusterIdentity({ dataDir, storage: target, store, tokenFile, shared: true, alg, now: new Date(), log: () => undefined });
      const result = await copyRegistry(db, target, Date.now()).catch((err: Error) => {
        throw new Error(`${err.message}; the copy is incomplete: remove what it wrote (etcdctl del --prefix ${etcd.prefix}/ and ${BOOTSTRAP_KEY}) and run badge migrate again`);
      });
      const total = [...result.copied.values()].reduce((a, b) => a + b, 0);
      console.log(`copied ${total} objects from ${db} to ${store} (prefix ${etcd.prefix})${result.expired ? `, skipped ${result.expired} whose TTL had run out` : ''}:`);
      const width = Math.max(...[...result.copied.keys()].map((k) => k.length), 8);
      for (const [resource, n] of [...result.copied].sort(([a], [b]) => a.localeCompare(b))) console.log(`  ${resource.padEnd(width)}  ${n}`);
      const token = tokenFile ?? join(dataDir, 'token');
      console.log(`stored the cluster identity (${join(dataDir, 'pki')}) sealed with the cluster token ${token}`);
      console.log(`next: badge server --data-dir ${dataDir} --storage-backend etcd3 --etcd-servers ${etcd.servers.join(',')}; other servers: --cluster-token-file with a copy of ${token}`);
    } finally {
      await target.close();
    }
  } finally {
    unlock();
  }
  return 0;
}
