// TEST ONLY: a stand-in for the node agent (src/node) in controller tests and e2e tests, until the
// agent runs pods itself. It registers a Ready Node and plays the kubelet for the pods bound to it:
//   - a pod whose containers run forever (restartPolicy Always) becomes Running and Ready;
//   - a pod that runs to completion (Never, OnFailure) Succeeds, unless a container's command or
//     args end in `exit N` with N > 0: then it Fails (Never), or keeps restarting (OnFailure,
//     restartCount +1 every restartIntervalMs);
//   - a deleted pod is removed at once (grace period 0).
// Remove it from the tests once the node agent lands.
import type { Clock } from '../api/clock.js';
import { formatTime, isObject, type KubeObject } from '../api/meta.js';
import { R, type Client } from '../client/client.js';
import { specOf, statusOf } from './controller-utils.js';
import type { InformerFactory } from '../client/informer-factory.js';
import { keyOf } from '../client/object-cache.js';
import { WorkQueue } from '../client/queue.js';
import { isNotFound } from '../api/errors.js';

type Obj = Record<string, unknown>;
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObject) : []);

export interface FakeKubeletOptions {
  client: Client;
  informers: InformerFactory;
  clock: Clock;
  nodeName?: string;
  /** How long a pod takes to start, then to finish (a real pod takes a while). */
  delayMs?: number;
  restartIntervalMs?: number;
  /** Taints on the Node, to keep pods off it that do not ask for it. */
  taints?: { key: string; value?: string; effect: string }[];
}

/** The exit code a container's command asks for (`sh -c "… exit 3"`), 0 when none. */
export function exitCodeOf(container: Obj): number {
  const words = [...(Array.isArray(container.command) ? container.command : []), ...(Array.isArray(container.args) ? container.args : [])].join(' ');
  const m = /\bexit\s+(\d+)\s*;?\s*$/.exec(words);
  return m ? Number(m[1]) : 0;
}

