// The RBAC objects a Kubernetes 1.32 cluster creates at start-up (plugin/pkg/auth/authorizer/rbac/
// bootstrappolicy: policy.go, namespace_policy.go, controller_policy.go; rendered with the default
// feature gates in testdata/{cluster-roles,cluster-role-bindings,namespace-roles,
// namespace-role-bindings,controller-roles,controller-role-bindings}.yaml).
//
// The rules are facts to reproduce exactly, so they are written out as data. Like upstream's rule
// builder, `rule` and `nonResource` sort every list, which is why the objects match the rendered
// YAML whatever order the lists are written in here. Roles gated behind features that 1.32 leaves
// off (DynamicResourceAllocation, CoordinatedLeaderElection, ClusterTrustBundle, ...) are absent.
// Objects are listed by name, as in the testdata files; every call returns fresh objects.
import type { KubeObject } from '../../../api/meta.js';
import { CONTROLLER_SA_NAMESPACE, controllerRoleRules } from './bootstrap-controller-roles.js';
import type { PolicyRule } from './rules.js';

export const BOOTSTRAP_LABEL = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };
export const AUTOUPDATE_ANNOTATION = 'rbac.authorization.kubernetes.io/autoupdate';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';
const RBAC_V1 = `${RBAC_GROUP}/v1`;
/** Controller roles are named `system:controller:<service account name>`. */
export const CONTROLLER_ROLE_PREFIX = 'system:controller:';

// API groups (policy.go's constants).
export const CORE = '';
export const APPS = 'apps';
export const AUTHENTICATION = 'authentication.k8s.io';
export const AUTHORIZATION = 'authorization.k8s.io';
export const AUTOSCALING = 'autoscaling';
export const BATCH = 'batch';
export const CERTIFICATES = 'certificates.k8s.io';
export const COORDINATION = 'coordination.k8s.io';
export const DISCOVERY = 'discovery.k8s.io';
export const EVENTS = 'events.k8s.io';
export const EXTENSIONS = 'extensions';
export const NETWORKING = 'networking.k8s.io';
export const NODE = 'node.k8s.io';
export const POLICY = 'policy';
export const STORAGE = 'storage.k8s.io';
export const ADMISSION_REGISTRATION = 'admissionregistration.k8s.io';
export const RESOURCE_METRICS = 'metrics.k8s.io';
export const CUSTOM_METRICS = 'custom.metrics.k8s.io';
export const EXTERNAL_METRICS = 'external.metrics.k8s.io';

// Verb sets (policy.go's Read, Write, ReadWrite, ReadUpdate).
export const READ = ['get', 'list', 'watch'];
export const WRITE = ['create', 'update', 'patch', 'delete', 'deletecollection'];
export const READ_WRITE = [...READ, ...WRITE];
export const READ_UPDATE = [...READ, 'update', 'patch'];

type Strings = string | readonly string[];
const sorted = (xs: Strings): string[] => (typeof xs === 'string' ? [xs] : [...xs].sort());

/** A resource rule: verbs on resources (optionally only the named ones) in API groups. */
export function rule(verbs: Strings, groups: Strings, resources: Strings, resourceNames?: Strings): PolicyRule {
  return {
    apiGroups: sorted(groups),
    resources: sorted(resources),
    ...(resourceNames === undefined ? {} : { resourceNames: sorted(resourceNames) }),
    verbs: sorted(verbs),
  };
}

/** A non-resource rule: verbs on URL paths (a trailing `*` is a prefix match). */
export function nonResource(verbs: Strings, urls: Strings): PolicyRule {
  return { nonResourceURLs: sorted(urls), verbs: sorted(verbs) };
}

/** Recording events through either API (controller_policy.go eventsRule). */
export const eventsRule = () => rule(['create', 'update', 'patch'], [CORE, EVENTS], 'events');

// ---------------------------------------------------------------------------------------------
// Object builders

type Subject = { kind: 'User' | 'Group'; apiGroup: string; name: string } | { kind: 'ServiceAccount'; name: string; namespace: string };

export const user = (name: string): Subject => ({ kind: 'User', apiGroup: RBAC_GROUP, name });
export const group = (name: string): Subject => ({ kind: 'Group', apiGroup: RBAC_GROUP, name });
export const serviceAccount = (namespace: string, name: string): Subject => ({ kind: 'ServiceAccount', name, namespace });

