// The one interface controllers, the node agent and analysis use to reach the API, so that they
// work the same inside the server process or against a remote one.
import type { KubeObject } from '../api/meta.js';
import type { DeleteOptions, DeleteResult, ListOptions, ListResult, Mutation, WatchOptions, WatchSink, WatchStop } from '../api/operations.js';

export interface ResourceRef {
  group: string;
  version: string;
  resource: string;
}

export interface Client {
  get(ref: ResourceRef, namespace: string, name: string): Promise<KubeObject>;
  list(ref: ResourceRef, namespace: string, opts?: ListOptions): Promise<ListResult>;
  create(ref: ResourceRef, namespace: string, obj: KubeObject): Promise<KubeObject>;
  update(ref: ResourceRef, namespace: string, obj: KubeObject, subresource?: string): Promise<KubeObject>;
  /** Reads, changes and writes back, retrying on conflicts. */
  mutate(ref: ResourceRef, namespace: string, name: string, fn: Mutation, subresource?: string): Promise<KubeObject>;
  delete(ref: ResourceRef, namespace: string, name: string, opts?: DeleteOptions): Promise<DeleteResult>;
  watch(ref: ResourceRef, namespace: string, opts: WatchOptions, sink: WatchSink): Promise<WatchStop>;
  /** POST to a subresource with behaviour of its own (serviceaccounts/token, pods/binding, …); answers with its reply. */
  createSubresource(ref: ResourceRef, namespace: string, name: string, subresource: string, body: KubeObject): Promise<KubeObject>;
}

/** A resource the API serves, as discovery describes it. */
export interface ServedResource extends ResourceRef {
  kind: string;
  namespaced: boolean;
  /** Objects of its own are stored (not a review, nor another resource's objects in another shape). */
  stored: boolean;
}

export const ref = (group: string, version: string, resource: string): ResourceRef => ({ group, version, resource });

/** Built-in resources controllers name often. */
export const R = {
  namespaces: ref('', 'v1', 'namespaces'),
  serviceaccounts: ref('', 'v1', 'serviceaccounts'),
  secrets: ref('', 'v1', 'secrets'),
  configmaps: ref('', 'v1', 'configmaps'),
  pods: ref('', 'v1', 'pods'),
  services: ref('', 'v1', 'services'),
  endpoints: ref('', 'v1', 'endpoints'),
  events: ref('', 'v1', 'events'),
  nodes: ref('', 'v1', 'nodes'),
  deployments: ref('apps', 'v1', 'deployments'),
  replicasets: ref('apps', 'v1', 'replicasets'),
  jobs: ref('batch', 'v1', 'jobs'),
  roles: ref('rbac.authorization.k8s.io', 'v1', 'roles'),
  clusterroles: ref('rbac.authorization.k8s.io', 'v1', 'clusterroles'),
  rolebindings: ref('rbac.authorization.k8s.io', 'v1', 'rolebindings'),
  clusterrolebindings: ref('rbac.authorization.k8s.io', 'v1', 'clusterrolebindings'),
  leases: ref('coordination.k8s.io', 'v1', 'leases'),
};
