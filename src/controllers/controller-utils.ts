// What the workload controllers share (pkg/controller/controller_utils.go and pkg/api/v1/pod):
// pods made from a template and created or deleted with their events, pod readiness and
// availability, controller references and adoption, expectations, and slow-start batches.
import type { PodCondition, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { Clock } from '../api/clock.js';
import type { Pod } from '../api/kinds.js';
import { fromLabelSelectorObject, matchesLabels, type LabelSelector, type LabelSelectorObject } from '../api/labels.js';
import { deepEqual, type KubeObject, type OwnerReference } from '../api/meta.js';
import { R, type Client, type ResourceRef } from '../client/client.js';
import type { SharedInformer } from '../client/informer.js';
import { keyOf } from '../client/object-cache.js';
import type { EventRecorder } from './events.js';
import { isNotFound } from '../api/errors.js';
import { POD_DELETION_COST_ANNOTATION } from '../api/well-known.js';

export const splitKey = (key: string): [string, string] => {
  const slash = key.indexOf('/');
  return slash < 0 ? ['', key] : [key.slice(0, slash), key.slice(slash + 1)];
};

// ---- pods (pkg/api/v1/pod) ----

export const phaseOf = (p: Pod): string => p.status?.phase ?? '';
export const isTerminal = (p: Pod): boolean => phaseOf(p) === 'Succeeded' || phaseOf(p) === 'Failed';
/** FilterActivePods: not finished and not being deleted. */
export const isPodActive = (p: Pod): boolean => !isTerminal(p) && !p.metadata.deletionTimestamp;
/** CountTerminatingPods' test: being deleted but not finished. */
export const isPodTerminating = (p: Pod): boolean => !!p.metadata.deletionTimestamp && !isTerminal(p);

export function podCondition(p: Pod, type: string): PodCondition | undefined {
  return p.status?.conditions?.find((c) => c.type === type);
}

export const isPodReady = (p: Pod): boolean => podCondition(p, 'Ready')?.status === 'True';

/** IsPodAvailable: ready, and for at least minReadySeconds. */
export function isPodAvailable(p: Pod, minReadySeconds: number, now: Date): boolean {
  if (!isPodReady(p)) return false;
  if (minReadySeconds === 0) return true;
  const since = Date.parse(podCondition(p, 'Ready')?.lastTransitionTime ?? '');
  return !Number.isNaN(since) && since + minReadySeconds * 1000 < now.getTime();
}

export function restartCount(p: Pod): number {
  const statuses = [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])];
  return statuses.reduce((n, c) => n + (c.restartCount ?? 0), 0);
}

// ---- controller references ----

export const controllerRefOf = (o: KubeObject): OwnerReference | undefined => o.metadata.ownerReferences?.find((r) => r.controller === true);

/** metav1.NewControllerRef. */
export const newControllerRef = (owner: KubeObject, apiVersion: string, kind: string): OwnerReference => ({
  apiVersion,
  kind,
  name: owner.metadata.name!,
  uid: owner.metadata.uid!,
  controller: true,
  blockOwnerDeletion: true,
});

export const isControlledBy = (o: KubeObject, owner: KubeObject): boolean => controllerRefOf(o)?.uid === owner.metadata.uid;

/** LabelSelectorAsSelector; null selects nothing (and so does a selector that does not parse). */
export function parseSelector(sel: LabelSelectorObject | undefined): LabelSelector | null {
  try {
    return fromLabelSelectorObject(sel);
  } catch {
    return null;
  }
}

export const selects = (sel: LabelSelector | null, o: KubeObject): boolean => !!sel && matchesLabels(sel, o.metadata.labels);

/**
 * What claim looks at, read from the informer's indexes rather than the whole namespace: the
 * objects of the owner's namespace it controls, and the orphans there its selector picks.
 */
