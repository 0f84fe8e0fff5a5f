// The ReplicaSet controller (pkg/controller/replicaset/replica_set.go): keeps as many active pods
// as spec.replicas asks, created from the template in slow-start batches and deleted least
// valuable first (unscheduled, pending, not ready), and reports what it sees in status. It runs for
// ReplicationControllers too, as upstream's replication manager runs this controller through
// adapters (pkg/controller/replication): a ReplicatedKind says how a kind differs.
import type { ReplicaSetStatus } from 'kubernetes-types/apps/v1.js';
import type { Clock } from '../api/clock.js';
import type { Pod, ReplicaSet, ReplicationController } from '../api/kinds.js';
import { formatTime } from '../api/meta.js';
import { matchesLabels, type LabelSelector, type LabelSelectorObject } from '../api/labels.js';
import { R, type Client, type ResourceRef } from '../client/client.js';
import {
  claim,
  claimCandidates,
  controllerRefOf,
  createPod,
  deletePod,
  Expectations,
  isPodActive,
  isPodAvailable,
  isPodReady,
  newControllerRef,
  parseSelector,
  podFromTemplate,
  podsToDeleteFirst,
  retryOnConflict,
  sameStatus,
  slowStartBatch,
  splitKey,
  type PodControl,
} from './controller-utils.js';
import type { EventRecorder } from './events.js';
import type { InformerFactory } from '../client/informer-factory.js';
import { waitForSync } from '../client/informer.js';
import { keyOf } from '../client/object-cache.js';
import { WorkQueue } from '../client/queue.js';
import { isNotFound } from '../api/errors.js';

export const REPLICASET_CONTROLLER = 'replicaset-controller';
const REPLICATION_CONTROLLER = 'replication-controller';
/** At most this many pods are created or deleted in one sync. */
const BURST_REPLICAS = 500;
const SLOW_START_INITIAL_BATCH_SIZE = 1;

type Replicated = ReplicaSet | ReplicationController;

/** What tells the kinds the controller runs for apart. */
export interface ReplicatedKind {
  resource: ResourceRef<Replicated>;
  apiVersion: string;
  kind: string;
  /** The component its events come from. */
  component: string;
  selector(o: Replicated): LabelSelectorObject | undefined;
}

export const REPLICA_SETS: ReplicatedKind = {
  resource: R.replicasets,
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  component: REPLICASET_CONTROLLER,
  selector: (rs) => (rs as ReplicaSet).spec?.selector,
};

/** A ReplicationController's selector is a map: labels.SelectorFromSet. */
export const REPLICATION_CONTROLLERS: ReplicatedKind = {
  resource: R.replicationcontrollers,
  apiVersion: 'v1',
  kind: 'ReplicationController',
  component: REPLICATION_CONTROLLER,
  selector: (rc) => ({ matchLabels: (rc as ReplicationController).spec?.selector ?? {} }),
};

export interface ReplicaSetControllerDeps {
  client: Client;
  informers: InformerFactory;
  clock: Clock;
  recorder: EventRecorder;
}

/** The status calculateStatus gives: counts of the active pods, and the ReplicaFailure condition. */
export function replicaSetStatus(rs: Replicated, pods: Pod[], manageError: unknown, now: Date): ReplicaSetStatus {
  const templateLabels = rs.spec?.template?.metadata?.labels ?? {};
  const labelsOfTemplate: LabelSelector = Object.entries(templateLabels).map(([key, v]) => ({ key, operator: '=', values: [v] }));
  const minReadySeconds = rs.spec?.minReadySeconds ?? 0;
  const status: ReplicaSetStatus = {
    replicas: pods.length,
    fullyLabeledReplicas: pods.filter((p) => matchesLabels(labelsOfTemplate, p.metadata.labels)).length,
    readyReplicas: pods.filter(isPodReady).length,
    availableReplicas: pods.filter((p) => isPodAvailable(p, minReadySeconds, now)).length,
    observedGeneration: rs.metadata.generation ?? 0,
  };
  let conditions = rs.status?.conditions ?? [];
  const failure = conditions.find((c) => c.type === 'ReplicaFailure');
  if (manageError && !failure) {
    const reason = pods.length < (rs.spec?.replicas ?? 1) ? 'FailedCreate' : 'FailedDelete';
    conditions = [...conditions, { type: 'ReplicaFailure', status: 'True', lastTransitionTime: formatTime(now), reason, message: (manageError as Error).message ?? String(manageError) }];
  } else if (!manageError && failure) {
    conditions = conditions.filter((c) => c !== failure);
  }
  if (conditions.length) status.conditions = conditions;
  return status;
}

