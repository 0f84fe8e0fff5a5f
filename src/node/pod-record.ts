// What the node agent knows of a pod it runs beyond the API object: its containers (status,
// runtime handle, back-off), its sandbox and IPs, whether it ended. A record is made when the
// agent first syncs a pod, from what an earlier run of the agent reported in the pod's status.
import type { ContainerStatus } from 'kubernetes-types/core/v1.js';
import type { Pod } from '../api/kinds.js';
import { formatTime, type KubeObject } from '../api/meta.js';
import type { ContainerHandle, ContainerRun } from './runtime/runtime.js';

export interface ContainerRec {
  name: string;
  status: ContainerStatus;
  handle?: ContainerHandle;
  run?: ContainerRun;
  /** The spec image the running container started with. */
  image?: string;
  /** Back-off: current delay and when it was last advanced (clock ms). */
  backoff?: { delayMs: number; lastUpdate: number };
}

export interface PodRec {
  uid: string;
  namespace: string;
  name: string;
  pod: Pod;
  startTime?: string;
  podIPs: string[];
  sandboxReady: boolean;
  containers: Map<string, ContainerRec>;
  /** The phase is Succeeded or Failed: nothing runs again. */
  terminal: boolean;
  /** Stopped because the pod is being deleted. */
  killed: boolean;
  reason?: string;
  message?: string;
  lastMountEvent?: { message: string; at: number };
  paths?: Map<string, string>;
}

/** The kubelet's format.Pod: name_namespace(uid). */
export const podFullName = (pod: KubeObject) => `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;

export const everStarted = (cr: ContainerRec): boolean =>
  !!cr.status.containerID || !!cr.status.lastState?.terminated || !!cr.status.state?.running || !!cr.status.state?.terminated;

/** The record of a pod first seen, picking up what an earlier run of the agent reported. */
export function podRecord(pod: Pod, now: Date, runtimeName: string): PodRec {
  const status = pod.status ?? {};
  const rec: PodRec = {
    uid: pod.metadata.uid!,
    namespace: pod.metadata.namespace ?? '',
    name: pod.metadata.name!,
    pod,
    startTime: status.startTime || undefined,
    podIPs: (status.podIPs ?? []).map((p) => p.ip ?? '').filter(Boolean),
    sandboxReady: false,
    containers: new Map(),
    terminal: status.phase === 'Succeeded' || status.phase === 'Failed',
    killed: false,
  };
  for (const cs of [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])]) {
    const s = structuredClone(cs);
    if (!s.containerID && !s.lastState?.terminated) continue;
    s.lastState ??= {};
    const c: ContainerRec = { name: s.name, status: s };
    if (s.state?.running && runtimeName !== 'simulated') {
      // The container did not survive the agent: it ended, as after a node reboot. (Simulated
      // containers ran nothing: they run on.)
      c.status = {
        ...s,
        state: { terminated: { exitCode: 255, reason: 'Unknown', startedAt: s.state.running.startedAt, finishedAt: formatTime(now), containerID: s.containerID } },
        ready: false,
        started: false,
      };
    }
    rec.containers.set(s.name, c);
  }
  return rec;
}
