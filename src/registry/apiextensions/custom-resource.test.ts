// Unit tests of serving custom resources: the schema converter, pruning, defaulting and the
// validation texts (as kube-apiserver's tests expect them), columns, versions and servability.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { errorText } from '../../api/field-errors.js';
import { kindSchema, toSchema } from './custom-schema.js';
import { pruneUnknown } from './custom-prune.js';
import { applyDefaults, pruneNulls } from './custom-defaults.js';
import { validateCustomResource } from './custom-validate.js';
import { compareVersions, customResourceDefs, isServable } from './custom-resource.js';
import { customTable, parsePath } from './custom-columns.js';
import type { Crd, CrdSchema } from '../../api/crd.js';

const texts = (value: unknown, s: CrdSchema, opts = {}) => validateCustomResource(value, s, '', undefined, opts).map(errorText);

describe('schema conversion', () => {
  it('maps types, list types, maps, int-or-string and preserve-unknown-fields', () => {
    const s = toSchema({
      type: 'object',
      properties: {
        n: { type: 'integer', default: 3 },
        port: { 'x-kubernetes-int-or-string': true },
        raw: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        ports: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } }, 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'] },
      },
    });
    assert.equal(s.type, 'object');
    if (s.type !== 'object') return;
    assert.deepEqual(s.properties.n, { type: 'integer', format: 'int64', default: 3 });
    assert.equal(s.properties.port!.type, 'int-or-string');
    assert.equal(s.properties.raw!.type, 'any');
    assert.equal(s.properties.labels!.type, 'map');
    assert.deepEqual(s.properties.ports!.type === 'array' && [s.properties.ports.listType, s.properties.ports.listMapKeys], ['map', ['name']]);
  });

  it('names the kind with the group reversed and publishes v3 and v2', () => {
    const k = kindSchema('stable.example.com', 'v1', 'CronTab', { type: 'object', properties: { spec: { type: 'object', nullable: true, properties: { a: { type: 'string' } }, anyOf: [{ required: ['a'] }] } } });
    assert.equal(k.name, 'com.example.stable.v1.CronTab');
    const v3 = k.published!.v3 as any;
    assert.deepEqual(v3.properties.metadata.allOf, [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }]);
    assert.deepEqual(v3['x-kubernetes-group-version-kind'], [{ group: 'stable.example.com', kind: 'CronTab', version: 'v1' }]);
    assert.ok(v3.properties.spec.anyOf);
    const v2 = k.published!.v2 as any;
    assert.deepEqual(v2.properties.spec, {}, 'nullable: no structure, no anyOf in v2');
    assert.equal(v2.properties.metadata.$ref, '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
  });
});

describe('pruning', () => {
  const schema = kindSchema('g.io', 'v1', 'K', {
    type: 'object',
    properties: {
      spec: { type: 'object', properties: { a: { type: 'string' }, list: { type: 'array', items: { type: 'object', properties: { x: { type: 'string' } } } }, keep: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { p: { type: 'object', properties: {} } } }, embedded: { type: 'object', 'x-kubernetes-embedded-resource': true, properties: {} } } },
    },
  });
  it('removes unknown fields and answers their sorted paths, keeping metadata and preserved fields', () => {
    const obj = { apiVersion: 'g.io/v1', kind: 'K', metadata: { name: 'n' }, spec: { a: 'x', z: 1, list: [{ x: 'a', y: 2 }], keep: { any: 1, p: { gone: 1 } }, embedded: { apiVersion: 'v1', kind: 'Pod', metadata: {}, other: 1 } }, top: true };
    assert.deepEqual(pruneUnknown(obj, schema), ['spec.embedded.other', 'spec.keep.p.gone', 'spec.list[0].y', 'spec.z', 'top']);
    assert.deepEqual(obj, { apiVersion: 'g.io/v1', kind: 'K', metadata: { name: 'n' }, spec: { a: 'x', list: [{ x: 'a' }], keep: { any: 1, p: {} }, embedded: { apiVersion: 'v1', kind: 'Pod', metadata: {} } } });
  });
});

