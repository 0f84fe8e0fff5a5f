import assert from 'node:assert/strict';
import { it } from 'node:test';
import { errorText } from '../api/field-errors.js';
import { compileSchemaRules, validateCelRules } from './schema-rules.js';

const spec = (props: object, rules: object[], extra: object = {}) => ({
  type: 'object',
  properties: { spec: { type: 'object', properties: props, 'x-kubernetes-validations': rules, ...extra } },
});
const P = 'spec.versions[0].schema.openAPIV3Schema';

it('compile errors are worded as kube-apiserver words them', () => {
  const errs = compileSchemaRules(spec({ a: { type: 'integer' } }, [{ rule: 'self.foo == 1' }, { rule: 'self.a' }, { rule: 'self.a > 1', messageExpression: '1' }]) as never, P).map(errorText);
  assert.deepEqual(errs, [
    `${P}.properties[spec].x-kubernetes-validations[0].rule: Invalid value: apiextensions.ValidationRule{Rule:"self.foo == 1", Message:"", MessageExpression:"", Reason:(*apiextensions.FieldValueErrorReason)(nil), FieldPath:"", OptionalOldSelf:(*bool)(nil)}: compilation failed: ERROR: <input>:1:5: undefined field 'foo'\n | self.foo == 1\n | ....^`,
    `${P}.properties[spec].x-kubernetes-validations[1].rule: Invalid value: apiextensions.ValidationRule{Rule:"self.a", Message:"", MessageExpression:"", Reason:(*apiextensions.FieldValueErrorReason)(nil), FieldPath:"", OptionalOldSelf:(*bool)(nil)}: cel expression must evaluate to a bool`,
    `${P}.properties[spec].x-kubernetes-validations[2].messageExpression: Invalid value: apiextensions.ValidationRule{Rule:"self.a > 1", Message:"", MessageExpression:"1", Reason:(*apiextensions.FieldValueErrorReason)(nil), FieldPath:"", OptionalOldSelf:(*bool)(nil)}: must evaluate to a string`,
  ]);
});

it('rule fields: required rule, message line breaks, reason, fieldPath', () => {
  const errs = compileSchemaRules(spec({ a: { type: 'string' } }, [
    { rule: '' }, { rule: 'true', message: 'a\nb' }, { rule: 'true', reason: 'Nope' }, { rule: 'true', fieldPath: '.b' }, { rule: 'true', fieldPath: '.a' },
  ]) as never, P).map(errorText);
  const at = `${P}.properties[spec].x-kubernetes-validations`;
  assert.deepEqual(errs, [
    `${at}[0].rule: Required value: rule is not specified`,
    `${at}[1].message: Invalid value: "a\\nb": message must not contain line breaks`,
    `${at}[2].reason: Unsupported value: "Nope": supported values: "FieldValueDuplicate", "FieldValueForbidden", "FieldValueInvalid", "FieldValueRequired"`,
    `${at}[3].fieldPath: Invalid value: ".b": fieldPath must be a valid path`,
  ]);
});

it('oldSelf below a list that is not a map list cannot be correlated', () => {
  const schema = { type: 'object', properties: { l: { type: 'array', maxItems: 5, items: { type: 'string', maxLength: 5, 'x-kubernetes-validations': [{ rule: 'self == oldSelf' }] } } } };
  assert.deepEqual(compileSchemaRules(schema as never, P).map(errorText), [
    `${P}.properties[l].items.x-kubernetes-validations[0].rule: Invalid value: "self == oldSelf": oldSelf cannot be used on the uncorrelatable portion of the schema within ${P}.properties[l].items`,
  ]);
});

it('an unbounded rule is rejected by its estimated cost', () => {
  const schema = { type: 'object', properties: { l: { type: 'array', items: { type: 'string' }, 'x-kubernetes-validations': [{ rule: 'self.all(x, self.all(y, x == y))' }] } } };
  const errs = compileSchemaRules(schema as never, P).map(errorText);
  assert.match(errs[0]!, /x-kubernetes-validations\[0\]\.rule: Forbidden: estimated rule cost exceeds budget by factor of more than 100x \(try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared\)$/);
  const bounded = { type: 'object', properties: { l: { type: 'array', maxItems: 10, items: { type: 'string', maxLength: 10 }, 'x-kubernetes-validations': [{ rule: 'self.all(x, self.all(y, x == y))' }] } } };
  assert.deepEqual(compileSchemaRules(bounded as never, P), []);
});

