import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContainerStatus, PodSpec, PodStatus } from 'kubernetes-types/core/v1.js';
import type { Pod } from '../api/kinds.js';
import { podStatusCells } from '../registry/resources/pods.js';
import { generatePodStatus, imageID, normalizeImage, podPhase, waitingStatus } from './pod-status.js';
import { ZERO_TIME } from '../api/kinds.js';

const NOW = new Date('2026-01-01T00:01:00Z');
const EARLIER = '2026-01-01T00:00:00Z';

const running = (name: string, ready = true): ContainerStatus => ({
  name,
  state: { running: { startedAt: EARLIER } },
  lastState: {},
  ready,
  restartCount: 0,
  image: 'docker.io/library/nginx:1.25',
  imageID: imageID('nginx:1.25'),
  containerID: 'badge://abc',
  started: true,
});
const terminated = (name: string, exitCode: number): ContainerStatus => ({
  ...running(name, false),
  state: { terminated: { exitCode, reason: exitCode ? 'Error' : 'Completed', startedAt: EARLIER, finishedAt: EARLIER, containerID: 'badge://abc' } },
  started: false,
});
const pod = (spec: Partial<PodSpec>, status: PodStatus = {}): Pod => ({
  metadata: { name: 'p', namespace: 'default', uid: 'u' },
  spec: { containers: [{ name: 'app', image: 'nginx:1.25' }], ...spec },
  status: { phase: 'Pending', qosClass: 'BestEffort', conditions: [{ type: 'PodScheduled', status: 'True', lastProbeTime: ZERO_TIME, lastTransitionTime: EARLIER }], ...status },
});
const cond = (s: PodStatus, type: string) => s.conditions!.find((c) => c.type === type)!;

describe('podPhase (getPhase)', () => {
  const spec = (restartPolicy: string, extra: Partial<PodSpec> = {}): PodSpec => ({ restartPolicy, containers: [{ name: 'a' }, { name: 'b' }], ...extra });
  it('Pending while a container waits or is unknown', () => {
    assert.equal(podPhase(spec('Always'), [], [running('a'), waitingStatus({ name: 'b' }, 'ContainerCreating')], false), 'Pending');
    assert.equal(podPhase(spec('Always'), [], [running('a')], false), 'Pending');
  });
  it('Running while one runs', () => assert.equal(podPhase(spec('Never'), [], [running('a'), terminated('b', 1)], false), 'Running'));
  it('restartPolicy decides once all stopped', () => {
    assert.equal(podPhase(spec('Always'), [], [terminated('a', 0), terminated('b', 0)], false), 'Running');
    assert.equal(podPhase(spec('OnFailure'), [], [terminated('a', 0), terminated('b', 0)], false), 'Succeeded');
    assert.equal(podPhase(spec('OnFailure'), [], [terminated('a', 0), terminated('b', 1)], false), 'Running');
    assert.equal(podPhase(spec('Never'), [], [terminated('a', 0), terminated('b', 1)], false), 'Failed');
    assert.equal(podPhase(spec('Always'), [], [terminated('a', 0), terminated('b', 137)], true), 'Failed', 'a deleted pod ends terminal');
  });
  it('init containers hold the pod Pending; a failed one with Never fails it', () => {
    const withInit = spec('Never', { initContainers: [{ name: 'i' }] });
    assert.equal(podPhase(withInit, [running('i')], [], false), 'Pending');
    assert.equal(podPhase(withInit, [terminated('i', 2)], [], false), 'Failed');
    assert.equal(podPhase({ ...withInit, restartPolicy: 'OnFailure' }, [terminated('i', 2)], [], false), 'Pending');
  });
});

