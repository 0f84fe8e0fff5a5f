// For tests: real etcd servers (Debian's etcd-server, /usr/bin/etcd) on loopback ports of their
// own, with their data in a temporary directory. One member, or a cluster of three bootstrapped
// statically (etcd's clustering guide) under a token of its own, so test clusters never meet.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.js';

export const ETCD = '/usr/bin/etcd';
export const ETCDCTL = '/usr/bin/etcdctl';

/** Why the etcd tests cannot run here, or undefined. */
export function etcdMissing(): string | undefined {
  return existsSync(ETCD) && existsSync(ETCDCTL) ? undefined : `${ETCD} is missing: apt-get install -y etcd-server etcd-client`;
}

export interface EtcdMember {
  name: string;
  /** The client URL (http://127.0.0.1:PORT). */
  url: string;
  /** Stops the process (SIGTERM), keeping its data. */
  stop(): Promise<void>;
  /** Starts it again with the same flags and data; resolves once it serves clients. */
  start(): Promise<void>;
}

export interface EtcdCluster {
  members: EtcdMember[];
  /** The client URLs, for --etcd-servers. */
  urls: string[];
  /** Runs etcdctl against the cluster; its standard output. */
  etcdctl(args: string[]): string;
  /** Stops every member and removes the data. */
  close(): Promise<void>;
}

/** PEM files for etcd's clients to be served with TLS and to present a certificate. */
export interface EtcdTls {
  caFile: string;
  /** The server's certificate and key (for 127.0.0.1). */
  certFile: string;
  keyFile: string;
}

function member(name: string, dir: string, client: number, peer: number, initialCluster: string, token: string, tls?: EtcdTls): EtcdMember {
  const url = `${tls ? 'https' : 'http'}://127.0.0.1:${client}`;
  const peerUrl = `http://127.0.0.1:${peer}`;
  const args = [
    '--name', name, '--data-dir', join(dir, name),
    '--listen-client-urls', url, '--advertise-client-urls', url,
    '--listen-peer-urls', peerUrl, '--initial-advertise-peer-urls', peerUrl,
    '--initial-cluster', initialCluster, '--initial-cluster-state', 'new', '--initial-cluster-token', token,
    '--logger', 'zap', '--log-outputs', 'stderr',
    ...(tls ? ['--cert-file', tls.certFile, '--key-file', tls.keyFile, '--trusted-ca-file', tls.caFile, '--client-cert-auth'] : []),
  ];
  let child: ChildProcess | undefined;
  return {
    name,
    url,
    start: () =>
      new Promise<void>((resolve, reject) => {
        const p = spawn(ETCD, args, { stdio: ['ignore', 'ignore', 'pipe'] });
        child = p;
        let log = '';
        p.stderr!.on('data', (d: Buffer) => {
          log = (log + d.toString()).slice(-20_000);
          if (log.includes('published local member to cluster through raft')) resolve();
        });
        p.once('exit', (code) => reject(new Error(`etcd ${name} exited (${code}) before serving: ${log.slice(-2000)}`)));
        p.once('error', reject);
      }),
    stop: async () => {
      const p = child;
      child = undefined;
      if (!p || p.exitCode !== null || p.signalCode !== null) return;
      const exited = new Promise((r) => p.once('exit', r));
      p.kill('SIGTERM');
      // A member that lost quorum may take a while to leave; it is killed after 20 s.
      const kill = setTimeout(() => p.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(kill);
    },
  };
}

/**
 * Starts `size` members (1 or 3) and resolves once every one serves clients; with `tls`, clients
 * connect over TLS and must present a certificate (etcdctl here presents `client`).
 */
export async function startEtcd(size = 1, tls?: EtcdTls & { client: { certFile: string; keyFile: string } }): Promise<EtcdCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'badge-etcd-'));
  const token = `badge-test-${randomBytes(6).toString('hex')}`;
  const ports: [number, number][] = [];
  for (let i = 0; i < size; i++) ports.push([await freePort(), await freePort()]);
  const initialCluster = ports.map(([, peer], i) => `m${i + 1}=http://127.0.0.1:${peer}`).join(',');
  const members = ports.map(([client, peer], i) => member(`m${i + 1}`, dir, client, peer, initialCluster, token, tls));
  const urls = members.map((m) => m.url);
  const close = async () => {
    await Promise.all(members.map((m) => m.stop()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await Promise.all(members.map((m) => m.start()));
  } catch (err) {
    await close();
    throw err;
  }
  return {
    members,
    urls,
    etcdctl: (args) => {
      const auth = tls ? ['--cacert', tls.caFile, '--cert', tls.client.certFile, '--key', tls.client.keyFile] : [];
      const r = spawnSync(ETCDCTL, ['--endpoints', urls.join(','), ...auth, ...args], { encoding: 'utf8', env: { ...process.env, ETCDCTL_API: '3' } });
      if (r.status !== 0) throw new Error(`etcdctl ${args.join(' ')}: ${r.stderr}`);
      return r.stdout;
    },
    close,
  };
}
