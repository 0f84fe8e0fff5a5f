import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../api/meta.js';
import { goJsonMapError, secrets } from './secrets.js';
import { rejection, T0, testRegistry, type TestRegistry } from './testing.js';

const secret = (name: string, fields: Partial<KubeObject> = {}, annotations?: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, namespace: 'default', ...(annotations ? { annotations } : {}) },
  ...fields,
});
const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('secrets', () => {
  let t: TestRegistry;
  before(() => {
    t = testRegistry([secrets]);
  });
  after(() => t.close());

  it('defaults the type to Opaque and merges stringData into data', async () => {
    const created = await t.store(secrets).create(t.ctx, 'default', secret('s', { data: { a: b64('old'), b: b64('kept') }, stringData: { a: 'new', c: 'ç' } }));
    assert.equal(created.type, 'Opaque');
    assert.deepEqual(created.data, { a: b64('new'), b: b64('kept'), c: b64('ç') });
    assert.equal(created.stringData, undefined);
    const got = await t.store(secrets).get(t.ctx, 'default', 's');
    assert.equal(got.stringData, undefined);
  });

  it('merges stringData on update too', async () => {
    const store = t.store(secrets);
    await store.create(t.ctx, 'default', secret('upd', { data: { a: b64('1') } }));
    const updated = await store.guaranteedUpdate(t.ctx, 'default', 'upd', (cur) => ({ ...cur, stringData: { b: '2' } }));
    assert.deepEqual(updated.data, { a: b64('1'), b: b64('2') });
    assert.equal(updated.stringData, undefined);
  });

  const invalid: [string, KubeObject, string][] = [
    [
      'a service-account-token secret without the account name',
      secret('t', { type: 'kubernetes.io/service-account-token' }),
      'metadata.annotations[kubernetes.io/service-account.name]: Required value',
    ],
    ['a docker config secret without its key', secret('t', { type: 'kubernetes.io/dockerconfigjson' }), 'data[.dockerconfigjson]: Required value'],
    [
      'a docker config that is not JSON',
      secret('t', { type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64('nope') } }),
      `data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": invalid character 'o' in literal null (expecting 'u')`,
    ],
    [
      'a legacy docker config that is a list',
      secret('t', { type: 'kubernetes.io/dockercfg', data: { '.dockercfg': b64('[]') } }),
      'data[.dockercfg]: Invalid value: "<secret contents redacted>": json: cannot unmarshal array into Go value of type map[string]interface {}',
    ],
    ['a basic-auth secret without credentials', secret('t', { type: 'kubernetes.io/basic-auth' }), '[data[username]: Required value, data[password]: Required value]'],
    ['an ssh secret with an empty key', secret('t', { type: 'kubernetes.io/ssh-auth', data: { 'ssh-privatekey': '' } }), 'data[ssh-privatekey]: Required value'],
    ['a TLS secret without its key', secret('t', { type: 'kubernetes.io/tls', data: { 'tls.crt': b64('c') } }), 'data[tls.key]: Required value'],
    [
      'a bad data key',
      secret('t', { data: { 'a b': b64('x') } }),
      `data[a b]: Invalid value: "a b": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
    ],
    ['more than 1 MiB of data', secret('t', { data: { a: b64('x'.repeat(1024 * 1024 + 1)) } }), 'data: Too long: may not be more than 1048576 bytes'],
  ];
  for (const [name, obj, message] of invalid) {
    it(`rejects ${name}`, async () => {
      assert.equal(await rejection(t.store(secrets).create(t.ctx, 'default', obj)), `Secret "t" is invalid: ${message}`);
    });
  }

  it('accepts a legacy token secret that names its account', async () => {
    const created = await t.store(secrets).create(
      t.ctx,
      'default',
      secret('my-app-sa-token', { type: 'kubernetes.io/service-account-token' }, { 'kubernetes.io/service-account.name': 'my-app-sa' }),
    );
    assert.equal(created.type, 'kubernetes.io/service-account-token');
    assert.deepEqual(secrets.table!.cells(created, T0), ['my-app-sa-token', 'kubernetes.io/service-account-token', 0, '0s']);
  });

  it('never changes type, and freezes immutable data', async () => {
    const store = t.store(secrets);
    await store.create(t.ctx, 'default', secret('fixed', { data: { a: b64('1') }, immutable: true }));
    const update = (fields: Partial<KubeObject>) => rejection(store.guaranteedUpdate(t.ctx, 'default', 'fixed', (cur) => ({ ...cur, ...fields })));
    assert.equal(
      await update({ type: 'kubernetes.io/tls', data: { 'tls.crt': b64('c'), 'tls.key': b64('k') } }),
      'Secret "fixed" is invalid: [type: Invalid value: "kubernetes.io/tls": field is immutable, data: Forbidden: field is immutable when `immutable` is set]',
    );
    assert.equal(await update({ immutable: false }), 'Secret "fixed" is invalid: immutable: Forbidden: field is immutable when `immutable` is set');
    assert.equal(await update({ stringData: { a: '2' } }), 'Secret "fixed" is invalid: data: Forbidden: field is immutable when `immutable` is set');
  });

  it('selects by type', async () => {
    const store = t.store(secrets);
    await store.create(t.ctx, 'default', secret('tls', { type: 'kubernetes.io/tls', data: { 'tls.crt': '', 'tls.key': '' } }));
    const { items } = await store.list(t.ctx, 'default', { fieldSelector: 'type=kubernetes.io/tls' });
    assert.deepEqual(items.map((i) => i.metadata.name), ['tls']);
    assert.equal(await rejection(store.list(t.ctx, 'default', { fieldSelector: 'data=x' })), 'field label not supported: data');
  });

  it('refuses data that is not base64', async () => {
    assert.equal(
      await rejection(t.store(secrets).create(t.ctx, 'default', secret('b64', { data: { a: 'Zm9v!' } }))),
      'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 4',
    );
  });

  it('words JSON errors as Go does', () => {
    const cases: [string, string | undefined][] = [
      ['{"auths":{}}', undefined],
      ['null', undefined],
      ['', 'unexpected end of JSON input'],
      ['{"a":', 'unexpected end of JSON input'],
      ['x', "invalid character 'x' looking for beginning of value"],
      ['{a}', "invalid character 'a' looking for beginning of object key string"],
      ['{"a" 1}', "invalid character '1' after object key"],
      ['{"a":1 "b"}', `invalid character '"' after object key:value pair`],
      ['[1 2]', "invalid character '2' after array element"],
      ['{} x', "invalid character 'x' after top-level value"],
      ['"s"', 'json: cannot unmarshal string into Go value of type map[string]interface {}'],
      ['12', 'json: cannot unmarshal number into Go value of type map[string]interface {}'],
      ['true', 'json: cannot unmarshal bool into Go value of type map[string]interface {}'],
      ['-x', "invalid character 'x' in numeric literal"],
      ['{"a":"\\q"}', "invalid character 'q' in string escape code"],
    ];
    for (const [input, want] of cases) assert.equal(goJsonMapError(input), want, input);
  });
});