describe('defaulting', () => {
  const s: CrdSchema = {
    type: 'object',
    properties: {
      spec: { type: 'object', default: {}, properties: { replicas: { type: 'integer', default: 1 }, opt: { type: 'string', nullable: true, default: 'x' }, gone: { type: 'string' }, inner: { type: 'object', default: { a: 1 }, properties: { a: { type: 'integer' }, b: { type: 'string', default: 'b' } } } } },
    },
  };
  it('defaults absent fields and nested ones, keeps nullable nulls, drops other nulls', () => {
    const obj: any = { spec: { opt: null, gone: null } };
    pruneNulls(obj, s);
    applyDefaults(obj, s);
    assert.deepEqual(obj, { spec: { opt: null, replicas: 1, inner: { a: 1, b: 'b' } } });
    const empty: any = {};
    applyDefaults(empty, s);
    assert.deepEqual(empty, { spec: { replicas: 1, opt: 'x', inner: { a: 1, b: 'b' } } });
  });
});

describe('validation texts', () => {
  const s: CrdSchema = {
    type: 'object',
    required: ['image'],
    properties: {
      image: { type: 'string' },
      color: { type: 'string', enum: ['red', 'blue'] },
      replicas: { type: 'integer', minimum: 0, maximum: 3, multipleOf: 1 },
      name: { type: 'string', maxLength: 5, minLength: 2, pattern: '^a' },
      list: { type: 'array', maxItems: 3, items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
      ports: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } }, 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'] },
      when: { type: 'string', format: 'date-time' },
      ratio: { type: 'number', exclusiveMaximum: true, maximum: 1 },
      even: { type: 'integer', multipleOf: 2 },
      template: { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true },
    },
  };
  it('words every failure as kube-apiserver does', () => {
    assert.deepEqual(texts({}, s), ['image: Required value']);
    assert.deepEqual(texts({ image: 'i', color: 'pink' }, s), ['color: Unsupported value: "pink": supported values: "red", "blue"']);
    assert.deepEqual(texts({ image: 'i', replicas: 'x' }, s), ['replicas: Invalid value: "string": replicas in body must be of type integer: "string"']);
    assert.deepEqual(texts({ image: 'i', replicas: 1.5 }, s), ['replicas: Invalid value: "number": replicas in body must be of type integer: "number"']);
    assert.deepEqual(texts({ image: 'i', replicas: 4 }, s), ['replicas: Invalid value: 4: replicas in body should be less than or equal to 3']);
    assert.deepEqual(texts({ image: 'i', replicas: -1 }, s), ['replicas: Invalid value: -1: replicas in body should be greater than or equal to 0']);
    assert.deepEqual(texts({ image: 'i', name: 'äääääb' }, s), ['name: Too long: may not be more than 5 bytes', "name: Invalid value: \"äääääb\": name in body should match '^a'"]);
    assert.deepEqual(texts({ image: 'i', name: 'a' }, s), ['name: Invalid value: "a": name in body should be at least 2 chars long']);
    assert.deepEqual(texts({ image: 'i', list: ['a', 'b', 'a', 'c'] }, s), ['list: Too many: 4: must have at most 3 items', 'list[2]: Duplicate value: "a"']);
    assert.deepEqual(texts({ image: 'i', ports: [{ name: 'a' }, { name: 'a' }] }, s), ['ports[1]: Duplicate value: {"name":"a"}']);
    assert.deepEqual(texts({ image: 'i', when: 'soon' }, s), ['when: Invalid value: "soon": when in body must be of type date-time: "soon"']);
    assert.deepEqual(texts({ image: 'i', ratio: 1 }, s), ['ratio: Invalid value: 1: ratio in body should be less than 1']);
    assert.deepEqual(texts({ image: 'i', even: 3 }, s), ['even: Invalid value: 3: even in body should be a multiple of 2']);
    assert.deepEqual(texts({ image: 'i', template: {} }, s), ['template.apiVersion: Required value: must not be empty', 'template.kind: Required value: must not be empty']);
    assert.deepEqual(texts({ image: null }, s), ['image: Invalid value: "null": image in body must be of type string: "null"']);
  });

  it('runs the CEL hook at the end, unless an earlier error leaves it nothing to rely on', () => {
    const cel: CrdSchema = { ...s, 'x-kubernetes-validations': [{ rule: 'self.image != "x"' }] };
    const celRules = () => [{ type: 'FieldValueInvalid' as const, field: '<nil>', value: 'object', detail: 'failed rule: self.image != "x"' }];
    assert.deepEqual(texts({ image: 'x' }, cel, { celRules }), ['<nil>: Invalid value: "object": failed rule: self.image != "x"']);
    assert.deepEqual(texts({}, cel, { celRules }), [
      'image: Required value',
      '<nil>: Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
    ]);
  });
});

