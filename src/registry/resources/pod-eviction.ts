// The pods/eviction subresource (pkg/registry/core/pod/storage/eviction.go): deletes a pod unless
// that would break its PodDisruptionBudget. A pod that is pending, finished or already being
// deleted goes at once; otherwise the one budget selecting it must allow a disruption, which is
// taken from its status (and the pod recorded in disruptedPods, for the disruption controller)
// before the pod is marked DisruptionTarget and deleted. Refusals are upstream's 429s, which
// `kubectl drain` retries.
import { ApiError, badRequest, conflict, forbidden, isConflict } from '../../api/errors.js';
import { updateDisruptionAllowedCondition } from '../../api/disruption-budget.js';
import type { PodDisruptionBudget } from '../../api/kinds.js';
import { matchesLabels } from '../../api/labels.js';
import { formatTime, type KubeObject } from '../../api/meta.js';
import type { DeleteOptions } from '../../api/operations.js';
import { apiserverUser } from '../../api/user.js';
import { list, num, obj, objects, str, type Obj } from '../narrow.js';
import type { Subresource, SubresourceContext } from '../resource.js';
import { eviction } from '../schemas/policy.js';
import type { Store } from '../store.js';
import { parseSelector } from './workloads.js';

const TOO_MANY_MESSAGE = "Cannot evict pod as it would violate the pod's disruption budget.";
/** Past this many evictions the disruption controller has not seen yet, no more are allowed (MaxDisruptedPodSize). */
const MAX_DISRUPTED_PODS = 2000;
/** Attempts on conflicts (EvictionsRetry's steps). */
const ATTEMPTS = 20;
const PDB_GR = { group: 'policy', resource: 'poddisruptionbudget' };
const POD_GR = { group: '', resource: 'Pod' };


function tooManyRequests(cause: string, retryAfterSeconds: number): ApiError {
  return new ApiError(429, 'TooManyRequests', TOO_MANY_MESSAGE, { causes: [{ reason: 'DisruptionBudget', message: cause }], ...(retryAfterSeconds ? { retryAfterSeconds } : {}) });
}

/** createTooManyRequestsError: the budget's status is behind its spec. */
const stillProcessing = (name: string) => tooManyRequests(`The disruption budget ${name} is still being processed by the server.`, 10);

/** The Eviction's deleteOptions, with the request's dryRun when it names none (propagateDryRun). */
function deleteOptionsOf(body: KubeObject, dryRun: boolean): DeleteOptions {
  const o = obj(body.deleteOptions) ?? {};
  const opts: DeleteOptions = { dryRun: dryRun || list(o.dryRun).includes('All') };
  const grace = num(o.gracePeriodSeconds);
  if (grace !== undefined) opts.gracePeriodSeconds = grace;
  if (str(o.propagationPolicy)) opts.propagationPolicy = str(o.propagationPolicy);
  if (typeof o.orphanDependents === 'boolean') opts.orphanDependents = o.orphanDependents;
  const pre = obj(o.preconditions);
  if (pre) opts.preconditions = { ...(str(pre.uid) ? { uid: str(pre.uid) } : {}), ...(str(pre.resourceVersion) ? { resourceVersion: str(pre.resourceVersion) } : {}) };
  return opts;
}

const withResourceVersion = (opts: DeleteOptions, resourceVersion: string | undefined): DeleteOptions => ({ ...opts, preconditions: { ...opts.preconditions, resourceVersion } });

const phaseOf = (pod: KubeObject): string => str(obj(pod.status)?.phase);
const isReady = (pod: KubeObject): boolean => objects(obj(pod.status)?.conditions).some((c) => c.type === 'Ready' && c.status === 'True');
/** canIgnorePDB: the pod is no disruption (pending, finished, or already going). */
const canIgnoreBudget = (pod: KubeObject): boolean => ['Succeeded', 'Failed', 'Pending'].includes(phaseOf(pod)) || !!pod.metadata.deletionTimestamp;
/** shouldEnforceResourceVersion: a running pod must not turn ready between the check and the delete. */
const mustPinVersion = (pod: KubeObject): boolean => !['Succeeded', 'Failed'].includes(phaseOf(pod)) && !pod.metadata.deletionTimestamp;

