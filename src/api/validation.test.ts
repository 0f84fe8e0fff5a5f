import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { errorText, type FieldError } from './field-errors.js';
import type { ObjectMeta } from './meta.js';
import {
  finalizerWarnings,
  isCIdentifier,
  isConfigMapKey,
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isEnvVarName,
  isHTTPHeaderName,
  isQualifiedName,
  isValidLabelValue,
  isValidPercent,
  isValidPortName,
  isValidPortNum,
  validateImmutableField,
  validateName,
  validateNonnegative,
  validateObjectMeta,
  validateObjectMetaUpdate,
} from './validation.js';

const LABEL_1123 =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_1035 =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const QUALIFIED =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const CONFIG_KEY =
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
const ENV_VAR =
  "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')";

type Check = (v: string) => string[];

/** Each row: checker, input, expected messages (valid inputs and rejections from validation_test.go). */
const rows: [string, Check, string, string[]][] = [
  ['isDNS1123Label', isDNS1123Label, 'a--1--2--b', []],
  ['isDNS1123Label', isDNS1123Label, '0', []],
  ['isDNS1123Label', isDNS1123Label, 'a'.repeat(63), []],
  ['isDNS1123Label', isDNS1123Label, 'a'.repeat(64), ['must be no more than 63 characters']],
  ['isDNS1123Label', isDNS1123Label, '', [LABEL_1123]],
  ['isDNS1123Label', isDNS1123Label, 'aBc', [LABEL_1123]],
  ['isDNS1123Label', isDNS1123Label, 'a_b', [LABEL_1123]],
  ['isDNS1123Label', isDNS1123Label, 'a-', [LABEL_1123]],
  ['isDNS1123Label', isDNS1123Label, 'a.b', ['must not contain dots']],
  ['isDNS1123Label', isDNS1123Label, `${'a'.repeat(63)}.b`, ['must be no more than 63 characters', 'must not contain dots']],
  ['isDNS1123Subdomain', isDNS1123Subdomain, 'a.b.c', []],
  ['isDNS1123Subdomain', isDNS1123Subdomain, '0.a', []],
  ['isDNS1123Subdomain', isDNS1123Subdomain, 'a..b', [SUBDOMAIN]],
  ['isDNS1123Subdomain', isDNS1123Subdomain, 'A.b', [SUBDOMAIN]],
  ['isDNS1123Subdomain', isDNS1123Subdomain, 'a'.repeat(254), ['must be no more than 253 characters']],
  ['isDNS1035Label', isDNS1035Label, 'a-1', []],
  ['isDNS1035Label', isDNS1035Label, '1a', [LABEL_1035]],
  ['isQualifiedName', isQualifiedName, 'simple', []],
  ['isQualifiedName', isQualifiedName, 'now-with-dashes', []],
  ['isQualifiedName', isQualifiedName, '1-starts-with-num', []],
  ['isQualifiedName', isQualifiedName, 'example.com/MixedCase', []],
  ['isQualifiedName', isQualifiedName, 'a'.repeat(253) + '/' + 'b'.repeat(63), []],
  ['isQualifiedName', isQualifiedName, '', ['name part must be non-empty', `name part ${QUALIFIED}`]],
  ['isQualifiedName', isQualifiedName, 'nospecialchars%^=@', [`name part ${QUALIFIED}`]],
  ['isQualifiedName', isQualifiedName, '/simple', ['prefix part must be non-empty']],
  ['isQualifiedName', isQualifiedName, 'Example.com/x', [`prefix part ${SUBDOMAIN}`]],
  ['isQualifiedName', isQualifiedName, 'example.com/', ['name part must be non-empty', `name part ${QUALIFIED}`]],
  ['isQualifiedName', isQualifiedName, 'a'.repeat(64), ['name part must be no more than 63 characters']],
  [
    'isQualifiedName',
    isQualifiedName,
    'a/b/c',
    [`a qualified name ${QUALIFIED} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`],
  ],
  ['isValidLabelValue', isValidLabelValue, '', []],
  ['isValidLabelValue', isValidLabelValue, 'Now_with.a-mix', []],
  ['isValidLabelValue', isValidLabelValue, 'nospecialchars%^=@', [LABEL_VALUE]],
  ['isValidLabelValue', isValidLabelValue, 'a'.repeat(64), ['must be no more than 63 characters']],
  ['isConfigMapKey', isConfigMapKey, 'KEY_name-1.x', []],
  ['isConfigMapKey', isConfigMapKey, 'a b', [CONFIG_KEY]],
  ['isConfigMapKey', isConfigMapKey, '.', ["must not be '.'"]],
  ['isConfigMapKey', isConfigMapKey, '..', ["must not be '..'"]],
  ['isConfigMapKey', isConfigMapKey, '..a', ["must not start with '..'"]],
  ['isEnvVarName', isEnvVarName, 'MY_ENV.NAME', []],
  ['isEnvVarName', isEnvVarName, '1a', [ENV_VAR]],
  ['isEnvVarName', isEnvVarName, '..x', ["must not start with '..'"]],
  [
    'isCIdentifier',
    isCIdentifier,
    '1a',
    [
      "a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric characters or '_' (e.g. 'my_name',  or 'MY_NAME',  or 'MyName', regex used for validation is '[A-Za-z_][A-Za-z0-9_]*')",
    ],
  ],
  ['isValidPercent', isValidPercent, '93%', []],
  [
    'isValidPercent',
    isValidPercent,
    '93',
    ["a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"],
  ],
  [
    'isHTTPHeaderName',
    isHTTPHeaderName,
    'X_Header',
    ["a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')"],
  ],
  ['isValidPortName', isValidPortName, 'http', []],
  ['isValidPortName', isValidPortName, '', ['must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)', 'must contain at least one letter (a-z)']],
  ['isValidPortName', isValidPortName, '-a--b', ['must not contain consecutive hyphens', 'must not begin or end with a hyphen']],
  ['isValidPortName', isValidPortName, '1234', ['must contain at least one letter (a-z)']],
  ['isValidPortName', isValidPortName, 'longerthan15char', ['must be no more than 15 characters']],
];

