// Feeds the RBAC policy index from the shared informers of the four RBAC resources.
import { R } from '../../../client/client.js';
import type { InformerFactory } from '../../../client/informer-factory.js';
import { waitForSync } from '../../../client/informer.js';
import type { PolicyIndex } from './policy-index.js';

/** Resolves once the index holds the whole policy; the informers keep it current after. */
export async function watchPolicy(informers: InformerFactory, index: PolicyIndex): Promise<void> {
  const roles = [informers.forResource(R.clusterroles), informers.forResource(R.roles)];
  const bindings = [informers.forResource(R.clusterrolebindings), informers.forResource(R.rolebindings)];
  informers.start();
  await waitForSync(...roles, ...bindings);
  for (const i of roles) i.on({ add: (o) => index.setRole(o), update: (_, o) => index.setRole(o), delete: (o) => index.deleteRole(o) });
  for (const i of bindings) i.on({ add: (o) => index.setBinding(o), update: (_, o) => index.setBinding(o), delete: (o) => index.deleteBinding(o) });
}
