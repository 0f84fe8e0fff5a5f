// The live source: the objects the analysis needs, listed from a cluster over HTTPS as the
// kubeconfig's user (any client would do the same: only list on six resources), and which of
// them it could not read.
import { request } from 'node:https';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../api/meta.js';
import { yaml } from '../api/yaml.js';

interface Named<T> {
  name: string;
  [k: string]: unknown;
  cluster?: T;
  user?: T;
  context?: T;
}

interface Kubeconfig {
  'current-context'?: string;
  contexts?: Named<{ cluster: string; user: string; namespace?: string }>[];
  clusters?: Named<{ server: string; 'certificate-authority-data'?: string; 'certificate-authority'?: string; 'insecure-skip-tls-verify'?: boolean }>[];
  users?: Named<{ 'client-certificate-data'?: string; 'client-certificate'?: string; 'client-key-data'?: string; 'client-key'?: string; token?: string }>[];
}

export interface LiveTarget {
  server: string;
  namespace: string;
  tls: { ca?: Buffer; cert?: Buffer; key?: Buffer; rejectUnauthorized: boolean };
  token?: string;
}

/** The lists read: [group path, resource, namespaced]. */
const LISTS: [string, string, boolean][] = [
  ['/apis/rbac.authorization.k8s.io/v1', 'clusterroles', false],
  ['/apis/rbac.authorization.k8s.io/v1', 'clusterrolebindings', false],
  ['/apis/rbac.authorization.k8s.io/v1', 'roles', true],
  ['/apis/rbac.authorization.k8s.io/v1', 'rolebindings', true],
  ['/api/v1', 'serviceaccounts', true],
  ['/api/v1', 'pods', true],
];
export const LIST_COUNT = LISTS.length;

const dataOr = (data: string | undefined, file: string | undefined) => (data ? Buffer.from(data, 'base64') : file ? readFileSync(file) : undefined);

/** The server, credentials and namespace of a kubeconfig's context (current one by default). */
export function loadKubeconfig(path = process.env.KUBECONFIG?.split(':')[0] || join(homedir(), '.kube', 'config'), contextName?: string): LiveTarget {
  const kc = yaml().parse(readFileSync(path, 'utf8')) as Kubeconfig;
  const name = contextName ?? kc['current-context'];
  const context = kc.contexts?.find((c) => c.name === name)?.context;
  if (!context) throw new Error(`${path}: no context ${JSON.stringify(name ?? '')}`);
  const cluster = kc.clusters?.find((c) => c.name === context.cluster)?.cluster;
  const user = kc.users?.find((u) => u.name === context.user)?.user ?? {};
  if (!cluster) throw new Error(`${path}: no cluster ${JSON.stringify(context.cluster)}`);
  return {
    server: cluster.server.replace(/\/+$/, ''),
    namespace: context.namespace || 'default',
    tls: {
      ca: dataOr(cluster['certificate-authority-data'], cluster['certificate-authority']),
      cert: dataOr(user['client-certificate-data'], user['client-certificate']),
      key: dataOr(user['client-key-data'], user['client-key']),
      rejectUnauthorized: !cluster['insecure-skip-tls-verify'],
    },
    ...(user.token ? { token: user.token } : {}),
  };
}

function getJson(target: LiveTarget, path: string): Promise<{ status: number; body: { items?: KubeObject[]; message?: string; kind?: string } }> {
  return new Promise((resolve, reject) => {
    const url = new URL(target.server + path);
    const req = request(url, { ...target.tls, headers: { Accept: 'application/json', 'User-Agent': 'badge-access', ...(target.token ? { Authorization: `Bearer ${target.token}` } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        } catch (err) {
          reject(err);
        }
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function list(target: LiveTarget, path: string): Promise<KubeObject[]> {
  const { status, body } = await getJson(target, path);
  if (status !== 200) throw new Error(body.message ?? `HTTP ${status}`);
  const kind = body.kind?.replace(/List$/, '');
  return (body.items ?? []).map((item) => ({ ...item, kind: item.kind ?? kind }));
}

/**
 * The objects of the six lists, each item given its kind. A namespaced list the user may not read
 * cluster-wide is read in `namespace` alone; `unreadable` says what could not be read, and why.
 */
export async function loadLive(target: LiveTarget, namespace: string): Promise<{ objects: KubeObject[]; unreadable: string[] }> {
  const objects: KubeObject[] = [];
  const unreadable: string[] = [];
  await Promise.all(
    LISTS.map(async ([prefix, resource, namespaced]) => {
      const all = `${prefix}/${resource}`;
      try {
        objects.push(...(await list(target, all)));
      } catch (err) {
        if (namespaced) {
          try {
            objects.push(...(await list(target, `${prefix}/namespaces/${encodeURIComponent(namespace)}/${resource}`)));
            unreadable.push(`${all} (read in namespace ${namespace} only): ${(err as Error).message}`);
            return;
          } catch {
            // Report the cluster-wide failure.
          }
        }
        unreadable.push(`${all}: ${(err as Error).message}`);
      }
    }),
  );
  return { objects, unreadable: unreadable.sort() };
}