export function replicaSetController({ client, informers, clock, recorder }: ReplicaSetControllerDeps, kind: ReplicatedKind = REPLICA_SETS) {
  const replicaSets = informers.forResource(kind.resource);
  const pods = informers.forResource(R.pods);
  const serviceAccounts = informers.forResource(R.serviceaccounts);
  const expectations = new Expectations(clock);
  const queue = new WorkQueue(kind.component, reconcile, 5, 30_000);
  const pc: PodControl = { client, recorder, component: kind.component };
  const selectorOf = (rs: Replicated) => parseSelector(kind.selector(rs));
  const refTo = (rs: Replicated) => newControllerRef(rs, kind.apiVersion, kind.kind);

  /** The ReplicaSet that controls a pod, if it is one we know. */
  function ownerOf(pod: Pod): Replicated | undefined {
    const ref = controllerRefOf(pod);
    if (!ref || ref.kind !== kind.kind) return undefined;
    const rs = replicaSets.get(pod.metadata.namespace ?? '', ref.name);
    return rs?.metadata.uid === ref.uid ? rs : undefined;
  }

  /** ReplicaSets whose selector picks an orphan pod (they may adopt it). */
  const selecting = (pod: Pod) => replicaSets.list(pod.metadata.namespace ?? '').filter((rs) => selectorOf(rs) && matchesLabels(selectorOf(rs)!, pod.metadata.labels));

  function podChanged(pod: Pod, old?: Pod, deleted = false): void {
    const rs = ownerOf(pod) ?? (old ? ownerOf(old) : undefined);
    if (rs) {
      const key = keyOf(rs);
      expectations.podObserved(key, pod, old, deleted);
      queue.add(key);
      if (old && ownerOf(old) && ownerOf(old) !== rs) queue.add(keyOf(ownerOf(old)!));
      return;
    }
    if (!controllerRefOf(pod) && !deleted) for (const r of selecting(pod)) queue.add(keyOf(r));
  }

  async function manageReplicas(rs: Replicated, active: Pod[], key: string): Promise<void> {
    const want = rs.spec?.replicas ?? 1;
    const diff = active.length - want;
    if (diff < 0) {
      const n = Math.min(-diff, BURST_REPLICAS);
      expectations.expectCreations(key, n);
      const ref = refTo(rs);
      const { attempted, error } = await slowStartBatch(n, SLOW_START_INITIAL_BATCH_SIZE, async () => {
        try {
          await createPod(pc, podFromTemplate(rs.spec?.template ?? {}, rs, ref), rs);
        } catch (err) {
          expectations.creationObserved(key);
          throw err;
        }
      });
      // Pods never attempted will not be observed either.
      for (let i = attempted; i < n; i++) expectations.creationObserved(key);
      if (error) throw error;
    } else if (diff > 0) {
      const n = Math.min(diff, BURST_REPLICAS);
      const related = pods.controlledBy(rs.metadata.uid!);
      const victims = podsToDeleteFirst(active, related).slice(0, n);
      expectations.expectDeletions(key, victims.map(keyOf));
      const results = await Promise.allSettled(
        victims.map(async (p) => {
          try {
            await deletePod(pc, rs.metadata.namespace ?? '', p.metadata.name!, rs);
          } catch (err) {
            expectations.deletionObserved(key, keyOf(p));
            if (!isNotFound(err)) throw err;
          }
        }),
      );
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    }
  }

  async function reconcile(key: string): Promise<void> {
    try {
      await syncReplicaSet(key);
    } catch (err) {
      retryOnConflict(err, () => queue.addAfter(key, 20));
    }
  }

  async function syncReplicaSet(key: string): Promise<void> {
    const [ns, name] = splitKey(key);
    const rs = replicaSets.get(ns, name);
    if (!rs) {
      expectations.delete(key);
      return;
    }
    const needsSync = expectations.satisfied(key);
    const sel = selectorOf(rs);
    const owned = await claim(client, R.pods, rs, refTo(rs), sel, claimCandidates(pods, rs, sel).filter(isPodActive));
    let manageError: unknown;
    if (needsSync && !rs.metadata.deletionTimestamp) {
      try {
        await manageReplicas(rs, owned, key);
      } catch (err) {
        manageError = err;
      }
    }
    const now = clock.now();
    const status = replicaSetStatus(rs, owned, manageError, now);
    if (!sameStatus(status, rs.status ?? {}, ['replicas'])) {
      try {
        await client.mutate(kind.resource, ns, name, (cur) => (cur.metadata.uid === rs.metadata.uid ? { ...cur, status: structuredClone(status) } : cur), 'status');
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    if (manageError) throw manageError;
    const minReadySeconds = rs.spec?.minReadySeconds ?? 0;
    if (minReadySeconds > 0 && status.readyReplicas === (rs.spec?.replicas ?? 1) && status.availableReplicas !== status.readyReplicas) {
      queue.addAfter(key, minReadySeconds * 1000);
    }
  }

  return {
    async start() {
      informers.start();
      await waitForSync(replicaSets, pods, serviceAccounts);
      replicaSets.on({ add: (o) => queue.add(keyOf(o)), update: (_, o) => queue.add(keyOf(o)), delete: (o) => queue.add(keyOf(o)) });
      pods.on({ add: (p) => podChanged(p), update: (old, p) => podChanged(p, old), delete: (p) => podChanged(p, undefined, true) });
      // Not upstream, which waits for its backoff: a ServiceAccount that appears retries at once the
      // ReplicaSets of its namespace whose pods could not be created.
      serviceAccounts.on({
        add(sa) {
          for (const rs of replicaSets.list(sa.metadata.namespace ?? '')) {
            if (rs.status?.conditions?.some((c) => c.type === 'ReplicaFailure')) queue.add(keyOf(rs));
          }
        },
      });
    },
    stop: () => queue.stop(),
    /** Queues every ReplicaSet (a resync, as informers do periodically). */
    resync() {
      for (const rs of replicaSets.list()) queue.add(keyOf(rs));
    },
  };
}

/** The replication manager: this controller for ReplicationControllers. */
export const replicationManager = (deps: ReplicaSetControllerDeps) => replicaSetController(deps, REPLICATION_CONTROLLERS);
