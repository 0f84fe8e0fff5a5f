import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../api/meta.js';
import { base64ErrorOffset, configmaps } from './configmaps.js';
import { rejection, T0, testRegistry, type TestRegistry } from './testing.js';

const CONFIG_KEY =
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

const cm = (name: string, fields: Partial<KubeObject> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, ...fields });

describe('configmaps', () => {
  let t: TestRegistry;
  before(() => {
    t = testRegistry([configmaps]);
  });
  after(() => t.close());

  it('stores data and binaryData, and counts both in the table', async () => {
    const created = await t.store(configmaps).create(t.ctx, 'default', cm('app', { data: { 'app.conf': 'x=1' }, binaryData: { 'logo.png': 'iVBORw0=' } }));
    assert.deepEqual(created.data, { 'app.conf': 'x=1' });
    assert.equal(created.binaryData && (created.binaryData as Record<string, string>)['logo.png'], 'iVBORw0=');
    assert.deepEqual(configmaps.table!.cells(created, new Date(T0.getTime() + 5000)), ['app', 2, '5s']);
    assert.deepEqual(configmaps.table!.columns.map((c) => c.name), ['Name', 'Data', 'Age']);
  });

  const invalid: [string, Partial<KubeObject>, string][] = [
    ['a bad key', { data: { 'a b': 'x' } }, `data[a b]: Invalid value: "a b": ${CONFIG_KEY}`],
    ['a key of dots', { data: { '..': 'x' } }, `data[..]: Invalid value: "..": must not be '..'`],
    ['a key in both maps', { data: { k: 'x' }, binaryData: { k: 'eA==' } }, 'data[k]: Invalid value: "k": duplicate of key present in binaryData'],
    ['a bad binary key', { binaryData: { 'a/b': 'eA==' } }, `binaryData[a/b]: Invalid value: "a/b": ${CONFIG_KEY}`],
    ['more than 1 MiB', { data: { a: 'x'.repeat(600 * 1024), b: 'y'.repeat(600 * 1024) } }, ': Too long: may not be more than 1048576 bytes'],
  ];
  for (const [name, fields, message] of invalid) {
    it(`rejects ${name}`, async () => {
      assert.equal(await rejection(t.store(configmaps).create(t.ctx, 'default', cm('bad', fields))), `ConfigMap "bad" is invalid: ${message}`);
    });
  }

  it('refuses binaryData that is not base64, as the decoder does', async () => {
    assert.equal(
      await rejection(t.store(configmaps).create(t.ctx, 'default', cm('b64', { binaryData: { k: 'abc' } }))),
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: illegal base64 data at input byte 0',
    );
  });

  it('freezes an immutable ConfigMap', async () => {
    const store = t.store(configmaps);
    await store.create(t.ctx, 'default', cm('frozen', { data: { a: '1' }, immutable: true }));
    const update = (fields: Partial<KubeObject>) => rejection(store.guaranteedUpdate(t.ctx, 'default', 'frozen', (cur) => ({ ...cur, ...fields })));
    assert.equal(await update({ data: { a: '2' } }), 'ConfigMap "frozen" is invalid: data: Forbidden: field is immutable when `immutable` is set');
    assert.equal(
      await update({ immutable: false, binaryData: { b: 'eA==' } }),
      'ConfigMap "frozen" is invalid: [immutable: Forbidden: field is immutable when `immutable` is set, binaryData: Forbidden: field is immutable when `immutable` is set]',
    );
    const relabelled = await store.guaranteedUpdate(t.ctx, 'default', 'frozen', (cur) => ({ ...cur, metadata: { ...cur.metadata, labels: { x: 'y' } } }));
    assert.deepEqual(relabelled.metadata.labels, { x: 'y' });
  });

  it('lets a mutable ConfigMap change and become immutable', async () => {
    const store = t.store(configmaps);
    await store.create(t.ctx, 'default', cm('soft', { data: { a: '1' } }));
    const changed = await store.guaranteedUpdate(t.ctx, 'default', 'soft', (cur) => ({ ...cur, data: { a: '2' }, immutable: true }));
    assert.deepEqual([changed.data, changed.immutable], [{ a: '2' }, true]);
  });

  it('retries a write without a precondition on the object another writer just changed', async () => {
    const store = t.store(configmaps);
    await store.create(t.ctx, 'default', cm('raced', { data: { a: '1' } }));
    // The first attempt is overtaken by another write between its read and its write.
    let attempts = 0;
    const patched = await store.guaranteedUpdate(t.ctx, 'default', 'raced', async (cur) => {
      if (attempts++ === 0) await store.update(t.ctx, 'default', 'raced', { ...cur, data: { ...(cur.data as object), other: 'x' } });
      return { ...cur, data: { ...(cur.data as object), mine: 'y' } };
    });
    assert.equal(attempts, 2);
    assert.deepEqual(patched.data, { a: '1', other: 'x', mine: 'y' });
    // The same race with the resourceVersion the writer read is a Conflict.
    const stale = await store.get(t.ctx, 'default', 'raced');
    const raced = store.guaranteedUpdate(t.ctx, 'default', 'raced', async (cur) => {
      await store.update(t.ctx, 'default', 'raced', { ...cur, data: { b: '2' } });
      return { ...cur, metadata: { ...cur.metadata, resourceVersion: stale.metadata.resourceVersion }, data: { b: '3' } };
    });
    assert.equal(await rejection(raced), 'Operation cannot be fulfilled on configmaps "raced": the object has been modified; please apply your changes to the latest version and try again');
  });

  it('takes resourceVersion "0" in an update as no precondition, and a stale one as a Conflict', async () => {
    const store = t.store(configmaps);
    const created = await store.create(t.ctx, 'default', cm('zero', { data: { a: '1' } }));
    await store.update(t.ctx, 'default', 'zero', { ...created, data: { a: '2' } });
    const { object } = await store.update(t.ctx, 'default', 'zero', { ...created, metadata: { ...created.metadata, resourceVersion: '0' }, data: { a: '3' } });
    assert.deepEqual(object.data, { a: '3' });
    assert.equal(
      await rejection(store.update(t.ctx, 'default', 'zero', { ...created, data: { a: '4' } })),
      'Operation cannot be fulfilled on configmaps "zero": the object has been modified; please apply your changes to the latest version and try again',
    );
  });

  it('finds base64 errors where Go does', () => {
    const cases: [string, number][] = [
      ['', -1],
      ['eA==', -1],
      ['eHk=', -1],
      ['eHl6', -1],
      ['eHl6\neHl6', -1],
      ['abc', 0],
      ['a', 0],
      ['ab=c', 2],
      ['a===', 1],
      ['eA==x', 4],
      ['e!==', 1],
      ['eA=', 3],
    ];
    for (const [input, offset] of cases) assert.equal(base64ErrorOffset(input), offset, JSON.stringify(input));
  });
});

