import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { allResources } from '../../registry/resources/index.js';
import { documentJson, type JsonObject } from './json.js';
import { apiResource } from './resource-operations.js';
import { buildOpenApiV2 } from './v2.js';
import { documentMessage, openApiV2DocumentType, toProtoBinary } from './v2-proto.js';

const unused = {} as never;
const json = JSON.parse(documentJson(buildOpenApiV2(allResources({ tokenRequest: unused, tokenAuthenticator: unused, authorizer: unused, rbac: unused }).map(apiResource), 'v1.32.2')));
const Document = openApiV2DocumentType();
const decoded = Document.toObject(Document.decode(toProtoBinary(json)), { defaults: false }) as any;

type Named<T> = { name: string; value: T };
const ext = (s: any) => Object.fromEntries((s.vendor_extension ?? []).map((e: Named<{ yaml: string }>) => [e.name, parse(e.value.yaml)]));
const byName = <T>(list: Named<T>[] | undefined) => new Map((list ?? []).map((x) => [x.name, x.value]));

describe('openapi v2 protobuf (gnostic openapi_v2.Document)', () => {
  const definitions = byName<any>(decoded.definitions.additional_properties);
  const paths = byName<any>(decoded.paths.path);

  it('decodes back to the header and security of the JSON document', () => {
    assert.equal(decoded.swagger, '2.0');
    assert.deepEqual(decoded.info, { title: 'Kubernetes', version: 'v1.32.2' });
    assert.deepEqual(decoded.security, [{ additional_properties: [{ name: 'BearerToken', value: {} }] }]);
    assert.deepEqual(decoded.security_definitions.additional_properties, [
      { name: 'BearerToken', value: { api_key_security: { type: 'apiKey', name: 'authorization', in: 'header', description: 'Bearer Token authentication' } } },
    ]);
    assert.deepEqual([...definitions.keys()], Object.keys(json.definitions));
    assert.deepEqual([...paths.keys()], Object.keys(json.paths));
    assert.deepEqual(decoded.parameters.additional_properties.map((p: Named<unknown>) => p.name), Object.keys(json.parameters));
  });

  it('is a model kube-openapi pkg/util/proto accepts: references resolve and carry no type, arrays have one item schema, one type at most', () => {
    const check = (s: any, where: string): void => {
      if (s._ref) {
        assert.ok(!s.type && !s.properties, `${where}: a reference with a type`);
        assert.ok(s._ref.startsWith('#/definitions/') && definitions.has(s._ref.slice('#/definitions/'.length)), `${where}: ${s._ref}`);
        return;
      }
      assert.ok((s.type?.value ?? []).length <= 1, where);
      if (s.type?.value?.[0] === 'array') {
        assert.equal(s.items?.schema?.length, 1, `${where}: items`);
        check(s.items.schema[0], `${where}[]`);
      }
      if (s.additional_properties?.schema) check(s.additional_properties.schema, `${where}{}`);
      for (const p of s.properties?.additional_properties ?? []) check(p.value, `${where}.${p.name}`);
    };
    for (const [name, s] of definitions) check(s, name);
  });

  it('keeps extensions as YAML that reads back as the JSON values (kubectl openapi.NewOpenAPIData, patch meta)', () => {
    const sa = definitions.get('io.k8s.api.core.v1.ServiceAccount');
    assert.deepEqual(ext(sa)['x-kubernetes-group-version-kind'], [{ group: '', kind: 'ServiceAccount', version: 'v1' }]);
    const secrets = byName<any>(sa.properties.additional_properties).get('secrets');
    assert.deepEqual(ext(secrets), {
      'x-kubernetes-list-map-keys': ['name'],
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-patch-merge-key': 'name',
      'x-kubernetes-patch-strategy': 'merge',
    });
    assert.equal(secrets.vendor_extension[0].value.yaml, '- name\n');
    for (const [name, s] of definitions) assert.deepEqual(ext(s)['x-kubernetes-group-version-kind'], json.definitions[name]['x-kubernetes-group-version-kind'], name);
  });

  it('lets the v2 query-param verifier find fieldValidation in a patch operation', () => {
    const patch = paths.get('/api/v1/namespaces/{namespace}/serviceaccounts/{name}').patch;
    assert.deepEqual(ext(patch), { 'x-kubernetes-action': 'patch', 'x-kubernetes-group-version-kind': { group: '', kind: 'ServiceAccount', version: 'v1' } });
    const query = patch.parameters.map((p: any) => p.parameter?.non_body_parameter?.query_parameter_sub_schema?.name).filter(Boolean);
    assert.deepEqual(query, ['dryRun', 'fieldValidation']);
    const refs = patch.parameters.filter((p: any) => p.json_reference).map((p: any) => p.json_reference._ref);
    const globals = byName<any>(decoded.parameters.additional_properties);
    const shared = refs.map((r: string) => globals.get(r.replace('#/parameters/', '')));
    assert.deepEqual(shared[0], { body_parameter: { name: 'body', in: 'body', required: true, schema: { _ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch' } } });
    assert.deepEqual(shared.slice(1).map((p: any) => p.non_body_parameter.query_parameter_sub_schema.name), ['fieldManager', 'force']);
    const name = paths.get('/api/v1/namespaces/{namespace}/serviceaccounts/{name}').parameters[0].parameter.non_body_parameter.path_parameter_sub_schema;
    assert.deepEqual(name, { required: true, in: 'path', description: 'name of the ServiceAccount', name: 'name', type: 'string', unique_items: true });
    const ok = patch.responses.response_code[0];
    assert.deepEqual(ok, { name: '200', value: { response: { description: 'OK', schema: { schema: { _ref: '#/definitions/io.k8s.api.core.v1.ServiceAccount' } } } } });
  });

  it('refuses a key it does not know rather than drop it', () => {
    assert.throws(() => documentMessage({ ...json, basePaths: '/' } as JsonObject), /document has no field "basePaths"/);
    assert.throws(() => documentMessage({ swagger: '2.0', definitions: { X: { type: 'object', nullable: true } } }), /schema has no field "nullable"/);
  });
});
