// The one interface controllers, the node agent and analysis use to reach the API, so that they
// work the same inside the server process or against a remote one.
import type * as K from '../api/kinds.js';
import type { KubeObject } from '../api/meta.js';
import type { DeleteOptions, DeleteResult, ListOptions, ListResult, Mutation, WatchOptions, WatchSink, WatchStop } from '../api/operations.js';

/** A resource, and (as a type only) the kind of its objects, which the Client's answers carry. */
export interface ResourceRef<T extends KubeObject = KubeObject> {
  group: string;
  version: string;
  resource: string;
  /** Never set: it types what the Client answers for this resource. */
  readonly __object?: T;
}

export interface Client {
  get<T extends KubeObject>(ref: ResourceRef<T>, namespace: string, name: string): Promise<T>;
  list<T extends KubeObject>(ref: ResourceRef<T>, namespace: string, opts?: ListOptions): Promise<ListResult<T>>;
  create<T extends KubeObject>(ref: ResourceRef<T>, namespace: string, obj: T): Promise<T>;
  update<T extends KubeObject>(ref: ResourceRef<T>, namespace: string, obj: T, subresource?: string): Promise<T>;
  /** Reads, changes and writes back, retrying on conflicts. */
  mutate<T extends KubeObject>(ref: ResourceRef<T>, namespace: string, name: string, fn: Mutation<T>, subresource?: string): Promise<T>;
  delete<T extends KubeObject>(ref: ResourceRef<T>, namespace: string, name: string, opts?: DeleteOptions): Promise<DeleteResult<T>>;
  /**
   * DELETE on the collection: deletes what a list with `listOpts` finds in `namespace` ('' for all
   * of a namespaced resource's, or a cluster-scoped one's); answers with the objects deleted (those
   * with finalizers left marked for deletion).
   */
  deleteCollection<T extends KubeObject>(ref: ResourceRef<T>, namespace: string, listOpts?: ListOptions, opts?: DeleteOptions): Promise<T[]>;
  watch<T extends KubeObject>(ref: ResourceRef<T>, namespace: string, opts: WatchOptions, sink: WatchSink<T>): Promise<WatchStop>;
  /** POST to a subresource with behaviour of its own (serviceaccounts/token, pods/binding, …); answers with its reply. */
  createSubresource(ref: ResourceRef, namespace: string, name: string, subresource: string, body: KubeObject): Promise<KubeObject>;
  /** GET of a subresource with behaviour of its own (deployments/scale, …). */
  getSubresource(ref: ResourceRef, namespace: string, name: string, subresource: string): Promise<KubeObject>;
  /** PUT to a subresource with behaviour of its own (deployments/scale, …); answers with its reply. */
  updateSubresource(ref: ResourceRef, namespace: string, name: string, subresource: string, body: KubeObject): Promise<KubeObject>;
  /**
   * The same client, its writes recorded in managedFields under this manager: what the User-Agent
   * of a Kubernetes component names (`kube-controller-manager`, `kube-scheduler`, `kubelet`).
   */
  withFieldManager(manager: string): Client;
}

/** A resource the API serves, as discovery describes it. */
export interface ServedResource extends ResourceRef {
  kind: string;
  namespaced: boolean;
  /** Objects of its own are stored (not a review, nor another resource's objects in another shape). */
  stored: boolean;
}

export const ref = <T extends KubeObject = KubeObject>(group: string, version: string, resource: string): ResourceRef<T> => ({ group, version, resource });

/** Built-in resources controllers name often. */
export const R = {
  namespaces: ref<K.Namespace>('', 'v1', 'namespaces'),
  serviceaccounts: ref<K.ServiceAccount>('', 'v1', 'serviceaccounts'),
  secrets: ref<K.Secret>('', 'v1', 'secrets'),
  configmaps: ref<K.ConfigMap>('', 'v1', 'configmaps'),
  pods: ref<K.Pod>('', 'v1', 'pods'),
  persistentvolumeclaims: ref<K.PersistentVolumeClaim>('', 'v1', 'persistentvolumeclaims'),
  persistentvolumes: ref<K.PersistentVolume>('', 'v1', 'persistentvolumes'),
  services: ref<K.Service>('', 'v1', 'services'),
  endpoints: ref<K.Endpoints>('', 'v1', 'endpoints'),
  endpointslices: ref<K.EndpointSlice>('discovery.k8s.io', 'v1', 'endpointslices'),
  apiservices: ref<K.APIService>('apiregistration.k8s.io', 'v1', 'apiservices'),
  events: ref<K.Event>('', 'v1', 'events'),
  nodes: ref<K.Node>('', 'v1', 'nodes'),
  deployments: ref<K.Deployment>('apps', 'v1', 'deployments'),
  replicasets: ref<K.ReplicaSet>('apps', 'v1', 'replicasets'),
  replicationcontrollers: ref<K.ReplicationController>('', 'v1', 'replicationcontrollers'),
  daemonsets: ref<K.DaemonSet>('apps', 'v1', 'daemonsets'),
  statefulsets: ref<K.StatefulSet>('apps', 'v1', 'statefulsets'),
  controllerrevisions: ref<K.ControllerRevision>('apps', 'v1', 'controllerrevisions'),
  cronjobs: ref<K.CronJob>('batch', 'v1', 'cronjobs'),
  jobs: ref<K.Job>('batch', 'v1', 'jobs'),
  horizontalpodautoscalers: ref<K.HorizontalPodAutoscaler>('autoscaling', 'v2', 'horizontalpodautoscalers'),
  roles: ref<K.Role>('rbac.authorization.k8s.io', 'v1', 'roles'),
  clusterroles: ref<K.ClusterRole>('rbac.authorization.k8s.io', 'v1', 'clusterroles'),
  rolebindings: ref<K.RoleBinding>('rbac.authorization.k8s.io', 'v1', 'rolebindings'),
  clusterrolebindings: ref<K.ClusterRoleBinding>('rbac.authorization.k8s.io', 'v1', 'clusterrolebindings'),
  ingressclasses: ref<K.IngressClass>('networking.k8s.io', 'v1', 'ingressclasses'),
  storageclasses: ref<K.StorageClass>('storage.k8s.io', 'v1', 'storageclasses'),
  leases: ref<K.Lease>('coordination.k8s.io', 'v1', 'leases'),
  priorityclasses: ref<K.PriorityClass>('scheduling.k8s.io', 'v1', 'priorityclasses'),
  poddisruptionbudgets: ref<K.PodDisruptionBudget>('policy', 'v1', 'poddisruptionbudgets'),
  resourcequotas: ref<K.ResourceQuota>('', 'v1', 'resourcequotas'),
  limitranges: ref<K.LimitRange>('', 'v1', 'limitranges'),
  certificatesigningrequests: ref<K.CertificateSigningRequest>('certificates.k8s.io', 'v1', 'certificatesigningrequests'),
};
