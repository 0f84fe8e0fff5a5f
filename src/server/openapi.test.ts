import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { arr, bool, described, int32, int64, intOrString, keyedList, mapOf, obj, quantity, str, stringMap } from '../api/schema.js';
import type { KubeObject } from '../api/meta.js';
import type { ResourceDef } from '../registry/resource.js';
import { kind, labelSelector } from '../registry/schemas/meta.js';
import { openApiV3, type OpenApiDocs } from './openapi.js';
import { openApiCacheHeaders, serveOpenApi, type OpenApiResponse } from './openapi/serve.js';

// ---- fake resources, written with the DSL ----

const objectReference = obj(
  'io.k8s.api.core.v1.ObjectReference',
  'A reference to an object.',
  { apiVersion: str('API version.'), kind: str('Kind.'), name: str('Name.'), namespace: str('Namespace.'), uid: str('UID.') },
  { mapType: 'atomic' },
);
const localObjectReference = obj('io.k8s.api.core.v1.LocalObjectReference', 'A reference to an object in the same namespace.', { name: str('Name.') }, { mapType: 'atomic' });

const serviceAccountSchema = kind('', 'v1', 'ServiceAccount', 'io.k8s.api.core.v1', 'An identity for processes that run in a Pod.', {
  automountServiceAccountToken: bool('Whether pods mount a token automatically.'),
  imagePullSecrets: arr(localObjectReference, 'Secrets used to pull images.', { listType: 'atomic' }),
  secrets: { ...keyedList(objectReference, 'name', 'Secrets pods may use.'), listType: 'map', listMapKeys: ['name'] },
});

const tokenRequestSchema = kind('authentication.k8s.io', 'v1', 'TokenRequest', 'io.k8s.api.authentication.v1', 'Requests a token for a service account.', {
  spec: described(
    'The requested token.',
    obj('io.k8s.api.authentication.v1.TokenRequestSpec', 'What token to issue.', {
      audiences: arr(str(), 'Intended audiences.', { listType: 'atomic' }),
      expirationSeconds: int64('Requested lifetime.'),
    }, { required: ['audiences'] }),
  ),
  status: described('The issued token.', obj('io.k8s.api.authentication.v1.TokenRequestStatus', 'The issued token.', { expirationTimestamp: { type: 'string', format: 'date-time', description: 'Expiry.' }, token: str('The token.') }, { required: ['token', 'expirationTimestamp'] })),
}, { required: ['spec'] });

const policyRule = obj('io.k8s.api.rbac.v1.PolicyRule', 'One rule.', {
  apiGroups: arr(str(), 'API groups.', { listType: 'atomic' }),
  resources: arr(str(), 'Resources.', { listType: 'atomic' }),
  verbs: arr(str(), 'Verbs.', { listType: 'atomic' }),
}, { required: ['verbs'] });

const roleSchema = kind('rbac.authorization.k8s.io', 'v1', 'Role', 'io.k8s.api.rbac.v1', 'A namespaced set of rules.', {
  rules: arr(policyRule, 'The rules of this Role.', { listType: 'atomic' }),
});

const namespaceCondition = obj('io.k8s.api.core.v1.NamespaceCondition', 'A condition of a namespace.', { status: str('True, False, Unknown.'), type: str('Type.') }, { required: ['type', 'status'] });
const namespaceSchema = kind('', 'v1', 'Namespace', 'io.k8s.api.core.v1', 'A scope for names.', {
  spec: described('The desired state.', obj('io.k8s.api.core.v1.NamespaceSpec', 'Namespace spec.', { finalizers: arr(str(), 'Finalizers.', { listType: 'atomic' }) })),
  status: described('The observed state.', obj('io.k8s.api.core.v1.NamespaceStatus', 'Namespace status.', {
    conditions: { ...keyedList(namespaceCondition, 'type', 'Conditions.'), listType: 'map', listMapKeys: ['type'] },
    phase: str('The phase.', { enum: ['Active', 'Terminating'] }),
  })),
});

const ssarSchema = kind('authorization.k8s.io', 'v1', 'SelfSubjectAccessReview', 'io.k8s.api.authorization.v1', 'Asks whether the caller may do something.', {
  spec: described('What to check.', obj('io.k8s.api.authorization.v1.SelfSubjectAccessReviewSpec', 'The check.', { resourceAttributes: obj(undefined, 'Inline attributes.', { verb: str('Verb.') }) })),
  status: described('The answer.', obj('io.k8s.api.authorization.v1.SubjectAccessReviewStatus', 'The answer.', { allowed: bool('Allowed.') }, { required: ['allowed'] })),
}, { required: ['spec'] });