describe('resources of a CRD', () => {
  const crd = (extra: object = {}): Crd =>
    ({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'foos.g.io' },
      spec: {
        group: 'g.io',
        scope: 'Cluster',
        names: { plural: 'foos', kind: 'Foo' },
        versions: [
          { name: 'v1alpha1', served: true, storage: false, deprecated: true },
          { name: 'v1', served: true, storage: true },
          { name: 'v2', served: false, storage: false },
        ],
      },
      status: { conditions: [{ type: 'Established', status: 'True' }] },
      ...extra,
    }) as Crd;

  it('serves Established CRDs only', () => {
    assert.equal(isServable(crd()), true);
    assert.equal(isServable(crd({ status: {} })), false);
    assert.equal(isServable(crd({ status: { conditions: [{ type: 'Established', status: 'False' }] } })), false);
    assert.equal(isServable(crd({ status: { conditions: [{ type: 'Established', status: 'True' }] } })), true);
  });

  it('one def per served version, preferred first, sharing the storage version', () => {
    const defs = customResourceDefs(crd());
    assert.deepEqual(defs.map((d) => d.version), ['v1', 'v1alpha1']);
    assert.equal(defs[0]!.singular, 'foo');
    assert.equal(defs[0]!.namespaced, false);
    assert.equal(defs[1]!.storedAs?.def(), defs[0]);
    assert.equal(defs[1]!.warning, 'g.io/v1alpha1 Foo is deprecated; use g.io/v1 Foo');
    assert.deepEqual(defs[1]!.storedAs?.toStored({ apiVersion: 'g.io/v1alpha1', kind: 'Foo', metadata: {} }).apiVersion, 'g.io/v1');
  });

  it('orders versions as Kubernetes does', () => {
    assert.deepEqual(['v1alpha1', 'v2beta1', 'foo', 'v1', 'v10', 'v2', 'v1beta2'].sort(compareVersions), ['v10', 'v2', 'v1', 'v2beta1', 'v1beta2', 'v1alpha1', 'foo']);
  });
});

describe('printer columns', () => {
  it('reads simple JSONPaths, types the cells, Age when none', () => {
    assert.deepEqual(parsePath(".spec.list[0]['a.b']"), ['spec', 'list', 0, 'a.b']);
    const t = customTable([
      { name: 'N', type: 'integer', jsonPath: '.spec.n' },
      { name: 'S', type: 'string', jsonPath: '.spec.obj', priority: 1 },
      { name: 'Missing', type: 'string', jsonPath: '.spec.none' },
    ]);
    assert.deepEqual(t.columns.map((c) => [c.name, c.type, c.priority]), [['Name', 'string', 0], ['N', 'integer', 0], ['S', 'string', 1], ['Missing', 'string', 0]]);
    assert.deepEqual(t.cells({ metadata: { name: 'x' }, spec: { n: 2.7, obj: { a: 1 } } } as never, new Date()), ['x', 2, '{"a":1}', null]);
    const age = customTable(undefined);
    const now = new Date('2025-01-01T00:10:00Z');
    assert.deepEqual(age.cells({ metadata: { name: 'x', creationTimestamp: '2025-01-01T00:00:00Z' } } as never, now), ['x', '10m']);
  });
});