describe('Store.view', () => {
  let t: TestRegistry;
  before(() => {
    t = testRegistry([configmaps]);
  });
  after(() => t.close());

  it('is shared and frozen while the object is unchanged, and follows every change', async () => {
    const store = t.store(configmaps);
    await store.create(t.ctx, 'default', cm('shared', { data: { a: '1' } }));
    const first = await store.view(t.ctx, 'default', 'shared');
    assert.equal(await store.view(t.ctx, 'default', 'shared'), first);
    assert.ok(Object.isFrozen(first) && Object.isFrozen(first.metadata) && Object.isFrozen(first.data));
    assert.throws(() => ((first.data as Record<string, string>).a = '2'), TypeError);
    const mutable = await store.get(t.ctx, 'default', 'shared');
    assert.ok(!Object.isFrozen(mutable));
    await store.update(t.ctx, 'default', 'shared', { ...mutable, data: { a: '2' } });
    const second = await store.view(t.ctx, 'default', 'shared');
    assert.notEqual(second, first);
    assert.deepEqual(second.data, { a: '2' });
    assert.equal(second.metadata.resourceVersion, (await store.get(t.ctx, 'default', 'shared')).metadata.resourceVersion);
    await store.delete(t.ctx, 'default', 'shared', {});
    await assert.rejects(store.view(t.ctx, 'default', 'shared'), /not found/);
  });
});
