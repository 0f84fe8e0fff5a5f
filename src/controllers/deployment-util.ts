// The pure parts of the Deployment controller (pkg/controller/deployment/util/deployment_util.go
// and controller.ComputeHash): the pod-template-hash, the revision and replica annotations, the
// rolling-update fenceposts, finding the new and old ReplicaSets, and the conditions.
import type { DeploymentCondition, DeploymentStatus, DeploymentStrategy, ReplicaSetStatus } from 'kubernetes-types/apps/v1.js';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { Deployment, ReplicaSet } from '../api/kinds.js';
import { deepEqual, formatTime, isObject, type KubeObject } from '../api/meta.js';

export const POD_TEMPLATE_HASH = 'pod-template-hash';
export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
export const DEPRECATED_ROLLBACK_TO = 'deprecated.deployment.rollback.to';
/** The longest revision-history annotation kept. */
export const MAX_REV_HISTORY_LENGTH_IN_CHARS = 2000;

// Condition reasons (Progressing, then Available).
export const REPLICA_SET_UPDATED = 'ReplicaSetUpdated';
export const FAILED_RS_CREATE = 'ReplicaSetCreateError';
export const NEW_REPLICA_SET = 'NewReplicaSetCreated';
export const FOUND_NEW_RS = 'FoundNewReplicaSet';
export const NEW_RS_AVAILABLE = 'NewReplicaSetAvailable';
export const TIMED_OUT = 'ProgressDeadlineExceeded';
export const PAUSED = 'DeploymentPaused';
export const RESUMED = 'DeploymentResumed';
export const MINIMUM_REPLICAS_AVAILABLE = 'MinimumReplicasAvailable';
export const MINIMUM_REPLICAS_UNAVAILABLE = 'MinimumReplicasUnavailable';

const ANNOTATIONS_TO_SKIP = new Set([LAST_APPLIED, REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS, DEPRECATED_ROLLBACK_TO]);
const MAX_INT32 = 2147483647;

type Obj = Record<string, unknown>;

// ---- the pod-template-hash (controller.ComputeHash) ----