function metadata(name: string, namespace?: string, labels: Record<string, string> = {}) {
  return {
    name,
    ...(namespace === undefined ? {} : { namespace }),
    labels: { ...BOOTSTRAP_LABEL, ...labels },
    annotations: { [AUTOUPDATE_ANNOTATION]: 'true' },
  };
}

const aggregateLabel = (to: 'admin' | 'edit' | 'view') => ({ [`rbac.authorization.k8s.io/aggregate-to-${to}`]: 'true' });

interface RoleDef {
  name: string;
  rules?: PolicyRule[];
  labels?: Record<string, string>;
  /** Selects the ClusterRoles labelled aggregate-to-<this>; `rules` is then filled by the aggregation controller. */
  aggregateFrom?: 'admin' | 'edit' | 'view';
}

function clusterRole(d: RoleDef): KubeObject {
  return {
    apiVersion: RBAC_V1,
    kind: 'ClusterRole',
    metadata: metadata(d.name, undefined, d.labels),
    ...(d.aggregateFrom ? { aggregationRule: { clusterRoleSelectors: [{ matchLabels: aggregateLabel(d.aggregateFrom) }] } } : {}),
    ...(d.rules ? { rules: d.rules } : {}),
  };
}

function binding(kind: 'ClusterRoleBinding' | 'RoleBinding', name: string, namespace: string | undefined, roleKind: 'ClusterRole' | 'Role', roleName: string, subjects: Subject[]): KubeObject {
  return {
    apiVersion: RBAC_V1,
    kind,
    metadata: metadata(name, namespace),
    roleRef: { apiGroup: RBAC_GROUP, kind: roleKind, name: roleName },
    // system:node keeps a binding with no subjects; Kubernetes omits the empty list.
    ...(subjects.length ? { subjects } : {}),
  };
}

// Byte order, as Go's sort.Strings (the testdata files list objects this way).
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byName = (a: { name: string }, b: { name: string }) => compare(a.name, b.name);
const byNamespaceThenName = (a: KubeObject, b: KubeObject) =>
  compare(a.metadata.namespace ?? '', b.metadata.namespace ?? '') || compare(a.metadata.name ?? '', b.metadata.name ?? '');

// ---------------------------------------------------------------------------------------------
// ClusterRoles (policy.go clusterRoles, NodeRules, editRules, viewRules)

const URLS = {
  discovery: ['/livez', '/readyz', '/healthz', '/version', '/version/', '/openapi', '/openapi/*', '/api', '/api/*', '/apis', '/apis/*'],
  publicInfo: ['/livez', '/readyz', '/healthz', '/version', '/version/'],
  monitoring: ['/metrics', '/metrics/slis', '/livez', '/readyz', '/healthz', '/livez/*', '/readyz/*', '/healthz/*'],
  issuerDiscovery: ['/.well-known/openid-configuration', '/openid/v1/jwks'],
};

function editRules(): PolicyRule[] {
  return [
    // read on escalating resources
    rule(READ, CORE, ['pods/attach', 'pods/proxy', 'pods/exec', 'pods/portforward', 'secrets', 'services/proxy']),
    rule('impersonate', CORE, 'serviceaccounts'),
    rule(WRITE, CORE, ['pods', 'pods/attach', 'pods/proxy', 'pods/exec', 'pods/portforward']),
    rule('create', CORE, 'pods/eviction'),
    rule(WRITE, CORE, ['replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/proxy', 'persistentvolumeclaims', 'configmaps', 'secrets', 'events']),
    rule('create', CORE, 'serviceaccounts/token'),
    rule(WRITE, APPS, ['statefulsets', 'statefulsets/scale', 'daemonsets', 'deployments', 'deployments/scale', 'deployments/rollback', 'replicasets', 'replicasets/scale']),
    rule(WRITE, AUTOSCALING, 'horizontalpodautoscalers'),
    rule(WRITE, BATCH, ['jobs', 'cronjobs']),
    rule(WRITE, EXTENSIONS, ['daemonsets', 'deployments', 'deployments/scale', 'deployments/rollback', 'ingresses', 'replicasets', 'replicasets/scale', 'replicationcontrollers/scale', 'networkpolicies']),
    rule(WRITE, POLICY, 'poddisruptionbudgets'),
    rule(WRITE, NETWORKING, ['networkpolicies', 'ingresses']),
    rule(READ_WRITE, COORDINATION, 'leases'),
  ];
}

