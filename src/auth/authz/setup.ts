// Authorization as kube-apiserver sets it up: system:masters first, then RBAC over an index of
// the policy that watches keep current, with the bootstrap policy reconciled at every start.
import type { Client } from '../../client/client.js';
import type { InformerFactory } from '../../client/informer-factory.js';
import { privilegedGroupAuthorizer, unionAuthorizer, type Authorizer } from './authorizer.js';
import { RbacAuthorizer } from './rbac/authorizer.js';
import { reconcileBootstrapPolicy } from './rbac/bootstrap.js';
import { PolicyIndex } from './rbac/policy-index.js';
import { watchPolicy } from './rbac/policy-informer.js';

export interface Authorization {
  authorizer: Authorizer;
  rbac: RbacAuthorizer;
  index: PolicyIndex;
  /** Reconciles the bootstrap policy, then fills the index from the shared informers, which keep it current. */
  start(client: Client, informers: InformerFactory): Promise<void>;
}

export function createAuthorization(): Authorization {
  const index = new PolicyIndex();
  const rbac = new RbacAuthorizer(index);
  return {
    authorizer: unionAuthorizer([privilegedGroupAuthorizer, rbac]),
    rbac,
    index,
    async start(client, informers) {
      await reconcileBootstrapPolicy(client);
      await watchPolicy(informers, index);
    },
  };
}
