// What token authentication reads and writes through the in-process client.
import type { KubeObject } from '../../api/meta.js';
import { R, type Client, type ResourceRef } from '../../client/client.js';
import type { LookupKinds, LookupResource, ObjectLookup } from './serviceaccount-jwt.js';
import { isNotFound } from '../../api/errors.js';
import { LAST_USED_LABEL } from '../../api/well-known.js';

export function lookupIn(client: () => Client): ObjectLookup {
  return {
    async get<K extends LookupResource>(resource: K, namespace: string, name: string) {
      try {
        return (await client().get(R[resource] as ResourceRef, namespace, name)) as LookupKinds[K];
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
  };
}

/** Labels a legacy token Secret with the day it was last used; failures are only logged. */
export function markLegacyTokenUsed(client: Client, secret: KubeObject, today: string): void {
  client
    .mutate(R.secrets, secret.metadata.namespace ?? '', secret.metadata.name!, (cur) => {
      if (cur.metadata.uid === secret.metadata.uid) cur.metadata.labels = { ...cur.metadata.labels, [LAST_USED_LABEL]: today };
      return cur;
    })
    .catch((err) => console.error(`badge: recording the use of legacy token secret ${secret.metadata.namespace}/${secret.metadata.name}:`, (err as Error).message));
}
