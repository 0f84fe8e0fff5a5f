// The ControllerRevision history DaemonSets and StatefulSets keep (pkg/controller/history and the
// two controllers' revision code): one revision `<owner>-<hash>` per pod template, holding the
// strategic merge patch that restores it (what `kubectl rollout undo` applies), numbered in order;
// a hash taken by another template bumps the owner's collisionCount; old revisions beyond
// revisionHistoryLimit go, oldest first, unless a pod still runs them.
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { isNotFound } from '../api/errors.js';
import type { ControllerRevision, Pod } from '../api/kinds.js';
import { deepEqual, isObject, type KubeObject } from '../api/meta.js';
import { R, type Client, type ResourceRef } from '../client/client.js';
import type { SharedInformer } from '../client/informer.js';
import { asPatch, claim, claimCandidates, newControllerRef, parseSelector } from './controller-utils.js';
import { computeHash } from './deployment-util.js';

/** apps.ControllerRevisionHashLabelKey (DefaultDaemonSetUniqueLabelKey, StatefulSetRevisionLabel). */
export const REVISION_HASH = 'controller-revision-hash';

/** What a DaemonSet and a StatefulSet share: a selector, a pod template, a history limit, a collision count. */
export interface HistoryOwner extends KubeObject {
  spec?: { selector?: { matchLabels?: Record<string, string> }; template?: PodTemplateSpec; revisionHistoryLimit?: number };
  status?: { collisionCount?: number };
}

/** JSON with every object's keys sorted, as Go marshals a map. */
function sortedKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedKeys);
  if (!isObject(v)) return v;
  return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortedKeys(v[k])]));
}

/** getPatch: the strategic merge patch that restores this template (`kubectl rollout undo` applies it). */
export function revisionPatch(o: HistoryOwner): unknown {
  return sortedKeys({ spec: { template: { ...o.spec?.template, $patch: 'replace' } } });
}

/** The pod template a revision restores (ApplyRevision of its patch). */
export function revisionTemplate(cr: ControllerRevision): PodTemplateSpec {
  const { $patch: _, ...template } = (cr.data as { spec?: { template?: PodTemplateSpec & { $patch?: string } } } | undefined)?.spec?.template ?? {};
  return template;
}

export const revisionOf = (cr: ControllerRevision): number => cr.revision ?? 0;

export interface HistoryDeps<T extends HistoryOwner> {
  client: Client;
  revisions: SharedInformer<ControllerRevision>;
  pods: SharedInformer<Pod>;
  /** The owners' resource, for the collisionCount bump. */
  owners: ResourceRef<T>;
  kind: string;
}

export function controllerHistory<T extends HistoryOwner>({ client, revisions, pods, owners, kind }: HistoryDeps<T>) {
  const refOf = (o: T) => newControllerRef(o, 'apps/v1', kind);
  const ignoreNotFound = (err: unknown) => (isNotFound(err) ? undefined : Promise.reject(err));

  /** The ControllerRevision of the current template; a name taken by another template bumps collisionCount. */
  async function snapshot(o: T, revision: number): Promise<ControllerRevision> {
    const hash = computeHash(o.spec?.template, o.status?.collisionCount);
    const ns = o.metadata.namespace ?? '';
    const name = `${o.metadata.name}-${hash}`;
    const cr: ControllerRevision = {
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: { name, namespace: ns, labels: { ...o.spec?.template?.metadata?.labels, [REVISION_HASH]: hash }, annotations: o.metadata.annotations, ownerReferences: [refOf(o)] },
      data: revisionPatch(o) as object,
      revision,
    };
    try {
      return await client.create(R.controllerrevisions, ns, cr);
    } catch (err) {
      if ((err as { reason?: string }).reason !== 'AlreadyExists') throw err;
      const existing = await client.get(R.controllerrevisions, ns, name);
      if (deepEqual(existing.data, cr.data)) return existing;
      await client.mutate(owners, ns, o.metadata.name!, (cur) => {
        if (cur.metadata.uid !== o.metadata.uid || cur.status?.collisionCount !== o.status?.collisionCount) return cur;
        return asPatch({ ...cur, status: { ...cur.status, collisionCount: (cur.status?.collisionCount ?? 0) + 1 } });
      }, 'status');
      throw err;
    }
  }

  /** constructHistory: the current revision (made, or renumbered to follow the old ones) and the old ones. */
  async function construct(o: T): Promise<{ cur: ControllerRevision; old: ControllerRevision[] }> {
    const ns = o.metadata.namespace ?? '';
    const sel = parseSelector(o.spec?.selector);
    const claimed = await claim(client, R.controllerrevisions, o, refOf(o), sel, claimCandidates(revisions, o, sel));
    // A revision without the hash label (one adopted) gets its name as the hash.
    const histories = await Promise.all(
      claimed.map((h) =>
        h.metadata.labels?.[REVISION_HASH] ? h : client.mutate(R.controllerrevisions, ns, h.metadata.name!, (cur) => asPatch({ ...cur, metadata: { ...cur.metadata, labels: { ...cur.metadata.labels, [REVISION_HASH]: cur.metadata.name! } } })),
      ),
    );
    const patch = revisionPatch(o);
    const current = histories.filter((h) => deepEqual(h.data, patch)).sort((a, b) => revisionOf(b) - revisionOf(a));
    const old = histories.filter((h) => !current.includes(h));
    const next = old.reduce((m, h) => Math.max(m, revisionOf(h)), 0) + 1;
    const [keep, ...duplicates] = current;
    if (!keep) return { cur: await snapshot(o, next), old };
    // dedupCurHistories: the newest stays; the pods of the others take its hash.
    for (const dup of duplicates) {
      const dupHash = dup.metadata.labels?.[REVISION_HASH];
      for (const pod of pods.controlledBy(o.metadata.uid!).filter((p) => dupHash && p.metadata.labels?.[REVISION_HASH] === dupHash)) {
        await client.mutate(R.pods, ns, pod.metadata.name!, (p) => asPatch({ ...p, metadata: { ...p.metadata, labels: { ...p.metadata.labels, [REVISION_HASH]: keep.metadata.labels![REVISION_HASH]! } } }));
      }
      await client.delete(R.controllerrevisions, ns, dup.metadata.name!).catch(ignoreNotFound);
    }
    if (revisionOf(keep) >= next) return { cur: keep, old };
    return { cur: await client.mutate(R.controllerrevisions, ns, keep.metadata.name!, (h) => asPatch({ ...h, revision: next })), old };
  }

  /** cleanupHistory / truncateHistory: old revisions beyond revisionHistoryLimit, oldest first, except those whose hash is live. */
  async function cleanup(o: T, old: ControllerRevision[], live: Set<string | undefined>): Promise<void> {
    let toKill = old.length - (o.spec?.revisionHistoryLimit ?? 10);
    for (const h of [...old].sort((a, b) => revisionOf(a) - revisionOf(b))) {
      if (toKill <= 0) break;
      if (live.has(h.metadata.labels?.[REVISION_HASH])) continue;
      await client.delete(R.controllerrevisions, h.metadata.namespace ?? '', h.metadata.name!).catch(ignoreNotFound);
      toKill--;
    }
  }

  return { construct, cleanup };
}