it('failures at each node, with message, messageExpression, reason and fieldPath', () => {
  const schema = spec({ a: { type: 'integer' }, b: { type: 'string' } }, [
    { rule: 'self.a > 1' },
    { rule: 'self.a > 2', message: 'a too small' },
    { rule: 'self.a > 3', messageExpression: '"a is " + string(self.a)' },
    { rule: 'self.a > 4', reason: 'FieldValueForbidden', fieldPath: '.a' },
    { rule: 'self.a > 0' },
  ]);
  assert.deepEqual(validateCelRules(schema as never, { spec: { a: 1 } }, undefined).map(errorText), [
    'spec: Invalid value: "object": failed rule: self.a > 1',
    'spec: Invalid value: "object": a too small',
    'spec: Invalid value: "object": a is 1',
    'spec.a: Forbidden: failed rule: self.a > 4',
  ]);
});

it('transition rules run only with an old value, correlated by map-list keys', () => {
  const schema = {
    type: 'object',
    properties: {
      l: {
        type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['k'],
        items: { type: 'object', properties: { k: { type: 'string' }, v: { type: 'integer', 'x-kubernetes-validations': [{ rule: 'self >= oldSelf', message: 'no decrease' }] } } },
      },
    },
    'x-kubernetes-validations': [{ rule: 'self.metadata.name.startsWith("x")' }, { rule: 'oldSelf.orValue(self).l.size() <= self.l.size()', optionalOldSelf: true }],
  };
  const obj = { apiVersion: 'a/v1', kind: 'K', metadata: { name: 'x1', namespace: 'n' }, l: [{ k: 'a', v: 1 }, { k: 'b', v: 5 }] };
  assert.deepEqual(validateCelRules(schema as never, obj, undefined), []);
  const old = { ...obj, l: [{ k: 'b', v: 6 }, { k: 'a', v: 0 }, { k: 'c', v: 0 }] };
  assert.deepEqual(validateCelRules(schema as never, obj, old).map(errorText), [
    '<nil>: Invalid value: "object": failed rule: oldSelf.orValue(self).l.size() <= self.l.size()',
    'l[1].v: Invalid value: "integer": no decrease',
  ]);
});

it('runtime errors and the cost limits stop as kube-apiserver stops', () => {
  const schema = { type: 'object', properties: { m: { type: 'object', additionalProperties: { type: 'string' }, 'x-kubernetes-validations': [{ rule: 'self.x == "a"' }] } } };
  assert.deepEqual(validateCelRules(schema as never, { m: { y: 'b' } }, undefined).map(errorText), ['m: Invalid value: "object": no such key: x evaluating rule: self.x == "a"']);
  const hostile = { type: 'object', properties: { l: { type: 'array', items: { type: 'string' }, 'x-kubernetes-validations': [{ rule: 'self.all(x, self.all(y, self.all(z, x + y != z)))' }, { rule: 'true' }] } } };
  const big = Array.from({ length: 2000 }, (_, i) => `s${i}`);
  const t = Date.now();
  assert.deepEqual(validateCelRules(hostile as never, { l: big }, undefined).map(errorText), [
    `l: Invalid value: "array": 'operation cancelled: actual cost limit exceeded': no further validation rules will be run due to call cost exceeds limit for rule: self.all(x, self.all(y, self.all(z, x + y != z)))`,
  ]);
  assert.ok(Date.now() - t < 5000, `bounded in time (${Date.now() - t} ms)`);
  assert.deepEqual(validateCelRules({ type: 'object', properties: { l: { type: 'array', items: { type: 'string' }, 'x-kubernetes-validations': [{ rule: 'self.size() > 0' }] } } } as never, { l: ['a'] }, undefined, { budget: 0 }).map(errorText), [
    'l: Invalid value: "array": validation failed due to running out of cost budget, no further validation rules will be run',
  ]);
});

it('a regex that backtracks in JavaScript runs in linear time (RE2)', () => {
  const schema = { type: 'object', properties: { s: { type: 'string', 'x-kubernetes-validations': [{ rule: 'self.matches("^(a+)+$")' }] } } };
  const t = Date.now();
  assert.equal(validateCelRules(schema as never, { s: `${'a'.repeat(5000)}b` }, undefined).length, 1);
  assert.ok(Date.now() - t < 3000);
});

it('optionalOldSelf: oldSelf.value() reads the old object', () => {
  const schema = spec({ a: { type: 'integer' } }, [{ rule: '!oldSelf.hasValue() || oldSelf.value().a <= self.a', message: 'no decrease', optionalOldSelf: true }]);
  assert.deepEqual(compileSchemaRules(schema as never, P), []);
  assert.deepEqual(validateCelRules(schema as never, { spec: { a: 1 } }, undefined), []);
  assert.deepEqual(validateCelRules(schema as never, { spec: { a: 3 } }, { spec: { a: 2 } }), []);
  assert.deepEqual(validateCelRules(schema as never, { spec: { a: 1 } }, { spec: { a: 2 } }).map(errorText), ['spec: Invalid value: "object": no decrease']);
});

