// Objects a cluster always has: the system namespaces, the system priority classes, and the
// `kubernetes` Service in default that points at the API servers (its Endpoints are the
// server's: server/kubernetes-endpoints.ts). Recreated if deleted.
import type { KubeObject } from '../api/meta.js';
import { R, type Client, type ResourceRef } from '../client/client.js';
import { isNotFound } from '../api/errors.js';
import { SYSTEM_PRIORITY_CLASSES } from '../api/priority-classes.js';

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export interface SystemObjectsDeps {
  client: Client;
  /** Whether PriorityClasses are served (a server may run with fewer resources in tests). */
  hasPriorityClasses: boolean;
  /** Whether services are served (a server may run with fewer resources in tests). */
  hasServices: boolean;
  serviceIp: string;
  apiPort: number;
  intervalMs?: number;
}

async function ensure<T extends KubeObject>(client: Client, ref: ResourceRef<T>, namespace: string, obj: T): Promise<void> {
  try {
    await client.get(ref, namespace, obj.metadata.name!);
  } catch (err) {
    if (!isNotFound(err)) throw err;
    try {
      await client.create(ref, namespace, obj);
    } catch (e) {
      if ((e as { code?: number }).code !== 409) throw e;
    }
  }
}

export function systemObjects(deps: SystemObjectsDeps) {
  const { client } = deps;
  async function reconcile(): Promise<void> {
    for (const name of SYSTEM_NAMESPACES) await ensure(client, R.namespaces, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    if (deps.hasPriorityClasses) {
      for (const { name, value, description } of SYSTEM_PRIORITY_CLASSES) {
        await ensure(client, R.priorityclasses, '', { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value, description });
      }
    }
    if (!deps.hasServices) return;
    const labels = { component: 'apiserver', provider: 'kubernetes' };
    await ensure(client, R.services, 'default', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kubernetes', namespace: 'default', labels },
      spec: {
        type: 'ClusterIP',
        clusterIP: deps.serviceIp,
        clusterIPs: [deps.serviceIp],
        ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: deps.apiPort }],
        sessionAffinity: 'None',
      },
    });
  }
  let timer: NodeJS.Timeout | undefined;
  return {
    async start() {
      await reconcile();
      timer = setInterval(() => void reconcile().catch((err) => console.error('badge: system objects:', err)), deps.intervalMs ?? 10_000);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
    },
  };
}
