// The ClusterRole aggregation controller: a ClusterRole with an aggregationRule gets the rules of
// every ClusterRole its selectors match, by role name, without duplicates.
import type { PolicyRule } from 'kubernetes-types/rbac/v1.js';
import type { ClusterRole } from '../api/kinds.js';
import { deepEqual } from '../api/meta.js';
import { selectorObjectMatches } from '../api/labels.js';
import { R, type Client } from '../client/client.js';
import type { InformerFactory } from '../client/informer-factory.js';
import { WorkQueue } from '../client/queue.js';
import { isNotFound } from '../api/errors.js';

const selectorsOf = (o: ClusterRole) => o.aggregationRule?.clusterRoleSelectors ?? null;

export function clusterRoleAggregation({ client, informers }: { client: Client; informers: InformerFactory }) {
  const informer = informers.forResource(R.clusterroles);
  const queue = new WorkQueue('clusterrole-aggregation', reconcile);

  async function reconcile(name: string): Promise<void> {
    const role = informer.get('', name);
    const selectors = role && selectorsOf(role);
    if (!role || !selectors) return;
    const all = informer.list().sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
    const rules: PolicyRule[] = [];
    for (const selector of selectors) {
      for (const other of all) {
        if (other.metadata.name === name || !selectorObjectMatches(selector, other.metadata.labels)) continue;
        for (const r of other.rules ?? []) if (!rules.some((x) => deepEqual(x, r))) rules.push(r);
      }
    }
    if (deepEqual(rules, role.rules ?? [])) return;
    try {
      await client.mutate(R.clusterroles, '', name, (cur) => ({ ...cur, rules }));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  const enqueueAggregated = () => {
    for (const r of informer.list()) if (selectorsOf(r)) queue.add(r.metadata.name!);
  };
  return {
    async start() {
      informers.start();
      await informer.waitForSync();
      informer.on({ add: enqueueAggregated, update: enqueueAggregated, delete: enqueueAggregated });
    },
    stop: () => queue.stop(),
  };
}
