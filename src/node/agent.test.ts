import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { systemRandom } from '../api/clock.js';
import type { PodSpec, PodStatus } from 'kubernetes-types/core/v1.js';
import type { Pod } from '../api/kinds.js';
import { apiserverUser } from '../api/user.js';
import type { TokenIssuer } from '../auth/tokens/issuer.js';
import { R } from '../client/client.js';
import { LocalClient } from '../registry/local-client.js';
import { configmaps } from '../registry/resources/configmaps.js';
import { events } from '../registry/resources/events.js';
import { leases } from '../registry/resources/leases.js';
import { namespaces } from '../registry/resources/namespaces.js';
import { nodes } from '../registry/resources/nodes.js';
import { persistentvolumeclaims } from '../registry/resources/persistentvolumeclaims.js';
import { persistentvolumes } from '../registry/resources/persistentvolumes.js';
import { pods } from '../registry/resources/pods.js';
import { secrets } from '../registry/resources/secrets.js';
import { serviceaccounts } from '../registry/resources/serviceaccounts.js';
import { services } from '../registry/resources/services.js';
import { testRegistry, type TestRegistry } from '../registry/resources/testing.js';
import { NodeAgent } from './agent.js';
import { goDuration } from '../api/duration.js';
import { eventually } from '../testing/eventually.js';
import { ScriptedRuntime } from '../testing/scripted-runtime.js';
import { InformerFactory } from '../client/informer-factory.js';

