import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allResources } from '../../registry/resources/index.js';
import { collectRefs, REF_V2, type Json, type JsonObject } from './json.js';
import { apiResource } from './resource-operations.js';
import { buildOpenApiV2 } from './v2.js';

const unused = {} as never;
const resources = allResources({ tokenRequest: unused, tokenAuthenticator: unused, authorizer: unused, rbac: unused }).map(apiResource);
const doc = buildOpenApiV2(resources, 'v1.32.2') as any;

type Gvk = { group: string; version: string; kind: string };

/** cli-runtime query_param_verifier.go supportsQueryParam: the first patch operation naming the kind decides. */
function supportsQueryParam(d: any, gvk: Gvk, param: string): boolean | 'not found' {
  for (const item of Object.values<any>(d.paths)) {
    const g = item.patch?.['x-kubernetes-group-version-kind'];
    if (!g || g.group !== gvk.group || g.version !== gvk.version || g.kind !== gvk.kind) continue;
    return item.patch.parameters.some((p: any) => p.name === param || d.parameters[p.$ref?.replace('#/parameters/', '')]?.name === param);
  }
  return 'not found';
}

/** Every schema object in `v`: a `properties` map is not one, its values are (JSONSchemaProps has properties named type, $ref, oneOf…). */
function every(v: Json, visit: (o: JsonObject) => void, isPropertyMap = false): void {
  if (Array.isArray(v)) v.forEach((x) => every(x, visit));
  else if (v && typeof v === 'object') {
    if (!isPropertyMap) visit(v);
    Object.entries(v).forEach(([k, x]) => every(x, visit, !isPropertyMap && k === 'properties'));
  }
}

