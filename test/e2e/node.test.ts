// The node agent with the real kubectl: the node registers Ready, pods bound to it run (1/1
// Running), their projected token volume is on disk with the AtomicWriter layout and is rotated
// past 80 % of its 3607 s, automount false gives no volume, deleting a pod removes it and its
// files, and a Job's pod Succeeds.
import assert from 'node:assert/strict';
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { ManualClock } from '../../src/api/clock.js';
import { DEFAULT_ISSUER } from '../../src/auth/setup.js';
import { startBadge, type Badge } from './harness.js';
import { EXAMPLES } from './tutorial.js';
import { eventually } from '../../src/testing/eventually.js';

const NODE = 'badge-e2e-node';
const T0 = new Date('2026-03-01T12:00:00Z');

describe('the node agent, with kubectl', () => {
  let b: Badge;
  let clock: ManualClock;

  const kubectl = (...args: string[]) => b.ok(args);
  const podJson = async (name: string) => JSON.parse(await kubectl('get', 'pod', name, '-o', 'json')) as { metadata: { uid: string }; spec: { nodeName?: string; volumes?: { name: string }[] }; status: { phase?: string } };
  /** The scheduler binds the pod to the node (it is never bound here: that would hide a broken scheduler). */
  async function ensureBound(name: string): Promise<void> {
    const nodeName = await eventually(async () => (await podJson(name)).spec.nodeName, `${name} bound by the scheduler`, 20_000);
    assert.equal(nodeName, NODE);
  }
  const row = async (name: string) => (await kubectl('get', 'pod', name, '--no-headers')).trim().split(/\s+/);

  before(async () => {
    clock = new ManualClock(T0);
    b = await startBadge({ clock, nodeName: NODE, nodeSyncIntervalMs: 200 });
    await kubectl('apply', '-f', join(EXAMPLES, '01-serviceaccount.yaml'));
  });
  after(async () => {
    await b?.close();
  });

  it('kubectl get nodes shows the node Ready', async () => {
    const out = await kubectl('get', 'nodes');
    assert.match(out, /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\n/);
    assert.match(out, new RegExp(`^${NODE}\\s+Ready\\s+<none>\\s+\\S+\\s+v1\\.32\\.2\\+badge$`, 'm'));
    const wide = await kubectl('get', 'node', NODE, '-o', 'wide');
    assert.match(wide, /127\.0\.0\.1\s+<none>\s+.+badge:\/\/simulated/);
    const lease = JSON.parse(await kubectl('get', 'lease', '-n', 'kube-node-lease', NODE, '-o', 'json'));
    assert.equal(lease.spec.holderIdentity, NODE);
    assert.equal(lease.spec.leaseDurationSeconds, 40);
  });

  it('03-pod-with-sa.yaml becomes 1/1 Running, with its token volume on disk', async () => {
    assert.equal((await b.kubectl(['apply', '-f', join(EXAMPLES, '03-pod-with-sa.yaml')])).stdout, 'pod/my-app created\n');
    await ensureBound('my-app');
    await eventually(async () => {
      const [, ready, status, restarts] = await row('my-app');
      return ready === '1/1' && status === 'Running' && restarts === '0';
    }, 'my-app 1/1 Running', 20_000);
    const wide = await kubectl('get', 'pod', 'my-app', '-o', 'wide', '--no-headers');
    assert.match(wide, new RegExp(`10\\.244\\.\\d+\\.\\d+\\s+${NODE}\\s`));

    const pod = await podJson('my-app');
    const volume = pod.spec.volumes!.find((v) => v.name.startsWith('kube-api-access-'))!.name;
    const dir = join(b.dataDir, 'pods', pod.metadata.uid, 'volumes', volume);
    const data = readlinkSync(join(dir, '..data'));
    assert.match(data, /^\.\.\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d\.\d+$/);
    for (const f of ['token', 'ca.crt', 'namespace']) {
      assert.ok(lstatSync(join(dir, f)).isSymbolicLink(), f);
      assert.equal(readlinkSync(join(dir, f)), `..data/${f}`);
      assert.equal(statSync(join(dir, data, f)).mode & 0o777, 0o644, `${f} mode`);
    }
    assert.equal(readFileSync(join(dir, 'namespace'), 'utf8'), 'default');
    assert.equal(readFileSync(join(dir, 'ca.crt'), 'utf8'), b.server.pki.ca.cert);
    const claims = decodeJwt(readFileSync(join(dir, 'token'), 'utf8')) as Record<string, any>;
    assert.deepEqual(claims.aud, [DEFAULT_ISSUER]);
    assert.equal(claims.sub, 'system:serviceaccount:default:my-app-sa');
    assert.equal(claims['kubernetes.io'].pod.name, 'my-app');
    assert.equal(claims['kubernetes.io'].pod.uid, pod.metadata.uid);
    assert.equal(claims['kubernetes.io'].node.name, NODE);
    assert.equal(claims.iat, T0.getTime() / 1000);
    assert.equal(claims.exp - claims.iat, 365 * 24 * 3600, 'the 3607 s token is extended to a year');
    assert.equal(claims['kubernetes.io'].warnafter, claims.iat + 3607);

    const describe = await kubectl('describe', 'pod', 'my-app');
    assert.match(describe, /Status:\s+Running/);
    assert.match(describe, /Container ID:\s+badge:\/\/[0-9a-f]{64}/);
    assert.match(describe, /Normal\s+Pulled\s+\S+\s+kubelet\s+Container image "nginx:1\.25" already present on machine/);
    assert.match(describe, /Normal\s+Started\s+\S+\s+kubelet\s+Started container app/);
  });

  it('rewrites the token once the clock passes 80 % of 3607 s', async () => {
    const pod = await podJson('my-app');
    const volume = pod.spec.volumes!.find((v) => v.name.startsWith('kube-api-access-'))!.name;
    const dir = join(b.dataDir, 'pods', pod.metadata.uid, 'volumes', volume);
    const before = readlinkSync(join(dir, '..data'));
    const oldToken = readFileSync(join(dir, 'token'), 'utf8');
    clock.advance(2800_000);
    await new Promise((r) => setTimeout(r, 800));
    assert.equal(readFileSync(join(dir, 'token'), 'utf8'), oldToken, 'kept before 80 % (less the jitter)');
    clock.advance(100_000);
    const fresh = await eventually(async () => {
      const t = readFileSync(join(dir, 'token'), 'utf8');
      return t !== oldToken ? t : undefined;
    }, 'a rotated token', 20_000);
    assert.notEqual(readlinkSync(join(dir, '..data')), before);
    assert.ok(!readdirSync(dir).includes(before), 'the old data directory is gone');
    assert.equal(decodeJwt(fresh).iat, T0.getTime() / 1000 + 2900);
  });

  it('05-pod-no-automount.yaml has no token volume', async () => {
    await kubectl('apply', '-f', join(EXAMPLES, '05-pod-no-automount.yaml'));
    await ensureBound('my-app-no-token');
    await eventually(async () => (await row('my-app-no-token'))[2] === 'Running', 'my-app-no-token Running', 20_000);
    const pod = await podJson('my-app-no-token');
    assert.equal(pod.spec.volumes, undefined);
    const volumes = join(b.dataDir, 'pods', pod.metadata.uid, 'volumes');
    assert.ok(!existsSync(volumes) || readdirSync(volumes).length === 0);
  });

  it('deleting a pod removes it and its volumes', async () => {
    const pod = await podJson('my-app');
    const podDir = join(b.dataDir, 'pods', pod.metadata.uid);
    assert.ok(existsSync(podDir));
    const r = await b.kubectl(['delete', 'pod', 'my-app']);
    assert.equal(r.stdout, 'pod "my-app" deleted\n', r.stderr);
    const get = await b.kubectl(['get', 'pod', 'my-app']);
    assert.equal(get.stderr, 'Error from server (NotFound): pods "my-app" not found\n');
    await eventually(async () => !existsSync(podDir), 'the pod directory removed', 20_000);
  });

  it("a Job's pod reaches Succeeded (0/1 Completed)", async () => {
    await kubectl('apply', '-f', join(EXAMPLES, '12-backup-job.yaml'));
    const name = await eventually(async () => {
      const out = await kubectl('get', 'pods', '-l', 'job-name=backup-job', '-o', 'jsonpath={.items[0].metadata.name}');
      return out || undefined;
    }, 'the Job pod', 20_000);
    await ensureBound(name);
    await eventually(async () => (await podJson(name)).status.phase === 'Succeeded', 'Succeeded', 20_000);
    const [, ready, status] = await row(name);
    assert.deepEqual([ready, status], ['0/1', 'Completed']);
  });
});