it('set and map lists are equal whatever their order; atomic lists are not', () => {
  const rules = [{ rule: 'self.s == oldSelf.s', message: 's' }, { rule: 'self.m == oldSelf.m', message: 'm' }, { rule: 'self.a == oldSelf.a', message: 'a' }, { rule: 'self == oldSelf', message: 'all' }];
  const item = { type: 'object', properties: { k: { type: 'string' }, v: { type: 'integer' } } };
  const schema = spec({
    s: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
    m: { type: 'array', items: item, 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['k'] },
    a: { type: 'array', items: { type: 'integer' } },
  }, rules);
  const old = { spec: { s: ['x', 'y'], m: [{ k: 'a', v: 1 }, { k: 'b', v: 2 }], a: [1, 2] } };
  assert.deepEqual(validateCelRules(schema as never, { spec: { s: ['y', 'x'], m: [{ k: 'b', v: 2 }, { k: 'a', v: 1 }], a: [1, 2] } }, old), []);
  assert.deepEqual(validateCelRules(schema as never, { spec: { s: ['y', 'z'], m: [{ k: 'b', v: 2 }, { k: 'a', v: 3 }], a: [2, 1] } }, old).map(errorText), [
    'spec: Invalid value: "object": s',
    'spec: Invalid value: "object": m',
    'spec: Invalid value: "object": a',
    'spec: Invalid value: "object": all',
  ]);
  const literal = spec({ s: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' } }, [{ rule: "self.s == ['b', 'a'] && self.s != ['a']" }]);
  assert.deepEqual(validateCelRules(literal as never, { spec: { s: ['a', 'b'] } }, undefined), []);
});

it('two-variable comprehensions run on schema values and are estimated like the others', () => {
  const m = { type: 'object', additionalProperties: { type: 'string', maxLength: 10 }, maxProperties: 10, 'x-kubernetes-validations': [{ rule: "self.all(k, v, k != v)" }, { rule: "self.transformMap(k, v, v.size()).all(k, n, n < 5)", message: 'short values' }] };
  const schema = { type: 'object', properties: { m } };
  assert.deepEqual(compileSchemaRules(schema as never, P), []);
  assert.deepEqual(validateCelRules(schema as never, { m: { a: 'b', c: 'dddddd' } }, undefined).map(errorText), ['m: Invalid value: "object": short values']);
  const unbounded = { type: 'object', properties: { l: { type: 'array', items: { type: 'string' }, 'x-kubernetes-validations': [{ rule: 'self.all(i, x, self.all(j, y, x == y))' }] } } };
  assert.match(compileSchemaRules(unbounded as never, P).map(errorText)[0]!, /estimated rule cost exceeds budget by factor of more than 100x/);
});

it('ratcheting: a failing rule without oldSelf on an unchanged value warns instead of failing the update', () => {
  const item = { type: 'object', properties: { k: { type: 'string' }, v: { type: 'integer', 'x-kubernetes-validations': [{ rule: 'self < 10', message: 'v too big' }] } } };
  const schema = {
    type: 'object',
    properties: {
      a: { type: 'integer', 'x-kubernetes-validations': [{ rule: 'self < 10', message: 'a too big' }, { rule: 'self >= oldSelf', message: 'a decreased' }] },
      l: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['k'], items: item },
      t: { type: 'array', items: { type: 'string', 'x-kubernetes-validations': [{ rule: 'self != "bad"', message: 'bad tag' }] } },
    },
  };
  const old = { a: 20, l: [{ k: 'x', v: 50 }, { k: 'y', v: 1 }], t: ['bad', 'ok'] };
  // Unchanged values (map-list items moved, found by key): failures are warnings.
  const warnings: string[] = [];
  assert.deepEqual(validateCelRules(schema as never, { a: 20, l: [{ k: 'y', v: 2 }, { k: 'x', v: 50 }], t: ['bad', 'ok'] }, old, { warnings }), []);
  assert.deepEqual(warnings, ['a: Invalid value: "integer": a too big', 'l[1].v: Invalid value: "integer": v too big', 't[0]: Invalid value: "string": bad tag']);
  // Changed values fail; an uncorrelatable item follows its list, which changed; oldSelf rules are never ratcheted.
  assert.deepEqual(validateCelRules(schema as never, { a: 19, l: [{ k: 'x', v: 51 }, { k: 'z', v: 60 }], t: ['bad', 'ok', 'new'] }, old).map(errorText), [
    'a: Invalid value: "integer": a too big',
    'a: Invalid value: "integer": a decreased',
    'l[0].v: Invalid value: "integer": v too big',
    'l[1].v: Invalid value: "integer": v too big',
    't[0]: Invalid value: "string": bad tag',
  ]);
  // On create, and with ratcheting off, nothing is ratcheted.
  assert.equal(validateCelRules(schema as never, old, undefined).length, 3);
  assert.equal(validateCelRules(schema as never, old, old, { ratcheting: false }).length, 3);
});