describe('openapi v2 document', () => {
  it('has the Swagger 2.0 header and kube-apiserver security definitions', () => {
    assert.equal(doc.swagger, '2.0');
    assert.deepEqual(doc.info, { title: 'Kubernetes', version: 'v1.32.2' });
    assert.deepEqual(doc.security, [{ BearerToken: [] }]);
    assert.deepEqual(doc.securityDefinitions, { BearerToken: { description: 'Bearer Token authentication', in: 'header', name: 'authorization', type: 'apiKey' } });
  });

  it('names definitions as upstream, with the kinds they are served as', () => {
    const sa = doc.definitions['io.k8s.api.core.v1.ServiceAccount'];
    assert.deepEqual(sa['x-kubernetes-group-version-kind'], [{ group: '', kind: 'ServiceAccount', version: 'v1' }]);
    assert.deepEqual(sa.properties.metadata, { $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', description: "Standard object's metadata." });
    assert.deepEqual(sa.properties.secrets.items, { $ref: '#/definitions/io.k8s.api.core.v1.ObjectReference' });
    assert.equal(sa.properties.secrets['x-kubernetes-patch-merge-key'], 'name');
    assert.equal(sa.properties.secrets['x-kubernetes-patch-strategy'], 'merge');
    assert.deepEqual(sa.properties.secrets['x-kubernetes-list-map-keys'], ['name']);
    const containers = doc.definitions['io.k8s.api.core.v1.PodSpec'].properties.containers;
    assert.equal(containers['x-kubernetes-patch-merge-key'], 'name');
    assert.deepEqual(doc.definitions['io.k8s.api.core.v1.PodSpec'].required, ['containers']);
    assert.deepEqual(doc.definitions['io.k8s.api.apps.v1.DeploymentList']['x-kubernetes-group-version-kind'], [{ group: 'apps', kind: 'DeploymentList', version: 'v1' }]);
    assert.deepEqual(doc.definitions['io.k8s.api.authentication.v1.TokenReview']['x-kubernetes-group-version-kind'], [{ group: 'authentication.k8s.io', kind: 'TokenReview', version: 'v1' }]);
    const deleteOptions = doc.definitions['io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions']['x-kubernetes-group-version-kind'];
    assert.ok(deleteOptions.some((g: Gvk) => g.group === 'rbac.authorization.k8s.io'), 'one DeleteOptions for every group version');
  });

  it('has no oneOf, allOf or defaults (v2 has no oneOf; kube-apiserver prunes defaults), and types quantities and int-or-strings as strings', () => {
    every(doc.definitions, (o) => {
      for (const key of ['oneOf', 'allOf', 'default']) assert.equal(o[key], undefined, JSON.stringify(o).slice(0, 200));
      if (o.$ref) assert.equal(o.type, undefined, 'a reference has no type');
      if (o.type === 'array') assert.ok(o.items && !Array.isArray(o.items), 'an array has one item schema');
    });
    assert.deepEqual(doc.definitions['io.k8s.apimachinery.pkg.util.intstr.IntOrString'].type, 'string');
    assert.deepEqual(doc.definitions['io.k8s.apimachinery.pkg.util.intstr.IntOrString'].format, 'int-or-string');
    assert.deepEqual(doc.definitions['io.k8s.apimachinery.pkg.api.resource.Quantity'].type, 'string');
  });

  it('resolves every definition and parameter reference', () => {
    for (const name of collectRefs(doc, REF_V2)) assert.ok(doc.definitions[name], name);
    for (const name of collectRefs(doc, '#/parameters/')) assert.ok(doc.parameters[name], name);
  });

  it('writes operations as the v2 builder does', () => {
    const item = doc.paths['/api/v1/namespaces/{namespace}/serviceaccounts/{name}'];
    assert.deepEqual(Object.keys(item).sort(), ['delete', 'get', 'parameters', 'patch', 'put']);
    assert.deepEqual(item.parameters[0], { description: 'name of the ServiceAccount', in: 'path', name: 'name', required: true, type: 'string', uniqueItems: true });
    assert.deepEqual(item.parameters.slice(1).map((p: any) => doc.parameters[p.$ref.replace('#/parameters/', '')].name), ['namespace', 'pretty']);
    const patch = item.patch;
    assert.deepEqual(patch.consumes, ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml']);
    assert.deepEqual(patch.produces, ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf']);
    assert.deepEqual(patch.schemes, ['https']);
    assert.equal(patch['x-kubernetes-action'], 'patch');
    assert.deepEqual(patch['x-kubernetes-group-version-kind'], { group: '', kind: 'ServiceAccount', version: 'v1' });
    const names = patch.parameters.map((p: any) => p.name ?? doc.parameters[p.$ref.replace('#/parameters/', '')].name);
    assert.deepEqual(names, ['body', 'dryRun', 'fieldManager', 'fieldValidation', 'force']);
    // kubectl 1.26 and 1.27 look for these two in the operation itself.
    assert.equal(patch.parameters.find((p: any) => p.name === 'fieldValidation').in, 'query');
    assert.equal(patch.parameters.find((p: any) => p.name === 'dryRun').in, 'query');
    assert.deepEqual(doc.parameters[patch.parameters[0].$ref.replace('#/parameters/', '')], {
      in: 'body',
      name: 'body',
      required: true,
      schema: { $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch' },
    });
    assert.deepEqual(patch.responses, {
      200: { description: 'OK', schema: { $ref: '#/definitions/io.k8s.api.core.v1.ServiceAccount' } },
      201: { description: 'Created', schema: { $ref: '#/definitions/io.k8s.api.core.v1.ServiceAccount' } },
      401: { description: 'Unauthorized' },
    });
    const post = doc.paths['/api/v1/namespaces/{namespace}/serviceaccounts'].post;
    assert.deepEqual(post.consumes, ['*/*']);
    assert.deepEqual(post.parameters[0], { in: 'body', name: 'body', required: true, schema: { $ref: '#/definitions/io.k8s.api.core.v1.ServiceAccount' } }, 'a body of the kind is not shared');
    const list = doc.paths['/api/v1/namespaces/{namespace}/serviceaccounts'].get;
    assert.deepEqual(list.produces, ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf', 'application/json;stream=watch', 'application/vnd.kubernetes.protobuf;stream=watch']);
    assert.deepEqual(doc.paths['/api/v1/'].get.consumes, ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf']);
  });

  it('shares the other parameters under names of the parameter and a hash', () => {
    const names = Object.keys(doc.parameters);
    assert.ok(names.length > 10);
    for (const name of names) {
      const p = doc.parameters[name];
      assert.match(name, new RegExp(`^${p.name}-[A-Za-z0-9_-]{8}$`));
      assert.ok(!['fieldValidation', 'dryRun', 'name'].includes(p.name), p.name);
    }
    assert.equal(new Set(Object.values(doc.parameters).map((p) => JSON.stringify(p))).size, names.length, 'each once');
  });

  it('settles fieldValidation as kubectl reads it: patchable kinds take it, create-only kinds are not found', () => {
    for (const gvk of [
      { group: '', version: 'v1', kind: 'ServiceAccount' },
      { group: '', version: 'v1', kind: 'Namespace' },
      { group: 'apps', version: 'v1', kind: 'Deployment' },
      { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRole' },
    ])
      assert.equal(supportsQueryParam(doc, gvk, 'fieldValidation'), true, gvk.kind);
    assert.equal(supportsQueryParam(doc, { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenReview' }, 'fieldValidation'), 'not found');
    assert.equal(supportsQueryParam(doc, { group: 'authorization.k8s.io', version: 'v1', kind: 'SubjectAccessReview' }, 'fieldValidation'), 'not found');
  });

  it('gives create-only kinds their POST only, and CustomResourceDefinitions every verb', () => {
    assert.deepEqual(Object.keys(doc.paths['/apis/authentication.k8s.io/v1/tokenreviews']).sort(), ['parameters', 'post']);
    assert.deepEqual(Object.keys(doc.paths['/apis/apiextensions.k8s.io/v1/customresourcedefinitions']).sort(), ['delete', 'get', 'parameters', 'post']);
    assert.deepEqual(Object.keys(doc.paths['/apis/apiextensions.k8s.io/v1/customresourcedefinitions/{name}']).sort(), ['delete', 'get', 'parameters', 'patch', 'put']);
  });

  it('is deterministic', () => {
    assert.deepEqual(buildOpenApiV2(resources, 'v1.32.2'), doc);
  });
});
