import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../../api/errors.js';
import { applyMergePatch } from './merge-patch.js';

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object') {
    for (const child of Object.values(v)) deepFreeze(child);
    Object.freeze(v);
  }
  return v;
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

describe('applyMergePatch', () => {
  const cases: { name: string; doc: unknown; patch: unknown; want: unknown }[] = [
    // RFC 7386, appendix A
    { name: 'replaces a member', doc: { a: 'b' }, patch: { a: 'c' }, want: { a: 'c' } },
    { name: 'adds a member', doc: { a: 'b' }, patch: { b: 'c' }, want: { a: 'b', b: 'c' } },
    { name: 'null removes a member', doc: { a: 'b' }, patch: { a: null }, want: {} },
    { name: 'null removes only that member', doc: { a: 'b', b: 'c' }, patch: { a: null }, want: { b: 'c' } },
    { name: 'a scalar replaces a list', doc: { a: ['b'] }, patch: { a: 'c' }, want: { a: 'c' } },
    { name: 'a list replaces a scalar', doc: { a: 'c' }, patch: { a: ['b'] }, want: { a: ['b'] } },
    { name: 'objects merge recursively', doc: { a: { b: 'c' } }, patch: { a: { b: 'd', c: null } }, want: { a: { b: 'd' } } },
    { name: 'lists are replaced whole', doc: { a: [{ b: 'c' }] }, patch: { a: [1] }, want: { a: [1] } },
    { name: 'a list patch replaces the document', doc: { a: 'b' }, patch: ['c'], want: ['c'] },
    { name: 'existing nulls are kept', doc: { e: null }, patch: { a: 1 }, want: { e: null, a: 1 } },
    { name: 'a document that is not an object becomes the patch', doc: [1, 2], patch: { a: 'b', c: null }, want: { a: 'b' } },
    { name: 'nulls inside a new value are pruned', doc: {}, patch: { a: { bb: { ccc: null } } }, want: { a: { bb: {} } } },
    // evanphx/json-patch v4 details
    { name: 'null elements of a new list are pruned', doc: {}, patch: { a: [1, null, { b: null, c: 2 }] }, want: { a: [1, { c: 2 }] } },
    { name: 'a null member is merged into as if absent', doc: { a: null }, patch: { a: { b: null, c: 1 } }, want: { a: { c: 1 } } },
    { name: 'a list replacing an object keeps its nulls', doc: { a: { b: 1 } }, patch: { a: [null] }, want: { a: [null] } },
    { name: 'an empty patch changes nothing', doc: { a: { b: 1 } }, patch: {}, want: { a: { b: 1 } } },
    // what kubectl and controllers send
    {
      name: 'a label removed',
      doc: { metadata: { name: 'app-sa', labels: { app: 'web', tier: 'front' } } },
      patch: { metadata: { labels: { tier: null } } },
      want: { metadata: { name: 'app-sa', labels: { app: 'web' } } },
    },
    {
      name: 'all labels removed',
      doc: { metadata: { name: 'app-sa', labels: { app: 'web' } } },
      patch: { metadata: { labels: null } },
      want: { metadata: { name: 'app-sa' } },
    },
    {
      name: 'an annotation changed',
      doc: { metadata: { name: 'app-sa', annotations: { [LAST_APPLIED]: '{"a":1}\n', keep: 'x' } } },
      patch: { metadata: { annotations: { [LAST_APPLIED]: '{"a":2}\n' } } },
      want: { metadata: { name: 'app-sa', annotations: { [LAST_APPLIED]: '{"a":2}\n', keep: 'x' } } },
    },
    {
      name: 'finalizers replaced whole (no strategic merge here)',
      doc: { metadata: { finalizers: ['a', 'b'] } },
      patch: { metadata: { finalizers: ['c'] } },
      want: { metadata: { finalizers: ['c'] } },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(applyMergePatch(deepFreeze(c.doc), deepFreeze(c.patch)), c.want);
    });
  }

  for (const patch of [null, 'bar', 42, true]) {
    it(`rejects a ${JSON.stringify(patch)} patch as the apiserver does`, () => {
      assert.throws(
        () => applyMergePatch({ a: 'foo' }, patch),
        (e: unknown) => e instanceof ApiError && e.code === 400 && e.reason === 'BadRequest' && e.message === 'Invalid JSON Patch',
      );
    });
  }

  it('never shares values with the patch', () => {
    const patch = { spec: { list: [{ a: 1 }] } };
    const got = applyMergePatch({}, patch) as typeof patch;
    got.spec.list[0]!.a = 2;
    assert.equal(patch.spec.list[0]!.a, 1);
  });
});