export function fakeKubelet({ client, informers, clock, nodeName = 'badge-test-node', delayMs = 0, restartIntervalMs = 500, taints }: FakeKubeletOptions) {
  const pods = informers.forResource(R.pods);
  const queue = new WorkQueue(`fake-kubelet ${nodeName}`, sync, 20, 1000);
  const podIPs = new Map<string, string>();
  /** When a pod may take its next step (real time). */
  const due = new Map<string, number>();
  let nextIP = 2;
  const now = () => formatTime(clock.now());

  const node: KubeObject = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: nodeName, labels: { 'kubernetes.io/hostname': nodeName, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' } },
    spec: taints ? { taints } : {},
    status: {
      capacity: { cpu: '8', memory: '16Gi', pods: '110' },
      allocatable: { cpu: '8', memory: '16Gi', pods: '110' },
      conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: now(), lastTransitionTime: now(), reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
      addresses: [{ type: 'InternalIP', address: '10.0.0.10' }, { type: 'Hostname', address: nodeName }],
    },
  };

  function runningStatus(pod: KubeObject, restarts = 0, waiting = false): Obj {
    const t = now();
    const ready = !waiting;
    const containers = list(specOf(pod).containers);
    const ip = podIPs.get(keyOf(pod)) ?? `10.244.0.${nextIP++}`;
    podIPs.set(keyOf(pod), ip);
    return {
      phase: 'Running',
      conditions: [
        { type: 'PodReadyToStartContainers', status: 'True', lastProbeTime: null, lastTransitionTime: t },
        { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: t },
        ready ? { type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: t } : { type: 'Ready', status: 'False', lastProbeTime: null, lastTransitionTime: t, reason: 'ContainersNotReady', message: `containers with unready status: [${containers.map((c) => c.name).join(' ')}]` },
        ready ? { type: 'ContainersReady', status: 'True', lastProbeTime: null, lastTransitionTime: t } : { type: 'ContainersReady', status: 'False', lastProbeTime: null, lastTransitionTime: t, reason: 'ContainersNotReady', message: `containers with unready status: [${containers.map((c) => c.name).join(' ')}]` },
        { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: t },
      ],
      hostIP: '10.0.0.10',
      podIP: ip,
      startTime: t,
      containerStatuses: containers.map((c) => ({
        name: c.name,
        image: c.image,
        imageID: '',
        containerID: `fake://${pod.metadata.uid}/${c.name}`,
        ready,
        started: ready,
        restartCount: restarts,
        state: waiting ? { waiting: { reason: 'CrashLoopBackOff', message: `back-off restarting failed container ${c.name}` } } : { running: { startedAt: t } },
        ...(waiting ? { lastState: { terminated: { exitCode: exitCodeOf(c), reason: 'Error', startedAt: t, finishedAt: t } } } : {}),
      })),
    };
  }

  function finishedStatus(pod: KubeObject, exitCode: number): Obj {
    const t = now();
    const containers = list(specOf(pod).containers);
    const failed = exitCode !== 0;
    const reason = failed ? 'PodFailed' : 'PodCompleted';
    return {
      phase: failed ? 'Failed' : 'Succeeded',
      conditions: [
        { type: 'PodReadyToStartContainers', status: 'False', lastProbeTime: null, lastTransitionTime: t },
        { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: t, reason },
        { type: 'Ready', status: 'False', lastProbeTime: null, lastTransitionTime: t, reason },
        { type: 'ContainersReady', status: 'False', lastProbeTime: null, lastTransitionTime: t, reason },
        { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: t },
      ],
      hostIP: '10.0.0.10',
      podIP: podIPs.get(keyOf(pod)) ?? `10.244.0.${nextIP++}`,
      startTime: t,
      containerStatuses: containers.map((c) => ({
        name: c.name,
        image: c.image,
        imageID: '',
        containerID: `fake://${pod.metadata.uid}/${c.name}`,
        ready: false,
        started: false,
        restartCount: 0,
        state: { terminated: { exitCode: exitCodeOf(c), reason: exitCodeOf(c) ? 'Error' : 'Completed', startedAt: t, finishedAt: t } },
      })),
    };
  }

  async function writeStatus(pod: KubeObject, status: Obj): Promise<void> {
    await client.mutate(R.pods, pod.metadata.namespace ?? '', pod.metadata.name!, (cur) => (cur.metadata.uid === pod.metadata.uid ? { ...cur, metadata: { ...cur.metadata, resourceVersion: undefined }, status: { ...statusOf(cur), ...status } } : cur), 'status');
  }

  async function sync(key: string): Promise<void> {
    const [ns, name] = key.split('/') as [string, string];
    const pod = pods.get(ns, name);
    if (!pod || specOf(pod).nodeName !== nodeName) return;
    try {
      if (pod.metadata.deletionTimestamp) {
        await client.delete(R.pods, ns, name, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } });
        return;
      }
      const phase = statusOf(pod).phase;
      if (phase === 'Succeeded' || phase === 'Failed') return;
      const wait = (due.get(key) ?? 0) - Date.now();
      if (wait > 0) {
        queue.addAfter(key, wait + 1);
        return;
      }
      const policy = specOf(pod).restartPolicy ?? 'Always';
      const code = Math.max(0, ...list(specOf(pod).containers).map(exitCodeOf));
      const crashing = policy === 'OnFailure' && code !== 0;
      const later = (ms: number) => {
        due.set(key, Date.now() + ms);
        queue.addAfter(key, ms);
      };
      if (phase !== 'Running') {
        await writeStatus(pod, runningStatus(pod, 0, crashing));
        if (policy !== 'Always') later(crashing ? restartIntervalMs : delayMs);
        return;
      }
      if (policy === 'Always') return;
      if (crashing) {
        const restarts = Math.max(0, ...list(statusOf(pod).containerStatuses).map((c) => Number(c.restartCount ?? 0)));
        await writeStatus(pod, runningStatus(pod, restarts + 1, true));
        later(restartIntervalMs);
        return;
      }
      await writeStatus(pod, finishedStatus(pod, code));
    } catch (err) {
      if (!isNotFound(err) && (err as { code?: number }).code !== 409) throw err;
    }
  }

  const touch = (p: KubeObject) => {
    if (specOf(p).nodeName === nodeName) delayMs ? queue.addAfter(keyOf(p), delayMs) : queue.add(keyOf(p));
  };
  return {
    nodeName,
    async start() {
      try {
        await client.create(R.nodes, '', node);
      } catch (err) {
        if ((err as { code?: number }).code !== 409) throw err;
      }
      informers.start();
      await pods.waitForSync();
      pods.on({ add: touch, update: (_, p) => touch(p) });
    },
    stop: () => queue.stop(),
  };
}
