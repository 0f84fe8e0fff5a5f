// The disruption controller (pkg/controller/disruption/disruption.go): keeps each
// PodDisruptionBudget's status current, which the pods/eviction subresource reads. Expected pods
// come from the scale of the pods' controllers (Deployments, ReplicaSets, StatefulSets) when a bound is a
// percentage or maxUnavailable, else from the matching pods; healthy pods are the ready ones not
// being deleted nor just evicted.
import type { PodDisruptionBudgetStatus } from 'kubernetes-types/policy/v1.js';
import type { Clock } from '../api/clock.js';
import { conditionsAreUpToDate, DISRUPTION_ALLOWED, setStatusCondition, updateDisruptionAllowedCondition } from '../api/disruption-budget.js';
import { isNotFound } from '../api/errors.js';
import type { Pod, PodDisruptionBudget } from '../api/kinds.js';
import type { LabelSelectorObject } from '../api/labels.js';
import { deepEqual } from '../api/meta.js';
import { R, type Client } from '../client/client.js';
import type { InformerFactory } from '../client/informer-factory.js';
import { waitForSync } from '../client/informer.js';
import { keyOf } from '../client/object-cache.js';
import { WorkQueue } from '../client/queue.js';
import { controllerRefOf, isPodReady, parseSelector, selects, splitKey } from './controller-utils.js';
import type { EventRecorder } from './events.js';

/** The source of the controller's events, as kube-controller-manager names it. */
const COMPONENT = 'controllermanager';
/** How long an evicted pod may take to be deleted before it counts again (DeletionTimeout). */
export const DELETION_TIMEOUT_MS = 2 * 60_000;

export interface DisruptionControllerDeps {
  client: Client;
  informers: InformerFactory;
  clock: Clock;
  recorder: EventRecorder;
}

/** A count of pods for an IntOrString bound: the integer, or the percentage of `total` rounded up. */
function scaled(v: number | string, total: number): number {
  return typeof v === 'number' ? v : Math.ceil((Number(v.replace(/%$/, '')) * total) / 100);
}

/** %v of a *metav1.LabelSelector (its generated String()). */
function selectorText(sel: LabelSelectorObject | undefined): string {
  if (!sel) return 'nil';
  const labels = Object.keys(sel.matchLabels ?? {})
    .sort()
    .map((k) => `${k}: ${sel.matchLabels![k]},`)
    .join('');
  const exprs = (sel.matchExpressions ?? []).map((e) => `LabelSelectorRequirement{Key:${e.key},Operator:${e.operator},Values:[${(e.values ?? []).join(' ')}],},`).join('');
  return `&LabelSelector{MatchLabels:map[string]string{${labels}},MatchExpressions:[]LabelSelectorRequirement{${exprs}},}`;
}

