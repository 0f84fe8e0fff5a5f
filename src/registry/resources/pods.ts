// core/v1 Pod: a group of containers scheduled together. Defaulting as the v1 defaulters and the
// default admission chain (DefaultTolerationSeconds) leave a pod, the pod strategy
// (pkg/registry/core/pod/strategy.go), printPod, and the binding subresource the scheduler uses;
// the eviction subresource is in pod-eviction.ts.
// The PodSpec's defaults and validation, ValidatePodCreate/ValidatePodUpdate and the QoS class
// are in pod/.
import { ApiError, badRequest, conflict } from '../../api/errors.js';
import { aggregate, notSupported, required, type FieldError } from '../../api/field-errors.js';
import { formatTime, isObject, type KubeObject } from '../../api/meta.js';
import { age, humanDuration } from '../../api/duration.js';
import { ageColumn, column, nameColumn } from '../columns.js';
import type { ResourceDef } from '../resource.js';
import { binding, pod } from '../schemas/core.js';
import { dropDisabledPodSpecFields } from './pod/disabled-fields.js';
import { validatePodCreate, validatePodUpdate } from './pod/pod-validation.js';
import { podQOSClass } from './pod/qos.js';
import { evictionSubresource } from './pod-eviction.js';
import { defaultPodSpec, syncServiceAccount } from './pod/spec-defaults.js';
import { list, obj, type Obj, specToFill, statusOf, str } from '../narrow.js';

const PODS = { group: '', resource: 'pods' };

// ==== defaulting ====

/** SetDefaults_Pod: what v1 defaulting adds to a Pod but not to a pod template. */
function defaultPodOnly(spec: Obj): void {
  for (const key of ['containers', 'initContainers']) {
    for (const c of list(spec[key])) {
      const res = obj(obj(c)?.resources);
      const limits = obj(res?.limits);
      if (!res || !limits) continue;
      const requests = obj(res.requests) ?? {};
      for (const [k, v] of Object.entries(limits)) if (!Object.hasOwn(requests, k)) requests[k] = v;
      res.requests = requests;
    }
  }
  if (spec.enableServiceLinks === undefined) spec.enableServiceLinks = true;
  if (spec.hostNetwork === true) {
    for (const key of ['containers', 'initContainers']) {
      for (const c of list(spec[key])) {
        for (const p of list(obj(c)?.ports)) {
          const port = obj(p);
          if (port && !port.hostPort) port.hostPort = port.containerPort;
        }
      }
    }
  }
}

/** What Go's encoding always writes for a status written without it (metav1.Time zero values are null). */
function normalizeStatus(status: Obj): void {
  const podIPs = list(status.podIPs);
  if (str(status.podIP) && (!podIPs.length || str(obj(podIPs[0])?.ip) !== status.podIP)) {
    status.podIPs = [{ ip: status.podIP }, ...podIPs.slice(1)];
  } else if (podIPs.length) status.podIP = str(obj(podIPs[0])?.ip);
  const hostIPs = list(status.hostIPs);
  if (str(status.hostIP) && !hostIPs.length) status.hostIPs = [{ ip: status.hostIP }];
  for (const c of list(status.conditions)) {
    const cond = obj(c);
    if (!cond) continue;
    if (cond.lastProbeTime === undefined) cond.lastProbeTime = null;
    if (cond.lastTransitionTime === undefined) cond.lastTransitionTime = null;
  }
  for (const key of ['containerStatuses', 'initContainerStatuses', 'ephemeralContainerStatuses']) {
    for (const raw of list(status[key])) {
      const cs = obj(raw);
      if (!cs) continue;
      if (!isObject(cs.state)) cs.state = {};
      if (!isObject(cs.lastState)) cs.lastState = {};
      for (const st of [cs.state as Obj, cs.lastState as Obj]) {
        const running = obj(st.running);
        if (running && running.startedAt === undefined) running.startedAt = null;
        const terminated = obj(st.terminated);
        if (terminated) {
          if (terminated.exitCode === undefined) terminated.exitCode = 0;
          if (terminated.startedAt === undefined) terminated.startedAt = null;
          if (terminated.finishedAt === undefined) terminated.finishedAt = null;
        }
      }
      if (cs.ready === undefined) cs.ready = false;
      if (cs.restartCount === undefined) cs.restartCount = 0;
      if (cs.image === undefined) cs.image = '';
      if (cs.imageID === undefined) cs.imageID = '';
    }
  }
}