export function claimCandidates<T extends KubeObject>(informer: SharedInformer<T>, owner: KubeObject, sel: LabelSelector | null): T[] {
  const ns = owner.metadata.namespace ?? '';
  const controlled = informer.controlledBy(owner.metadata.uid!).filter((o) => (o.metadata.namespace ?? '') === ns);
  const orphans = sel ? informer.select(ns, sel).filter((o) => !controllerRefOf(o)) : [];
  return [...controlled, ...orphans];
}

/**
 * ClaimObjects (ControllerRefManager): of the candidates, those the owner controls and its
 * selector still selects, plus orphans it selects, which it adopts. Objects it controls but no
 * longer selects are released. Nothing is adopted while the owner is being deleted.
 */
export async function claim<T extends KubeObject>(
  client: Client,
  resource: ResourceRef<T>,
  owner: KubeObject,
  ownerRef: OwnerReference,
  sel: LabelSelector | null,
  candidates: T[],
  adoptFinalizer?: string,
): Promise<T[]> {
  const claimed: T[] = [];
  for (const o of candidates) {
    const ref = controllerRefOf(o);
    const ns = o.metadata.namespace ?? '';
    if (ref) {
      if (ref.uid !== owner.metadata.uid) continue;
      if (selects(sel, o) || owner.metadata.deletionTimestamp) {
        claimed.push(o);
        continue;
      }
      await patchOwners(client, resource, ns, o, (refs) => refs.filter((r) => r.uid !== owner.metadata.uid));
      continue;
    }
    if (owner.metadata.deletionTimestamp || o.metadata.deletionTimestamp || !selects(sel, o)) continue;
    const adopted = await patchOwners(client, resource, ns, o, (refs) => (refs.some((r) => r.controller) ? refs : [...refs, ownerRef]), adoptFinalizer);
    if (adopted && controllerRefOf(adopted)?.uid === owner.metadata.uid) claimed.push(adopted);
  }
  return claimed;
}