export function disruptionController({ client, informers, clock, recorder }: DisruptionControllerDeps) {
  const budgets = informers.forResource(R.poddisruptionbudgets);
  const pods = informers.forResource(R.pods);
  const replicaSets = informers.forResource(R.replicasets);
  const deployments = informers.forResource(R.deployments);
  const statefulSets = informers.forResource(R.statefulsets);
  const queue = new WorkQueue('disruption', reconcile, 50, 30_000);

  const podsOf = (pdb: PodDisruptionBudget): Pod[] => {
    const sel = parseSelector(pdb.spec?.selector);
    return pods.list(pdb.metadata.namespace ?? '').filter((p) => selects(sel, p));
  };

  /** The budgets a pod counts for (GetPodPodDisruptionBudgets: an empty selector selects no pod here). */
  function podChanged(pod: Pod): void {
    for (const pdb of budgets.list(pod.metadata.namespace ?? '')) {
      const sel = parseSelector(pdb.spec?.selector);
      if (sel?.length && selects(sel, pod)) queue.add(keyOf(pdb));
    }
  }

  /** The uid and replicas of the Deployment, ReplicaSet or StatefulSet controlling a pod (the finders). */
  function scaleOf(pod: Pod): { uid: string; replicas: number } | undefined {
    const ref = controllerRefOf(pod);
    if (ref?.kind === 'StatefulSet' && /^apps\//.test(ref.apiVersion)) {
      const set = statefulSets.get(pod.metadata.namespace ?? '', ref.name);
      return set?.metadata.uid === ref.uid ? { uid: set.metadata.uid!, replicas: set.spec?.replicas ?? 1 } : undefined;
    }
    if (ref?.kind !== 'ReplicaSet' || !/^(apps|extensions)\//.test(ref.apiVersion)) return undefined;
    const rs = replicaSets.get(pod.metadata.namespace ?? '', ref.name);
    if (rs?.metadata.uid !== ref.uid) return undefined;
    const owner = controllerRefOf(rs);
    const deployment = owner?.kind === 'Deployment' ? deployments.get(rs.metadata.namespace ?? '', owner.name) : undefined;
    if (deployment && deployment.metadata.uid === owner?.uid) return { uid: deployment.metadata.uid!, replicas: deployment.spec?.replicas ?? 1 };
    return { uid: rs.metadata.uid!, replicas: rs.spec?.replicas ?? 1 };
  }

  /** getExpectedScale: the sum of the scales of the pods' controllers, and the pods no controller owns. */
  function expectedScale(matching: Pod[]): { expected: number; unmanaged: string[] } {
    const scales = new Map<string, number>();
    const unmanaged: string[] = [];
    for (const pod of matching) {
      if (!controllerRefOf(pod)) {
        unmanaged.push(pod.metadata.name!);
        continue;
      }
      const scale = scaleOf(pod);
      if (!scale) throw new Error(`found no controllers for pod ${JSON.stringify(pod.metadata.name)}`);
      scales.set(scale.uid, scale.replicas);
    }
    return { expected: [...scales.values()].reduce((a, b) => a + b, 0), unmanaged };
  }

  /** getExpectedPodCount: how many pods are expected, and how many must be healthy. */
  function expectedCounts(pdb: PodDisruptionBudget, matching: Pod[]): { expected: number; desired: number; unmanaged: string[] } {
    const { minAvailable, maxUnavailable } = pdb.spec ?? {};
    if (maxUnavailable !== undefined) {
      const { expected, unmanaged } = expectedScale(matching);
      return { expected, desired: Math.max(0, expected - scaled(maxUnavailable, expected)), unmanaged };
    }
    if (typeof minAvailable === 'number') return { expected: matching.length, desired: minAvailable, unmanaged: [] };
    if (typeof minAvailable === 'string') {
      const { expected, unmanaged } = expectedScale(matching);
      return { expected, desired: scaled(minAvailable, expected), unmanaged };
    }
    return { expected: 0, desired: 0, unmanaged: [] };
  }

  /** buildDisruptedPodMap: the evictions still awaiting their pod's deletion, and when the first expires. */
  function disruptedPods(pdb: PodDisruptionBudget, matching: Pod[], now: number): { kept: Record<string, string>; recheckAt?: number } {
    const recorded = pdb.status?.disruptedPods ?? {};
    const kept: Record<string, string> = {};
    let recheckAt: number | undefined;
    for (const pod of matching) {
      const at = recorded[pod.metadata.name!];
      if (pod.metadata.deletionTimestamp || at === undefined) continue;
      const expires = Date.parse(at) + DELETION_TIMEOUT_MS;
      if (expires < now) {
        void recorder.record(pod, 'Warning', 'NotDeleted', `Pod was expected by PDB ${pdb.metadata.namespace}/${pdb.metadata.namespace} to be deleted but it wasn't`, COMPONENT);
        continue;
      }
      kept[pod.metadata.name!] = at;
      recheckAt = Math.min(recheckAt ?? expires, expires);
    }
    return { kept, recheckAt };
  }

  /** countHealthyPods: ready pods, neither being deleted nor evicted moments ago. */
  const healthyCount = (matching: Pod[], disrupted: Record<string, string>, now: number): number =>
    matching.filter((p) => {
      if (p.metadata.deletionTimestamp) return false;
      const at = disrupted[p.metadata.name!];
      if (at !== undefined && Date.parse(at) + DELETION_TIMEOUT_MS > now) return false;
      return isPodReady(p);
    }).length;

  async function writeStatus(pdb: PodDisruptionBudget, status: PodDisruptionBudgetStatus): Promise<void> {
    try {
      await client.update(R.poddisruptionbudgets, pdb.metadata.namespace ?? '', { ...pdb, status }, 'status');
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  async function trySync(pdb: PodDisruptionBudget): Promise<void> {
    const matching = podsOf(pdb);
    if (!matching.length) void recorder.record(pdb, 'Normal', 'NoPods', 'No matching pods found', COMPONENT);
    let counts: ReturnType<typeof expectedCounts>;
    try {
      counts = expectedCounts(pdb, matching);
    } catch (err) {
      void recorder.record(pdb, 'Warning', 'CalculateExpectedPodCountFailed', `Failed to calculate the number of expected pods: ${(err as Error).message}`, COMPONENT);
      throw err;
    }
    if (counts.unmanaged.length) {
      const message =
        `Pods selected by this PodDisruptionBudget (selector: ${selectorText(pdb.spec?.selector)}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. ` +
        'To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.';
      void recorder.record(pdb, 'Warning', 'UnmanagedPods', message, COMPONENT);
    }
    const now = clock.now();
    const { kept, recheckAt } = disruptedPods(pdb, matching, now.getTime());
    const healthy = healthyCount(matching, kept, now.getTime());
    const allowed = counts.expected > 0 ? Math.max(0, healthy - counts.desired) : 0;
    const generation = pdb.metadata.generation ?? 0;
    const old: Partial<PodDisruptionBudgetStatus> = pdb.status ?? {};
    const status: PodDisruptionBudgetStatus = {
      observedGeneration: generation,
      disruptedPods: Object.keys(kept).length ? kept : undefined,
      disruptionsAllowed: allowed,
      currentHealthy: healthy,
      desiredHealthy: counts.desired,
      expectedPods: counts.expected,
      conditions: old.conditions,
    };
    const unchanged =
      old.currentHealthy === healthy &&
      old.desiredHealthy === counts.desired &&
      old.expectedPods === counts.expected &&
      old.disruptionsAllowed === allowed &&
      deepEqual(old.disruptedPods ?? {}, kept) &&
      old.observedGeneration === generation &&
      conditionsAreUpToDate(old, generation);
    if (!unchanged) {
      updateDisruptionAllowedCondition(status, now);
      await writeStatus(pdb, status);
    }
    if (recheckAt !== undefined) queue.addAfter(keyOf(pdb), Math.max(0, recheckAt - now.getTime()));
  }

  /** failSafe: no disruptions while the status cannot be computed, and why in the condition. */
  async function failSafe(pdb: PodDisruptionBudget, err: unknown): Promise<void> {
    const status: PodDisruptionBudgetStatus = { ...(pdb.status ?? { currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 }), disruptionsAllowed: 0 };
    const condition = { type: DISRUPTION_ALLOWED, status: 'False', reason: 'SyncFailed', message: (err as Error).message, observedGeneration: status.observedGeneration ?? 0 };
    status.conditions = setStatusCondition(status.conditions ?? [], condition, clock.now());
    await writeStatus(pdb, status);
  }

  async function reconcile(key: string): Promise<void> {
    const [ns, name] = splitKey(key);
    const pdb = budgets.get(ns, name);
    if (!pdb) return;
    try {
      await trySync(pdb);
    } catch (err) {
      // A conflict means a newer budget is on its way through the informer.
      if ((err as { code?: number }).code === 409) return queue.addAfter(key, 20);
      await failSafe(pdb, err);
    }
  }

  return {
    async start() {
      informers.start();
      await waitForSync(budgets, pods, replicaSets, deployments, statefulSets);
      budgets.on({ add: (o) => queue.add(keyOf(o)), update: (_, o) => queue.add(keyOf(o)), delete: (o) => queue.add(keyOf(o)) });
      pods.on({
        add: podChanged,
        update: (old, p) => {
          podChanged(p);
          if (!deepEqual(old.metadata.labels ?? {}, p.metadata.labels ?? {})) podChanged(old);
        },
        delete: podChanged,
      });
    },
    stop: () => queue.stop(),
  };
}
