// Scale out (several servers on one store), as far as one server shows it: the controller
// manager's and the scheduler's leader Leases in kube-system held under the server's identity,
// kept across a restart of the same data dir; its apiserver identity Lease; three more candidates
// for a lock on the real server (one leads, one cut off is replaced, a release hands over); the
// kubernetes Endpoints listing two more servers' masterleases; and a second node agent beside the
// server's own, the scheduler spreading a Deployment's pods over both nodes.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { systemClock, systemRandom } from '../../src/api/clock.js';
import { apiserverUser } from '../../src/api/user.js';
import type { Client } from '../../src/client/client.js';
import { InformerFactory } from '../../src/client/informer-factory.js';
import { apiServerId } from '../../src/controllers/apiserver-identity.js';
import { LeaderElector } from '../../src/controllers/leader-election.js';
import { startNodeAgent } from '../../src/node/agent.js';
import { LocalClient } from '../../src/registry/local-client.js';
import { kubernetesEndpoints } from '../../src/server/kubernetes-endpoints.js';
import { eventually } from '../../src/testing/eventually.js';
import { startBadge, type Badge } from './harness.js';

const NODE = 'badge-e2e-a';

describe('scale out, on one server', () => {
  let b: Badge;
  let dataDir: string;
  const kubectl = (...args: string[]) => b.ok(args);
  const json = async (...args: string[]) => JSON.parse(await kubectl(...args, '-o', 'json'));
  const identity = () => `${NODE}_${readFileSync(join(dataDir, 'server-id'), 'utf8').trim()}`;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'badge-e2e-'));
    b = await startBadge({ dataDir, nodeName: NODE });
  });
  after(async () => {
    await b?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('the controller manager and the scheduler hold their leases under the server identity, taken back at once after a restart', async () => {
    for (const name of ['kube-controller-manager', 'kube-scheduler']) {
      const lease = await json('get', 'lease', '-n', 'kube-system', name);
      assert.equal(lease.spec.holderIdentity, identity());
      assert.equal(lease.spec.leaseDurationSeconds, 15);
    }
    assert.match(await kubectl('get', 'lease', '-n', 'kube-system'), new RegExp(`^kube-controller-manager\\s+${identity()}\\s+\\d+s$`, 'm'));
    const events = await kubectl('get', 'events', '-n', 'kube-system', '--field-selector', 'reason=LeaderElection', '-o', 'jsonpath={.items[*].message}');
    assert.ok(events.includes(`${identity()} became leader`), events);

    await b.close();
    b = await startBadge({ dataDir, nodeName: NODE });
    // Ready means leading again: the same identity, no wait for the old lease.
    const lease = await json('get', 'lease', '-n', 'kube-system', 'kube-controller-manager');
    assert.equal(lease.spec.holderIdentity, identity());
    assert.equal(lease.spec.leaseDurationSeconds, 15);
    await kubectl('create', 'deployment', 'after-restart', '--image=nginx');
    await eventually(async () => (await json('get', 'deployment', 'after-restart')).status?.readyReplicas === 1, 'the controllers run after the restart', 20_000);
  });

  it('a server whose lease another takes stops its controllers, and takes them back once the lease is free', async () => {
    const patchLease = (spec: object) => kubectl('patch', 'lease', '-n', 'kube-system', 'kube-controller-manager', '--type=merge', '-p', JSON.stringify({ spec }));
    /** How often the server said it stopped leading (the restart above said so once). */
    const stops = async () => {
      const lines = await kubectl('get', 'events', '-n', 'kube-system', '--field-selector', 'reason=LeaderElection', '-o', 'jsonpath={range .items[*]}{.message}|{.count}{"\\n"}{end}');
      return lines.split('\n').filter((l) => l.startsWith(`${identity()} stopped leading|`)).reduce((n, l) => n + Number(l.split('|')[1]), 0);
    };
    const before = await stops();
    await patchLease({ holderIdentity: 'intruder', leaseDurationSeconds: 3600 });
    // Its renewals fail from now on: within RetryPeriod + RenewDeadline (12 s) it stops leading.
    await eventually(async () => (await stops()) > before, 'the server to stop leading', 20_000);
    await kubectl('create', 'deployment', 'held', '--image=nginx');
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(await kubectl('get', 'replicasets', '-l', 'app=held', '-o', 'name'), '', 'no controller runs');
    // Released (no holder), the lease is the server's again at its next try.
    await patchLease({ holderIdentity: '', leaseDurationSeconds: 1 });
    await eventually(async () => (await json('get', 'deployment', 'held')).status?.readyReplicas === 1, 'the controllers to run again', 20_000);
    assert.equal((await json('get', 'lease', '-n', 'kube-system', 'kube-controller-manager')).spec.holderIdentity, identity());
  });

  it('the server keeps its apiserver identity Lease', async () => {
    const name = apiServerId(NODE);
    const leases = await json('get', 'lease', '-n', 'kube-system', '-l', 'apiserver.kubernetes.io/identity=kube-apiserver');
    assert.deepEqual(
      leases.items.map((l: { metadata: { name: string } }) => l.metadata.name),
      [name],
    );
    const lease = leases.items[0];
    assert.equal(lease.metadata.labels['kubernetes.io/hostname'], NODE);
    assert.equal(lease.spec.leaseDurationSeconds, 3600);
    assert.match(lease.spec.holderIdentity, new RegExp(`^${name}_[0-9a-f-]{36}$`));
  });

  it('of three candidates for a lock, one leads; cut off, it is replaced; released, the lock passes on at once', async () => {
    const client = new LocalClient(b.server.registry, apiserverUser, systemClock, systemRandom);
    const candidates = ['x', 'y', 'z'].map((id) => {
      const cut = Object.create(client) as Client & { down?: boolean };
      const refuse = () => Promise.reject(new Error('connection refused'));
      cut.get = (...a) => (cut.down ? refuse() : client.get(...a));
      cut.create = (...a) => (cut.down ? refuse() : client.create(...a));
      cut.update = (...a) => (cut.down ? refuse() : client.update(...a));
      const c = { id, cut, leading: false, elector: undefined as unknown as LeaderElector };
      c.elector = new LeaderElector({
        client: cut,
        namespace: 'kube-system',
        name: 'e2e-lock',
        identity: id,
        clock: systemClock,
        leaseDurationMs: 3000,
        renewDeadlineMs: 2000,
        retryPeriodMs: 500,
        onStartedLeading: () => void (c.leading = true),
        onStoppedLeading: () => void (c.leading = false),
      });
      return c;
    });
    await Promise.all(candidates.map((c) => c.elector.start()));
    const leaders = () => candidates.filter((c) => c.leading);
    const holder = async () => (await json('get', 'lease', '-n', 'kube-system', 'e2e-lock')).spec.holderIdentity;
    assert.equal(leaders().length, 1);
    const first = leaders()[0]!;
    assert.equal(await holder(), first.id);

    first.cut.down = true;
    const second = await eventually(() => leaders().length === 1 && leaders()[0] !== first && leaders()[0], 'another candidate leads', 20_000);
    assert.equal(first.leading, false);
    assert.equal(await holder(), second.id);
    assert.equal((await json('get', 'lease', '-n', 'kube-system', 'e2e-lock')).spec.leaseTransitions, 1);

    await second.elector.stop();
    await first.elector.stop();
    const third = candidates.find((c) => c !== first && c !== second)!;
    await eventually(() => third.leading, 'the third leads after the release', 5000);
    assert.equal(await holder(), third.id);
    await third.elector.stop();
  });

  it('the kubernetes Endpoints list every server whose masterlease is live', async () => {
    const client = new LocalClient(b.server.registry, apiserverUser, systemClock, systemRandom);
    const addresses = async () => (await json('get', 'endpoints', 'kubernetes')).subsets.map((s: { addresses: { ip: string }[]; ports: { port: number }[] }) => s.addresses.map((a) => `${a.ip}:${s.ports[0]!.port}`)).flat().sort();
    const own = `127.0.0.1:${b.server.port}`;
    assert.deepEqual(await addresses(), [own]);
    const others = [kubernetesEndpoints({ storage: b.server.storage, client, ip: '127.0.0.1', port: 1 }), kubernetesEndpoints({ storage: b.server.storage, client, ip: '10.0.0.9', port: b.server.port })];
    for (const o of others) await o.start();
    assert.deepEqual(await addresses(), [`10.0.0.9:${b.server.port}`, own, '127.0.0.1:1'].sort());
    assert.match(await kubectl('get', 'endpoints', 'kubernetes'), new RegExp(`^kubernetes\\s+\\S*127\\.0\\.0\\.1:1\\b`, 'm'));
    for (const o of others) await o.stop();
    assert.deepEqual(await addresses(), [own]);
    // Their storage requests are counted as upstream's apiServerIPInfo resource.
    assert.match((await b.api('GET', '/metrics')).text, /^etcd_requests_total\{[^}]*resource="apiServerIPInfo"[^}]*\} [1-9]/m);
  });

  it('a second node agent runs its own node; the scheduler spreads pods over both', async () => {
    const client = new LocalClient(b.server.registry, apiserverUser, systemClock, systemRandom).withFieldManager('kubelet');
    const agentDir = mkdtempSync(join(tmpdir(), 'badge-e2e-node-'));
    const informers = new InformerFactory(client);
    const agent = await startNodeAgent({ client, informers, clock: systemClock, dataDir: agentDir, nodeName: 'badge-e2e-b', runtime: 'simulated', apiServer: { host: '127.0.0.1', port: b.server.port } });
    try {
      await eventually(async () => /^badge-e2e-b\s+Ready\s/m.test(await kubectl('get', 'nodes')), 'node b Ready');
      await kubectl('create', 'deployment', 'spread', '--image=nginx', '--replicas=4');
      await eventually(async () => (await json('get', 'deployment', 'spread')).status?.readyReplicas === 4, 'spread 4/4 ready', 30_000);
      const pods = await json('get', 'pods', '-l', 'app=spread');
      const nodes = new Set(pods.items.map((p: { spec: { nodeName: string } }) => p.spec.nodeName));
      assert.deepEqual([...nodes].sort(), [NODE, 'badge-e2e-b']);
    } finally {
      await agent.stop();
      informers.stop();
      rmSync(agentDir, { recursive: true, force: true });
    }
  });
});
