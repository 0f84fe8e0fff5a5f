// The resources the analysis knows: their group, whether they are namespaced (a RoleBinding grants
// only namespaced resources), kubectl's short names and their subresources. A built-in table serves
// offline; CustomResourceDefinitions in the files add theirs; live, the server's discovery is the table.
import type { KubeObject } from '../api/meta.js';
import type { CustomResourceDefinition } from '../api/crd.js';

export interface KnownResource {
  resource: string;
  group: string;
  namespaced: boolean;
  short?: string[];
  singular?: string;
  /** Known from discovery or a CRD (the built-in table does not list them). */
  subresources?: string[];
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
  /** Why the answer is a guess (a name no table entry has, taken as namespaced; a subresource the resource lacks). */
  warning?: string;
}

const keyOf = (group: string, resource: string) => `${group}/${resource}`;
/** `v1`, `v2beta1`: the version part of `resource.version.group`. */
const VERSION = /^v\d+((alpha|beta)\d+)?$/;

/**
 * The resources a policy knows. `fromServer`: the table is the server's discovery, so a name it
 * lacks does not exist (an error, as kubectl says it); otherwise an unknown name is taken as namespaced.
 */
export class ResourceTable {
  private readonly byKey = new Map<string, KnownResource>();
  /** Each group/resource once (the first given: a group's preferred version), in the order given. */
  readonly resources: readonly KnownResource[];

  constructor(
    resources: readonly KnownResource[],
    readonly fromServer = false,
  ) {
    for (const r of resources) if (!this.byKey.has(keyOf(r.group, r.resource))) this.byKey.set(keyOf(r.group, r.resource), r);
    this.resources = [...this.byKey.values()];
  }

  get(group: string, resource: string): KnownResource | undefined {
    return this.byKey.get(keyOf(group, resource));
  }

  /** Whether a resource is namespaced (unknown ones are taken as namespaced). */
  namespaced(group: string, resource: string): boolean {
    return this.get(group, resource)?.namespaced ?? true;
  }

  /** The table with the resources the CustomResourceDefinitions among `objects` define (scope, plural, singular, short names, subresources). */
  withDefinitions(objects: readonly KubeObject[]): ResourceTable {
    const crds = objects.filter((o) => o.kind === 'CustomResourceDefinition') as CustomResourceDefinition[];
    if (!crds.length) return this;
    const defined = crds.flatMap(({ spec }): KnownResource[] => {
      if (!spec?.group || !spec.names?.plural) return [];
      const subresources = [...new Set((spec.versions ?? []).flatMap((v) => Object.keys(v.subresources ?? {})))].sort();
      return [
        {
          resource: spec.names.plural,
          group: spec.group,
          namespaced: spec.scope !== 'Cluster',
          ...(spec.names.shortNames?.length ? { short: spec.names.shortNames } : {}),
          singular: spec.names.singular || spec.names.kind?.toLowerCase(),
          subresources,
        },
      ];
    });
    return new ResourceTable([...this.resources, ...defined], this.fromServer);
  }

  /** The entry a name stands for: plural, singular or short name, in `group` when given, the first in the table's order. */
  private find(name: string, group: string | undefined): KnownResource | undefined {
    return this.resources.find((k) => (k.resource === name || k.singular === name || k.short?.includes(name) || (!k.singular && k.resource === `${name}s`)) && (group === undefined || k.group === group));
  }