async function patchOwners<T extends KubeObject>(
  client: Client,
  resource: ResourceRef<T>,
  ns: string,
  o: T,
  change: (refs: OwnerReference[]) => OwnerReference[],
  finalizer?: string,
): Promise<T | undefined> {
  try {
    return await client.mutate(resource, ns, o.metadata.name!, (cur) => {
      if (cur.metadata.uid !== o.metadata.uid) return cur;
      const refs = change(cur.metadata.ownerReferences ?? []);
      if (refs.length) cur.metadata.ownerReferences = refs;
      else delete cur.metadata.ownerReferences;
      if (finalizer && !(cur.metadata.finalizers ?? []).includes(finalizer)) cur.metadata.finalizers = [...(cur.metadata.finalizers ?? []), finalizer];
      return asPatch(cur);
    });
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

// ---- pod control (RealPodControl) ----

/** getPodsPrefix: `<controller>-`. */
export const podsPrefix = (controllerName: string): string => `${controllerName}-`;

/** GetPodFromTemplate: the template's labels, annotations, finalizers and spec, owned by the controller. */
export function podFromTemplate(template: PodTemplateSpec, parent: KubeObject, controllerRef: OwnerReference, generateName = podsPrefix(parent.metadata.name!)): Pod {
  const meta = template.metadata;
  const metadata: Pod['metadata'] = { generateName, namespace: parent.metadata.namespace };
  if (meta?.labels) metadata.labels = { ...meta.labels };
  if (meta?.annotations) metadata.annotations = { ...meta.annotations };
  if (meta?.finalizers?.length) metadata.finalizers = [...meta.finalizers];
  metadata.ownerReferences = [controllerRef];
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec: structuredClone(template.spec) };
}

/** apierrors.HasStatusCause(err, NamespaceTerminatingCause). */
export const namespaceTerminating = (err: unknown): boolean => (err as { code?: number }).code === 403 && /because it is being terminated/.test((err as Error).message ?? '');

export interface PodControl {
  client: Client;
  recorder: EventRecorder;
  /** The controller's name: the events' source. */
  component: string;
}

/** CreatePods: the create, then SuccessfulCreate, or FailedCreate with the server's message. */
export async function createPod(pc: PodControl, pod: Pod, parent: KubeObject): Promise<Pod> {
  if (!Object.keys(pod.metadata.labels ?? {}).length) throw new Error('unable to create pods, no labels');
  let created: Pod;
  try {
    created = await pc.client.create(R.pods, parent.metadata.namespace ?? '', pod);
  } catch (err) {
    if (!namespaceTerminating(err)) void pc.recorder.record(parent, 'Warning', 'FailedCreate', `Error creating: ${(err as Error).message}`, pc.component);
    throw err;
  }
  void pc.recorder.record(parent, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`, pc.component);
  return created;
}

/** DeletePod: the delete, then SuccessfulDelete, or FailedDelete (a pod already gone is NotFound, no event). */
export async function deletePod(pc: PodControl, namespace: string, name: string, parent: KubeObject): Promise<void> {
  try {
    await pc.client.delete(R.pods, namespace, name);
  } catch (err) {
    if (isNotFound(err)) throw err;
    void pc.recorder.record(parent, 'Warning', 'FailedDelete', `Error deleting: ${(err as Error).message}`, pc.component);
    throw new Error(`unable to delete pods: ${(err as Error).message}`);
  }
  void pc.recorder.record(parent, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`, pc.component);
}

/**
 * slowStartBatch: runs `fn` count times in batches of 1, 2, 4, …, stopping after the first batch
 * with a failure. Returns how many succeeded and the first error.
 */
export async function slowStartBatch(count: number, initialBatchSize: number, fn: (i: number) => Promise<void>): Promise<{ successes: number; attempted: number; error?: unknown }> {
  let remaining = count;
  let successes = 0;
  let attempted = 0;
  for (let batch = Math.min(remaining, initialBatchSize); batch > 0; batch = Math.min(2 * batch, remaining)) {
    const results = await Promise.allSettled(Array.from({ length: batch }, () => fn(attempted++)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    successes += results.filter((r) => r.status === 'fulfilled').length;
    if (failed) return { successes, attempted, error: failed.reason };
    remaining -= batch;
  }
  return { successes, attempted };
}

/** Whether two statuses are the same once Go's omitempty has dropped their zero values. */
export function sameStatus(a: object, b: object, keep: string[] = []): boolean {
  const trim = (o: object) =>
    Object.fromEntries(Object.entries(o).filter(([k, v]) => keep.includes(k) || !(v === undefined || v === null || v === 0 || v === '' || v === false || (Array.isArray(v) && !v.length))));
  return deepEqual(trim(a), trim(b));
}

// ---- expectations (ControllerExpectations, UIDTrackingControllerExpectations) ----

/** How long unfulfilled expectations hold a controller back before it syncs anyway. */
export const EXPECTATIONS_TIMEOUT_MS = 5 * 60_000;

interface Expected {
  adds: number;
  deletes: Set<string>;
  at: number;
}

/**
 * What a controller has asked for and not yet seen through its informer: it does not act on a
 * key again until its creations and deletions have been observed (or 5 minutes have passed).
 */
export class Expectations {
  private readonly byKey = new Map<string, Expected>();
  constructor(private readonly clock: Clock) {}

  private entry(key: string): Expected {
    let e = this.byKey.get(key);
    if (!e) this.byKey.set(key, (e = { adds: 0, deletes: new Set(), at: this.clock.now().getTime() }));
    return e;
  }

  expectCreations(key: string, n: number): void {
    const e = this.entry(key);
    e.adds += n;
    e.at = this.clock.now().getTime();
  }

  creationObserved(key: string): void {
    const e = this.byKey.get(key);
    if (e && e.adds > 0) e.adds--;
  }

  /** Deletions are tracked by pod key, so a graceful delete seen twice counts once. */
  expectDeletions(key: string, podKeys: string[]): void {
    const e = this.entry(key);
    for (const k of podKeys) e.deletes.add(k);
    e.at = this.clock.now().getTime();
  }

  deletionObserved(key: string, podKey: string): void {
    this.byKey.get(key)?.deletes.delete(podKey);
  }

  /** What an event of one of `key`'s pods tells: a create seen, or a delete (it began or is done). */
  podObserved(key: string, pod: Pod, old: Pod | undefined, deleted: boolean): void {
    if (!old && !deleted && !pod.metadata.deletionTimestamp) this.creationObserved(key);
    if (deleted || (pod.metadata.deletionTimestamp && !old?.metadata.deletionTimestamp)) this.deletionObserved(key, keyOf(pod));
  }

  satisfied(key: string): boolean {
    const e = this.byKey.get(key);
    if (!e) return true;
    if (e.adds <= 0 && e.deletes.size === 0) return true;
    return this.clock.now().getTime() - e.at > EXPECTATIONS_TIMEOUT_MS;
  }

  delete(key: string): void {
    this.byKey.delete(key);
  }
}

// ---- ordering pods for deletion ----

const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function readySince(p: Pod): number | undefined {
  const c = podCondition(p, 'Ready');
  if (c?.status !== 'True') return undefined;
  const t = Date.parse(c.lastTransitionTime ?? '');
  return Number.isNaN(t) ? undefined : t;
}

const deletionCost = (p: Pod): number => {
  const v = Number(p.metadata.annotations?.[POD_DELETION_COST_ANNOTATION] ?? 0);
  return Number.isFinite(v) ? v : 0;
};

/**
 * ActivePodsWithRanks' order, the pods to delete first first: unscheduled before scheduled,
 * Pending before Unknown before Running, not ready before ready, lower deletion cost first, more
 * pods of the same owner on its node first, ready for less time first, more restarts first,
 * newer before older. `rank` counts related pods per node (nothing given: no ranking by node).
 */
export function podsToDeleteFirst(pods: Pod[], related: Pod[] = []): Pod[] {
  const perNode = new Map<string, number>();
  for (const p of related) {
    const node = p.spec?.nodeName ?? '';
    if (node && isPodActive(p)) perNode.set(node, (perNode.get(node) ?? 0) + 1);
  }
  const rank = (p: Pod) => perNode.get(p.spec?.nodeName ?? '') ?? 0;
  const created = (p: Pod) => Date.parse(p.metadata.creationTimestamp ?? '') || 0;
  return [...pods].sort((a, b) => {
    const na = a.spec?.nodeName ?? '';
    const nb = b.spec?.nodeName ?? '';
    if (!na !== !nb) return na ? 1 : -1;
    const pa = PHASE_RANK[phaseOf(a)] ?? 0;
    const pb = PHASE_RANK[phaseOf(b)] ?? 0;
    if (pa !== pb) return pa - pb;
    if (isPodReady(a) !== isPodReady(b)) return isPodReady(a) ? 1 : -1;
    if (deletionCost(a) !== deletionCost(b)) return deletionCost(a) - deletionCost(b);
    if (rank(a) !== rank(b)) return rank(b) - rank(a);
    const ra = readySince(a);
    const rb = readySince(b);
    if (ra !== undefined && rb !== undefined && ra !== rb) return rb - ra;
    if (restartCount(a) !== restartCount(b)) return restartCount(b) - restartCount(a);
    return created(b) - created(a);
  });
}

/** controller.ActivePods' order (the Job controller's): like podsToDeleteFirst without cost and node ranks. */
export const activePodsOrder = (pods: Pod[]): Pod[] => podsToDeleteFirst(pods.map((p) => ({ ...p, metadata: { ...p.metadata, annotations: {} } })));

/**
 * A change meant as a PATCH: without a resourceVersion, so the store applies it again to the
 * latest object on a conflict instead of failing.
 */
export function asPatch<T extends KubeObject>(o: T): T {
  delete o.metadata.resourceVersion;
  return o;
}

/** A worker queue hook: swallow a Conflict (a stale cache) and try again shortly. */
export function retryOnConflict(err: unknown, again: () => void): void {
  if ((err as { code?: number }).code === 409) {
    again();
    return;
  }
  throw err;
}