describe('the node agent', () => {
  let t: TestRegistry;
  let client: LocalClient;
  let agent: NodeAgent;
  let dataDir: string;
  const runtime = new ScriptedRuntime();
  let informers: InformerFactory;
  const issuer = { sign: async (claims: object) => `header.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig` } as unknown as TokenIssuer;

  const pod = (name: string, spec: Partial<PodSpec>): Pod => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { nodeName: 'node-a', serviceAccountName: 'default', containers: [{ name: 'app', image: 'nginx:1.25' }], ...spec },
  });
  const getPod = (name: string) => client.get(R.pods, 'default', name);
  const statusOf = async (name: string): Promise<PodStatus> => (await getPod(name)).status ?? {};
  const eventsFor = async (name: string) =>
    (await client.list(R.events, 'default')).items.filter((e) => e.involvedObject.name === name).map((e) => `${e.type} ${e.reason} ${e.message}`);

  before(async () => {
    t = testRegistry([configmaps, events, namespaces, nodes, pods, secrets, serviceaccounts({ issuer, apiAudiences: ['https://kubernetes.default.svc.cluster.local'], maxExpirationSeconds: 0, extendExpiration: true }), services, leases, persistentvolumeclaims, persistentvolumes]);
    client = new LocalClient(t.registry, apiserverUser, t.clock, systemRandom);
    for (const name of ['default', 'kube-node-lease']) await client.create(R.namespaces, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    await client.create(R.serviceaccounts, 'default', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } });
    await client.create(R.configmaps, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-root-ca.crt' }, data: { 'ca.crt': 'CA' } });
    dataDir = mkdtempSync(join(tmpdir(), 'badge-agent-'));
    informers = new InformerFactory(client);
    agent = new NodeAgent({ client, informers, clock: t.clock, dataDir, nodeName: 'node-a', runtime, apiServer: { host: '127.0.0.1', port: 6443 }, random: () => 0, syncIntervalMs: 100, heartbeatIntervalMs: 100 });
    await agent.start();
  });
  after(async () => {
    await agent.stop();
    informers.stop();
    t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('registers a Ready node and its lease', async () => {
    const node = await client.get(R.nodes, '', 'node-a');
    assert.equal(node.metadata.labels?.['kubernetes.io/hostname'], 'node-a');
    const conditions = node.status?.conditions ?? [];
    assert.deepEqual(conditions.map((c) => `${c.type}=${c.status}:${c.reason}`), [
      'MemoryPressure=False:KubeletHasSufficientMemory',
      'DiskPressure=False:KubeletHasNoDiskPressure',
      'PIDPressure=False:KubeletHasSufficientPID',
      'Ready=True:KubeletReady',
    ]);
    const lease = await client.get(R.leases, 'kube-node-lease', 'node-a');
    assert.equal(lease.spec?.holderIdentity, 'node-a');
    assert.equal(lease.metadata.ownerReferences?.[0]?.uid, node.metadata.uid);
  });

  it('runs a pod: volumes, environment, status', async () => {
    await client.create(R.pods, 'default', pod('web', {
      volumes: [
        { name: 'tok', projected: { defaultMode: 420, sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: 'token' } }, { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } }, { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } }] } },
        { name: 'scratch', emptyDir: {} },
      ],
      containers: [{ name: 'app', image: 'nginx:1.25', env: [{ name: 'ME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }], volumeMounts: [{ name: 'tok', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }, { name: 'scratch', mountPath: '/scratch' }] }],
    }));
    const s = await eventually(async () => ((await statusOf('web')).phase === 'Running' ? statusOf('web') : undefined), 'web Running');
    assert.match(s.podIP!, /^10\.244\.\d+\.\d+$/);
    assert.equal(s.containerStatuses![0]!.ready, true);
    const run = runtime.runs.find((r) => r.pod.metadata.name === 'web')!;
    assert.equal(run.env.ME, 'web');
    assert.deepEqual(run.mounts.map((m) => [m.containerPath, m.readOnly]), [['/var/run/secrets/kubernetes.io/serviceaccount', true], ['/scratch', false]]);
    const tokDir = run.mounts[0]!.hostPath;
    assert.equal(readFileSync(join(tokDir, 'namespace'), 'utf8'), 'default');
    assert.equal(readFileSync(join(tokDir, 'ca.crt'), 'utf8'), 'CA');
    const claims = JSON.parse(Buffer.from(readFileSync(join(tokDir, 'token'), 'utf8').split('.')[1]!, 'base64url').toString());
    assert.equal(claims['kubernetes.io'].pod.name, 'web');
    const events = await eventually(async () => { const e = await eventsFor('web'); return e.length >= 3 && e; }, 'three events for web');
    assert.deepEqual(events.sort(), ['Normal Created Created container: app', 'Normal Pulled Container image "nginx:1.25" already present on machine', 'Normal Started Started container app']);
  });

  it('rotates the token after 80 % of its lifetime', async () => {
    const run = runtime.runs.find((r) => r.pod.metadata.name === 'web')!;
    const tokDir = run.mounts[0]!.hostPath;
    const before = readlinkSync(join(tokDir, '..data'));
    const token = readFileSync(join(tokDir, 'token'), 'utf8');
    t.clock.advance(2900_000);
    await eventually(() => readFileSync(join(tokDir, 'token'), 'utf8') !== token, 'a new token');
    assert.notEqual(readlinkSync(join(tokDir, '..data')), before);
  });

  it('restarts a crashing container with the CrashLoopBackOff back-off', async () => {
    await client.create(R.pods, 'default', pod('crash', {}));
    await eventually(() => runtime.live.has('crash/app'), 'crash started');
    runtime.exit('crash/app', 1);
    // The first restart is immediate.
    await eventually(async () => (await statusOf('crash')).containerStatuses?.[0]?.restartCount === 1 && (await statusOf('crash')).containerStatuses?.[0]?.state?.running, 'restart 1');
    runtime.exit('crash/app', 1);
    const s = await eventually(async () => {
      const st = await statusOf('crash');
      return st.containerStatuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff' ? st : undefined;
    }, 'CrashLoopBackOff');
    const cs = s.containerStatuses![0]!;
    const uid = (await getPod('crash')).metadata.uid;
    assert.equal(cs.state?.waiting?.message, `back-off 10s restarting failed container=app pod=crash_default(${uid})`);
    assert.equal(cs.lastState?.terminated?.exitCode, 1);
    assert.equal(cs.lastState?.terminated?.reason, 'Error');
    assert.equal(s.phase, 'Running');
    // Events are recorded in the background: the status can be written first.
    await eventually(async () => (await eventsFor('crash')).includes(`Warning BackOff Back-off restarting failed container app in pod crash_default(${uid})`), 'the BackOff event');
    // Once the back-off passed on the clock, it starts again; the next crash doubles it.
    t.clock.advance(10_000);
    await eventually(async () => (await statusOf('crash')).containerStatuses?.[0]?.restartCount === 2 && (await statusOf('crash')).containerStatuses?.[0]?.state?.running, 'restart 2');
    runtime.exit('crash/app', 1);
    await eventually(async () => (await statusOf('crash')).containerStatuses?.[0]?.state?.waiting?.message?.startsWith('back-off 20s'), 'back-off 20s');
  });

  it('waits for a missing ConfigMap: CreateContainerConfigError, FailedMount', async () => {
    await client.create(R.pods, 'default', pod('cfg', { containers: [{ name: 'app', image: 'nginx:1.25', env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'settings', key: 'x' } } }] }] }));
    const s = await eventually(async () => {
      const st = await statusOf('cfg');
      return st.containerStatuses?.[0]?.state?.waiting?.reason === 'CreateContainerConfigError' ? st : undefined;
    }, 'CreateContainerConfigError');
    assert.equal(s.containerStatuses![0]!.state?.waiting?.message, 'configmap "settings" not found');
    assert.ok((await eventsFor('cfg')).includes('Warning Failed Error: configmap "settings" not found'));
    await client.create(R.configmaps, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { x: '42' } });
    await eventually(async () => (await statusOf('cfg')).phase === 'Running', 'cfg Running');
    assert.equal(runtime.runs.find((r) => r.pod.metadata.name === 'cfg')!.env.X, '42');

    await client.create(R.pods, 'default', pod('mnt', { volumes: [{ name: 'v', configMap: { name: 'later' } }] }));
    await eventually(async () => (await eventsFor('mnt')).includes('Warning FailedMount MountVolume.SetUp failed for volume "v" : configmap "later" not found'), 'FailedMount');
    const st = await statusOf('mnt');
    assert.equal(st.containerStatuses![0]!.state?.waiting?.reason, 'ContainerCreating');
    assert.equal(st.conditions!.find((c) => c.type === 'PodReadyToStartContainers')!.status, 'False');
    await client.create(R.configmaps, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'later' }, data: { k: 'v' } });
    await eventually(async () => (await statusOf('mnt')).phase === 'Running', 'mnt Running');
  });

  it('refuses runAsNonRoot as the kubelet does (CreateContainerConfigError); passes the security context to the runtime', async () => {
    await client.create(R.pods, 'default', pod('nonroot', {
      securityContext: { runAsNonRoot: true, fsGroup: 2000 },
      containers: [
        { name: 'app', image: 'nginx:1.25' },
        { name: 'zero', image: 'nginx:1.25', securityContext: { runAsUser: 0 } },
        { name: 'user', image: 'nginx:1.25', securityContext: { runAsUser: 1000, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false } },
      ],
    }));
    const uid = (await getPod('nonroot')).metadata.uid;
    const s = await eventually(async () => {
      const st = await statusOf('nonroot');
      return st.containerStatuses?.filter((c) => c.state?.waiting?.reason === 'CreateContainerConfigError').length === 2 && st.containerStatuses.some((c) => c.state?.running) ? st : undefined;
    }, 'two containers refused, one running');
    const waiting = Object.fromEntries(s.containerStatuses!.map((c) => [c.name, c.state?.waiting?.message]));
    assert.deepEqual(waiting, {
      app: `container has runAsNonRoot and image will run as root (pod: "nonroot_default(${uid})", container: app)`,
      user: undefined,
      zero: `container's runAsUser breaks non-root policy (pod: "nonroot_default(${uid})", container: zero)`,
    });
    assert.ok((await eventsFor('nonroot')).includes(`Warning Failed Error: container has runAsNonRoot and image will run as root (pod: "nonroot_default(${uid})", container: app)`));
    const run = runtime.runs.find((r) => r.pod.metadata.name === 'nonroot')!;
    assert.deepEqual(run.security, { runAsUser: 1000, supplementalGroups: [2000], readOnlyRootFilesystem: true, noNewPrivs: true, privileged: false, capabilities: { add: [], drop: [] } });
  });

  it('a Job pod completes; its logs stay, its volumes go', async () => {
    await client.create(R.pods, 'default', pod('job', { restartPolicy: 'Never', volumes: [{ name: 'scratch', emptyDir: {} }] }));
    await eventually(() => runtime.live.has('job/app'), 'job started');
    const uid = (await getPod('job')).metadata.uid!;
    assert.ok(existsSync(join(dataDir, 'pods', uid, 'volumes', 'scratch')));
    runtime.exit('job/app', 0);
    const s = await eventually(async () => ((await statusOf('job')).phase === 'Succeeded' ? statusOf('job') : undefined), 'job Succeeded');
    assert.equal(s.containerStatuses![0]!.state?.terminated?.reason, 'Completed');
    await eventually(() => !existsSync(join(dataDir, 'pods', uid, 'volumes')), 'volumes torn down');
    assert.ok(existsSync(join(dataDir, 'pods', uid, 'logs', 'app', '0.log')));
  });

  it('deletes a pod gracefully: stop within the grace period, then DELETE with 0', async () => {
    await client.create(R.pods, 'default', pod('bye', { terminationGracePeriodSeconds: 7 }));
    await eventually(async () => (await statusOf('bye')).phase === 'Running', 'bye Running');
    const uid = (await getPod('bye')).metadata.uid!;
    const r = await client.delete(R.pods, 'default', 'bye', {});
    assert.equal(r.deleted, false, 'a pod on a node waits for the node');
    await eventually(async () => {
      try {
        await getPod('bye');
        return false;
      } catch {
        return true;
      }
    }, 'bye gone');
    assert.equal(runtime.live.get('bye/app')!.stoppedWith, 7000);
    // The event is written in the background: on a busy machine, after the pod is gone.
    await eventually(async () => (await eventsFor('bye')).includes('Normal Killing Stopping container app'), 'the Killing event');
    await eventually(() => !existsSync(join(dataDir, 'pods', uid)), 'pod dir removed');
  });

  it('serves logs and exec (PodStreams)', async () => {
    const { PassThrough } = await import('node:stream');
    const out = new PassThrough();
    let text = '';
    out.on('data', (c: Buffer) => (text += c.toString()));
    await assert.rejects(agent.logs('default', 'mnt', { container: 'nope', follow: false, timestamps: false, previous: false }, out, new AbortController().signal), /container nope is not valid for pod mnt/);
    await assert.rejects(agent.logs('default', 'mnt', { follow: false, timestamps: false, previous: true }, out, new AbortController().signal), /previous terminated container "app" in pod "mnt" not found/);
    await agent.logs('default', 'mnt', { follow: false, timestamps: false, previous: false }, out, new AbortController().signal);
    assert.equal(text, '');
    const code = await agent.exec('default', 'mnt', { command: ['echo', 'hi'] }, { tty: false, stdout: out });
    assert.equal(code, 0);
    assert.equal(text, 'echo hi');
  });

  it('formats back-off delays as Go durations', () => {
    assert.deepEqual([10_000, 20_000, 80_000, 160_000, 300_000].map(goDuration), ['10s', '20s', '1m20s', '2m40s', '5m0s']);
  });
});