const scaleSchema = kind('autoscaling', 'v1', 'Scale', 'io.k8s.api.autoscaling.v1', 'A scaling request.', {
  spec: described('Desired.', obj('io.k8s.api.autoscaling.v1.ScaleSpec', 'Desired scale.', { replicas: int32('Replicas.') })),
});

const deploymentSchema = kind('apps', 'v1', 'Deployment', 'io.k8s.api.apps.v1', 'Declarative updates for Pods.', {
  spec: described('Desired behaviour.', obj('io.k8s.api.apps.v1.DeploymentSpec', 'Deployment spec.', {
    replicas: int32('Replicas.'),
    selector: described('Label selector for pods.', labelSelector),
    strategy: {
      ...described('How to replace pods.', obj('io.k8s.api.apps.v1.DeploymentStrategy', 'Strategy.', {
        rollingUpdate: described('Rolling update knobs.', obj('io.k8s.api.apps.v1.RollingUpdateDeployment', 'Rolling update.', { maxSurge: intOrString('Extra pods.') })),
        type: str('Recreate or RollingUpdate.'),
      })),
      patchStrategy: 'retainKeys',
    },
    resources: mapOf(quantity(), 'Resource limits.'),
    annotations: stringMap('Extra.'),
  }, { required: ['selector'] })),
});

const base = { singular: '', verbs: undefined } as const;
const defs: ResourceDef[] = [
  { ...base, group: '', version: 'v1', kind: 'ServiceAccount', resource: 'serviceaccounts', singular: 'serviceaccount', shortNames: ['sa'], namespaced: true, schema: serviceAccountSchema, subresources: { token: { schema: tokenRequestSchema, verbs: ['create'] } } },
  { ...base, group: '', version: 'v1', kind: 'Namespace', resource: 'namespaces', singular: 'namespace', namespaced: false, schema: namespaceSchema, hasStatus: true },
  { ...base, group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'Role', resource: 'roles', singular: 'role', namespaced: true, schema: roleSchema },
  {
    ...base, group: 'authorization.k8s.io', version: 'v1', kind: 'SelfSubjectAccessReview', resource: 'selfsubjectaccessreviews', singular: 'selfsubjectaccessreview', namespaced: false, schema: ssarSchema,
    createOnly: async (o: KubeObject) => o,
  },
  { ...base, group: 'apps', version: 'v1', kind: 'Deployment', resource: 'deployments', singular: 'deployment', namespaced: true, schema: deploymentSchema, hasStatus: true, subresources: { scale: { schema: scaleSchema, verbs: ['get', 'update', 'patch'] } } },
];

const docs = openApiV3(() => defs);
const rootOf = async (d: OpenApiDocs = docs) => JSON.parse(await d.rootJson()) as { paths: Record<string, { serverRelativeURL: string }> };

type Doc = { paths: Record<string, Record<string, any>>; components: { schemas: Record<string, any> }; info: any; openapi: string };
const doc = (gv: string): Doc => JSON.parse(docs.document(gv)!.json);

// ---- kubectl's logic, replicated ----

type Gvk = { group: string; version: string; kind: string };
const sameGvk = (a: Gvk, b: Gvk) => a.group === b.group && a.version === b.version && a.kind === b.kind;

/** cli-runtime query_param_verifier_v3.go supportsQueryParamV3, checked for every patch op (Go map order is random). */
function patchOpsFor(d: Doc, gvk: Gvk) {
  return Object.values(d.paths)
    .map((p) => p.patch)
    .filter((op) => op && op['x-kubernetes-group-version-kind'] && sameGvk(op['x-kubernetes-group-version-kind'], gvk));
}
function supportsQueryParamV3(d: Doc, gvk: Gvk, param: string): boolean {
  const ops = patchOpsFor(d, gvk);
  return ops.length > 0 && ops.every((op) => (op.parameters ?? []).some((p: any) => p.name === param));
}

