import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ManualClock, systemRandom } from '../../api/clock.js';
import type { KubeObject } from '../../api/meta.js';
import { SqliteStorage } from '../../storage/sqlite/sqlite-storage.js';
import { AdmissionChain } from '../../admission/chain.js';
import { priorityAdmission } from '../../admission/priority.js';
import { defaultTolerationSeconds } from '../../admission/default-toleration-seconds.js';
import { LocalClient } from '../local-client.js';
import { Registry } from '../registry.js';
import type { SubresourceContext } from '../resource.js';
import type { Store } from '../store.js';
import { namespaces } from './namespaces.js';
import { pods, podStatusCells } from './pods.js';
import { priorityclasses } from './priorityclasses.js';
import type { OpContext } from '../../api/operations.js';

type Obj = Record<string, unknown>;

const NOW = new Date('2025-03-01T12:00:00Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function pod(name: string, spec: Obj = {}, metadata: Obj = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, ...metadata }, spec: { containers: [{ name: 'app', image: 'nginx:1.25' }], ...spec } };
}

const FORBIDDEN_FIRST =
  'Pod "p" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

describe('pods in the store', () => {
  let dir: string;
  let storage: SqliteStorage;
  let store: Store;
  let registry: Registry;
  const clock = new ManualClock(NOW);
  const ctx: OpContext = { user: { username: 'admin', groups: ['system:masters'] }, clock, random: systemRandom };
  let n = 0;
  const ns = () => `ns${++n}`;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'badge-pods-'));
    storage = new SqliteStorage(join(dir, 'state.db'));
    const admission = new AdmissionChain();
    registry = new Registry([namespaces, pods, priorityclasses], storage, admission);
    admission.use(priorityAdmission(new LocalClient(registry, ctx.user, clock, systemRandom)), defaultTolerationSeconds);
    store = registry.mustStore('', 'v1', 'pods');
  });
  after(() => {
    storage.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const bind = (namespace: string, name: string, body: Obj) => {
    const s: SubresourceContext = { ctx, namespace, name, query: new URLSearchParams(), dryRun: false, store, registry, warnings: [] };
    return pods.subresources!.binding!.create!(s, { apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace }, ...body } as KubeObject);
  };

  it('creates a pod as the v1 defaults and the default admission chain leave it', async () => {
    const created = await store.create(ctx, 'default', pod('my-app', { serviceAccountName: 'my-app-sa' }));
    assert.deepEqual(created.spec, {
      serviceAccountName: 'my-app-sa',
      serviceAccount: 'my-app-sa',
      containers: [{ name: 'app', image: 'nginx:1.25', imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', resources: {} }],
      dnsPolicy: 'ClusterFirst',
      restartPolicy: 'Always',
      securityContext: {},
      terminationGracePeriodSeconds: 30,
      schedulerName: 'default-scheduler',
      enableServiceLinks: true,
      tolerations: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      ],
      priority: 0,
      preemptionPolicy: 'PreemptLowerPriority',
    });
    assert.deepEqual(created.status, { phase: 'Pending', qosClass: 'BestEffort' });
    assert.equal(created.metadata.generation, undefined);
  });

  it('ignores status on create and keeps tolerations the pod already has', async () => {
    const created = await store.create(ctx, 'default', {
      ...pod('tolerant', { tolerations: [{ operator: 'Exists' }] }),
      status: { phase: 'Running' },
    });
    assert.deepEqual((created.spec as Obj).tolerations, [{ operator: 'Exists' }]);
    assert.equal((created.status as Obj).phase, 'Pending');
  });

  it('copies limits to requests and defaults host ports with hostNetwork', async () => {
    const created = await store.create(
      ctx,
      'default',
      pod('limited', { hostNetwork: true, containers: [{ name: 'app', image: 'nginx', ports: [{ containerPort: 8080 }], resources: { limits: { cpu: '0.5', memory: '128Mi' } } }] }),
    );
    const c = ((created.spec as Obj).containers as Obj[])[0]!;
    assert.deepEqual(c.resources, { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '500m', memory: '128Mi' } });
    assert.deepEqual(c.ports, [{ containerPort: 8080, protocol: 'TCP', hostPort: 8080 }]);
    assert.equal((created.status as Obj).qosClass, 'Guaranteed');
  });

  it('reports invalid pods with the exact message', async () => {
    await assert.rejects(store.create(ctx, 'default', pod('Bad_Name', { containers: [{ name: 'app' }] })), (err: Error) => {
      assert.equal(
        err.message,
        "Pod \"Bad_Name\" is invalid: [metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*'), spec.containers[0].image: Required value]",
      );
      return true;
    });
    await assert.rejects(store.create(ctx, 'default', pod('eph', { ephemeralContainers: [{ name: 'debug', image: 'busybox' }] })), /spec\.ephemeralContainers: Forbidden: cannot be set on create/);
    await assert.rejects(
      store.create(ctx, 'default', pod('gated', { nodeName: 'n1', schedulingGates: [{ name: 'example.com/wait' }] })),
      /spec\.nodeName: Forbidden: cannot be set until all schedulingGates have been cleared/,
    );
    await assert.rejects(
      store.create(ctx, 'default', pod('token', { volumes: [{ name: 't', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } }] })),
      /spec\.volumes\[0\]\.projected\.sources\[0\]\.serviceAccountToken: Forbidden: must not be specified when serviceAccountName is not set/,
    );
  });

  it('allows image, deadline and toleration changes, and refuses the rest', async () => {
    const namespace = ns();
    await store.create(ctx, namespace, pod('p', { activeDeadlineSeconds: 100 }));
    const update = (mutate: (spec: Obj & { containers: Obj[]; tolerations: Obj[] }) => void) =>
      store.guaranteedUpdate(ctx, namespace, 'p', (cur) => {
        mutate(cur.spec as Obj & { containers: Obj[]; tolerations: Obj[] });
        return cur;
      });
    const updated = await update((s) => {
      s.containers[0]!.image = 'nginx:1.26';
      s.activeDeadlineSeconds = 50;
      s.tolerations.push({ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' });
    });
    assert.equal(((updated.spec as Obj).containers as Obj[])[0]!.image, 'nginx:1.26');

    await assert.rejects(
      update((s) => (s.containers[0]!.command = ['sleep', '3600'])),
      (err: Error) => {
        const [first, ...rest] = err.message.split('\n');
        assert.equal(first, FORBIDDEN_FIRST);
        assert.equal(rest[0], '  core.PodSpec{');
        assert.ok(err.message.includes('- \t\t\tCommand: nil,\n+ \t\t\tCommand: []string{"sleep", "3600"},\n'), err.message);
        return true;
      },
    );
    await assert.rejects(update((s) => s.containers.push({ name: 'two', image: 'x' })), /Pod "p" is invalid: spec\.containers: Forbidden: pod updates may not add or remove containers$/);
    await assert.rejects(update((s) => (s.activeDeadlineSeconds = 60)), /Pod "p" is invalid: spec\.activeDeadlineSeconds: Invalid value: 60: must be less than or equal to previous value$/);
    await assert.rejects(update((s) => delete s.activeDeadlineSeconds), /spec\.activeDeadlineSeconds: Invalid value: "null": must not update from a positive integer to nil value/);
    await assert.rejects(
      update((s) => (s.tolerations = s.tolerations.slice(0, 2))),
      /Pod "p" is invalid: spec\.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds$/,
    );
    const seconds = await update((s) => (s.tolerations[0]!.tolerationSeconds = 60));
    assert.equal(((seconds.spec as Obj).tolerations as Obj[])[0]!.tolerationSeconds, 60);
  });

  it('lets a negative grace period become 1, and scheduling gates only go away', async () => {
    const namespace = ns();
    await store.create(ctx, namespace, pod('p', { terminationGracePeriodSeconds: -1, schedulingGates: [{ name: 'a.io/one' }, { name: 'a.io/two' }] }));
    const update = (mutate: (spec: Obj) => void) =>
      store.guaranteedUpdate(ctx, namespace, 'p', (cur) => {
        mutate(cur.spec as Obj);
        return cur;
      });
    await update((s) => (s.terminationGracePeriodSeconds = 1));
    await assert.rejects(update((s) => (s.terminationGracePeriodSeconds = 5)), /pod updates may not change fields other than/);
    await assert.rejects(
      update((s) => (s.schedulingGates = [{ name: 'a.io/one' }, { name: 'a.io/three' }])),
      /spec\.schedulingGates\[1\]\.name: Forbidden: only deletion is allowed, but found new scheduling gate 'a\.io\/three'/,
    );
    const fewer = await update((s) => (s.schedulingGates = [{ name: 'a.io/two' }]));
    assert.deepEqual((fewer.spec as Obj).schedulingGates, [{ name: 'a.io/two' }]);
  });

  it('marks a gated pod SchedulingGated', async () => {
    const created = await store.create(ctx, ns(), pod('gated', { schedulingGates: [{ name: 'example.com/wait' }] }));
    assert.deepEqual((created.status as Obj).conditions, [
      { type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: null, reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates' },
    ]);
    assert.equal(pods.table!.cells(created, NOW)[2], 'SchedulingGated');
  });

  it('keeps priority on an update that leaves it out', async () => {
    const namespace = ns();
    await store.create(ctx, namespace, pod('p'));
    const { object } = await store.update(ctx, namespace, 'p', pod('p', {}, { namespace }));
    assert.equal((object.spec as Obj).priority, 0);
    assert.equal((object.spec as Obj).preemptionPolicy, 'PreemptLowerPriority');
  });

  it('binds a pod to a node once', async () => {
    const namespace = ns();
    await store.create(ctx, namespace, pod('p'));
    const reply = await bind(namespace, 'p', { target: { kind: 'Node', name: 'node-1' }, metadata: { name: 'p', annotations: { 'scheduler.example/why': 'fits' } } });
    assert.deepEqual(reply, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    const bound = await store.get(ctx, namespace, 'p');
    assert.equal((bound.spec as Obj).nodeName, 'node-1');
    assert.equal(bound.metadata.annotations?.['scheduler.example/why'], 'fits');
    assert.deepEqual((bound.status as Obj).conditions, [{ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: '2025-03-01T12:00:00Z' }]);
    assert.deepEqual(pods.table!.cells(bound, NOW).slice(5), ['<none>', 'node-1', '<none>', '<none>']);

    await assert.rejects(bind(namespace, 'p', { target: { name: 'node-2' } }), (err: Error & { code?: number }) => {
      assert.equal(err.code, 409);
      assert.equal(err.message, 'Operation cannot be fulfilled on pods/binding "p": pod p is already assigned to node "node-1"');
      return true;
    });
    await assert.rejects(bind(namespace, 'p', { metadata: { name: 'other' }, target: { name: 'n' } }), /name in URL does not match name in Binding object$/);
    await assert.rejects(bind(namespace, 'p', { target: { kind: 'Pod' } }), (err: Error & { code?: number }) => {
      assert.equal(err.code, 500);
      assert.equal(err.message, '[target.kind: Unsupported value: "Pod": supported values: "Node", "<empty>", target.name: Required value]');
      return true;
    });
    await assert.rejects(
      store.guaranteedUpdate(ctx, namespace, 'p', (cur) => {
        (cur.spec as Obj).nodeName = 'node-2';
        return cur;
      }),
      /pod updates may not change fields other than/,
    );
  });

  it('deletes unscheduled and finished pods at once, others after their grace period', async () => {
    const namespace = ns();
    await store.create(ctx, namespace, pod('unscheduled'));
    assert.equal((await store.delete(ctx, namespace, 'unscheduled')).deleted, true);

    await store.create(ctx, namespace, pod('running', { terminationGracePeriodSeconds: 45 }));
    await bind(namespace, 'running', { target: { name: 'node-1' } });
    const first = await store.delete(ctx, namespace, 'running');
    assert.equal(first.deleted, false);
    assert.equal(first.object.metadata.deletionGracePeriodSeconds, 45);
    assert.equal(first.object.metadata.deletionTimestamp, '2025-03-01T12:00:45Z');
    assert.equal(pods.table!.cells(first.object, NOW)[2], 'Terminating');
    const shorter = await store.delete(ctx, namespace, 'running', { gracePeriodSeconds: 5 });
    assert.equal(shorter.object.metadata.deletionGracePeriodSeconds, 5);
    assert.equal((await store.delete(ctx, namespace, 'running', { gracePeriodSeconds: 0 })).deleted, true);

    await store.create(ctx, namespace, pod('negative'));
    await bind(namespace, 'negative', { target: { name: 'node-1' } });
    assert.equal((await store.delete(ctx, namespace, 'negative', { gracePeriodSeconds: -5 })).object.metadata.deletionGracePeriodSeconds, 1);

    await store.create(ctx, namespace, pod('done'));
    await bind(namespace, 'done', { target: { name: 'node-1' } });
    const done = await store.get(ctx, namespace, 'done');
    await store.update(ctx, namespace, 'done', { ...done, status: { ...(done.status as Obj), phase: 'Succeeded' } }, { subresource: 'status' });
    assert.equal((await store.delete(ctx, namespace, 'done')).deleted, true);
  });

  it('answers the pod field selectors', async () => {
    const created = await store.create(ctx, ns(), pod('f', { serviceAccountName: 'sa', hostNetwork: true }));
    const withIP = { ...created, status: { ...(created.status as Obj), podIPs: [{ ip: '10.0.0.7' }], nominatedNodeName: 'n2' } };
    const f = pods.fields!;
    assert.deepEqual(
      Object.fromEntries(Object.entries(f).map(([k, get]) => [k, get(withIP)])),
      {
        'spec.nodeName': '',
        'spec.restartPolicy': 'Always',
        'spec.schedulerName': 'default-scheduler',
        'spec.serviceAccountName': 'sa',
        'spec.hostNetwork': 'true',
        'status.phase': 'Pending',
        'status.podIP': '10.0.0.7',
        'status.podIPs': '10.0.0.7',
        'status.nominatedNodeName': 'n2',
      },
    );
  });

  it('keeps podIP and podIPs in step on status writes', async () => {
    const namespace = ns();
    const created = await store.create(ctx, namespace, pod('ip'));
    const { object } = await store.update(
      ctx,
      namespace,
      'ip',
      { ...created, status: { phase: 'Running', podIP: '10.1.2.3', containerStatuses: [{ name: 'app', ready: true, state: { running: { startedAt: '2025-03-01T11:00:00Z' } } }] } },
      { subresource: 'status' },
    );
    const status = object.status as Obj;
    assert.deepEqual(status.podIPs, [{ ip: '10.1.2.3' }]);
    assert.deepEqual(status.containerStatuses, [
      { name: 'app', ready: true, state: { running: { startedAt: '2025-03-01T11:00:00Z' } }, lastState: {}, restartCount: 0, image: '', imageID: '' },
    ]);
    assert.deepEqual(pods.table!.cells(object, NOW).slice(0, 6), ['ip', '1/1', 'Running', '0', '0s', '10.1.2.3']);
  });
});

describe('printPod cells', () => {
  const cells = (spec: Obj, status: Obj, metadata: Obj = {}) => {
    const p: KubeObject = { metadata: { name: 'p', ...metadata }, spec, status };
    const { ready, reason, restarts } = podStatusCells(p, NOW);
    return [ready, reason, restarts];
  };
  const two = { containers: [{ name: 'a' }, { name: 'b' }] };
  const one = { containers: [{ name: 'a' }] };
  const running = { running: {} };
  const cases: [string, Obj, Obj, string[], Obj?][] = [
    ['the phase and restarts', two, { phase: 'podPhase', containerStatuses: [{ ready: true, restartCount: 3, state: running }, { restartCount: 3 }] }, ['1/2', 'podPhase', '6']],
    [
      'a waiting reason over the phase',
      two,
      { phase: 'podPhase', containerStatuses: [{ ready: true, restartCount: 3, state: running }, { state: { waiting: { reason: 'ContainerWaitingReason' } }, restartCount: 3 }] },
      ['1/2', 'ContainerWaitingReason', '6'],
    ],
    [
      'the first container last',
      two,
      {
        phase: 'podPhase',
        containerStatuses: [
          { state: { waiting: { reason: 'ContainerWaitingReason' } }, restartCount: 3 },
          { state: { terminated: { reason: 'ContainerTerminatedReason' } }, restartCount: 3 },
        ],
      },
      ['0/2', 'ContainerWaitingReason', '6'],
    ],
    ['ready without running', two, { phase: 'podPhase', containerStatuses: [{ ready: true, restartCount: 3, state: running }, { ready: true, restartCount: 3 }] }, ['1/2', 'podPhase', '6']],
    [
      'the status reason',
      two,
      { reason: 'podReason', phase: 'podPhase', containerStatuses: [{ ready: true, restartCount: 3, state: running }, { ready: true, restartCount: 3 }] },
      ['1/2', 'podReason', '6'],
    ],
    [
      'NotReady for completed and running without Ready',
      two,
      { phase: 'Running', containerStatuses: [{ ready: true, restartCount: 3, state: { terminated: { reason: 'Completed', exitCode: 0 } } }, { ready: true, restartCount: 3, state: running }] },
      ['1/2', 'NotReady', '6'],
    ],
    [
      'Running for completed and running with Ready',
      two,
      {
        phase: 'Running',
        containerStatuses: [{ ready: true, restartCount: 3, state: { terminated: { reason: 'Completed', exitCode: 0 } } }, { ready: true, restartCount: 3, state: running }],
        conditions: [{ type: 'Ready', status: 'True' }],
      },
      ['1/2', 'Running', '6'],
    ],
    [
      'an init container restarting',
      { initContainers: [{ name: 'i' }], containers: [{ name: 'a' }] },
      {
        phase: 'podPhase',
        initContainerStatuses: [{ ready: false, restartCount: 3, state: running, lastState: { terminated: { finishedAt: ago(10_000) } } }],
        containerStatuses: [{ ready: false, restartCount: 0, state: { waiting: {} } }],
      },
      ['0/1', 'Init:0/1', '3 (10s ago)'],
    ],
    [
      'the second of two init containers',
      { initContainers: [{ name: 'i' }, { name: 'j' }], containers: [{ name: 'a' }] },
      {
        phase: 'podPhase',
        initContainerStatuses: [
          { ready: false, restartCount: 2, state: { terminated: {} }, lastState: { terminated: { finishedAt: ago(120_000) } } },
          { ready: false, restartCount: 3, state: running, lastState: { terminated: { finishedAt: ago(10_000) } } },
        ],
        containerStatuses: [{ ready: false, state: { waiting: {} } }],
      },
      ['0/1', 'Init:1/2', '5 (10s ago)'],
    ],
    [
      'restarts of containers after init',
      { initContainers: [{ name: 'i' }], containers: [{ name: 'a' }] },
      {
        phase: 'Running',
        initContainerStatuses: [{ ready: false, restartCount: 2, state: { terminated: {} }, lastState: { terminated: { finishedAt: ago(120_000) } } }],
        containerStatuses: [{ ready: false, restartCount: 4, state: running, lastState: { terminated: { finishedAt: ago(20_000) } } }],
      },
      ['0/1', 'Running', '4 (20s ago)'],
    ],
    [
      'a restart 5 days ago',
      one,
      { phase: 'Running', containerStatuses: [{ ready: true, restartCount: 3, state: running, lastState: { terminated: { finishedAt: ago(5 * 86_400_000) } } }] },
      ['1/1', 'Running', '3 (5d ago)'],
    ],
    [
      'the most recent restart of several',
      two,
      {
        phase: 'Running',
        containerStatuses: [
          { ready: true, restartCount: 6, state: running, lastState: { terminated: { finishedAt: ago(5 * 86_400_000) } } },
          { ready: true, restartCount: 3, state: running, lastState: { terminated: { finishedAt: ago(20 * 86_400_000) } } },
        ],
      },
      ['2/2', 'Running', '9 (5d ago)'],
    ],
    ['SchedulingGated', two, { phase: 'podPhase', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] }, ['0/2', 'SchedulingGated', '0']],
    ['a succeeded pod', one, { phase: 'Succeeded', containerStatuses: [{ ready: false, restartCount: 0, state: { terminated: { reason: 'Completed', exitCode: 0 } } }] }, ['0/1', 'Completed', '0']],
    ['a failed pod', one, { phase: 'Failed', containerStatuses: [{ ready: false, restartCount: 0, state: { terminated: { reason: 'Error', exitCode: 1 } } }] }, ['0/1', 'Error', '0']],
    [
      'a deleted succeeded pod',
      one,
      { phase: 'Succeeded', containerStatuses: [{ ready: false, restartCount: 0, state: { terminated: { reason: 'Completed', exitCode: 0 } } }] },
      ['0/1', 'Completed', '0'],
      { deletionTimestamp: ago(10_000) },
    ],
    ['a deleted running pod', one, { phase: 'Running', containerStatuses: [{ ready: false, restartCount: 0, state: running }] }, ['0/1', 'Terminating', '0'], { deletionTimestamp: ago(10_000) }],
    ['a deleted pending pod', one, { phase: 'Pending' }, ['0/1', 'Terminating', '0'], { deletionTimestamp: ago(10_000) }],
    ['a lost node', one, { phase: 'Running', reason: 'NodeLost' }, ['0/1', 'Unknown', '0'], { deletionTimestamp: ago(10_000) }],
    [
      'restartable init containers not started',
      { initContainers: [{ name: 'r1', restartPolicy: 'Always' }, { name: 'r2', restartPolicy: 'Always' }], containers: [{ name: 'a' }] },
      {
        phase: 'Pending',
        initContainerStatuses: [
          { name: 'r1', ready: false, restartCount: 3, state: running, started: false, lastState: { terminated: { finishedAt: ago(10_000) } } },
          { name: 'r2', ready: false, state: { waiting: {} }, started: false },
        ],
        containerStatuses: [{ ready: false, restartCount: 0, state: { waiting: {} } }],
        conditions: [{ type: 'Initialized', status: 'False' }],
      },
      ['0/3', 'Init:0/2', '3 (10s ago)'],
    ],
    [
      'restartable init containers started and ready',
      { initContainers: [{ name: 'r1', restartPolicy: 'Always' }], containers: [{ name: 'a' }] },
      {
        phase: 'Running',
        initContainerStatuses: [{ name: 'r1', ready: true, restartCount: 3, state: running, started: true, lastState: { terminated: { finishedAt: ago(10_000) } } }],
        containerStatuses: [{ ready: true, restartCount: 0, state: running }],
        conditions: [{ type: 'Initialized', status: 'True' }],
      },
      ['2/2', 'Running', '3 (10s ago)'],
    ],
    [
      'an init container that failed',
      { initContainers: [{ name: 'i' }], containers: [{ name: 'a' }] },
      { phase: 'Pending', initContainerStatuses: [{ ready: false, restartCount: 0, state: { terminated: { exitCode: 2 } } }], containerStatuses: [{ state: { waiting: { reason: 'PodInitializing' } } }] },
      ['0/1', 'Init:ExitCode:2', '0'],
    ],
    ['a pending pod', one, { phase: 'Pending' }, ['0/1', 'Pending', '0']],
  ];
  for (const [name, spec, status, want, metadata] of cases) {
    it(`shows ${name}`, () => assert.deepEqual(cells(spec, status, metadata), want));
  }

  it('fills the wide cells', () => {
    const p: KubeObject = {
      metadata: { name: 'w', creationTimestamp: ago(3 * 60_000) },
      spec: { nodeName: 'node-1', containers: [{ name: 'a' }], readinessGates: [{ conditionType: 'example.com/ready' }, { conditionType: 'example.com/other' }] },
      status: { phase: 'Running', podIPs: [{ ip: '10.0.0.1' }, { ip: 'fd00::1' }], nominatedNodeName: 'node-2', conditions: [{ type: 'example.com/ready', status: 'True' }] },
    };
    assert.deepEqual(pods.table!.cells(p, NOW), ['w', '0/1', 'Running', '0', '3m', '10.0.0.1', 'node-1', 'node-2', '1/2']);
    assert.deepEqual(
      pods.table!.columns.map((c) => [c.name, c.priority]),
      [['Name', 0], ['Ready', 0], ['Status', 0], ['Restarts', 0], ['Age', 0], ['IP', 1], ['Node', 1], ['Nominated Node', 1], ['Readiness Gates', 1]],
    );
  });
});