describe('generatePodStatus', () => {
  it('a starting pod: ContainerCreating, not ready, no pod IP yet', () => {
    const p = pod({});
    const s = generatePodStatus({ pod: p, initStatuses: [], statuses: [waitingStatus({ name: 'app', image: 'nginx:1.25' }, 'ContainerCreating')], sandboxReady: false, podIsTerminal: false, podIPs: [], hostIPs: ['127.0.0.1'], startTime: EARLIER, now: NOW });
    assert.equal(s.phase, 'Pending');
    assert.deepEqual(s.conditions!.map((c) => `${c.type}=${c.status}`), ['PodReadyToStartContainers=False', 'Initialized=True', 'Ready=False', 'ContainersReady=False', 'PodScheduled=True']);
    assert.equal(cond(s, 'Ready').reason, 'ContainersNotReady');
    assert.equal(cond(s, 'Ready').message, 'containers with unready status: [app]');
    assert.equal(cond(s, 'PodScheduled').lastTransitionTime, EARLIER, 'kept while unchanged');
    assert.equal(cond(s, 'Ready').lastTransitionTime, '2026-01-01T00:01:00Z');
    assert.equal(s.podIP, undefined);
    assert.equal(s.hostIP, '127.0.0.1');
    assert.equal(s.qosClass, 'BestEffort');
    const p2 = { ...p, status: s };
    const cells = podStatusCells(p2, NOW);
    assert.deepEqual(cells, { ready: '0/1', reason: 'ContainerCreating', restarts: '0' });
  });

  it('a running pod shows 1/1 Running', () => {
    const s = generatePodStatus({ pod: pod({}), initStatuses: [], statuses: [running('app')], sandboxReady: true, podIsTerminal: false, podIPs: ['10.244.0.2'], hostIPs: ['127.0.0.1'], startTime: EARLIER, now: NOW });
    assert.equal(s.phase, 'Running');
    assert.ok(s.conditions!.every((c) => c.status === 'True'));
    assert.deepEqual(s.podIPs, [{ ip: '10.244.0.2' }]);
    assert.deepEqual(podStatusCells({ ...pod({}), status: s }, NOW), { ready: '1/1', reason: 'Running', restarts: '0' });
  });

  it('a finished Job pod shows 0/1 Completed with the PodCompleted reasons', () => {
    const p = pod({ restartPolicy: 'OnFailure', initContainers: [{ name: 'init' }] });
    const init = { ...terminated('init', 0), ready: true };
    const s = generatePodStatus({ pod: p, initStatuses: [init], statuses: [terminated('app', 0)], sandboxReady: false, podIsTerminal: false, podIPs: ['10.244.0.3'], hostIPs: ['127.0.0.1'], startTime: EARLIER, now: NOW });
    assert.equal(s.phase, 'Succeeded');
    assert.equal(cond(s, 'Initialized').reason, 'PodCompleted');
    assert.equal(cond(s, 'Ready').status, 'False');
    assert.equal(cond(s, 'Ready').reason, 'PodCompleted');
    assert.equal(cond(s, 'ContainersReady').reason, 'PodCompleted');
    assert.equal(cond(s, 'PodReadyToStartContainers').status, 'False');
    assert.deepEqual(podStatusCells({ ...p, status: s }, NOW), { ready: '0/1', reason: 'Completed', restarts: '0' });
  });

  it('init containers in progress: Init:0/1 and ContainersNotInitialized', () => {
    const p = pod({ initContainers: [{ name: 'init' }] });
    const s = generatePodStatus({ pod: p, initStatuses: [running('init', false)], statuses: [waitingStatus({ name: 'app' }, 'PodInitializing')], sandboxReady: true, podIsTerminal: false, podIPs: ['10.244.0.4'], hostIPs: ['127.0.0.1'], startTime: EARLIER, now: NOW });
    assert.equal(cond(s, 'Initialized').status, 'False');
    assert.equal(cond(s, 'Initialized').message, 'containers with incomplete status: [init]');
    assert.deepEqual(podStatusCells({ ...p, status: s }, NOW), { ready: '0/1', reason: 'Init:0/1', restarts: '0' });
  });

  it('a crash-looping container', () => {
    const cs: ContainerStatus = {
      ...running('app', false),
      state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container=app pod=p_default(u)' } },
      lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: EARLIER, finishedAt: '2026-01-01T00:00:30Z' } },
      restartCount: 1,
      started: false,
    };
    const s = generatePodStatus({ pod: pod({}), initStatuses: [], statuses: [cs], sandboxReady: true, podIsTerminal: false, podIPs: ['10.244.0.5'], hostIPs: ['127.0.0.1'], startTime: EARLIER, now: NOW });
    assert.equal(s.phase, 'Running');
    assert.deepEqual(podStatusCells({ ...pod({}), status: s }, NOW), { ready: '0/1', reason: 'CrashLoopBackOff', restarts: '1 (30s ago)' });
  });

  it('a terminal phase never goes back', () => {
    const s = generatePodStatus({ pod: pod({}, { phase: 'Succeeded' }), initStatuses: [], statuses: [running('app')], sandboxReady: true, podIsTerminal: false, podIPs: [], hostIPs: [], now: NOW });
    assert.equal(s.phase, 'Succeeded');
  });
});

describe('image references', () => {
  it('normalizes as a CRI runtime reports them', () => {
    assert.equal(normalizeImage('nginx'), 'docker.io/library/nginx:latest');
    assert.equal(normalizeImage('nginx:1.25'), 'docker.io/library/nginx:1.25');
    assert.equal(normalizeImage('bitnami/kubectl'), 'docker.io/bitnami/kubectl:latest');
    assert.equal(normalizeImage('registry.k8s.io/pause:3.10'), 'registry.k8s.io/pause:3.10');
    assert.equal(normalizeImage('localhost:5000/app'), 'localhost:5000/app:latest');
    assert.match(imageID('nginx:1.25'), /^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
  });
});
