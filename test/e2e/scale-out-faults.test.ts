// Scale out under faults: three `badge server` processes on a 3-member etcd. They are one cluster
// (an object written through one is watched through another, a token one mints works on all, the
// kubernetes Endpoints and the nodes list all three); kill -9 of the controller manager's leader
// under write load loses no acknowledged write, the others keep serving and one of them takes the
// lease; an etcd member restarting, and the etcd leader stopped, cost clients a retry at most.
// etcd unreachable altogether is test/e2e/etcd.test.ts.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eventually } from '../../src/testing/eventually.js';
import { etcdMissing } from '../../src/testing/etcd.js';
import { startEtcdServers, type EtcdServers } from './etcd-servers.js';
import { run } from './harness.js';

const missing = etcdMissing();
const NAMES = ['faults-a', 'faults-b', 'faults-c'];

describe('e2e: three servers on a 3-member etcd, under faults', { skip: missing }, () => {
  let c: EtcdServers;
  const kubectl = (i: number, args: string[]) => c.kubectl(i, args);
  const ok = (i: number, args: string[]) => c.ok(i, args);
  /** kubectl that may fail once (a client's retry), then must succeed; how many retries it took. */
  const withRetry = async (i: number, args: string[]): Promise<number> => {
    const first = await kubectl(i, args);
    if (first.code === 0) return 0;
    await new Promise((r) => setTimeout(r, 1000));
    await ok(i, args);
    return 1;
  };
  const leaseHolder = async (i: number) => (await ok(i, ['get', 'lease', '-n', 'kube-system', 'kube-controller-manager', '-o', 'jsonpath={.spec.holderIdentity}'])).trim();

  before(async () => {
    c = await startEtcdServers(NAMES, 3);
  });
  after(() => c?.close());

  it('are one cluster: written through one, watched through another; tokens, Endpoints and nodes', async () => {
    const watch = spawn('/usr/bin/kubectl', ['--kubeconfig', join(c.dirs[2]!, 'kubeconfig.yaml'), '--cache-dir', c.cacheDir, 'get', 'configmaps', '-w', '-o', 'name', '--request-timeout', '0']);
    let seen = '';
    watch.stdout.on('data', (d) => (seen += d));
    try {
      await eventually(async () => seen.includes('configmap/kube-root-ca.crt'), 'the watch to list', 20_000);
      await ok(0, ['create', 'configmap', 'through-a', '--from-literal=k=v']);
      await eventually(async () => seen.includes('configmap/through-a'), 'the watch through C to see the ConfigMap created through A', 20_000);
    } finally {
      watch.kill();
    }
    assert.equal((await ok(1, ['get', 'configmap', 'through-a', '-o', 'jsonpath={.data.k}'])).trim(), 'v');

    await ok(0, ['create', 'serviceaccount', 'demo']);
    const sa = (await ok(0, ['create', 'token', 'demo', '--duration', '1h'])).trim();
    for (const s of c.servers) {
      const whoami = await run('/usr/bin/kubectl', ['--kubeconfig', '/dev/null', '--server', s!.url, '--certificate-authority', join(c.dirs[0]!, 'pki', 'ca.crt'), '--token', sa, '--cache-dir', c.cacheDir, 'auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}']);
      assert.equal(whoami.code, 0, whoami.stderr);
      assert.equal(whoami.stdout.trim(), 'system:serviceaccount:default:demo');
    }

    const ports = c.servers.map((s) => Number(new URL(s!.url).port)).sort();
    await eventually(async () => {
      const subsets = JSON.parse(await ok(1, ['get', 'endpoints', 'kubernetes', '-o', 'json'])).subsets ?? [];
      return JSON.stringify(subsets.flatMap((s: { ports: { port: number }[] }) => s.ports.map((p) => p.port)).sort()) === JSON.stringify(ports);
    }, 'the kubernetes Endpoints to list all three c.servers', 20_000);
    await eventually(async () => (await ok(2, ['get', 'nodes', '--no-headers'])).match(/ Ready /g)?.length === 3, 'three Ready nodes', 20_000);
  });

  it('kill -9 of the controller manager leader under write load: no acknowledged write lost, another takes the lease, controllers work again', async (t) => {
    const holder = await leaseHolder(1);
    const leader = NAMES.findIndex((n) => holder.startsWith(`${n}_`));
    assert.ok(leader >= 0, holder);
    const other = (leader + 1) % 3;
    const acked: string[] = [];
    let stop = false;
    let n = 0;
    // Eight writers, each with one create in flight, record every 201 until the server dies.
    const writers = Promise.all(
      Array.from({ length: 8 }, async () => {
        while (!stop) {
          const name = `w-${n++}`;
          const r = await c.servers[leader]!.api('POST', '/api/v1/namespaces/default/configmaps', JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } })).catch(() => undefined);
          if (!r) return;
          if (r.status === 201) acked.push(name);
        }
      }),
    );
    await eventually(async () => acked.length >= 300, '300 acknowledged creates', 30_000);
    const killedAt = Date.now();
    await c.servers[leader]!.stop('SIGKILL');
    c.servers[leader] = undefined;
    stop = true;
    await writers;

    const listed = JSON.parse(await ok(other, ['get', 'configmaps', '-o', 'json'])).items.map((o: { metadata: { name: string } }) => o.metadata.name);
    const lost = acked.filter((n) => !listed.includes(n));
    assert.deepEqual(lost, [], `${acked.length} acknowledged`);
    await ok(other, ['create', 'configmap', 'after-kill']);

    await eventually(async () => !(await leaseHolder(other)).startsWith(`${NAMES[leader]}_`), 'another server to take the lease', 40_000, 200);
    const failoverMs = Date.now() - killedAt;
    t.diagnostic(`${acked.length} of ${n} creates acknowledged, none lost; lease taken over ${failoverMs} ms after the kill`);
    // client-go: a lease counts as expired leaseDuration after a candidate saw it change, and candidates try every retryPeriod × (1 + 1.2 jitter).
    assert.ok(failoverMs <= 15_000 + 2_000 * 2.2 + 2_000, `failover took ${failoverMs} ms`);
    await ok(other, ['create', 'deployment', 'after-failover', '--image', 'nginx:1.25', '--replicas', '2']);
    // The pods exist and are scheduled (one may land on the dead server's node, which no agent runs now).
    await eventually(async () => (await ok(other, ['get', 'pods', '-l', 'app=after-failover', '-o', 'jsonpath={range .items[*]}{.spec.nodeName}{"\\n"}{end}'])).split('\n').filter(Boolean).length === 2, 'the Deployment to get two scheduled pods', 30_000);
  });

  it('an etcd member restarting, then the etcd leader stopped: clients see a retry at most', async (t) => {
    const live = () => [0, 1, 2].filter((i) => c.servers[i]);
    let retries = 0;
    const member = c.etcd.members[2]!;
    await member.stop();
    for (const i of live()) retries += await withRetry(i, ['create', 'configmap', `member-down-${i}`]);
    await member.start();
    for (const i of live()) retries += await withRetry(i, ['get', 'configmap', `member-down-${i}`]);

    const status: { Endpoint: string; Status: { header: { member_id: number }; leader: number } }[] = JSON.parse(c.etcd.etcdctl(['endpoint', 'status', '-w', 'json']));
    const leaderUrl = status.find((s) => s.Status.header.member_id === s.Status.leader)!.Endpoint;
    const etcdLeader = c.etcd.members.find((m) => m.url === leaderUrl)!;
    await etcdLeader.stop();
    try {
      for (const i of live()) retries += await withRetry(i, ['create', 'configmap', `leader-down-${i}`]);
      for (const i of live()) retries += await withRetry(i, ['get', 'configmaps', '-o', 'name']);
    } finally {
      await etcdLeader.start();
    }
    for (const i of live()) retries += await withRetry(i, ['get', 'configmap', `leader-down-${i}`]);
    t.diagnostic(`${retries} kubectl commands needed a retry`);
  });
});
