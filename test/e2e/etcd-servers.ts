// Several `badge server` processes on one etcd, one cluster: the first makes the cluster token
// (DATA/token), the others start with a copy of it (0600); kubectl through any of them.
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEtcd, type EtcdCluster } from '../../src/testing/etcd.js';
import { run, startBadgeProcess, type BadgeProcess } from './harness.js';

export interface EtcdServers {
  readonly names: readonly string[];
  readonly dirs: readonly string[];
  readonly cacheDir: string;
  /** The cluster token file the servers after the first start with. */
  readonly token: string;
  etcd: EtcdCluster;
  /** The running servers (undefined once killed). */
  servers: (BadgeProcess | undefined)[];
  /** Starts server `i` (again), with the cluster token unless it is the first. */
  start(i: number): Promise<BadgeProcess>;
  kubectl(i: number, args: string[], input?: string): ReturnType<typeof run>;
  /** kubectl through server `i`, which must succeed: its stdout. */
  ok(i: number, args: string[], input?: string): Promise<string>;
  close(): Promise<void>;
}

/** Starts an etcd of `members` and one server per name, each with `flags` too. */
export async function startEtcdServers(names: string[], members: number, flags: string[] = []): Promise<EtcdServers> {
  const root = mkdtempSync(join(tmpdir(), 'badge-etcd-servers-'));
  const dirs = names.map((n) => join(root, n));
  const token = join(root, 'token');
  const c: EtcdServers = {
    names,
    dirs,
    cacheDir: join(root, 'kube-cache'),
    token,
    etcd: await startEtcd(members),
    servers: [],
    async start(i) {
      const shared = i > 0 ? ['--cluster-token-file', token] : [];
      const s = await startBadgeProcess(dirs[i]!, ['--storage-backend', 'etcd3', '--etcd-servers', c.etcd.urls.join(','), '--node-name', names[i]!, ...flags, ...shared]);
      c.servers[i] = s;
      return s;
    },
    kubectl: (i, args, input) => run('/usr/bin/kubectl', ['--kubeconfig', join(dirs[i]!, 'kubeconfig.yaml'), '--cache-dir', c.cacheDir, ...args], { timeoutMs: 30_000, stdin: input }),
    async ok(i, args, input) {
      const r = await c.kubectl(i, args, input);
      assert.equal(r.code, 0, `kubectl ${args.join(' ')} through ${names[i]}: ${r.stderr}`);
      return r.stdout;
    },
    async close() {
      for (const s of c.servers) await s?.stop();
      await c.etcd.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
  try {
    await c.start(0);
    copyFileSync(join(dirs[0]!, 'token'), token);
    chmodSync(token, 0o600);
    for (let i = 1; i < names.length; i++) await c.start(i);
  } catch (err) {
    await c.close();
    throw err;
  }
  return c;
}