/** explain/v2 plaintext.tmpl: the GVK from the resource's paths (the last search path with one wins). */
function explainGvk(d: Doc, group: string, version: string, resource: string): Gvk | undefined {
  const prefix = group ? `/apis/${group}` : '/api';
  let gvk: Gvk | undefined;
  for (const path of [
    `${prefix}/${version}/${resource}`,
    `${prefix}/${version}/${resource}/{name}`,
    `${prefix}/${version}/namespaces/{namespace}/${resource}`,
    `${prefix}/${version}/namespaces/{namespace}/${resource}/{name}`,
  ]) {
    const el = d.paths[path];
    if (!el) continue;
    for (const m of ['get', 'post', 'put', 'patch', 'delete']) {
      const g = el[m]?.['x-kubernetes-group-version-kind'];
      if (g) {
        gvk = g;
        break;
      }
    }
  }
  return gvk;
}
function componentFor(d: Doc, gvk: Gvk): any {
  for (const name of Object.keys(d.components.schemas).sort()) {
    const list: Gvk[] | undefined = d.components.schemas[name]['x-kubernetes-group-version-kind'];
    if (list?.some((g) => sameGvk(g, gvk))) return d.components.schemas[name];
  }
  return undefined;
}
function resolveRef(d: Doc, s: any): any {
  if (s?.$ref) return d.components.schemas[s.$ref.replace('#/components/schemas/', '')];
  return s;
}
/** The template's typeGuess. */
function typeGuess(d: Doc, s: any): string {
  if (s.items) return `[]${typeGuess(d, s.items)}`;
  if (s.additionalProperties && typeof s.additionalProperties !== 'boolean') return `map[string]${typeGuess(d, s.additionalProperties)}`;
  if (s.allOf && !s.properties && s.allOf.length === 1) return typeGuess(d, s.allOf[0]);
  if (s.$ref) {
    const r = resolveRef(d, s);
    if (!r || !r.type || r.type === 'object') return s.$ref.split('/').pop().split('.').pop() || 'Object';
    return r.type;
  }
  return s.type === 'object' ? 'Object' : s.type ?? 'Object';
}
/** Follows a field path like `kubectl explain sa.metadata.labels` and returns the field's schema. */
function explainField(d: Doc, component: any, path: string[]): any {
  let s = component;
  for (const key of path) {
    s = resolveRef(d, s.allOf?.[0] ?? s);
    while (s.items) s = resolveRef(d, s.items.allOf?.[0] ?? s.items);
    assert.ok(s.properties?.[key], `field ${key} not found`);
    s = s.properties[key];
  }
  return s;
}

/** strategicpatch PatchMetaFromOpenAPIV3: traverse a key, read the patch meta, then resolve allOf[0] / items / $ref. */
function lookupPatchMeta(d: Doc, schema: any, key: string, slice: boolean) {
  const sub = schema?.properties?.[key];
  if (!sub) throw new Error(`unable to find api field "${key}"`);
  const meta = { mergeKey: sub['x-kubernetes-patch-merge-key'], strategies: sub['x-kubernetes-patch-strategy']?.split(',') ?? [] };
  let next = sub;
  if (slice && next.items) next = next.items;
  if (next.allOf?.length) next = next.allOf[0];
  if (next.$ref) {
    const resolved = resolveRef(d, next);
    if (!resolved) throw new Error(`unable to resolve ${next.$ref} in OpenAPI V3`);
    next = resolved;
  }
  return { schema: next, ...meta };
}

function allRefs(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) v.forEach((x) => allRefs(x, out));
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) {
      if (k === '$ref') out.push(x as string);
      else allRefs(x, out);
    }
  return out;
}

// ---- tests ----

describe('openapi v3 root', () => {
  it('lists every served group version with its hash', async () => {
    const root = await rootOf();
    assert.deepEqual(Object.keys(root.paths).sort(), ['api/v1', 'apis/apps/v1', 'apis/authorization.k8s.io/v1', 'apis/rbac.authorization.k8s.io/v1']);
    for (const [gv, { serverRelativeURL }] of Object.entries(root.paths)) {
      const d = docs.document(gv)!;
      assert.match(d.hash, /^[0-9A-F]{128}$/);
      assert.equal(d.hash, createHash('sha512').update(d.json).digest('hex').toUpperCase());
      assert.equal(serverRelativeURL, `/openapi/v3/${gv}?hash=${d.hash}`);
    }
    assert.equal(docs.document('apis/batch/v1'), undefined);
    assert.ok(docs.document('/api/v1'), 'leading slash tolerated');
  });

  it('rebuilds only the group versions whose resources changed; the others keep their hash and Last-Modified', async () => {
    let served: ResourceDef[] = [...defs];
    let generation = 0;
    let clock = new Date('2025-03-01T10:00:00Z');
    const live = openApiV3(() => served, () => generation, { now: () => clock });
    const before = await rootOf(live);
    const core = live.document('api/v1')!;
    clock = new Date('2025-03-01T11:00:00Z');
    const roles = defs.find((d) => d.resource === 'roles')!;
    served = [...defs.filter((d) => d !== roles), { ...roles, shortNames: ['r'] }, { ...roles, group: 'example.com', kind: 'Role', resource: 'widgets', singular: 'widget', schema: { ...roles.schema, gvk: [{ group: 'example.com', version: 'v1', kind: 'Role' }] } }];
    generation++;
    const after = await rootOf(live);
    assert.equal(live.document('api/v1'), core, 'the same cached document');
    assert.equal(core.lastModified.toISOString(), '2025-03-01T10:00:00.000Z');
    for (const gv of ['api/v1', 'apis/apps/v1', 'apis/authorization.k8s.io/v1']) assert.equal(after.paths[gv]!.serverRelativeURL, before.paths[gv]!.serverRelativeURL, gv);
    assert.ok(after.paths['apis/example.com/v1']);
    assert.equal(live.document('apis/rbac.authorization.k8s.io/v1')!.lastModified.toISOString(), '2025-03-01T11:00:00.000Z');
    served = defs.filter((d) => d.group !== 'apps');
    generation++;
    assert.equal(live.document('apis/apps/v1'), undefined);
  });

  it('is deterministic', () => {
    const again = openApiV3(() => defs);
    assert.equal(again.document('api/v1')!.json, docs.document('api/v1')!.json);
  });

});