describe('format checks', () => {
  for (const [name, check, input, want] of rows) {
    it(`${name}(${JSON.stringify(input.length > 20 ? `${input.slice(0, 20)}…` : input)})`, () => assert.deepEqual(check(input), want));
  }
  it('isValidPortNum', () => {
    assert.deepEqual(isValidPortNum(1), []);
    assert.deepEqual(isValidPortNum(0), ['must be between 1 and 65535, inclusive']);
    assert.deepEqual(isValidPortNum(65536), ['must be between 1 and 65535, inclusive']);
  });
});

describe('validateName', () => {
  const cases: [string, Parameters<typeof validateName>[1], boolean, string[]][] = [
    ['foo-', 'subdomain', true, []],
    ['foo-', 'subdomain', false, [SUBDOMAIN]],
    ['Foo-', 'subdomain', true, [SUBDOMAIN]],
    ['-', 'subdomain', true, [SUBDOMAIN]],
    ['a.b-', 'label', true, ['must not contain dots']],
    ['web-', 'dns1035-label', true, []],
    ['1web', 'dns1035-label', false, [LABEL_1035]],
    ['system:admin', 'path-segment', false, []],
    ['.', 'path-segment', false, ["may not be '.'"]],
    ['..', 'path-segment', false, ["may not be '..'"]],
    ['.', 'path-segment', true, []],
    ['a/b%c', 'path-segment', false, ["may not contain '/'", "may not contain '%'"]],
    ['a/b', 'path-segment', true, ["may not contain '/'"]],
  ];
  for (const [name, rule, prefix, want] of cases) {
    it(`${rule} ${JSON.stringify(name)}${prefix ? ' (prefix)' : ''}`, () => assert.deepEqual(validateName(name, rule, prefix), want));
  }
});

const texts = (errs: FieldError[]): string[] => errs.map(errorText);
const ns = { namespaced: true, nameRule: 'subdomain' } as const;
const cluster = { namespaced: false, nameRule: 'subdomain' } as const;

