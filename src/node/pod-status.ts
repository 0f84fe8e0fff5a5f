// The status the kubelet writes for a pod (kubelet_pods.go generateAPIPodStatus, getPhase;
// pkg/kubelet/status/generate.go; the status manager's merge): the phase from the container
// states, the five kubelet conditions with their transition times kept while unchanged, the
// container statuses, IPs and start time.
import { createHash } from 'node:crypto';
import type { Container, ContainerStatus, PodCondition, PodSpec, PodStatus, VolumeMountStatus } from 'kubernetes-types/core/v1.js';
import type { Pod } from '../api/kinds.js';
import { formatTime } from '../api/meta.js';
import { ZERO_TIME } from '../api/kinds.js';

export const RUNTIME_SCHEME = 'badge';

/** The reasons of waiting containers (kubecontainer / images). */
export const REASON = {
  ContainerCreating: 'ContainerCreating',
  PodInitializing: 'PodInitializing',
  CrashLoopBackOff: 'CrashLoopBackOff',
  CreateContainerConfigError: 'CreateContainerConfigError',
  Completed: 'Completed',
  Error: 'Error',
} as const;

// ==== images ====

/** The image reference a CRI runtime reports: the registry and `library/` filled in, `:latest` added. */
export function normalizeImage(image: string): string {
  let name = image;
  let suffix = '';
  const at = name.indexOf('@');
  if (at >= 0) {
    suffix = name.slice(at);
    name = name.slice(0, at);
  }
  const slash = name.indexOf('/');
  const first = slash >= 0 ? name.slice(0, slash) : '';
  const hasDomain = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase());
  if (!hasDomain) name = `docker.io/${slash >= 0 ? name : `library/${name}`}`;
  const lastSlash = name.lastIndexOf('/');
  if (!suffix && !name.slice(lastSlash + 1).includes(':')) name += ':latest';
  return name + suffix;
}

/** `repo@sha256:…`: a digest the simulated image store derives from the reference. */
export function imageID(image: string): string {
  const ref = normalizeImage(image);
  const at = ref.indexOf('@');
  if (at >= 0) return ref;
  const lastSlash = ref.lastIndexOf('/');
  const colon = ref.indexOf(':', lastSlash + 1);
  const repo = colon >= 0 ? ref.slice(0, colon) : ref;
  return `${repo}@sha256:${createHash('sha256').update(ref).digest('hex')}`;
}

// ==== phase (getPhase) ====

const isRestartableInit = (c: Container) => c.restartPolicy === 'Always';

