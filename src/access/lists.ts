// The lists the access analysis reads from a live cluster: one definition for the CLI
// (live-source.ts) and the web console (console/live.ts), so both see the same objects and the
// lint finds the same. Free of Node and of the DOM: the console's bundle takes it in.
import type { KubeObject } from '../api/meta.js';

export interface ListSpec {
  /** The group version's path: /api/v1 or /apis/GROUP/VERSION. */
  prefix: string;
  resource: string;
  /** The kind of its items (lists send them without one). */
  kind: string;
  namespaced: boolean;
  /** Query parameters (a field selector). */
  query?: string;
  /** Accept header: the token Secrets are asked for as metadata alone, so their tokens are not even sent. */
  accept?: string;
  /** Accept header of a watch (its events' objects are PartialObjectMetadata, not a list). */
  watchAccept?: string;
  /** What is kept of each item (given its kind first). */
  keep?: (o: KubeObject) => KubeObject;
}

export const TOKEN_SECRET_TYPE = 'kubernetes.io/service-account-token';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** What is kept of a token Secret: its metadata (less kubectl's last-applied copy, which may hold stringData) and type, never its data. */
const secretMeta = (o: KubeObject): KubeObject => {
  const { [LAST_APPLIED]: _, ...annotations } = o.metadata.annotations ?? {};
  return { apiVersion: 'v1', kind: 'Secret', metadata: { ...o.metadata, annotations }, type: TOKEN_SECRET_TYPE };
};

const RBAC = '/apis/rbac.authorization.k8s.io/v1';
const list = (prefix: string, resource: string, kind: string, namespaced = true, extra: Partial<ListSpec> = {}): ListSpec => ({ prefix, resource, kind, namespaced, ...extra });

/** The lists read: RBAC, ServiceAccounts, pods and the workloads that make them, and token Secrets (metadata only). */
export const ACCESS_LISTS: readonly ListSpec[] = [
  list(RBAC, 'clusterroles', 'ClusterRole', false),
  list(RBAC, 'clusterrolebindings', 'ClusterRoleBinding', false),
  list(RBAC, 'roles', 'Role'),
  list(RBAC, 'rolebindings', 'RoleBinding'),
  list('/api/v1', 'serviceaccounts', 'ServiceAccount'),
  list('/api/v1', 'pods', 'Pod'),
  list('/apis/apps/v1', 'deployments', 'Deployment'),
  list('/apis/apps/v1', 'statefulsets', 'StatefulSet'),
  list('/apis/apps/v1', 'daemonsets', 'DaemonSet'),
  list('/apis/apps/v1', 'replicasets', 'ReplicaSet'),
  list('/apis/batch/v1', 'jobs', 'Job'),
  list('/apis/batch/v1', 'cronjobs', 'CronJob'),
  list('/api/v1', 'secrets', 'Secret', true, {
    query: `fieldSelector=${encodeURIComponent(`type=${TOKEN_SECRET_TYPE}`)}`,
    accept: 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json',
    watchAccept: 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json',
    keep: secretMeta,
  }),
];

/** The namespaces, which the console lists first: where to read what may not be read cluster-wide. */
export const NAMESPACE_LIST: ListSpec = list('/api/v1', 'namespaces', 'Namespace', false);

/** Items per page (`limit`), as kubectl and client-go's informers ask: a huge list is read in bounded responses. */
export const PAGE_SIZE = 500;

/** The path and query of one page of a list: the spec's own parameters, the limit (none when 0), and the continue token after the first page. */
export function pageUrl(path: string, spec: ListSpec, limit: number, cont?: string): string {
  const query = [...(spec.query ? [spec.query] : []), ...(limit ? [`limit=${limit}`] : []), ...(cont ? [`continue=${encodeURIComponent(cont)}`] : [])];
  return query.length ? `${path}?${query.join('&')}` : path;
}

/** A list's item as the analysis keeps it: given its apiVersion and kind (lists send items without them), then as `spec.keep` says. */
export function listItem(spec: ListSpec, item: KubeObject): KubeObject {
  const o = { apiVersion: spec.prefix.replace(/^\/apis?\//, ''), kind: spec.kind, ...item };
  return spec.keep ? spec.keep(o) : o;
}