describe('validateObjectMeta', () => {
  const cases: [string, ObjectMeta, typeof ns | typeof cluster, string[]][] = [
    ['valid', { name: 'a', namespace: 'default', labels: { app: 'x' }, finalizers: ['kubernetes', 'example.com/x'] }, ns, []],
    ['no name', { namespace: 'default' }, ns, ['metadata.name: Required value: name or generateName is required']],
    [
      'bad generateName',
      { generateName: 'Foo-', name: 'Foo-x1' },
      cluster,
      [`metadata.generateName: Invalid value: "Foo-": ${SUBDOMAIN}`, `metadata.name: Invalid value: "Foo-x1": ${SUBDOMAIN}`],
    ],
    ['no namespace', { name: 'a' }, ns, ['metadata.namespace: Required value']],
    ['dotted namespace', { name: 'a', namespace: 'foo.bar' }, ns, ['metadata.namespace: Invalid value: "foo.bar": must not contain dots']],
    ['namespace on cluster type', { name: 'a', namespace: 'x' }, cluster, ['metadata.namespace: Forbidden: not allowed on this type']],
    ['negative generation', { name: 'a', generation: -1 }, cluster, ['metadata.generation: Invalid value: -1: must be greater than or equal to 0']],
    ['bad label', { name: 'a', labels: { 'a b': 'x' } }, cluster, [`metadata.labels: Invalid value: "a b": name part ${QUALIFIED}`]],
    ['annotation keys ignore case', { name: 'a', annotations: { 'Example.COM/Key': 'x' } }, cluster, []],
    ['bad annotation key', { name: 'a', annotations: { 'Bad Key': 'x' } }, cluster, [`metadata.annotations: Invalid value: "Bad Key": name part ${QUALIFIED}`]],
    ['annotations too large', { name: 'a', annotations: { a: 'x'.repeat(262144) } }, cluster, ['metadata.annotations: Too long: may not be more than 262144 bytes']],
    ['annotations at the limit', { name: 'a', annotations: { a: 'x'.repeat(262143) } }, cluster, []],
    [
      'empty owner reference',
      { name: 'a', ownerReferences: [{ apiVersion: 'foo/', kind: '', name: '', uid: '' }] },
      cluster,
      [
        'metadata.ownerReferences.apiVersion: Invalid value: "foo/": version must not be empty',
        'metadata.ownerReferences.kind: Invalid value: "": must not be empty',
        'metadata.ownerReferences.name: Invalid value: "": must not be empty',
        'metadata.ownerReferences.uid: Invalid value: "": must not be empty',
      ],
    ],
    [
      'conflicting finalizers',
      { name: 'a', finalizers: ['orphan', 'foregroundDeletion'] },
      cluster,
      ['metadata.finalizers: Invalid value: []string{"orphan", "foregroundDeletion"}: finalizer orphan and foregroundDeletion cannot be both set'],
    ],
    [
      'unqualified finalizer',
      { name: 'a', finalizers: ['example.com/ok', 'cleanup'] },
      cluster,
      ['metadata.finalizers[1]: Invalid value: "cleanup": name is neither a standard finalizer name nor is it fully qualified'],
    ],
    [
      'malformed finalizer',
      { name: 'a', finalizers: ['a/b/c'] },
      cluster,
      [`metadata.finalizers: Invalid value: "a/b/c": a qualified name ${QUALIFIED} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`],
    ],
    [
      'managed fields',
      { name: 'a', managedFields: [{ operation: 'Bogus', manager: 'm\t', fieldsType: 'FieldsV2' }] },
      cluster,
      [
        'metadata.managedFields[0].operation: Invalid value: "Bogus": must be `Apply` or `Update`',
        'metadata.managedFields[0].fieldsType: Invalid value: "FieldsV2": must be `FieldsV1`',
        'metadata.managedFields[0].manager: Invalid value: "m\\t": invalid character U+0009 (at position 1)',
      ],
    ],
  ];
  for (const [name, meta, opts, want] of cases) {
    it(name, () => assert.deepEqual(texts(validateObjectMeta(meta, opts)), want));
  }

  it('names a second controller reference', () => {
    const ref = (kind: string, controller: boolean) => ({ apiVersion: 'v1', kind, name: 'n', uid: kind, controller });
    const errs = validateObjectMeta({ name: 'a', ownerReferences: [ref('A', false), ref('B', true), ref('C', true)] }, cluster);
    assert.equal(errs.length, 1);
    assert.equal(errs[0]!.field, 'metadata.ownerReferences');
    assert.equal(errs[0]!.detail, 'Only one reference can have Controller set to true. Found "true" in references for B/n and C/n');
  });

  it('rejects Events as owners', () => {
    const errs = validateObjectMeta({ name: 'a', ownerReferences: [{ apiVersion: 'v1', kind: 'Event', name: 'e', uid: '1' }] }, cluster);
    assert.deepEqual(errs.map((e) => e.detail), ['/v1, Kind=Event is disallowed from being an owner']);
  });

  it('custom resources warn about unqualified finalizers instead', () => {
    assert.deepEqual(validateObjectMeta({ name: 'a', finalizers: ['cleanup'] }, { ...cluster, customResource: true }), []);
    assert.deepEqual(finalizerWarnings(['cleanup', 'orphan', 'x/y']), [
      'metadata.finalizers: "cleanup": prefer a domain-qualified finalizer name to avoid accidental conflicts with other finalizer writers',
    ]);
  });

  it('uses the path-segment rule for RBAC names', () => {
    const rbac = { namespaced: false, nameRule: 'path-segment' } as const;
    assert.deepEqual(validateObjectMeta({ name: 'system:admin' }, rbac), []);
    assert.deepEqual(texts(validateObjectMeta({ name: 'a/b' }, rbac)), [`metadata.name: Invalid value: "a/b": may not contain '/'`]);
  });
});