describe('openapi v3 group version document', () => {
  it('has the document header', () => {
    const d = doc('api/v1');
    assert.equal(d.openapi, '3.0.0');
    assert.deepEqual(d.info, { title: 'Kubernetes', version: 'v1.32.2' });
  });

  it('declares fieldValidation on every patch operation, as query_param_verifier_v3 requires', () => {
    const cases: [string, Gvk][] = [
      ['api/v1', { group: '', version: 'v1', kind: 'ServiceAccount' }],
      ['api/v1', { group: '', version: 'v1', kind: 'Namespace' }],
      ['apis/rbac.authorization.k8s.io/v1', { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'Role' }],
      ['apis/apps/v1', { group: 'apps', version: 'v1', kind: 'Deployment' }],
    ];
    for (const [gv, gvk] of cases) assert.ok(supportsQueryParamV3(doc(gv), gvk, 'fieldValidation'), `${gv} ${gvk.kind}`);
  });

  it('builds the item path with upstream operation ids, actions and parameters', () => {
    const item = doc('api/v1').paths['/api/v1/namespaces/{namespace}/serviceaccounts/{name}']!;
    assert.deepEqual(Object.keys(item).sort(), ['delete', 'get', 'parameters', 'patch', 'put']);
    assert.deepEqual(item.parameters.map((p: any) => `${p.in}:${p.name}`), ['path:name', 'path:namespace', 'query:pretty']);
    assert.equal(item.get.operationId, 'readCoreV1NamespacedServiceAccount');
    assert.equal(item.put.operationId, 'replaceCoreV1NamespacedServiceAccount');
    assert.equal(item.delete.operationId, 'deleteCoreV1NamespacedServiceAccount');
    const patch = item.patch;
    assert.equal(patch.operationId, 'patchCoreV1NamespacedServiceAccount');
    assert.equal(patch['x-kubernetes-action'], 'patch');
    assert.deepEqual(patch['x-kubernetes-group-version-kind'], { group: '', kind: 'ServiceAccount', version: 'v1' });
    assert.deepEqual(patch.parameters.map((p: any) => p.name), ['dryRun', 'fieldManager', 'fieldValidation', 'force']);
    assert.deepEqual(Object.keys(patch.requestBody.content).sort(), [
      'application/apply-patch+yaml',
      'application/json-patch+json',
      'application/merge-patch+json',
      'application/strategic-merge-patch+json',
    ]);
    for (const c of Object.values<any>(patch.requestBody.content)) assert.equal(c.schema.$ref, '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Patch');
    assert.deepEqual(Object.keys(patch.responses), ['200', '201', '401']);
    assert.equal(patch.responses['200'].content['application/json'].schema.$ref, '#/components/schemas/io.k8s.api.core.v1.ServiceAccount');
    assert.deepEqual(item.delete.parameters.map((p: any) => p.name), ['dryRun', 'gracePeriodSeconds', 'ignoreStoreReadErrorWithClusterBreakingPotential', 'orphanDependents', 'propagationPolicy']);
    assert.equal(item.delete.responses['200'].content['application/json'].schema.$ref, '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Status');

    const rolePatch = doc('apis/rbac.authorization.k8s.io/v1').paths['/apis/rbac.authorization.k8s.io/v1/namespaces/{namespace}/roles/{name}']!.patch;
    assert.equal(rolePatch.operationId, 'patchRbacAuthorizationV1NamespacedRole');
    assert.deepEqual(rolePatch.tags, ['rbacAuthorization_v1']);
  });

  it('builds collection, all-namespaces and watch paths', () => {
    const d = doc('apis/rbac.authorization.k8s.io/v1');
    const coll = d.paths['/apis/rbac.authorization.k8s.io/v1/namespaces/{namespace}/roles']!;
    assert.deepEqual(Object.keys(coll).sort(), ['delete', 'get', 'parameters', 'post']);
    assert.equal(coll.get.operationId, 'listRbacAuthorizationV1NamespacedRole');
    assert.equal(coll.get['x-kubernetes-action'], 'list');
    assert.deepEqual(coll.get.parameters.map((p: any) => p.name), [
      'allowWatchBookmarks', 'continue', 'fieldSelector', 'labelSelector', 'limit', 'resourceVersion', 'resourceVersionMatch', 'sendInitialEvents', 'timeoutSeconds', 'watch',
    ]);
    assert.equal(coll.get.responses['200'].content['application/json;stream=watch'].schema.$ref, '#/components/schemas/io.k8s.api.rbac.v1.RoleList');
    assert.equal(coll.post.operationId, 'createRbacAuthorizationV1NamespacedRole');
    assert.deepEqual(coll.post.parameters.map((p: any) => p.name), ['dryRun', 'fieldManager', 'fieldValidation']);
    assert.deepEqual(Object.keys(coll.post.responses), ['200', '201', '202', '401']);
    assert.equal(coll.delete.operationId, 'deleteRbacAuthorizationV1CollectionNamespacedRole');
    assert.equal(coll.delete['x-kubernetes-action'], 'deletecollection');

    const all = d.paths['/apis/rbac.authorization.k8s.io/v1/roles']!;
    assert.deepEqual(Object.keys(all).sort(), ['get', 'parameters']);
    assert.equal(all.get.operationId, 'listRbacAuthorizationV1RoleForAllNamespaces');
    assert.equal(all.get.parameters, undefined, 'a lone operation has every parameter hoisted to the path');
    assert.ok(all.parameters.some((p: any) => p.name === 'watch'));

    assert.equal(d.paths['/apis/rbac.authorization.k8s.io/v1/watch/namespaces/{namespace}/roles']!.get.operationId, 'watchRbacAuthorizationV1NamespacedRoleList');
    assert.equal(d.paths['/apis/rbac.authorization.k8s.io/v1/watch/namespaces/{namespace}/roles']!.get['x-kubernetes-action'], 'watchlist');
    assert.equal(d.paths['/apis/rbac.authorization.k8s.io/v1/watch/namespaces/{namespace}/roles/{name}']!.get.operationId, 'watchRbacAuthorizationV1NamespacedRole');
    assert.equal(d.paths['/apis/rbac.authorization.k8s.io/v1/watch/roles']!.get.operationId, 'watchRbacAuthorizationV1RoleListForAllNamespaces');
    assert.equal(d.paths['/apis/rbac.authorization.k8s.io/v1/']!.get.operationId, 'getRbacAuthorizationV1APIResources');

    // Cluster-scoped: no namespace anywhere.
    const core = doc('api/v1');
    assert.ok(core.paths['/api/v1/namespaces/{name}']);
    assert.equal(core.paths['/api/v1/namespaces/{name}']!.get.operationId, 'readCoreV1Namespace');
    assert.ok(core.paths['/api/v1/watch/namespaces/{name}']);
    assert.equal(core.paths['/api/v1/serviceaccounts']!.get.operationId, 'listCoreV1ServiceAccountForAllNamespaces');
  });

  it('serves the status, token and scale subresources', () => {
    const core = doc('api/v1');
    const status = core.paths['/api/v1/namespaces/{name}/status']!;
    assert.deepEqual(Object.keys(status).sort(), ['get', 'parameters', 'patch', 'put']);
    assert.equal(status.get.operationId, 'readCoreV1NamespaceStatus');
    assert.equal(status.put.operationId, 'replaceCoreV1NamespaceStatus');
    assert.equal(status.patch.operationId, 'patchCoreV1NamespaceStatus');
    assert.deepEqual(status.patch['x-kubernetes-group-version-kind'], { group: '', kind: 'Namespace', version: 'v1' });
    assert.ok(status.patch.parameters.some((p: any) => p.name === 'fieldValidation'));

    const token = core.paths['/api/v1/namespaces/{namespace}/serviceaccounts/{name}/token']!;
    assert.deepEqual(Object.keys(token).sort(), ['parameters', 'post']);
    assert.equal(token.post.operationId, 'createCoreV1NamespacedServiceAccountToken');
    assert.deepEqual(token.post['x-kubernetes-group-version-kind'], { group: 'authentication.k8s.io', kind: 'TokenRequest', version: 'v1' });
    assert.equal(token.post.requestBody.content['*/*'].schema.$ref, '#/components/schemas/io.k8s.api.authentication.v1.TokenRequest');
    assert.equal(token.parameters.find((p: any) => p.name === 'name').description, 'name of the TokenRequest');
    assert.ok(core.components.schemas['io.k8s.api.authentication.v1.TokenRequest']);

    const apps = doc('apis/apps/v1');
    const scale = apps.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale']!;
    assert.equal(scale.get.operationId, 'readAppsV1NamespacedDeploymentScale');
    assert.equal(scale.patch.operationId, 'patchAppsV1NamespacedDeploymentScale');
    assert.deepEqual(scale.patch['x-kubernetes-group-version-kind'], { group: 'autoscaling', kind: 'Scale', version: 'v1' });
    assert.deepEqual(apps.components.schemas['io.k8s.api.autoscaling.v1.Scale']['x-kubernetes-group-version-kind'], [{ group: 'autoscaling', kind: 'Scale', version: 'v1' }]);
  });

  it('gives create-only resources only the POST', () => {
    const d = doc('apis/authorization.k8s.io/v1');
    const resourcePaths = Object.keys(d.paths).filter((p) => p !== '/apis/authorization.k8s.io/v1/');
    assert.deepEqual(resourcePaths, ['/apis/authorization.k8s.io/v1/selfsubjectaccessreviews']);
    const p = d.paths['/apis/authorization.k8s.io/v1/selfsubjectaccessreviews']!;
    assert.deepEqual(Object.keys(p).sort(), ['parameters', 'post']);
    assert.equal(p.post.operationId, 'createAuthorizationV1SelfSubjectAccessReview');
    assert.deepEqual(p.parameters.map((x: any) => x.name), ['dryRun', 'fieldManager', 'fieldValidation', 'pretty']);
    assert.equal(d.components.schemas['io.k8s.api.authorization.v1.SelfSubjectAccessReviewList'], undefined);
    assert.equal(d.components.schemas['io.k8s.apimachinery.pkg.apis.meta.v1.Patch'], undefined);
    // Inline (unnamed) objects stay inline.
    const spec = d.components.schemas['io.k8s.api.authorization.v1.SelfSubjectAccessReviewSpec'];
    assert.equal(spec.properties.resourceAttributes.type, 'object');
    assert.equal(spec.properties.resourceAttributes.properties.verb.type, 'string');
  });

  it('has components for the kind, its List, and meta types', () => {
    const d = doc('api/v1');
    const s = d.components.schemas;
    assert.deepEqual(s['io.k8s.api.core.v1.ServiceAccount']['x-kubernetes-group-version-kind'], [{ group: '', kind: 'ServiceAccount', version: 'v1' }]);
    const list = s['io.k8s.api.core.v1.ServiceAccountList'];
    assert.deepEqual(list['x-kubernetes-group-version-kind'], [{ group: '', kind: 'ServiceAccountList', version: 'v1' }]);
    assert.deepEqual(list.required, ['items']);
    assert.equal(list.properties.items.items.allOf[0].$ref, '#/components/schemas/io.k8s.api.core.v1.ServiceAccount');
    assert.equal(list.properties.metadata.allOf[0].$ref, '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta');
    for (const name of ['ObjectMeta', 'ListMeta', 'ManagedFieldsEntry', 'OwnerReference', 'Status', 'StatusDetails', 'StatusCause', 'DeleteOptions', 'Preconditions', 'Patch', 'WatchEvent', 'Time', 'FieldsV1', 'APIResourceList', 'APIResource'])
      assert.ok(s[`io.k8s.apimachinery.pkg.apis.meta.v1.${name}`], name);
    assert.ok(s['io.k8s.apimachinery.pkg.runtime.RawExtension']);
    assert.deepEqual(s['io.k8s.apimachinery.pkg.apis.meta.v1.Time'], { description: s['io.k8s.apimachinery.pkg.apis.meta.v1.Time'].description, format: 'date-time', type: 'string' });
    assert.deepEqual(s['io.k8s.apimachinery.pkg.apis.meta.v1.Status']['x-kubernetes-group-version-kind'], [{ group: '', kind: 'Status', version: 'v1' }]);
    assert.deepEqual(
      s['io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions']['x-kubernetes-group-version-kind'].map((g: Gvk) => `${g.group}/${g.version}`),
      ['/v1', 'apps/v1', 'authorization.k8s.io/v1', 'rbac.authorization.k8s.io/v1'],
    );

    // The property referring to a named object: allOf + description (the field's) + default {}.
    const meta = s['io.k8s.api.core.v1.ServiceAccount'].properties.metadata;
    assert.deepEqual(meta, { allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }], default: {}, description: "Standard object's metadata." });
    const om = s['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'];
    assert.equal(om.properties.creationTimestamp.allOf[0].$ref, '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Time');
    assert.deepEqual(om.properties.labels.additionalProperties, { default: '', type: 'string' });
    assert.equal(s['io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry'].properties.fieldsV1.allOf[0].$ref, '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1');
    assert.equal(s['io.k8s.api.core.v1.ObjectReference']['x-kubernetes-map-type'], 'atomic');
    assert.deepEqual(s['io.k8s.api.core.v1.NamespaceStatus'].properties.phase.enum, ['Active', 'Terminating']);
  });

  it('carries merge keys, patch strategies and list types', () => {
    const s = doc('api/v1').components.schemas;
    const secrets = s['io.k8s.api.core.v1.ServiceAccount'].properties.secrets;
    assert.equal(secrets.type, 'array');
    assert.equal(secrets['x-kubernetes-patch-merge-key'], 'name');
    assert.equal(secrets['x-kubernetes-patch-strategy'], 'merge');
    assert.equal(secrets['x-kubernetes-list-type'], 'map');
    assert.deepEqual(secrets['x-kubernetes-list-map-keys'], ['name']);
    assert.deepEqual(secrets.items, { allOf: [{ $ref: '#/components/schemas/io.k8s.api.core.v1.ObjectReference' }], default: {} });
    assert.equal(s['io.k8s.api.core.v1.ServiceAccount'].properties.imagePullSecrets['x-kubernetes-list-type'], 'atomic');
    const owners = s['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'].properties.ownerReferences;
    assert.equal(owners['x-kubernetes-patch-merge-key'], 'uid');
    assert.equal(owners['x-kubernetes-patch-strategy'], 'merge');

    const apps = doc('apis/apps/v1').components.schemas;
    const spec = apps['io.k8s.api.apps.v1.DeploymentSpec'];
    assert.equal(spec.properties.strategy['x-kubernetes-patch-strategy'], 'retainKeys');
    assert.equal(apps['io.k8s.api.apps.v1.DeploymentStrategy']['x-kubernetes-patch-strategy'], undefined);
    assert.deepEqual(spec.properties.resources.additionalProperties, { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity' });
    assert.equal(apps['io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector']['x-kubernetes-map-type'], 'atomic');
    assert.deepEqual(apps['io.k8s.apimachinery.pkg.util.intstr.IntOrString'].oneOf, [{ type: 'integer' }, { type: 'string' }]);
    assert.equal(apps['io.k8s.apimachinery.pkg.util.intstr.IntOrString'].format, 'int-or-string');
    assert.deepEqual(apps['io.k8s.apimachinery.pkg.api.resource.Quantity'].oneOf, [{ type: 'string' }, { type: 'number' }]);
  });

  it('lets strategic merge patch find the keys the way PatchMetaFromOpenAPIV3 does', () => {
    const d = doc('api/v1');
    const gvk = { group: '', version: 'v1', kind: 'ServiceAccount' };
    assert.ok(patchOpsFor(d, gvk).every((op) => op.requestBody.content['application/strategic-merge-patch+json']));
    const sa = componentFor(d, gvk);
    const secrets = lookupPatchMeta(d, sa, 'secrets', true);
    assert.equal(secrets.mergeKey, 'name');
    assert.deepEqual(secrets.strategies, ['merge']);
    assert.ok(secrets.schema.properties.uid, 'resolved to ObjectReference');
    const metadata = lookupPatchMeta(d, sa, 'metadata', false);
    assert.ok(metadata.schema.properties.labels, 'resolved to ObjectMeta');
    const owners = lookupPatchMeta(d, metadata.schema, 'ownerReferences', true);
    assert.equal(owners.mergeKey, 'uid');
    assert.throws(() => lookupPatchMeta(d, sa, 'nope', false), /unable to find api field "nope"/);
    for (const key of ['apiVersion', 'kind', 'automountServiceAccountToken', 'imagePullSecrets']) lookupPatchMeta(d, sa, key, false);
  });

  it('lets kubectl explain find the kind and render field types', () => {
    const d = doc('api/v1');
    const gvk = explainGvk(d, '', 'v1', 'serviceaccounts');
    assert.deepEqual(gvk, { group: '', kind: 'ServiceAccount', version: 'v1' });
    const sa = componentFor(d, gvk!);
    assert.equal(sa.description, 'An identity for processes that run in a Pod.');
    assert.equal(typeGuess(d, sa.properties.metadata), 'ObjectMeta');
    assert.equal(typeGuess(d, sa.properties.secrets), '[]ObjectReference');
    assert.equal(typeGuess(d, sa.properties.automountServiceAccountToken), 'boolean');
    assert.equal(typeGuess(d, explainField(d, sa, ['metadata', 'labels'])), 'map[string]string');
    assert.equal(typeGuess(d, explainField(d, sa, ['metadata', 'creationTimestamp'])), 'string');
    assert.equal(typeGuess(d, explainField(d, sa, ['metadata', 'managedFields', 'fieldsV1'])), 'FieldsV1');
    assert.equal(typeGuess(d, explainField(d, sa, ['metadata', 'ownerReferences'])), '[]OwnerReference');
    assert.deepEqual(explainGvk(d, '', 'v1', 'namespaces'), { group: '', kind: 'Namespace', version: 'v1' });
    const apps = doc('apis/apps/v1');
    const dep = componentFor(apps, explainGvk(apps, 'apps', 'v1', 'deployments')!);
    assert.equal(typeGuess(apps, explainField(apps, dep, ['spec', 'strategy', 'rollingUpdate', 'maxSurge'])), 'IntOrString');
    assert.equal(typeGuess(apps, explainField(apps, dep, ['spec', 'resources'])), 'map[string]Quantity');
    const auth = doc('apis/authorization.k8s.io/v1');
    assert.deepEqual(explainGvk(auth, 'authorization.k8s.io', 'v1', 'selfsubjectaccessreviews'), { group: 'authorization.k8s.io', kind: 'SelfSubjectAccessReview', version: 'v1' });
  });

  it('resolves every $ref within the same document', async () => {
    for (const gv of Object.keys((await rootOf()).paths)) {
      const d = doc(gv);
      const refs = allRefs(d);
      assert.ok(refs.length > 0);
      for (const r of refs) {
        assert.match(r, /^#\/components\/schemas\//);
        assert.ok(d.components.schemas[r.slice('#/components/schemas/'.length)], `${gv}: ${r}`);
      }
      // Operation ids are unique.
      const ids = Object.values(d.paths).flatMap((p) => ['get', 'put', 'post', 'patch', 'delete'].filter((m) => p[m]).map((m) => p[m].operationId));
      assert.equal(new Set(ids).size, ids.length, gv);
    }
  });
});

describe('serving', () => {
  const now = new Date('2025-03-01T10:00:00Z');
  const get = (path: string, query = '', headers: Record<string, string> = {}, d: OpenApiDocs = docs) =>
    serveOpenApi(d, { method: 'GET', path, query: new URLSearchParams(query), headers: { accept: 'application/json', ...headers } }, now) as Promise<OpenApiResponse>;

  it('openApiCacheHeaders: immutable, a year ahead', () => {
    assert.deepEqual(openApiCacheHeaders('ABC', now), { 'Cache-Control': 'public, immutable', Expires: 'Sun, 01 Mar 2026 10:00:00 UTC', Vary: 'Accept', Etag: '"ABC"' });
    assert.equal(openApiCacheHeaders(undefined, now).Etag, undefined);
  });

  it('serves the root without caching', async () => {
    const r = await get('/openapi/v3');
    assert.equal(r.status, 200);
    assert.deepEqual(JSON.parse(String(r.body)), await rootOf());
    assert.equal(r.headers['Cache-Control'], 'no-cache, private');
  });

  it('serves a document with the matching hash as immutable', async () => {
    const { hash, json } = docs.document('api/v1')!;
    const r = await get('/openapi/v3/api/v1', `hash=${hash}`);
    assert.equal(r.status, 200);
    assert.equal(r.body, json);
    assert.equal(r.headers['Content-Type'], 'application/json');
    assert.equal(r.headers['Cache-Control'], 'public, immutable');
    assert.equal(r.headers.Expires, 'Sun, 01 Mar 2026 10:00:00 UTC');
    assert.equal(r.headers.Etag, `"${hash}"`);
    assert.equal(r.headers.Vary, 'Accept');
  });

  it('without a hash: no long-lived caching; with a stale hash: 301 to the current one', async () => {
    const { hash } = docs.document('apis/rbac.authorization.k8s.io/v1')!;
    const plain = await get('/openapi/v3/apis/rbac.authorization.k8s.io/v1');
    assert.equal(plain.status, 200);
    assert.equal(plain.headers['Cache-Control'], 'no-cache, private');
    assert.equal(plain.headers.Expires, undefined);
    const stale = await get('/openapi/v3/apis/rbac.authorization.k8s.io/v1', 'hash=0123');
    assert.equal(stale.status, 301);
    assert.equal(stale.headers.Location, `/openapi/v3/apis/rbac.authorization.k8s.io/v1?hash=${hash}`);
  });

  it('404 for unknown group versions, 406 without JSON, 304 on a matching If-None-Match', async () => {
    assert.equal((await get('/openapi/v3/apis/batch/v1')).status, 404);
    assert.equal((await get('/openapi/v3/api/v1', '', { accept: 'application/com.github.proto-openapi.spec.v3.v1.0+protobuf' })).status, 406);
    assert.equal((await get('/openapi/v3/api/v1', '', { accept: '*/*' })).status, 200);
    const { hash } = docs.document('api/v1')!;
    const r = await get('/openapi/v3/api/v1', `hash=${hash}`, { 'if-none-match': `"${hash}"` });
    assert.equal(r.status, 304);
    assert.equal(r.body, '');
    assert.equal(await serveOpenApi(docs, { method: 'GET', path: '/version', query: new URLSearchParams(), headers: {} }), undefined);
  });
});
