// Feeds the RBAC policy index from watches on the four RBAC resources.
import { R, type Client } from '../../../client/client.js';
import { Informer } from '../../../client/informer.js';
import type { PolicyIndex } from './policy-index.js';

export async function watchPolicy(client: Client, index: PolicyIndex): Promise<{ stop(): void }> {
  const informers = [R.clusterroles, R.roles].map((ref) =>
    new Informer(client, ref).on({ add: (o) => index.setRole(o), update: (_, o) => index.setRole(o), delete: (o) => index.deleteRole(o) }),
  );
  informers.push(
    ...[R.clusterrolebindings, R.rolebindings].map((ref) =>
      new Informer(client, ref).on({ add: (o) => index.setBinding(o), update: (_, o) => index.setBinding(o), delete: (o) => index.deleteBinding(o) }),
    ),
  );
  await Promise.all(informers.map((i) => i.start()));
  return { stop: () => informers.forEach((i) => i.stop()) };
}