/** JSON with object keys sorted, so equal templates serialise alike. */
function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (isObject(v)) {
    const keys = Object.keys(v).filter((k) => v[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** 32-bit FNV-1a. */
function fnv32a(bytes: Uint8Array, h = 0x811c9dc5): number {
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

const SAFE_ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** rand.SafeEncodeString: every character mapped into an alphabet without vowels. */
export const safeEncodeString = (s: string): string => [...s].map((c) => SAFE_ALPHANUMS[c.codePointAt(0)! % SAFE_ALPHANUMS.length]).join('');

/**
 * ComputeHash: FNV-32a of the template (upstream hashes Go's spew dump of the struct; here its
 * canonical JSON), then the collision count as 8 little-endian bytes when set, written as the
 * decimal digits of the sum passed through SafeEncodeString (so "5d9c8b7f4"-like, from 4-9,b,c,d,f).
 */
export function computeHash(template: unknown, collisionCount?: number): string {
  let h = fnv32a(new TextEncoder().encode(stableJson(semantic(template))));
  if (collisionCount !== undefined) {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(bytes, h);
  }
  return safeEncodeString(String(h));
}

// ---- templates ----

/** Go's semantic equality sees no difference between a nil and an empty map, slice or struct, or a zero time. */
function semantic(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(semantic);
  if (!isObject(v)) return v;
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) {
    const s = semantic(x);
    if (s === null || s === undefined || (Array.isArray(s) && !s.length) || (isObject(s) && !Object.keys(s).length)) continue;
    out[k] = s;
  }
  return out;
}

/** The template's semantic JSON, without the pod-template-hash label. */
const withoutHash = (template: PodTemplateSpec): unknown => {
  const t = semantic(template);
  if (isObject(t) && isObject(t.metadata) && isObject(t.metadata.labels)) {
    const labels = { ...t.metadata.labels };
    delete labels[POD_TEMPLATE_HASH];
    if (Object.keys(labels).length) t.metadata.labels = labels;
    else delete t.metadata.labels;
  }
  return t;
};

/** EqualIgnoreHash: the templates are equal once pod-template-hash is left out of their labels (a missing template is an empty one). */
export const equalIgnoreHash = (a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean => deepEqual(withoutHash(a ?? {}), withoutHash(b ?? {}));

// ---- replica sets of a deployment ----

const created = (o: KubeObject) => Date.parse(o.metadata.creationTimestamp ?? '') || 0;

/** ReplicaSetsByCreationTimestamp: oldest first, then by name. */
export const byCreation = (a: KubeObject, b: KubeObject): number => created(a) - created(b) || (a.metadata.name! < b.metadata.name! ? -1 : a.metadata.name! > b.metadata.name! ? 1 : 0);

/** The counts of a ReplicaSet's status. */
export type ReplicaSetCount = Exclude<keyof ReplicaSetStatus, 'conditions'>;

export const replicasOf = (o: Deployment | ReplicaSet): number => o.spec?.replicas ?? 1;
export const statusReplicas = (rs: ReplicaSet | undefined, field: ReplicaSetCount): number => rs?.status?.[field] ?? 0;

/** FindNewReplicaSet: the oldest ReplicaSet whose template is the Deployment's. */
export function findNewReplicaSet(d: Deployment, rsList: ReplicaSet[]): ReplicaSet | undefined {
  return [...rsList].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
}

/** FindOldReplicaSets: all the others. */
export function findOldReplicaSets(d: Deployment, rsList: ReplicaSet[]): ReplicaSet[] {
  const newRS = findNewReplicaSet(d, rsList);
  return rsList.filter((rs) => rs.metadata.uid !== newRS?.metadata.uid);
}

/** FilterActiveReplicaSets: those with replicas wanted. */
export const activeReplicaSets = (rsList: (ReplicaSet | undefined)[]): ReplicaSet[] => rsList.filter((rs): rs is ReplicaSet => !!rs && replicasOf(rs) > 0);

export const sumReplicas = (rsList: (ReplicaSet | undefined)[]): number => rsList.reduce((n, rs) => n + (rs ? replicasOf(rs) : 0), 0);
export const sumStatus = (rsList: (ReplicaSet | undefined)[], field: ReplicaSetCount): number => rsList.reduce((n, rs) => n + statusReplicas(rs, field), 0);

// ---- revisions ----

/** The revision annotation as a number (0 when absent, NaN when it does not parse). */
export function revisionOf(o: KubeObject): number {
  const v = o.metadata.annotations?.[REVISION];
  if (v === undefined) return 0;
  return /^[+-]?\d+$/.test(v) ? Number(v) : NaN;
}

export const maxRevision = (rsList: KubeObject[]): number => rsList.reduce((m, rs) => (revisionOf(rs) > m ? revisionOf(rs) : m), 0);

/** ReplicaSetsByRevision: by revision, then by creation. */
export const byRevision = (a: KubeObject, b: KubeObject): number => {
  const ra = revisionOf(a) || 0;
  const rb = revisionOf(b) || 0;
  return ra === rb ? byCreation(a, b) : ra - rb;
};

/**
 * SetNewReplicaSetAnnotations: copy the Deployment's annotations (but the skipped ones), raise
 * the revision (remembering the replaced one in revision-history), and on creation add the
 * desired and max replicas. Returns whether anything changed.
 */
export function setNewReplicaSetAnnotations(d: Deployment, rs: ReplicaSet, newRevision: string, exists: boolean): boolean {
  const annotations = { ...(rs.metadata.annotations ?? {}) };
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (ANNOTATIONS_TO_SKIP.has(k) || annotations[k] === v) continue;
    annotations[k] = v;
    changed = true;
  }
  const oldRevision = annotations[REVISION];
  const oldInt = oldRevision === undefined ? 0 : /^[+-]?\d+$/.test(oldRevision) ? Number(oldRevision) : NaN;
  if (Number.isNaN(oldInt)) return false;
  const newInt = Number(newRevision);
  if (oldInt < newInt) {
    annotations[REVISION] = newRevision;
    changed = true;
    if (oldRevision !== undefined) {
      const history = annotations[REVISION_HISTORY] ?? '';
      if (!history) annotations[REVISION_HISTORY] = oldRevision;
      else {
        let old = history.split(',');
        let total = history.length + oldRevision.length + 1;
        let start = 0;
        while (total > MAX_REV_HISTORY_LENGTH_IN_CHARS && start < old.length) total -= old[start++]!.length + 1;
        if (total <= MAX_REV_HISTORY_LENGTH_IN_CHARS) {
          old = [...old.slice(start), oldRevision];
          annotations[REVISION_HISTORY] = old.join(',');
        }
      }
    }
  }
  if (!exists && setReplicasAnnotations(annotations, replicasOf(d), replicasOf(d) + maxSurge(d))) changed = true;
  rs.metadata.annotations = annotations;
  return changed;
}

/** SetReplicasAnnotations on an annotation map. */
export function setReplicasAnnotations(annotations: Record<string, string>, desired: number, max: number): boolean {
  let changed = false;
  if (annotations[DESIRED_REPLICAS] !== String(desired)) {
    annotations[DESIRED_REPLICAS] = String(desired);
    changed = true;
  }
  if (annotations[MAX_REPLICAS] !== String(max)) {
    annotations[MAX_REPLICAS] = String(max);
    changed = true;
  }
  return changed;
}

export const replicasAnnotationsNeedUpdate = (rs: KubeObject, desired: number, max: number): boolean =>
  rs.metadata.annotations?.[DESIRED_REPLICAS] !== String(desired) || rs.metadata.annotations?.[MAX_REPLICAS] !== String(max);

function intAnnotation(rs: KubeObject, key: string): number | undefined {
  const v = rs.metadata.annotations?.[key];
  return v !== undefined && /^[+-]?\d+$/.test(v) ? Number(v) : undefined;
}

export const desiredReplicasAnnotation = (rs: KubeObject) => intAnnotation(rs, DESIRED_REPLICAS);

// ---- strategy numbers ----

export const strategyOf = (d: Deployment): DeploymentStrategy => d.spec?.strategy ?? {};
export const isRollingUpdate = (d: Deployment): boolean => strategyOf(d).type === 'RollingUpdate';

/** intstr.GetScaledValueFromIntOrPercent. */
export function valueFromIntOrPercent(v: number | string | undefined, total: number, roundUp: boolean): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\d+%$/.test(v)) {
    const x = (Number(v.slice(0, -1)) * total) / 100;
    return roundUp ? Math.ceil(x) : Math.floor(x);
  }
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return 0;
}

/** ResolveFenceposts: surge rounds up, unavailable down; both 0 makes unavailable 1. */
export function resolveFenceposts(d: Deployment): [number, number] {
  const rolling = strategyOf(d).rollingUpdate ?? {};
  const desired = replicasOf(d);
  const surge = valueFromIntOrPercent(rolling.maxSurge ?? 0, desired, true);
  let unavailable = valueFromIntOrPercent(rolling.maxUnavailable ?? 0, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return [surge, unavailable];
}

export const maxSurge = (d: Deployment): number => (isRollingUpdate(d) ? resolveFenceposts(d)[0] : 0);

export function maxUnavailable(d: Deployment): number {
  if (!isRollingUpdate(d) || replicasOf(d) === 0) return 0;
  return Math.min(resolveFenceposts(d)[1], replicasOf(d));
}

/** NewRSNewReplicas: how big the new ReplicaSet may grow now. */
export function newRSNewReplicas(d: Deployment, allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet): number {
  if (strategyOf(d).type === 'Recreate') return replicasOf(d);
  const rolling = strategyOf(d).rollingUpdate ?? {};
  const surge = valueFromIntOrPercent(rolling.maxSurge, replicasOf(d), true);
  const current = sumReplicas(allRSs);
  const maxTotal = replicasOf(d) + surge;
  if (current >= maxTotal) return replicasOf(newRS);
  const scaleUp = Math.min(maxTotal - current, replicasOf(d) - replicasOf(newRS));
  return replicasOf(newRS) + scaleUp;
}

/** IsSaturated: the new ReplicaSet has all the replicas, believes so, and they are available. */
export function isSaturated(d: Deployment, rs: ReplicaSet | undefined): boolean {
  if (!rs) return false;
  const desired = desiredReplicasAnnotation(rs);
  return desired !== undefined && replicasOf(rs) === replicasOf(d) && desired === replicasOf(d) && statusReplicas(rs, 'availableReplicas') === replicasOf(d);
}

/** GetProportion: the share of a scaling a ReplicaSet takes, from its max-replicas annotation. */
export function proportion(rs: ReplicaSet, d: Deployment, toAdd: number, added: number): number {
  if (replicasOf(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  let fraction: number;
  if (replicasOf(d) === 0) fraction = -replicasOf(rs);
  else {
    const deploymentReplicas = replicasOf(d) + maxSurge(d);
    const annotated = intAnnotation(rs, MAX_REPLICAS) ?? d.status?.replicas ?? 0;
    fraction = Math.round((replicasOf(rs) * deploymentReplicas) / annotated) - replicasOf(rs);
  }
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

export const hasProgressDeadline = (d: Deployment): boolean => (d.spec?.progressDeadlineSeconds ?? MAX_INT32) !== MAX_INT32;
export const hasRevisionHistoryLimit = (d: Deployment): boolean => (d.spec?.revisionHistoryLimit ?? MAX_INT32) !== MAX_INT32;

// ---- conditions ----

export const getCondition = (status: DeploymentStatus | undefined, type: string): DeploymentCondition | undefined => status?.conditions?.find((c) => c.type === type);

export function newCondition(type: string, status: string, reason: string, message: string, now: Date): DeploymentCondition {
  const t = formatTime(now);
  return { type, status, lastUpdateTime: t, lastTransitionTime: t, reason, message };
}

/** SetDeploymentCondition: the same status and reason is no change; the same status keeps lastTransitionTime. */
export function setCondition(status: DeploymentStatus, c: DeploymentCondition): void {
  const cur = getCondition(status, c.type);
  if (cur && cur.status === c.status && cur.reason === c.reason) return;
  if (cur && cur.status === c.status) c.lastTransitionTime = cur.lastTransitionTime;
  status.conditions = [...(status.conditions ?? []).filter((x) => x.type !== c.type), c];
}

export function removeCondition(status: DeploymentStatus, type: string): void {
  const rest = (status.conditions ?? []).filter((x) => x.type !== type);
  if (rest.length) status.conditions = rest;
  else delete status.conditions;
}

/** DeploymentComplete. */
export function deploymentComplete(d: Deployment, s: DeploymentStatus): boolean {
  const want = replicasOf(d);
  return (s.updatedReplicas ?? 0) === want && (s.replicas ?? 0) === want && (s.availableReplicas ?? 0) === want && (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0);
}

/** DeploymentProgressing: more new pods, fewer old ones, or more ready or available ones. */
export function deploymentProgressing(d: Deployment, s: DeploymentStatus): boolean {
  const old: DeploymentStatus = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (s.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) || newOld < oldOld || (s.readyReplicas ?? 0) > (old.readyReplicas ?? 0) || (s.availableReplicas ?? 0) > (old.availableReplicas ?? 0);
}

/** DeploymentTimedOut: the Progressing condition was last updated more than progressDeadlineSeconds ago. */
export function deploymentTimedOut(d: Deployment, s: DeploymentStatus, now: Date): boolean {
  if (!hasProgressDeadline(d)) return false;
  const c = getCondition(s, 'Progressing');
  if (!c || c.reason === NEW_RS_AVAILABLE) return false;
  if (c.reason === TIMED_OUT) return true;
  const from = Date.parse(c.lastUpdateTime ?? '');
  return !Number.isNaN(from) && from + (d.spec?.progressDeadlineSeconds ?? 0) * 1000 < now.getTime();
}