function viewRules(): PolicyRule[] {
  return [
    rule(READ, CORE, ['pods', 'replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/status', 'endpoints', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'configmaps']),
    rule(READ, CORE, ['limitranges', 'resourcequotas', 'bindings', 'events', 'pods/status', 'resourcequotas/status', 'namespaces/status', 'replicationcontrollers/status', 'pods/log']),
    // read access to namespaces at the namespace scope means you can read *this* namespace
    rule(READ, CORE, 'namespaces'),
    rule(READ, DISCOVERY, 'endpointslices'),
    rule(READ, APPS, ['controllerrevisions', 'statefulsets', 'statefulsets/status', 'statefulsets/scale', 'daemonsets', 'daemonsets/status', 'deployments', 'deployments/status', 'deployments/scale', 'replicasets', 'replicasets/status', 'replicasets/scale']),
    rule(READ, AUTOSCALING, ['horizontalpodautoscalers', 'horizontalpodautoscalers/status']),
    rule(READ, BATCH, ['jobs', 'jobs/status', 'cronjobs', 'cronjobs/status']),
    rule(READ, EXTENSIONS, ['daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'ingresses', 'ingresses/status', 'replicasets', 'replicasets/scale', 'replicasets/status', 'replicationcontrollers/scale', 'networkpolicies']),
    rule(READ, POLICY, ['poddisruptionbudgets', 'poddisruptionbudgets/status']),
    rule(READ, NETWORKING, ['ingresses', 'ingresses/status', 'networkpolicies']),
  ];
}

function nodeRules(): PolicyRule[] {
  return [
    // checking API access; these creates do not mutate
    rule('create', AUTHENTICATION, 'tokenreviews'),
    rule('create', AUTHORIZATION, ['subjectaccessreviews', 'localsubjectaccessreviews']),
    rule(READ, CORE, 'services'),
    // registering and reporting on Node objects (NodeRestriction admission narrows these)
    rule(['create', 'get', 'list', 'watch'], CORE, 'nodes'),
    rule(['update', 'patch'], CORE, 'nodes/status'),
    rule(['update', 'patch'], CORE, 'nodes'),
    rule(['create', 'update', 'patch'], CORE, 'events'),
    rule(READ, CORE, 'pods'),
    // mirror pods, pod status and evictions
    rule(['create', 'delete'], CORE, 'pods'),
    rule(['update', 'patch'], CORE, 'pods/status'),
    rule('create', CORE, 'pods/eviction'),
    // volumes and env (the Node authorizer narrows these to the node's pods)
    rule(READ, CORE, ['secrets', 'configmaps']),
    rule('get', CORE, ['persistentvolumeclaims', 'persistentvolumes']),
    rule('get', CORE, 'endpoints'),
    // client certificate rotation
    rule(['create', 'get', 'list', 'watch'], CERTIFICATES, 'certificatesigningrequests'),
    rule(['get', 'create', 'update', 'patch', 'delete'], COORDINATION, 'leases'),
    rule('get', STORAGE, 'volumeattachments'),
    rule('create', CORE, 'serviceaccounts/token'),
    rule(['get', 'update', 'patch'], CORE, 'persistentvolumeclaims/status'),
    rule(READ, STORAGE, 'csidrivers'),
    rule(['get', 'create', 'update', 'patch', 'delete'], STORAGE, 'csinodes'),
    rule(READ, NODE, 'runtimeclasses'),
  ];
}

const approver = (signer: string): RoleDef => ({
  name: `system:certificates.k8s.io:${signer}-approver`,
  rules: [rule('approve', CERTIFICATES, 'signers', `kubernetes.io/${signer}`)],
});

function policyRoles(): RoleDef[] {
  return [
    { name: 'admin', aggregateFrom: 'admin' },
    { name: 'cluster-admin', rules: [rule('*', '*', '*'), nonResource('*', '*')] },
    { name: 'edit', labels: aggregateLabel('admin'), aggregateFrom: 'edit' },
    {
      name: 'system:aggregate-to-admin',
      labels: aggregateLabel('admin'),
      rules: [rule('create', AUTHORIZATION, 'localsubjectaccessreviews'), rule(READ_WRITE, RBAC_GROUP, ['roles', 'rolebindings'])],
    },
    { name: 'system:aggregate-to-edit', labels: aggregateLabel('edit'), rules: editRules() },
    { name: 'system:aggregate-to-view', labels: aggregateLabel('view'), rules: viewRules() },
    { name: 'system:auth-delegator', rules: [rule('create', AUTHENTICATION, 'tokenreviews'), rule('create', AUTHORIZATION, 'subjectaccessreviews')] },
    {
      name: 'system:basic-user',
      rules: [rule('create', AUTHORIZATION, ['selfsubjectaccessreviews', 'selfsubjectrulesreviews']), rule('create', AUTHENTICATION, 'selfsubjectreviews')],
    },
    { name: 'system:certificates.k8s.io:certificatesigningrequests:nodeclient', rules: [rule('create', CERTIFICATES, 'certificatesigningrequests/nodeclient')] },
    { name: 'system:certificates.k8s.io:certificatesigningrequests:selfnodeclient', rules: [rule('create', CERTIFICATES, 'certificatesigningrequests/selfnodeclient')] },
    approver('kube-apiserver-client'),
    approver('kube-apiserver-client-kubelet'),
    approver('kubelet-serving'),
    approver('legacy-unknown'),
    { name: 'system:discovery', rules: [nonResource('get', URLS.discovery)] },
    { name: 'system:heapster', rules: [rule(READ, CORE, ['events', 'pods', 'nodes', 'namespaces']), rule(READ, EXTENSIONS, 'deployments')] },
    { name: 'system:kube-aggregator', rules: [rule(READ, CORE, ['services', 'endpoints'])] },
    {
      name: 'system:kube-controller-manager',
      rules: [
        eventsRule(),
        // leader election
        rule('create', COORDINATION, 'leases'),
        rule(['get', 'update'], COORDINATION, 'leases', 'kube-controller-manager'),
        // creating the controllers' service accounts and their token secrets
        rule('create', CORE, ['secrets', 'serviceaccounts']),
        rule('delete', CORE, 'secrets'),
        rule('get', CORE, ['namespaces', 'secrets', 'serviceaccounts', 'configmaps']),
        rule('update', CORE, ['secrets', 'serviceaccounts']),
        rule('create', AUTHENTICATION, 'tokenreviews'),
        rule('create', AUTHORIZATION, 'subjectaccessreviews'),
        // every shared informer
        rule(['list', 'watch'], '*', '*'),
        rule('create', CORE, 'serviceaccounts/token'),
      ],
    },
    { name: 'system:kube-dns', rules: [rule(['list', 'watch'], CORE, ['endpoints', 'services'])] },
    {
      name: 'system:kube-scheduler',
      rules: [
        eventsRule(),
        // leader election
        rule('create', COORDINATION, 'leases'),
        rule(['get', 'update'], COORDINATION, 'leases', 'kube-scheduler'),
        // fundamental resources
        rule(READ, CORE, 'nodes'),
        rule(['get', 'list', 'watch', 'delete'], CORE, 'pods'),
        rule('create', CORE, ['pods/binding', 'bindings']),
        rule(['patch', 'update'], CORE, 'pods/status'),
        // things that select pods
        rule(READ, CORE, ['services', 'replicationcontrollers']),
        rule(READ, [APPS, EXTENSIONS], 'replicasets'),
        rule(READ, APPS, 'statefulsets'),
        // things that pods use or that apply to them
        rule(READ, POLICY, 'poddisruptionbudgets'),
        rule(READ, CORE, ['persistentvolumeclaims', 'persistentvolumes']),
        rule('create', AUTHENTICATION, 'tokenreviews'),
        rule('create', AUTHORIZATION, 'subjectaccessreviews'),
        rule(READ, STORAGE, 'csinodes'),
        rule(READ, CORE, 'namespaces'),
        rule(READ, STORAGE, 'csidrivers'),
        rule(READ, STORAGE, 'csistoragecapacities'),
      ],
    },
    {
      name: 'system:kubelet-api-admin',
      rules: [rule(READ, CORE, 'nodes'), rule('proxy', CORE, 'nodes'), rule('*', CORE, ['nodes/proxy', 'nodes/metrics', 'nodes/stats', 'nodes/log'])],
    },
    { name: 'system:monitoring', rules: [nonResource('get', URLS.monitoring)] },
    { name: 'system:node', rules: nodeRules() },
    { name: 'system:node-bootstrapper', rules: [rule(['create', 'get', 'list', 'watch'], CERTIFICATES, 'certificatesigningrequests')] },
    { name: 'system:node-problem-detector', rules: [rule('get', CORE, 'nodes'), rule('patch', CORE, 'nodes/status'), eventsRule()] },
    {
      name: 'system:node-proxier',
      rules: [rule(['list', 'watch'], CORE, ['services', 'endpoints']), rule(READ, CORE, 'nodes'), eventsRule(), rule(['list', 'watch'], DISCOVERY, 'endpointslices')],
    },
    {
      name: 'system:persistent-volume-provisioner',
      rules: [
        rule(['get', 'list', 'watch', 'create', 'delete'], CORE, 'persistentvolumes'),
        // update sets lock annotations on claims
        rule(['get', 'list', 'watch', 'update'], CORE, 'persistentvolumeclaims'),
        rule(READ, STORAGE, 'storageclasses'),
        // watching provisioning success and failure events
        rule('watch', CORE, 'events'),
        eventsRule(),
      ],
    },
    { name: 'system:public-info-viewer', rules: [nonResource('get', URLS.publicInfo)] },
    { name: 'system:service-account-issuer-discovery', rules: [nonResource('get', URLS.issuerDiscovery)] },
    {
      name: 'system:volume-scheduler',
      rules: [rule(READ_UPDATE, CORE, 'persistentvolumes'), rule(READ, STORAGE, 'storageclasses'), rule(READ_UPDATE, CORE, 'persistentvolumeclaims')],
    },
    { name: 'view', labels: aggregateLabel('edit'), aggregateFrom: 'view' },
  ];
}

const controllerRoles = () => controllerRoleRules().map(({ name, rules }) => ({ name: CONTROLLER_ROLE_PREFIX + name, rules }));

/** Every default ClusterRole: the policy roles, then the controller roles, each group by name. */
export function clusterRoles(): KubeObject[] {
  return [...policyRoles().sort(byName), ...controllerRoles().sort(byName)].map(clusterRole);
}

// ---------------------------------------------------------------------------------------------
// ClusterRoleBindings (policy.go ClusterRoleBindings, controller_policy.go addControllerRole)

const clusterBinding = (name: string, ...subjects: Subject[]) => ({ name, subjects });

function policyBindings(): { name: string; subjects: Subject[] }[] {
  return [
    clusterBinding('cluster-admin', group('system:masters')),
    clusterBinding('system:basic-user', group('system:authenticated')),
    clusterBinding('system:discovery', group('system:authenticated')),
    clusterBinding('system:kube-controller-manager', user('system:kube-controller-manager')),
    clusterBinding('system:kube-dns', serviceAccount('kube-system', 'kube-dns')),
    clusterBinding('system:kube-scheduler', user('system:kube-scheduler')),
    clusterBinding('system:monitoring', group('system:monitoring')),
    // Kept with no subjects since the Node authorizer (1.7) so that reconciliation can drop old ones.
    clusterBinding('system:node'),
    clusterBinding('system:node-proxier', user('system:kube-proxy')),
    clusterBinding('system:public-info-viewer', group('system:authenticated'), group('system:unauthenticated')),
    clusterBinding('system:service-account-issuer-discovery', group('system:serviceaccounts')),
    clusterBinding('system:volume-scheduler', user('system:kube-scheduler')),
  ];
}

/** Every default ClusterRoleBinding; each binds the ClusterRole of the same name. */
export function clusterRoleBindings(): KubeObject[] {
  const controllers = controllerRoleRules().map(({ name }) => clusterBinding(CONTROLLER_ROLE_PREFIX + name, serviceAccount(CONTROLLER_SA_NAMESPACE, name)));
  return [...policyBindings().sort(byName), ...controllers.sort(byName)].map((b) => binding('ClusterRoleBinding', b.name, undefined, 'ClusterRole', b.name, b.subjects));
}

// ---------------------------------------------------------------------------------------------
// Roles and RoleBindings in kube-system and kube-public (namespace_policy.go)

const KUBE_SYSTEM = 'kube-system';
const KUBE_PUBLIC = 'kube-public';

function leaderLockingRules(component: string): PolicyRule[] {
  return [
    rule('watch', CORE, 'configmaps'),
    rule(['get', 'update'], CORE, 'configmaps', component),
    rule(['watch', 'get', 'list', 'create', 'update'], COORDINATION, 'leases'),
    rule(['watch', 'get', 'list', 'create', 'update'], COORDINATION, 'leasecandidates'),
  ];
}

function role(namespace: string, name: string, rules: PolicyRule[]): KubeObject {
  return { apiVersion: RBAC_V1, kind: 'Role', metadata: metadata(name, namespace), rules };
}

export function namespacedRoles(): KubeObject[] {
  return [
    role(KUBE_PUBLIC, `${CONTROLLER_ROLE_PREFIX}bootstrap-signer`, [
      rule(READ, CORE, 'configmaps'),
      rule('update', CORE, 'configmaps', 'cluster-info'),
      eventsRule(),
    ]),
    // this config map is public: it holds the cluster's authentication configuration
    role(KUBE_SYSTEM, 'extension-apiserver-authentication-reader', [rule(READ, CORE, 'configmaps', 'extension-apiserver-authentication')]),
    role(KUBE_SYSTEM, 'system::leader-locking-kube-controller-manager', leaderLockingRules('kube-controller-manager')),
    role(KUBE_SYSTEM, 'system::leader-locking-kube-scheduler', leaderLockingRules('kube-scheduler')),
    role(KUBE_SYSTEM, `${CONTROLLER_ROLE_PREFIX}bootstrap-signer`, [rule(READ, CORE, 'secrets')]),
    role(KUBE_SYSTEM, `${CONTROLLER_ROLE_PREFIX}cloud-provider`, [rule(['create', 'get', 'list', 'watch'], CORE, 'configmaps')]),
    role(KUBE_SYSTEM, `${CONTROLLER_ROLE_PREFIX}token-cleaner`, [rule(['delete', 'get', 'list', 'watch'], CORE, 'secrets'), eventsRule()]),
  ].sort(byNamespaceThenName);
}

export function namespacedRoleBindings(): KubeObject[] {
  const rb = (namespace: string, name: string, roleName: string, ...subjects: Subject[]) => binding('RoleBinding', name, namespace, 'Role', roleName, subjects);
  const controller = (namespace: string, sa: string) => rb(namespace, CONTROLLER_ROLE_PREFIX + sa, CONTROLLER_ROLE_PREFIX + sa, serviceAccount(KUBE_SYSTEM, sa));
  return [
    controller(KUBE_PUBLIC, 'bootstrap-signer'),
    rb(KUBE_SYSTEM, 'system::extension-apiserver-authentication-reader', 'extension-apiserver-authentication-reader', user('system:kube-controller-manager'), user('system:kube-scheduler')),
    rb(
      KUBE_SYSTEM,
      'system::leader-locking-kube-controller-manager',
      'system::leader-locking-kube-controller-manager',
      user('system:kube-controller-manager'),
      serviceAccount(KUBE_SYSTEM, 'kube-controller-manager'),
      serviceAccount(KUBE_SYSTEM, 'leader-election-controller'),
    ),
    rb(KUBE_SYSTEM, 'system::leader-locking-kube-scheduler', 'system::leader-locking-kube-scheduler', user('system:kube-scheduler'), serviceAccount(KUBE_SYSTEM, 'kube-scheduler')),
    controller(KUBE_SYSTEM, 'bootstrap-signer'),
    controller(KUBE_SYSTEM, 'cloud-provider'),
    controller(KUBE_SYSTEM, 'token-cleaner'),
  ].sort(byNamespaceThenName);
}