/** addConditionAndDeletePod: the DisruptionTarget condition (unless a dry run), then the delete. */
async function markAndDelete(s: SubresourceContext, opts: DeleteOptions): Promise<void> {
  if (!opts.dryRun) {
    const updated = await s.store.guaranteedUpdate(
      s.ctx,
      s.namespace,
      s.name,
      (cur) => {
        const { uid, resourceVersion } = opts.preconditions ?? {};
        if (uid && uid !== cur.metadata.uid) {
          throw conflict(POD_GR, s.name, `the UID in the precondition (${uid}) does not match the UID in record (${cur.metadata.uid}). The object might have been deleted and then recreated`);
        }
        if (resourceVersion && resourceVersion !== cur.metadata.resourceVersion) {
          throw conflict(POD_GR, s.name, `the ResourceVersion in the precondition (${resourceVersion}) does not match the ResourceVersion in record (${cur.metadata.resourceVersion}). The object might have been modified`);
        }
        const status: Obj = obj(cur.status) ?? {};
        const conditions = objects(status.conditions);
        const old = conditions.find((c) => c.type === 'DisruptionTarget');
        const condition = { type: 'DisruptionTarget', status: 'True', lastProbeTime: null, lastTransitionTime: old?.status === 'True' ? old.lastTransitionTime : formatTime(s.ctx.clock.now()), reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' };
        status.conditions = old ? conditions.map((c) => (c === old ? condition : c)) : [...conditions, condition];
        return { ...cur, status };
      },
      { subresource: 'status' },
    );
    // The precondition now names the version this write made.
    if (opts.preconditions?.resourceVersion) opts = withResourceVersion(opts, updated.metadata.resourceVersion);
  }
  await s.store.delete(s.ctx, s.namespace, s.name, opts);
}

/** The budgets selecting the pod; an empty or unparsable selector selects none here. */
async function budgetsOf(store: Store | undefined, s: SubresourceContext, pod: KubeObject): Promise<PodDisruptionBudget[]> {
  if (!store) return [];
  const { items } = await store.list(s.ctx, s.namespace, {});
  return (items as PodDisruptionBudget[]).filter((pdb) => {
    const parsed = parseSelector(pdb.spec?.selector);
    return parsed.ok && !!parsed.sel?.length && matchesLabels(parsed.sel, pod.metadata.labels);
  });
}

/** checkAndDecrement: takes one allowed disruption and records the pod, or refuses. */
async function checkAndDecrement(store: Store, s: SubresourceContext, pdb: PodDisruptionBudget, podName: string, dryRun: boolean): Promise<void> {
  const name = pdb.metadata.name!;
  const status = structuredClone(pdb.status ?? { currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0, expectedPods: 0 });
  if ((status.observedGeneration ?? 0) < (pdb.metadata.generation ?? 0)) throw stillProcessing(name);
  if (status.disruptionsAllowed < 0) throw forbidden(PDB_GR, name, 'pdb disruptions allowed is negative');
  if (Object.keys(status.disruptedPods ?? {}).length > MAX_DISRUPTED_PODS) {
    throw forbidden(PDB_GR, name, 'DisruptedPods map too big - too many evictions not confirmed by PDB controller');
  }
  if (status.disruptionsAllowed === 0) {
    throw tooManyRequests(`The disruption budget ${name} needs ${status.desiredHealthy} healthy pods and has ${status.currentHealthy} currently`, 0);
  }
  const now = s.ctx.clock.now();
  status.disruptionsAllowed--;
  if (status.disruptionsAllowed === 0) updateDisruptionAllowedCondition(status, now);
  if (dryRun) return;
  status.disruptedPods = { ...status.disruptedPods, [podName]: formatTime(now) };
  // The API server writes this itself, as its loopback client does.
  await store.update({ ...s.ctx, user: apiserverUser, fieldManager: 'kube-apiserver' }, s.namespace, name, { ...pdb, status }, { subresource: 'status' });
}

async function evict(s: SubresourceContext, body: KubeObject): Promise<KubeObject> {
  if ((body.metadata?.name ?? '') !== s.name) throw badRequest('name in URL does not match name in Eviction object');
  const options = deleteOptionsOf(body, s.dryRun);
  const pinned = !!options.preconditions?.resourceVersion;
  const success = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 } as unknown as KubeObject;

  // A pod that is no disruption is deleted at once (conflicts retried, unless the caller pinned a version).
  let pod: KubeObject;
  for (let attempt = 1; ; attempt++) {
    pod = await s.store.get(s.ctx, s.namespace, s.name);
    if (!canIgnoreBudget(pod)) break;
    try {
      await markAndDelete(s, mustPinVersion(pod) && !pinned ? withResourceVersion(options, pod.metadata.resourceVersion) : options);
      return success;
    } catch (err) {
      if (!isConflict(err) || pinned || attempt >= ATTEMPTS) throw err;
    }
  }

  const store = s.registry.store('policy', 'v1', 'poddisruptionbudgets');
  const budgets = await budgetsOf(store, s, pod);
  if (budgets.length > 1) throw new ApiError(500, '', 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
  let pdb = budgets[0];
  // An unready pod may go without taking a disruption when its budget says so, or while the budget is met.
  let unhealthyGoes = false;
  if (pdb && !isReady(pod)) {
    const { currentHealthy = 0, desiredHealthy = 0 } = pdb.status ?? {};
    unhealthyGoes = pdb.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow' || (currentHealthy >= desiredHealthy && desiredHealthy > 0);
  }
  if (pdb && store && !unhealthyGoes) {
    for (let attempt = 1; ; attempt++) {
      try {
        await checkAndDecrement(store, s, pdb, s.name, !!options.dryRun);
        break;
      } catch (err) {
        if (!isConflict(err) || attempt >= ATTEMPTS) throw err;
        pdb = (await store.get(s.ctx, s.namespace, pdb.metadata.name!)) as PodDisruptionBudget;
      }
    }
  }

  try {
    await markAndDelete(s, unhealthyGoes ? withResourceVersion(options, pod.metadata.resourceVersion) : options);
  } catch (err) {
    // The unready pod became ready meanwhile: the client should try again.
    if (isConflict(err) && unhealthyGoes && !pinned) throw stillProcessing(pdb!.metadata.name!);
    throw err;
  }
  return success;
}

export const evictionSubresource: Subresource = { schema: eviction, verbs: ['create'], create: evict };