export function podPhase(spec: PodSpec, initStatuses: ContainerStatus[], statuses: ContainerStatus[], podIsTerminal: boolean): string {
  const byName = (all: ContainerStatus[], name: string) => all.find((s) => s.name === name);
  const restartPolicy = spec.restartPolicy || 'Always';
  let pendingInit = 0;
  let failedInit = 0;
  let pendingRestartableInit = 0;
  for (const c of spec.initContainers ?? []) {
    const s = byName(initStatuses, c.name);
    if (isRestartableInit(c)) {
      if (!s || !s.started) pendingRestartableInit++;
      continue;
    }
    if (!s) {
      pendingInit++;
      continue;
    }
    if (s.state?.running) pendingInit++;
    else if (s.state?.terminated) {
      if (s.state.terminated.exitCode !== 0) failedInit++;
    } else if (s.state?.waiting) {
      if (s.lastState?.terminated) {
        if (s.lastState.terminated.exitCode !== 0) failedInit++;
      } else pendingInit++;
    } else pendingInit++;
  }
  let unknown = 0;
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of spec.containers ?? []) {
    const s = byName(statuses, c.name);
    if (!s) {
      unknown++;
      continue;
    }
    if (s.state?.running) running++;
    else if (s.state?.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.state?.waiting) {
      if (s.lastState?.terminated) stopped++;
      else waiting++;
    } else unknown++;
  }
  if (failedInit > 0 && restartPolicy === 'Never') return 'Failed';
  if ((pendingInit > 0 || pendingRestartableInit > 0) && !podIsTerminal) return 'Pending';
  if (waiting > 0) return 'Pending';
  if (running > 0 && unknown === 0) return 'Running';
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (podIsTerminal) return stopped === succeeded ? 'Succeeded' : 'Failed';
    if (restartPolicy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (restartPolicy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

// ==== conditions (status/generate.go) ====

type Generated = Omit<PodCondition, 'lastProbeTime' | 'lastTransitionTime'>;
const goList = (names: string[]) => `[${names.join(' ')}]`;

export function containersReadyCondition(spec: PodSpec, statuses: ContainerStatus[], phase: string): Generated {
  const unknown: string[] = [];
  const unready: string[] = [];
  const check = (c: Container) => {
    const s = statuses.find((x) => x.name === c.name);
    if (!s) unknown.push(c.name);
    else if (!s.ready) unready.push(c.name);
  };
  for (const c of spec.initContainers ?? []) if (isRestartableInit(c)) check(c);
  for (const c of spec.containers ?? []) check(c);
  if (phase === 'Succeeded' && unknown.length === 0) return { type: 'ContainersReady', status: 'False', reason: 'PodCompleted' };
  if (phase === 'Failed') return { type: 'ContainersReady', status: 'False', reason: 'PodFailed' };
  const messages: string[] = [];
  if (unknown.length) messages.push(`containers with unknown status: ${goList(unknown)}`);
  if (unready.length) messages.push(`containers with unready status: ${goList(unready)}`);
  if (messages.length) return { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', message: messages.join(', ') };
  return { type: 'ContainersReady', status: 'True' };
}

export function readyCondition(spec: PodSpec, conditions: { type: string; status: string }[], statuses: ContainerStatus[], phase: string): Generated {
  const cr = containersReadyCondition(spec, statuses, phase);
  if (cr.status !== 'True') return { ...cr, type: 'Ready' };
  const messages: string[] = [];
  for (const g of spec.readinessGates ?? []) {
    const type = g.conditionType;
    const c = conditions.find((x) => x.type === type);
    if (!c) messages.push(`corresponding condition of pod readiness gate "${type}" does not exist.`);
    else if (c.status !== 'True') messages.push(`the status of pod readiness gate "${type}" is not "True", but ${c.status}`);
  }
  if (messages.length) return { type: 'Ready', status: 'False', reason: 'ReadinessGatesNotReady', message: messages.join(', ') };
  return { type: 'Ready', status: 'True' };
}

export function initializedCondition(spec: PodSpec, initStatuses: ContainerStatus[], statuses: ContainerStatus[], phase: string): Generated {
  const inits = spec.initContainers ?? [];
  const unknown: string[] = [];
  const incomplete: string[] = [];
  for (const c of inits) {
    const s = initStatuses.find((x) => x.name === c.name);
    if (!s) {
      unknown.push(c.name);
      continue;
    }
    const done = isRestartableInit(c) ? s.started : s.ready;
    if (!done) incomplete.push(c.name);
  }
  if (phase === 'Succeeded' && unknown.length === 0) return { type: 'Initialized', status: 'True', reason: 'PodCompleted' };
  const regularStarted = statuses.some((s) => !!s.state?.running || !!s.state?.terminated);
  if (regularStarted) return { type: 'Initialized', status: 'True' };
  const messages: string[] = [];
  if (unknown.length) messages.push(`containers with unknown status: ${goList(unknown)}`);
  if (incomplete.length) messages.push(`containers with incomplete status: ${goList(incomplete)}`);
  if (messages.length) return { type: 'Initialized', status: 'False', reason: 'ContainersNotInitialized', message: messages.join(', ') };
  return { type: 'Initialized', status: 'True' };
}

/** The conditions the kubelet owns; others (readiness gates, DisruptionTarget) stay as they are. */
export const KUBELET_CONDITIONS = new Set(['PodScheduled', 'Ready', 'Initialized', 'ContainersReady', 'PodReadyToStartContainers']);

/** A condition keeps its lastTransitionTime while its status stays the same. */
function withTransition(c: Generated, old: PodCondition[], now: Date): PodCondition {
  const prev = old.find((o) => o.type === c.type);
  const keep = prev && prev.status === c.status;
  const out: PodCondition = { type: c.type, status: c.status, lastProbeTime: ZERO_TIME, lastTransitionTime: keep ? (prev.lastTransitionTime ?? formatTime(now)) : formatTime(now) };
  if (c.reason) out.reason = c.reason;
  if (c.message) out.message = c.message;
  return out;
}

export interface PodStatusInput {
  pod: Pod;
  initStatuses: ContainerStatus[];
  statuses: ContainerStatus[];
  /** The sandbox (network, volumes) is up: PodReadyToStartContainers. */
  sandboxReady: boolean;
  /** Deleted or finished: the phase becomes Succeeded or Failed once every container stopped. */
  podIsTerminal: boolean;
  podIPs: string[];
  hostIPs: string[];
  startTime?: string;
  now: Date;
  /** A phase decided outside the containers (a pod the node cannot run). */
  phase?: string;
  reason?: string;
  message?: string;
}

/** generateAPIPodStatus, merged into the pod's current status as the status manager does. */
export function generatePodStatus(input: PodStatusInput): PodStatus {
  const { pod, initStatuses, statuses, now } = input;
  const spec: PodSpec = pod.spec ?? { containers: [] };
  const old = pod.status ?? {};
  const oldConditions = old.conditions ?? [];
  let phase = input.phase ?? podPhase(spec, initStatuses, statuses, input.podIsTerminal);
  // A terminal phase never goes back (the status manager refuses it).
  const oldPhase = old.phase ?? '';
  if ((oldPhase === 'Succeeded' || oldPhase === 'Failed') && phase !== oldPhase) phase = oldPhase;

  const generated: Generated[] = [
    { type: 'PodReadyToStartContainers', status: input.sandboxReady ? 'True' : 'False' },
    initializedCondition(spec, initStatuses, statuses, phase),
  ];
  const kept = oldConditions.filter((c) => !KUBELET_CONDITIONS.has(c.type));
  const forGates = [...kept.map((c) => ({ type: c.type, status: c.status }))];
  generated.push(readyCondition(spec, forGates, [...initStatuses, ...statuses], phase));
  generated.push(containersReadyCondition(spec, [...initStatuses, ...statuses], phase));
  generated.push({ type: 'PodScheduled', status: 'True' });
  const conditions = [...kept, ...generated.map((c) => withTransition(c, oldConditions, now))];

  const status: PodStatus = { phase, conditions };
  if (input.reason) status.reason = input.reason;
  if (input.message) status.message = input.message;
  if (input.hostIPs.length) {
    status.hostIP = input.hostIPs[0];
    status.hostIPs = input.hostIPs.map((ip) => ({ ip }));
  }
  if (input.podIPs.length) {
    status.podIP = input.podIPs[0];
    status.podIPs = input.podIPs.map((ip) => ({ ip }));
  }
  if (input.startTime) status.startTime = input.startTime;
  if (spec.initContainers?.length) status.initContainerStatuses = initStatuses;
  status.containerStatuses = statuses;
  if (old.qosClass !== undefined) status.qosClass = old.qosClass;
  if (old.nominatedNodeName !== undefined) status.nominatedNodeName = old.nominatedNodeName;
  if (old.resourceClaimStatuses !== undefined) status.resourceClaimStatuses = old.resourceClaimStatuses;
  if (old.ephemeralContainerStatuses !== undefined) status.ephemeralContainerStatuses = old.ephemeralContainerStatuses;
  return status;
}

/** The status of a container that has not been created yet. */
export function waitingStatus(container: Container, reason: string, prev?: ContainerStatus, message?: string): ContainerStatus {
  return {
    name: container.name,
    state: { waiting: message ? { reason, message } : { reason } },
    lastState: prev?.lastState ?? {},
    ready: false,
    restartCount: prev?.restartCount ?? 0,
    image: prev?.image || (container.image ?? ''),
    imageID: prev?.imageID ?? '',
    ...(prev?.containerID ? { containerID: prev.containerID } : {}),
    started: false,
  };
}

/** The mounts a created container reports (RecursiveReadOnlyMounts is on in 1.32). */
export function volumeMountStatuses(container: Container): VolumeMountStatus[] | undefined {
  const mounts = container.volumeMounts ?? [];
  if (!mounts.length) return undefined;
  return mounts.map((m) => ({
    name: m.name,
    mountPath: m.mountPath,
    ...(m.readOnly === true ? { readOnly: true, recursiveReadOnly: 'Disabled' } : {}),
  }));
}
