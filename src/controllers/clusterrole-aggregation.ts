// The ClusterRole aggregation controller: a ClusterRole with an aggregationRule gets the rules of
// every ClusterRole its selectors match, by role name, without duplicates.
import { deepEqual } from '../api/meta.js';
import { aggregatedRules, aggregationSelectors } from '../api/clusterrole-aggregation.js';
import { R, type Client } from '../client/client.js';
import type { InformerFactory } from '../client/informer-factory.js';
import { WorkQueue } from '../client/queue.js';
import { isNotFound } from '../api/errors.js';

export function clusterRoleAggregation({ client, informers }: { client: Client; informers: InformerFactory }) {
  const informer = informers.forResource(R.clusterroles);
  const queue = new WorkQueue('clusterrole-aggregation', reconcile);

  async function reconcile(name: string): Promise<void> {
    const role = informer.get('', name);
    const rules = role && aggregatedRules(role, informer.list());
    if (!role || !rules) return;
    if (deepEqual(rules, role.rules ?? [])) return;
    try {
      await client.mutate(R.clusterroles, '', name, (cur) => ({ ...cur, rules }));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  const enqueueAggregated = () => {
    for (const r of informer.list()) if (aggregationSelectors(r)) queue.add(r.metadata.name!);
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
