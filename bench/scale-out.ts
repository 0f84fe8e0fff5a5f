// (14) Scale out: creates per second through one and through three Badge servers on a 3-member
// etcd, beside raw puts with the same etcd client (npm etcd3) from this process, as many in flight
// as the wrk connections; a write's delivery to 1,000 watchers spread over the three servers; and
// the controllers' failover after kill -9 of the leader: from the kill
// to another server holding the kube-controller-manager Lease, and to a Deployment created at the
// kill getting its ReplicaSet.
import { chmodSync, copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Etcd3 } from 'etcd3';
import { startEtcd } from '../src/testing/etcd.js';
import { rawPuts } from './etcd.js';
import { progress, type Rate } from './measure.js';
import { watchFanOut, type WatchResult } from './scenarios.js';
import { startBenchServer, type BenchServer } from './server.js';
import { wrk, wrkConcurrently } from './wrk.js';

const TOKEN = 'bench-scale-out-token';
const CONNECTIONS = 16;

export interface ScaleOutBenchResult {
  /** Creates/s through one server (16 connections) beside raw puts with 16 in flight. */
  one: { badge: number; raw: Rate };
  /** Creates/s through three servers at once (16 connections each) beside raw puts with 48 in flight. */
  three: { badge: number; perServer: number[]; raw: Rate };
  /** 1,000 watchers, a third on each server, writes through the first: acknowledgement → last delivery. */
  fanOut: WatchResult;
  /** Milliseconds from kill -9 of the leader to another server holding the lease / to the ReplicaSet. */
  failover: { leaseMs: number; replicaSetMs: number };
}

export async function scaleOutBench(seconds: number): Promise<ScaleOutBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'badge-bench-scale-'));
  const tokens = join(dir, 'tokens.csv');
  writeFileSync(tokens, `${TOKEN},bench-admin,bench-admin,system:masters\n`);
  const headers = { Authorization: `Bearer ${TOKEN}` };
  const body = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'w-' }, data: { k: 'v' } });
  const configmaps = '/api/v1/namespaces/default/configmaps';
  const etcd = await startEtcd(3);
  const servers: BenchServer[] = [];
  try {
    const names = ['bench-a', 'bench-b', 'bench-c'];
    const start = (i: number, extra: string[] = []) =>
      startBenchServer(['--token-auth-file', tokens, '--storage-backend', 'etcd3', '--etcd-servers', etcd.urls.join(','), '--node-name', names[i]!, ...extra], join(dir, names[i]!));
    progress('scale out: three servers on a 3-member etcd');
    servers.push(await start(0));
    const clusterToken = join(dir, 'cluster-token');
    copyFileSync(join(dir, names[0]!, 'token'), clusterToken);
    chmodSync(clusterToken, 0o600);
    servers.push(await start(1, ['--cluster-token-file', clusterToken]), await start(2, ['--cluster-token-file', clusterToken]));

    progress('scale out: creates through one server');
    const one = wrk(`${servers[0]!.url}${configmaps}`, { seconds, method: 'POST', body, headers, connections: CONNECTIONS }).requestsPerSec;
    progress('scale out: creates through three servers');
    const perServer = (await wrkConcurrently(servers.map((s) => `${s.url}${configmaps}`), { seconds, method: 'POST', body, headers, connections: CONNECTIONS })).map((r) => r.requestsPerSec);
    progress('scale out: raw etcd puts');
    const client = new Etcd3({ hosts: etcd.urls });
    const rawOne = await rawPuts(client, body, seconds * 1000, CONNECTIONS);
    const rawThree = await rawPuts(client, body, seconds * 1000, CONNECTIONS * 3);
    client.close();
    progress('scale out: 1,000 watchers over three servers');
    const fanOut = await watchFanOut(servers, 1000, 50);

    progress('scale out: kill -9 of the controller leader');
    const lease = '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-controller-manager';
    const holder = (await servers[0]!.api('GET', lease)).json.spec.holderIdentity as string;
    const leader = names.findIndex((n) => holder.startsWith(`${n}_`));
    const survivor = servers[(leader + 1) % 3]!;
    const killed = performance.now();
    servers[leader]!.child.kill('SIGKILL');
    await survivor.api('POST', '/apis/apps/v1/namespaces/default/deployments', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'failover' },
      spec: { selector: { matchLabels: { app: 'failover' } }, template: { metadata: { labels: { app: 'failover' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    });
    let leaseMs = 0;
    for (;;) {
      const now = (await survivor.api('GET', lease)).json.spec.holderIdentity as string;
      if (!leaseMs && !now.startsWith(`${names[leader]}_`)) leaseMs = performance.now() - killed;
      const sets = (await survivor.api('GET', '/apis/apps/v1/namespaces/default/replicasets?labelSelector=app%3Dfailover')).json.items.length;
      if (leaseMs && sets) break;
      if (performance.now() - killed > 60_000) throw new Error('no failover within 60 s');
      await new Promise((r) => setTimeout(r, 50));
    }
    const failover = { leaseMs, replicaSetMs: performance.now() - killed };
    return { one: { badge: one, raw: rawOne }, three: { badge: perServer.reduce((a, b) => a + b, 0), perServer, raw: rawThree }, fanOut, failover };
  } finally {
    for (const s of servers) if (s.child.exitCode === null && s.child.signalCode === null) await s.stop();
    await etcd.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