describe('validateObjectMetaUpdate', () => {
  const old: ObjectMeta = { name: 'a', namespace: 'ns', uid: 'u1', resourceVersion: '5', generation: 2, creationTimestamp: '2024-05-01T10:00:00Z' };
  const cases: [string, ObjectMeta, ObjectMeta, string[]][] = [
    ['unchanged', { ...old }, old, []],
    ['generation grows', { ...old, generation: 3 }, old, []],
    ['no resourceVersion', { ...old, resourceVersion: '' }, old, ['metadata.resourceVersion: Invalid value: "": must be specified for an update']],
    ['generation decremented', { ...old, generation: 1 }, old, ['metadata.generation: Invalid value: 1: must not be decremented']],
    ['renamed', { ...old, name: 'b' }, old, ['metadata.name: Invalid value: "b": field is immutable']],
    ['moved', { ...old, namespace: 'other' }, old, ['metadata.namespace: Invalid value: "other": field is immutable']],
    ['new uid', { ...old, uid: 'u2' }, old, ['metadata.uid: Invalid value: "u2": field is immutable']],
    [
      'grace period changed',
      { ...old, deletionGracePeriodSeconds: 40 },
      { ...old, deletionGracePeriodSeconds: 30 },
      ['metadata.deletionGracePeriodSeconds: Invalid value: 40: field is immutable'],
    ],
    [
      'finalizer added while deleting',
      { ...old, deletionTimestamp: '2024-05-02T00:00:00Z', finalizers: ['x/a', 'y/b', 'x/c'] },
      { ...old, deletionTimestamp: '2024-05-02T00:00:00Z', finalizers: ['x/a'] },
      ['metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"x/c", "y/b"}'],
    ],
    [
      'finalizer removed while deleting',
      { ...old, deletionTimestamp: '2024-05-02T00:00:00Z', finalizers: [] },
      { ...old, deletionTimestamp: '2024-05-02T00:00:00Z', finalizers: ['x/a'] },
      [],
    ],
    ['unqualified finalizer', { ...old, finalizers: ['cleanup'] }, old, ['metadata.finalizers[0]: Invalid value: "cleanup": name is neither a standard finalizer name nor is it fully qualified']],
    ['bad label', { ...old, labels: { a: '-' } }, old, [`metadata.labels: Invalid value: "-": ${LABEL_VALUE}`]],
  ];
  for (const [name, meta, before, want] of cases) {
    it(name, () => assert.deepEqual(texts(validateObjectMetaUpdate(meta, before)), want));
  }

  it('timestamps are immutable and print as Go prints a metav1.Time', () => {
    const created = validateObjectMetaUpdate({ ...old, creationTimestamp: '2024-05-01T10:00:01Z' }, old);
    assert.deepEqual(
      created.map((e) => [e.field, e.value, e.detail]),
      [['metadata.creationTimestamp', '2024-05-01 10:00:01 +0000 UTC', 'field is immutable']],
    );
    const set = validateObjectMetaUpdate({ ...old, deletionTimestamp: '1970-01-01T00:16:40Z' }, old);
    assert.deepEqual(set.map((e) => [e.field, e.value]), [['metadata.deletionTimestamp', '1970-01-01 00:16:40 +0000 UTC']]);
    const cleared = validateObjectMetaUpdate(old, { ...old, deletionTimestamp: '1970-01-01T00:16:40Z' });
    assert.deepEqual(cleared.map((e) => [e.field, e.value]), [['metadata.deletionTimestamp', null]]);
    assert.deepEqual(validateObjectMetaUpdate({ ...old, creationTimestamp: '2024-05-01T10:00:00.000Z' }, old), []);
  });
});

describe('generic checks', () => {
  it('validateImmutableField', () => {
    assert.deepEqual(validateImmutableField({ a: 1 }, { a: 1 }, 'spec.x'), []);
    assert.deepEqual(texts(validateImmutableField('b', 'a', 'spec.x')), ['spec.x: Invalid value: "b": field is immutable']);
  });
  it('validateNonnegative', () => {
    assert.deepEqual(validateNonnegative(0, 'spec.n'), []);
    assert.deepEqual(texts(validateNonnegative(-3, 'spec.n')), ['spec.n: Invalid value: -3: must be greater than or equal to 0']);
  });
});
