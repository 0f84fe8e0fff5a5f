// The resource quota controller (pkg/controller/resourcequota): a quota's status.hard follows its
// spec.hard, and status.used is what the namespace holds of each limited resource, summed from the
// shared informers of the resources its names count (pods, services, count/<resource>.<group>, …),
// when a quota changes, when usage goes down, and every resync.
import type { Clock } from '../api/clock.js';
import type { ResourceQuota } from '../api/kinds.js';
import { deepEqual, type KubeObject } from '../api/meta.js';
import { addLists, formatResourceList, mask, parseResourceList, prettyPrint, quotaMatches, trackedNames, usageOf, ZERO, type ResourceList } from '../api/quota.js';
import { R, type Client, type ServedResource } from '../client/client.js';
import type { InformerFactory } from '../client/informer-factory.js';
import type { SharedInformer } from '../client/informer.js';
import { waitForSync } from '../client/informer.js';
import { WorkQueue } from '../client/queue.js';

export interface ResourceQuotaDeps {
  client: Client;
  informers: InformerFactory;
  clock: Clock;
  /** The resources served now: the ones a quota's names count are watched when first needed. */
  served: () => ServedResource[];
  /** Real time between full recounts of every quota (--resource-quota-sync-period, 5 minutes). */
  resyncIntervalMs?: number;
}

const DEFAULT_RESYNC_MS = 5 * 60_000;

/** The wait before counting again after a conflicting status write. */
const CONFLICT_RETRY_MS = 100;

const LEGACY_SOURCES: Record<string, string> = {
  'services.nodeports': 'services',
  'services.loadbalancers': 'services',
  'requests.storage': 'persistentvolumeclaims',
};

/** The group and resource whose objects a quota resource name counts; undefined when none. */
export function sourceOf(name: string): { group: string; resource: string } | undefined {
  if (name.startsWith('count/')) {
    const [resource = '', ...group] = name.slice('count/'.length).split('.');
    return { group: group.join('.'), resource };
  }
  const resource = LEGACY_SOURCES[name] ?? name;
  return trackedNames('', 'pods').includes(name) ? { group: '', resource: 'pods' } : trackedNames('', resource).includes(name) ? { group: '', resource } : undefined;
}

export function resourceQuotaController({ client, informers, clock, served, resyncIntervalMs = DEFAULT_RESYNC_MS }: ResourceQuotaDeps) {
  const quotas = informers.forResource(R.resourcequotas);
  const queue = new WorkQueue('resourcequota-controller', reconcile);
  const watched = new Map<string, SharedInformer>();
  const enqueue = (o: KubeObject) => {
    const ns = o.metadata.namespace;
    if (ns && quotas.list(ns).length) queue.add(ns);
  };

  /** The informer of a served resource, started and handled on first use. */
  async function informerOf(group: string, resource: string): Promise<SharedInformer | undefined> {
    const key = `${resource}.${group}`;
    let informer = watched.get(key);
    if (!informer) {
      const def = served().find((d) => d.stored && d.group === group && d.resource === resource);
      if (!def) return undefined;
      informer = informers.forResource({ group, version: def.version, resource });
      watched.set(key, informer);
      // As upstream's quota monitor: admission charges what is created; the controller recounts
      // when usage goes down (a delete, a pod reaching a terminal phase) and at every resync.
      const usage = (o: KubeObject) => prettyPrint(usageOf(group, resource, o, clock.now()));
      informer.on({ update: (old, o) => usage(old) !== usage(o) && enqueue(o), delete: enqueue });
      informers.start();
    }
    await informer.waitForSync();
    return informer;
  }

  /** status.used for one quota: every limited name whose resource is served, zero when none is held. */
  async function usedOf(q: ResourceQuota, namespace: string): Promise<ResourceList> {
    const hard = q.spec?.hard ?? {};
    // Matching reads status.hard, which this status is about to make equal to spec.hard.
    const matching: ResourceQuota = { ...q, status: { hard } };
    const now = clock.now();
    let used: ResourceList = {};
    const counted = new Set<string>();
    for (const name of Object.keys(hard)) {
      const source = sourceOf(name);
      if (!source) continue;
      const informer = await informerOf(source.group, source.resource);
      // Unserved core resources (replicationcontrollers) count zero, as upstream's evaluators do.
      if (informer || !source.group) used[name] ??= ZERO;
      const key = `${source.resource}.${source.group}`;
      if (!informer || counted.has(key)) continue;
      counted.add(key);
      for (const o of informer.list(namespace)) {
        if (quotaMatches(matching, source.group, source.resource, o)) used = addLists(used, usageOf(source.group, source.resource, o, now));
      }
    }
    return mask(used, Object.keys(hard));
  }

  async function reconcile(namespace: string): Promise<void> {
    for (const q of quotas.list(namespace)) {
      const status = { hard: formatResourceList(parseResourceList(q.spec?.hard)), used: formatResourceList(await usedOf(q, namespace)) };
      if (deepEqual(q.status ?? {}, status)) continue;
      try {
        await client.update(R.resourcequotas, namespace, { ...q, status }, 'status');
      } catch (err) {
        // A deleted quota needs nothing; a conflict (the cache is behind a write) is tried again soon.
        const code = (err as { code?: number }).code;
        if (code === 409) queue.addAfter(namespace, CONFLICT_RETRY_MS);
        else if (code !== 404) throw err;
      }
    }
  }

  let resync: NodeJS.Timeout | undefined;
  return {
    async start() {
      informers.start();
      await waitForSync(quotas);
      resync = setInterval(() => new Set(quotas.list().map((q) => q.metadata.namespace!)).forEach((ns) => queue.add(ns)), resyncIntervalMs);
      resync.unref();
      quotas.on({
        add: (o) => queue.add(o.metadata.namespace!),
        // Status writes (admission charging a quota, this controller) need no recount.
        update: (old, o) => {
          if (!deepEqual(old.spec?.hard, o.spec?.hard) || !deepEqual(o.spec?.hard, o.status?.hard)) queue.add(o.metadata.namespace!);
        },
      });
    },
    stop() {
      clearInterval(resync);
      queue.stop();
    },
  };
}