/** Everything a written pod gets: v1 defaults and SetDefaults_Pod (DefaultTolerationSeconds is admission's). */
function defaultPod(o: KubeObject): void {
  const spec = specToFill(o);
  defaultPodSpec(spec);
  defaultPodOnly(spec);
  if (isObject(o.status)) normalizeStatus(o.status);
}

// ==== printing (printPod) ====

interface ContainerStatus {
  name?: string;
  ready?: boolean;
  started?: boolean;
  restartCount?: number;
  state?: { waiting?: { reason?: string }; running?: object; terminated?: { reason?: string; exitCode?: number; signal?: number; finishedAt?: string } };
  lastState?: { terminated?: { finishedAt?: string | null } };
}

const timeOf = (t: string | null | undefined): number => (t ? Date.parse(t) : 0);

/** The Ready, Status and Restarts cells of `kubectl get pods`. */
export function podStatusCells(o: KubeObject, now: Date): { ready: string; reason: string; restarts: string } {
  const spec = obj(o.spec) ?? {};
  const status = statusOf(o);
  const conditions = list(status.conditions).map((c) => obj(c) ?? {});
  const initSpecs = new Map(list(spec.initContainers).map((c) => [str(obj(c)?.name), obj(c) ?? {}] as [string, Obj]));
  const restartable = (name: string | undefined) => initSpecs.get(name ?? '')?.restartPolicy === 'Always';
  let restarts = 0;
  let restartableRestarts = 0;
  const total = list(spec.containers).length + [...initSpecs.values()].filter((c) => c.restartPolicy === 'Always').length;
  let ready = 0;
  let lastRestart = 0;
  let lastRestartableRestart = 0;
  const phase = str(status.phase);
  let reason = str(status.reason) || phase;
  for (const c of conditions) if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';

  let initializing = false;
  const initStatuses = list(status.initContainerStatuses).map((c) => (obj(c) ?? {}) as ContainerStatus);
  const initCount = list(spec.initContainers).length;
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i]!;
    restarts += cs.restartCount ?? 0;
    const finished = timeOf(cs.lastState?.terminated?.finishedAt);
    if (cs.lastState?.terminated && finished > lastRestart) lastRestart = finished;
    if (restartable(cs.name)) {
      restartableRestarts += cs.restartCount ?? 0;
      if (cs.lastState?.terminated && finished > lastRestartableRestart) lastRestartableRestart = finished;
    }
    const term = cs.state?.terminated;
    const waiting = cs.state?.waiting;
    if (term && (term.exitCode ?? 0) === 0) continue;
    if (restartable(cs.name) && cs.started === true) {
      if (cs.ready) ready++;
      continue;
    }
    if (term) {
      if (!term.reason) reason = term.signal ? `Init:Signal:${term.signal}` : `Init:ExitCode:${term.exitCode ?? 0}`;
      else reason = `Init:${term.reason}`;
    } else if (waiting?.reason && waiting.reason !== 'PodInitializing') reason = `Init:${waiting.reason}`;
    else reason = `Init:${i}/${initCount}`;
    initializing = true;
    break;
  }

  const initialized = conditions.some((c) => c.type === 'Initialized' && c.status === 'True');
  if (!initializing || initialized) {
    restarts = restartableRestarts;
    lastRestart = lastRestartableRestart;
    let hasRunning = false;
    const statuses = list(status.containerStatuses).map((c) => (obj(c) ?? {}) as ContainerStatus);
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i]!;
      restarts += cs.restartCount ?? 0;
      const finished = timeOf(cs.lastState?.terminated?.finishedAt);
      if (cs.lastState?.terminated && finished > lastRestart) lastRestart = finished;
      const term = cs.state?.terminated;
      if (cs.state?.waiting?.reason) reason = cs.state.waiting.reason;
      else if (term?.reason) reason = term.reason;
      else if (term) reason = term.signal ? `Signal:${term.signal}` : `ExitCode:${term.exitCode ?? 0}`;
      else if (cs.ready && cs.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      reason = conditions.some((c) => c.type === 'Ready' && c.status === 'True') ? 'Running' : 'NotReady';
    }
  }

  if (o.metadata.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (o.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

  let restartsText = String(restarts);
  if (restarts !== 0 && lastRestart) restartsText = `${restarts} (${humanDuration(now.getTime() - lastRestart)} ago)`;
  return { ready: `${ready}/${total}`, reason, restarts: restartsText };
}

function podCells(o: KubeObject, now: Date): unknown[] {
  const spec = obj(o.spec) ?? {};
  const status = statusOf(o);
  const { ready, reason, restarts } = podStatusCells(o, now);
  const ip = str(obj(list(status.podIPs)[0])?.ip) || '<none>';
  const gates = list(spec.readinessGates);
  let readinessGates = '<none>';
  if (gates.length) {
    const conditions = list(status.conditions).map((c) => obj(c) ?? {});
    const trueCount = gates.filter((g) => conditions.find((c) => c.type === obj(g)?.conditionType)?.status === 'True').length;
    readinessGates = `${trueCount}/${gates.length}`;
  }
  return [
    o.metadata.name,
    ready,
    reason,
    restarts,
    age(o.metadata.creationTimestamp, now),
    ip,
    str(spec.nodeName) || '<none>',
    str(status.nominatedNodeName) || '<none>',
    readinessGates,
  ];
}

const podIP = (o: KubeObject): string => str(obj(list(statusOf(o).podIPs)[0])?.ip);

// ==== the binding subresource ====

function scheduledCondition(status: Obj, now: Date): void {
  const conditions = list(status.conditions).map((c) => obj(c) ?? {});
  const i = conditions.findIndex((c) => c.type === 'PodScheduled');
  const keepTime = i >= 0 && conditions[i]!.status === 'True';
  const condition: Obj = { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: keepTime ? (conditions[i]!.lastTransitionTime ?? null) : formatTime(now) };
  if (i >= 0) conditions[i] = condition;
  else conditions.push(condition);
  status.conditions = conditions;
}

function validateBinding(body: KubeObject): FieldError[] {
  const target = obj(body.target) ?? {};
  const errs: FieldError[] = [];
  const kind = str(target.kind);
  if (kind && kind !== 'Node') errs.push(notSupported('target.kind', kind, ['Node', '<empty>']));
  if (!str(target.name)) errs.push(required('target.name'));
  return errs;
}

// ==== the resource ====

const podColumns = [
  nameColumn,
  column('Ready', 'The aggregate readiness state of this pod for accepting traffic.'),
  column('Status', 'The aggregate status of the containers in this pod.'),
  column('Restarts', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
  ageColumn,
  column('IP', 'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.', { priority: 1 }),
  column('Node', 'NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName. Once this field is set, the kubelet for this node becomes responsible for the lifecycle of this pod. This field should not be used to express a desire for the pod to be scheduled on a specific node. https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename', { priority: 1 }),
  column('Nominated Node', 'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods. This field does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the resources on this node to a higher priority pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName when the pod is scheduled.', { priority: 1 }),
  column('Readiness Gates', 'If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to "True" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates', { priority: 1 }),
];

export const pods: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'Pod',
  resource: 'pods',
  singular: 'pod',
  shortNames: ['po'],
  categories: ['all'],
  namespaced: true,
  schema: pod,
  hasStatus: true,
  returnDeletedObject: true,
  defaults: defaultPod,
  prepareForCreate(o) {
    const spec = specToFill(o);
    dropDisabledPodSpecFields(spec);
    syncServiceAccount(spec);
    const status: Obj = { phase: 'Pending', qosClass: podQOSClass(o) };
    if (list(spec.schedulingGates).length) {
      status.conditions = [
        { type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: null, reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates' },
      ];
    }
    o.status = status;
  },
  prepareForUpdate(o, old) {
    const spec = specToFill(o);
    const oldSpec = obj(old.spec) ?? {};
    dropDisabledPodSpecFields(spec, oldSpec);
    syncServiceAccount(spec);
  },
  validate: (o) => validatePodCreate(o),
  // A binding sets spec.nodeName, which no other update may change.
  validateUpdate: (o, old, _ctx, subresource) => (subresource === 'binding' ? [] : validatePodUpdate(o, old)),
  gracePeriod(o, requested) {
    const spec = obj(o.spec) ?? {};
    let period = requested ?? (typeof spec.terminationGracePeriodSeconds === 'number' ? spec.terminationGracePeriodSeconds : 0);
    if (!str(spec.nodeName)) period = 0;
    const phase = statusOf(o).phase;
    if (phase === 'Succeeded' || phase === 'Failed') period = 0;
    return period < 0 ? 1 : period;
  },
  fields: {
    'spec.nodeName': (o) => str(obj(o.spec)?.nodeName),
    'spec.restartPolicy': (o) => str(obj(o.spec)?.restartPolicy),
    'spec.schedulerName': (o) => str(obj(o.spec)?.schedulerName),
    'spec.serviceAccountName': (o) => str(obj(o.spec)?.serviceAccountName),
    'spec.hostNetwork': (o) => String(obj(o.spec)?.hostNetwork === true),
    'status.phase': (o) => str(statusOf(o).phase),
    'status.podIP': podIP,
    'status.podIPs': podIP,
    'status.nominatedNodeName': (o) => str(statusOf(o).nominatedNodeName),
  },
  table: { columns: podColumns, cells: podCells },
  subresources: {
    eviction: evictionSubresource,
    binding: {
      schema: binding,
      verbs: ['create'],
      async create(s, body) {
        if ((body.metadata?.name ?? '') !== s.name) throw badRequest('name in URL does not match name in Binding object');
        const errs = validateBinding(body);
        if (errs.length) throw new ApiError(500, '', aggregate(errs));
        const nodeName = str(obj(body.target)?.name);
        const bindingGR = { group: '', resource: 'pods/binding' };
        await s.store.guaranteedUpdate(
          s.ctx,
          s.namespace,
          s.name,
          (cur) => {
            const name = cur.metadata.name ?? s.name;
            if (cur.metadata.deletionTimestamp) throw conflict(bindingGR, s.name, `pod ${name} is being deleted, cannot be assigned to a host`);
            if (body.metadata.uid && body.metadata.uid !== cur.metadata.uid) {
              throw conflict(PODS, s.name, `the UID in the bind request (${body.metadata.uid}) does not match the UID of the pod (${cur.metadata.uid})`);
            }
            if (body.metadata.resourceVersion && body.metadata.resourceVersion !== cur.metadata.resourceVersion) {
              throw conflict(PODS, s.name, `the resource version in the bind request (${body.metadata.resourceVersion}) does not match the resource version of the pod (${cur.metadata.resourceVersion})`);
            }
            const spec = specToFill(cur);
            if (str(spec.nodeName)) throw conflict(bindingGR, s.name, `pod ${name} is already assigned to node ${JSON.stringify(spec.nodeName)}`);
            if (list(spec.schedulingGates).length) throw conflict(bindingGR, s.name, `pod ${name} has non-empty .spec.schedulingGates`);
            spec.nodeName = nodeName;
            if (body.metadata.annotations) cur.metadata.annotations = { ...cur.metadata.annotations, ...body.metadata.annotations };
            const status = obj(cur.status) ?? {};
            scheduledCondition(status, s.ctx.clock.now());
            cur.status = status;
            delete cur.metadata.resourceVersion;
            return cur;
          },
          { dryRun: s.dryRun, subresource: 'binding' },
        );
        return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 } as unknown as KubeObject;
      },
    },
  },
};
