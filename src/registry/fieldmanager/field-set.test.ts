// The FieldsV1 encoding and set operations, with cases from structured-merge-diff's
// fieldpath/serialize_test.go, element_test.go and set_test.go (their expectations, in FieldsV1).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deployment } from '../schemas/apps.js';
import { configMap } from '../schemas/core.js';
import { compare } from './compare.js';
import * as sets from './field-set.js';
import { paths, readFields, SetBuilder, type Fields } from './field-set.js';
import { compareElements, elementString, keyElement, pathString, valueElement } from './path-element.js';
import { runNow } from './steps.js';
import { toFieldSet } from './to-field-set.js';

// The operations are walks; these run them at once.
const union = (a: Fields, b: Fields) => runNow(sets.union(a, b));
const difference = (a: Fields, b: Fields) => runNow(sets.difference(a, b));
const recursiveDifference = (a: Fields, b: Fields) => runNow(sets.recursiveDifference(a, b));
const intersection = (a: Fields, b: Fields) => runNow(sets.intersection(a, b));

const json = (v: unknown) => JSON.stringify(v);
const read = (v: unknown) => runNow(readFields(v));

describe('path elements', () => {
  it('writes key fields sorted by name, as compact Go JSON', () => {
    assert.equal(keyElement([['protocol', 'TCP'], ['containerPort', 80]]), 'k:{"containerPort":80,"protocol":"TCP"}');
    assert.equal(keyElement([['name', 'a<b&c']]), 'k:{"name":"a\\u003cb\\u0026c"}');
    assert.equal(valueElement('x'), 'v:"x"');
  });
  it('orders fields, then keys, then values, then indexes', () => {
    const sorted = ['i:1', 'v:"a"', 'k:{"name":"b"}', 'f:b', 'i:0', 'f:a', 'k:{"name":"a"}', 'v:1', 'i:10', 'i:2'].sort(compareElements);
    assert.deepEqual(sorted, ['f:a', 'f:b', 'k:{"name":"a"}', 'k:{"name":"b"}', 'v:1', 'v:"a"', 'i:0', 'i:1', 'i:2', 'i:10']);
  });
  it('orders keys field by field, the shorter first', () => {
    assert.ok(compareElements('k:{"a":1}', 'k:{"a":1,"b":1}') < 0);
    assert.ok(compareElements('k:{"a":2}', 'k:{"a":10}') < 0);
    assert.ok(compareElements('k:{"a":"x"}', 'k:{"b":"a"}') < 0);
  });
  it('renders paths as conflict messages show them', () => {
    assert.equal(pathString(['f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"nginx"}', 'f:image']), '.spec.template.spec.containers[name="nginx"].image');
    assert.equal(elementString('k:{"containerPort":80,"protocol":"TCP"}'), '[containerPort=80,protocol="TCP"]');
    assert.equal(elementString('v:"finalizer"'), '[="finalizer"]');
    assert.equal(elementString('i:3'), '[3]');
  });
});

describe('FieldsV1', () => {
  it('writes `.` last and only where a member has children', () => {
    const b = new SetBuilder();
    b.insert(['f:b']);
    b.insert(['f:a', 'f:y']);
    b.insert(['f:a']);
    b.insert(['f:a', 'f:x']);
    b.insert(['f:c', 'k:{"name":"n"}', 'f:v']);
    assert.equal(json(runNow(b.finish())), '{"f:a":{"f:x":{},"f:y":{},".":{}},"f:b":{},"f:c":{"k:{\\"name\\":\\"n\\"}":{"f:v":{}}}}');
  });
  it('reads any order, re-writes keys canonically and drops unknown prefixes', () => {
    const s = read({ 'f:b': {}, '.': {}, 'k:{"protocol":"TCP", "containerPort":80}': { '.': {}, 'f:x': {} }, 'x:future': {}, 'f:a': { 'z:1': {} }, 'i:02': {} });
    assert.equal(json(s), '{"f:a":{},"f:b":{},"k:{\\"containerPort\\":80,\\"protocol\\":\\"TCP\\"}":{"f:x":{},".":{}},"i:2":{}}');
  });
  it('refuses malformed elements', () => {
    assert.throws(() => read({ 'k:{"a":': {} }));
    assert.throws(() => read({ 'k:[1]': {} }));
    assert.throws(() => read({ f: {} }));
    assert.throws(() => read({ 'i:x': {} }));
    assert.throws(() => read({ 'f:a': 1 }));
  });
});

