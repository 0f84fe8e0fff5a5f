// The built-in resources the analysis knows without discovery: their group, whether they are
// namespaced (a RoleBinding grants only namespaced resources) and kubectl's short names.
export interface KnownResource {
  resource: string;
  group: string;
  namespaced: boolean;
  short?: string[];
}

const r = (resource: string, group: string, namespaced: boolean, ...short: string[]): KnownResource => ({ resource, group, namespaced, ...(short.length ? { short } : {}) });

export const KNOWN_RESOURCES: readonly KnownResource[] = [
  r('bindings', '', true),
  r('configmaps', '', true, 'cm'),
  r('endpoints', '', true, 'ep'),
  r('events', '', true, 'ev'),
  r('limitranges', '', true, 'limits'),
  r('namespaces', '', false, 'ns'),
  r('nodes', '', false, 'no'),
  r('persistentvolumeclaims', '', true, 'pvc'),
  r('persistentvolumes', '', false, 'pv'),
  r('pods', '', true, 'po'),
  r('podtemplates', '', true),
  r('replicationcontrollers', '', true, 'rc'),
  r('resourcequotas', '', true, 'quota'),
  r('secrets', '', true),
  r('serviceaccounts', '', true, 'sa'),
  r('services', '', true, 'svc'),
  r('mutatingwebhookconfigurations', 'admissionregistration.k8s.io', false),
  r('validatingwebhookconfigurations', 'admissionregistration.k8s.io', false),
  r('customresourcedefinitions', 'apiextensions.k8s.io', false, 'crd', 'crds'),
  r('apiservices', 'apiregistration.k8s.io', false),
  r('controllerrevisions', 'apps', true),
  r('daemonsets', 'apps', true, 'ds'),
  r('deployments', 'apps', true, 'deploy'),
  r('replicasets', 'apps', true, 'rs'),
  r('statefulsets', 'apps', true, 'sts'),
  r('selfsubjectreviews', 'authentication.k8s.io', false),
  r('tokenreviews', 'authentication.k8s.io', false),
  r('localsubjectaccessreviews', 'authorization.k8s.io', true),
  r('selfsubjectaccessreviews', 'authorization.k8s.io', false),
  r('selfsubjectrulesreviews', 'authorization.k8s.io', false),
  r('subjectaccessreviews', 'authorization.k8s.io', false),
  r('horizontalpodautoscalers', 'autoscaling', true, 'hpa'),
  r('cronjobs', 'batch', true, 'cj'),
  r('jobs', 'batch', true),
  r('certificatesigningrequests', 'certificates.k8s.io', false, 'csr'),
  r('leases', 'coordination.k8s.io', true),
  r('endpointslices', 'discovery.k8s.io', true),
  r('ingressclasses', 'networking.k8s.io', false),
  r('ingresses', 'networking.k8s.io', true, 'ing'),
  r('networkpolicies', 'networking.k8s.io', true, 'netpol'),
  r('poddisruptionbudgets', 'policy', true, 'pdb'),
  r('clusterrolebindings', 'rbac.authorization.k8s.io', false),
  r('clusterroles', 'rbac.authorization.k8s.io', false),
  r('rolebindings', 'rbac.authorization.k8s.io', true),
  r('roles', 'rbac.authorization.k8s.io', true),
  r('priorityclasses', 'scheduling.k8s.io', false, 'pc'),
  r('storageclasses', 'storage.k8s.io', false, 'sc'),
];

export interface ResourceQuery {
  group: string;
  resource: string;
  subresource: string;
  namespaced: boolean;
}

/**
 * `pods`, `pods/log`, `deployments.apps`, `deploy` (a short name), `widgets.example.com/status`:
 * the resource a command names. Unknown plural names are taken as they are, namespaced.
 */
export function parseResource(arg: string): ResourceQuery {
  const slash = arg.indexOf('/');
  const [head, subresource] = slash < 0 ? [arg, ''] : [arg.slice(0, slash), arg.slice(slash + 1)];
  const dot = head.indexOf('.');
  const name = (dot < 0 ? head : head.slice(0, dot)).toLowerCase();
  const group = dot < 0 ? undefined : head.slice(dot + 1);
  const known = KNOWN_RESOURCES.find((k) => (k.resource === name || k.short?.includes(name) || k.resource === `${name}s`) && (group === undefined || k.group === group));
  if (known) return { group: known.group, resource: known.resource, subresource, namespaced: known.namespaced };
  return { group: group ?? '', resource: name, subresource, namespaced: true };
}

export const describeResource = (q: { group: string; resource: string; subresource: string }) =>
  `${q.resource}${q.group ? `.${q.group}` : ''}${q.subresource ? `/${q.subresource}` : ''}`;