  /**
   * `pods`, `pods/log`, `deployments.apps`, `deployments.v1.apps`, `deploy` (a short name),
   * `widgets.example.com/status`: the resource a command names.
   */
  parse(arg: string): ResourceQuery {
    const slash = arg.indexOf('/');
    const [head, subresource] = slash < 0 ? [arg, ''] : [arg.slice(0, slash), arg.slice(slash + 1)];
    const dot = head.indexOf('.');
    const name = (dot < 0 ? head : head.slice(0, dot)).toLowerCase();
    const group = dot < 0 ? undefined : head.slice(dot + 1);
    let known = this.find(name, group);
    // resource.version.group, as kubectl reads it.
    if (!known && group && VERSION.test(group.split('.')[0]!)) known = this.find(name, group.includes('.') ? group.slice(group.indexOf('.') + 1) : '');
    if (known) {
      const missing = subresource && known.subresources && !known.subresources.includes(subresource);
      return { group: known.group, resource: known.resource, subresource, namespaced: known.namespaced, ...(missing ? { warning: `${describeResource({ ...known, subresource: '' })} has no subresource ${JSON.stringify(subresource)}` } : {}) };
    }
    // `*` (every resource, as RBAC rules name it) is in no table.
    if (this.fromServer && name !== '*') throw new Error(`the server doesn't have a resource type ${JSON.stringify(name)}`);
    const q = { group: group ?? '', resource: name, subresource, namespaced: true };
    if (name === '*') return q;
    return { ...q, warning: `the resource type ${JSON.stringify(describeResource({ ...q, subresource: '' }))} is neither built in nor defined by a CustomResourceDefinition given: taken as namespaced` };
  }
}

/** The built-in table alone. */
export const BUILT_IN_RESOURCES = new ResourceTable(KNOWN_RESOURCES);

/** The resource a command names, in `table` (the built-in one by default). */
export const parseResource = (arg: string, table: ResourceTable = BUILT_IN_RESOURCES): ResourceQuery => table.parse(arg);

/** The Accept header that asks /api and /apis for aggregated discovery (v2, else v2beta1), as kubectl does. */
export const AGGREGATED_DISCOVERY = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

/** One group version's resources as aggregated discovery (apidiscovery.k8s.io/v2) lists them. */
interface AggregatedResource {
  resource: string;
  scope?: string;
  singularResource?: string;
  shortNames?: string[];
  subresources?: { subresource: string }[];
}

export interface AggregatedDiscovery {
  items?: { metadata?: { name?: string }; versions?: { version: string; resources?: AggregatedResource[] }[] }[];
}

/** The resources of aggregated discovery documents (/api then /apis), each group's versions in the server's order of preference. */
export function fromAggregatedDiscovery(docs: readonly AggregatedDiscovery[]): KnownResource[] {
  const out: KnownResource[] = [];
  for (const group of docs.flatMap((d) => d.items ?? [])) {
    for (const version of group.versions ?? []) {
      for (const r of version.resources ?? []) {
        out.push({
          resource: r.resource,
          group: group.metadata?.name ?? '',
          namespaced: r.scope !== 'Cluster',
          ...(r.shortNames?.length ? { short: r.shortNames } : {}),
          ...(r.singularResource ? { singular: r.singularResource } : {}),
          subresources: (r.subresources ?? []).map((s) => s.subresource),
        });
      }
    }
  }
  return out;
}

/** A group version's APIResourceList (the legacy discovery document). */
export interface ResourceList {
  groupVersion?: string;
  resources?: { name: string; namespaced?: boolean; singularName?: string; shortNames?: string[] }[];
}

/** The resources of APIResourceLists (preferred versions first): `pods/log` entries become subresources of `pods`. */
export function fromResourceLists(lists: readonly ResourceList[]): KnownResource[] {
  const out: KnownResource[] = [];
  for (const list of lists) {
    const gv = list.groupVersion ?? '';
    const group = gv.includes('/') ? gv.slice(0, gv.indexOf('/')) : '';
    const main = new Map<string, KnownResource>();
    for (const r of list.resources ?? []) {
      const slash = r.name.indexOf('/');
      if (slash >= 0) {
        main.get(r.name.slice(0, slash))?.subresources!.push(r.name.slice(slash + 1));
        continue;
      }
      const entry: KnownResource = { resource: r.name, group, namespaced: !!r.namespaced, ...(r.shortNames?.length ? { short: r.shortNames } : {}), ...(r.singularName ? { singular: r.singularName } : {}), subresources: [] };
      main.set(r.name, entry);
      out.push(entry);
    }
  }
  return out;
}

export const describeResource = (q: { group: string; resource: string; subresource: string }) =>
  `${q.resource}${q.group ? `.${q.group}` : ''}${q.subresource ? `/${q.subresource}` : ''}`;