describe('set operations', () => {
  const s = (o: object) => read(o);
  it('union, difference, intersection', () => {
    const a = s({ 'f:a': {}, 'f:b': { 'f:c': {} } });
    const b = s({ 'f:b': { '.': {}, 'f:d': {} }, 'f:e': {} });
    assert.equal(json(union(a, b)), json(s({ 'f:a': {}, 'f:b': { '.': {}, 'f:c': {}, 'f:d': {} }, 'f:e': {} })));
    assert.equal(json(difference(union(a, b), s({ 'f:b': {} }))), json(s({ 'f:a': {}, 'f:b': { 'f:c': {}, 'f:d': {} }, 'f:e': {} })));
    assert.equal(json(recursiveDifference(union(a, b), s({ 'f:b': {} }))), json(s({ 'f:a': {}, 'f:e': {} })));
    assert.equal(json(intersection(a, b)), '{}');
    assert.equal(json(intersection(union(a, b), s({ 'f:b': { 'f:c': {} } }))), json(s({ 'f:b': { 'f:c': {} } })));
  });
  it('iterates members of a level before its children', () => {
    assert.deepEqual(paths(s({ 'f:a': { 'f:x': {} }, 'f:b': {}, 'f:c': { '.': {}, 'f:y': {} } })).map(pathString), ['.b', '.c', '.a.x', '.c.y']);
  });
});

describe('field sets of objects', () => {
  it('an applied ConfigMap owns its leaves, not its structs (Example A)', () => {
    const set = runNow(toFieldSet({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', labels: { 'test-label': 'test' } }, data: { key: 'some value' } }, configMap));
    const mine = difference(set, read({ 'f:apiVersion': {}, 'f:kind': {}, 'f:metadata': { 'f:name': {} } }));
    assert.equal(json(mine), '{"f:data":{"f:key":{}},"f:metadata":{"f:labels":{"f:test-label":{}}}}');
  });
  it('an applied Deployment: atomic selector, keyed containers and ports with the default protocol (Example B)', () => {
    const config = {
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'nginx' } },
        template: { metadata: { labels: { app: 'nginx' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.14.2', ports: [{ containerPort: 80 }] }] } },
      },
    };
    assert.equal(
      json(runNow(toFieldSet(config, deployment))),
      json({
        'f:spec': {
          'f:replicas': {},
          'f:selector': {},
          'f:template': {
            'f:metadata': { 'f:labels': { 'f:app': {} } },
            'f:spec': {
              'f:containers': {
                'k:{"name":"nginx"}': { 'f:image': {}, 'f:name': {}, 'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { 'f:containerPort': {}, '.': {} } }, '.': {} },
              },
            },
          },
        },
      }),
    );
  });
  it('a created ConfigMap adds its maps, so they record `.`', () => {
    const c = runNow(compare({}, { metadata: { name: 'x', labels: { 'test-label': 'test' } }, data: { key: 'v' } }, configMap));
    const set = difference(union(c.modified, c.added), read({ 'f:metadata': { 'f:name': {} } }));
    assert.equal(json(set), '{"f:data":{"f:key":{},".":{}},"f:metadata":{"f:labels":{"f:test-label":{},".":{}}}}');
  });
  it('struct values Go always holds are not added with their first field', () => {
    const c = runNow(compare({}, { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } }, template: { metadata: { creationTimestamp: null, labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i', resources: {} }] } } } }, deployment));
    assert.equal(
      json(c.added),
      json({
        'f:spec': {
          'f:strategy': { 'f:rollingUpdate': { 'f:maxSurge': {}, '.': {} }, 'f:type': {} },
          'f:template': { 'f:metadata': { 'f:labels': { 'f:a': {}, '.': {} } }, 'f:spec': { 'f:containers': { 'k:{"name":"c"}': { 'f:image': {}, 'f:name': {}, 'f:resources': {}, '.': {} } } } },
        },
      }),
    );
  });
});
