import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../../api/errors.js';
import { applyJsonPatch } from './json-patch.js';

const REJECTED = 'the server rejected our request due to an error in our request';

const sa = () => ({
  apiVersion: 'v1',
  kind: 'ServiceAccount',
  metadata: { name: 'app', namespace: 'default', resourceVersion: '7', labels: { app: 'web' }, annotations: { 'example.com/owner': 'a', 'x~y': 'b' } },
  secrets: [{ name: 's0' }, { name: 's1' }, { name: 's2' }],
});

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object') {
    for (const child of Object.values(v)) deepFreeze(child);
    Object.freeze(v);
  }
  return v;
}

describe('applyJsonPatch: applies', () => {
  // Each case edits a fresh copy of the document into the expected result.
  type Doc = Record<string, any>;
  const cases: { name: string; patch: unknown; edit?: (d: Doc) => void; want?: unknown }[] = [
    { name: 'add a member', patch: [{ op: 'add', path: '/metadata/labels/tier', value: 'front' }], edit: (d) => { d.metadata.labels.tier = 'front'; } },
    { name: 'add replaces an existing member', patch: [{ op: 'add', path: '/metadata/labels/app', value: 'api' }], edit: (d) => { d.metadata.labels.app = 'api'; } },
    { name: 'add inserts at an index', patch: [{ op: 'add', path: '/secrets/1', value: { name: 'new' } }], edit: (d) => { d.secrets.splice(1, 0, { name: 'new' }); } },
    { name: 'add appends with -', patch: [{ op: 'add', path: '/secrets/-', value: { name: 'new' } }], edit: (d) => { d.secrets.push({ name: 'new' }); } },
    { name: 'add at -1 appends (negative indices)', patch: [{ op: 'add', path: '/secrets/-1', value: { name: 'new' } }], edit: (d) => { d.secrets.push({ name: 'new' }); } },
    { name: 'add without value adds null', patch: [{ op: 'add', path: '/automountServiceAccountToken' }], edit: (d) => { d.automountServiceAccountToken = null; } },
    { name: 'remove a member', patch: [{ op: 'remove', path: '/metadata/labels' }], edit: (d) => { delete d.metadata.labels; } },
    { name: 'remove an element', patch: [{ op: 'remove', path: '/secrets/0' }], edit: (d) => { d.secrets.shift(); } },
    { name: 'remove a negative index', patch: [{ op: 'remove', path: '/secrets/-1' }], edit: (d) => { d.secrets.pop(); } },
    { name: 'replace a member', patch: [{ op: 'replace', path: '/metadata/labels/app', value: 'api' }], edit: (d) => { d.metadata.labels.app = 'api'; } },
    { name: 'replace of a missing member adds it', patch: [{ op: 'replace', path: '/metadata/uid', value: 'u' }], edit: (d) => { d.metadata.uid = 'u'; } },
    { name: 'replace an element', patch: [{ op: 'replace', path: '/secrets/2', value: { name: 'z' } }], edit: (d) => { d.secrets[2] = { name: 'z' }; } },
    { name: 'replace the whole document', patch: [{ op: 'replace', path: '', value: { kind: 'X' } }], want: { kind: 'X' } },
    {
      name: '~1 and ~0 escapes',
      patch: [{ op: 'replace', path: '/metadata/annotations/example.com~1owner', value: 'c' }, { op: 'remove', path: '/metadata/annotations/x~0y' }],
      edit: (d) => { d.metadata.annotations = { 'example.com/owner': 'c' }; },
    },
    { name: 'move', patch: [{ op: 'move', from: '/metadata/labels/app', path: '/metadata/annotations/app' }], edit: (d) => { delete d.metadata.labels.app; d.metadata.annotations.app = 'web'; } },
    { name: 'move within an array', patch: [{ op: 'move', from: '/secrets/0', path: '/secrets/-' }], edit: (d) => { d.secrets.push(d.secrets.shift()); } },
    { name: 'copy', patch: [{ op: 'copy', from: '/secrets/0', path: '/secrets/-' }], edit: (d) => { d.secrets.push({ name: 's0' }); } },
    { name: 'copy of a missing member copies null', patch: [{ op: 'copy', from: '/metadata/uid', path: '/metadata/labels/uid' }], edit: (d) => { d.metadata.labels.uid = null; } },
    {
      name: 'test then replace (a resourceVersion precondition)',
      patch: [{ op: 'test', path: '/metadata/resourceVersion', value: '7' }, { op: 'replace', path: '/metadata/labels', value: {} }],
      edit: (d) => { d.metadata.labels = {}; },
    },
    { name: 'test of an object', patch: [{ op: 'test', path: '/secrets/1', value: { name: 's1' } }] },
    { name: 'test of a missing member against null', patch: [{ op: 'test', path: '/metadata/uid', value: null }] },
    { name: 'test of the whole document', patch: [{ op: 'test', path: '', value: sa() }] },
    { name: 'a null body is an empty patch', patch: null },
  ];
  for (const c of cases) {
    it(c.name, () => {
      let want: unknown = c.want;
      if (want === undefined) {
        const d: Doc = sa();
        c.edit?.(d);
        want = d;
      }
      assert.deepEqual(applyJsonPatch(deepFreeze(sa()), deepFreeze(c.patch)), want);
    });
  }

  it('never mutates its inputs, nor shares values with the patch', () => {
    const patch = [{ op: 'add', path: '/metadata/labels/x', value: { deep: ['v'] } }, { op: 'add', path: '/metadata/labels/x/deep/-', value: 'w' }];
    const before = JSON.stringify(patch);
    const got = applyJsonPatch(deepFreeze(sa()), patch) as ReturnType<typeof sa>;
    assert.deepEqual((got.metadata.labels as Record<string, unknown>).x, { deep: ['v', 'w'] });
    assert.equal(JSON.stringify(patch), before);
  });
});

describe('applyJsonPatch: rejects', () => {
  const cases: { name: string; patch: unknown; code: number; reason: string; message?: string; cause?: string }[] = [
    { name: 'an object body', patch: { op: 'add' }, code: 400, reason: 'BadRequest', message: 'json: cannot unmarshal object into Go value of type jsonpatch.Patch' },
    { name: 'a string body', patch: 'x', code: 400, reason: 'BadRequest', message: 'json: cannot unmarshal string into Go value of type jsonpatch.Patch' },
    { name: 'an operation that is not an object', patch: [1], code: 400, reason: 'BadRequest', message: 'json: cannot unmarshal number into Go value of type jsonpatch.Operation' },
    { name: 'an unknown op', patch: [{ op: 'frobnicate', path: '/a' }], code: 422, reason: 'Invalid', cause: 'Unexpected kind: frobnicate' },
    { name: 'a missing op', patch: [{ path: '/a' }], code: 422, reason: 'Invalid', cause: 'Unexpected kind: unknown' },
    { name: 'add without path', patch: [{ op: 'add', value: 1 }], code: 422, reason: 'Invalid', cause: 'add operation failed to decode path: missing value' },
    { name: 'replace without path', patch: [{ op: 'replace', value: 1 }], code: 422, reason: 'Invalid', cause: 'replace operation failed to decode path: operation missing path field: missing value' },
    { name: 'a path that is not a string', patch: [{ op: 'test', path: 3 }], code: 422, reason: 'Invalid', cause: 'test operation failed to decode path: json: cannot unmarshal number into Go value of type string' },
    { name: 'add under a missing parent', patch: [{ op: 'add', path: '/spec/template/x', value: 1 }], code: 422, reason: 'Invalid', cause: 'add operation does not apply: doc is missing path: "/spec/template/x": missing value' },
    { name: 'remove of a missing member', patch: [{ op: 'remove', path: '/metadata/labels/nope' }], code: 422, reason: 'Invalid', cause: "error in remove for path: '/metadata/labels/nope': Unable to remove nonexistent key: nope: missing value" },
    { name: 'remove of a non-numeric index', patch: [{ op: 'remove', path: '/secrets/x' }], code: 422, reason: 'Invalid', cause: `error in remove for path: '/secrets/x': strconv.Atoi: parsing "x": invalid syntax` },
    { name: 'add past the end', patch: [{ op: 'add', path: '/secrets/4', value: 1 }], code: 422, reason: 'Invalid', cause: "error in add for path: '/secrets/4': Unable to access invalid index: 4: invalid index referenced" },
    { name: 'add at a bad index', patch: [{ op: 'add', path: '/secrets/x', value: 1 }], code: 422, reason: 'Invalid', cause: `error in add for path: '/secrets/x': value was not a proper array index: 'x': strconv.Atoi: parsing "x": invalid syntax` },
    { name: 'replace past the end', patch: [{ op: 'replace', path: '/secrets/3', value: 1 }], code: 422, reason: 'Invalid', cause: 'replace operation does not apply: doc is missing key: /secrets/3: missing value' },
    { name: 'a failed test', patch: [{ op: 'test', path: '/metadata/resourceVersion', value: '6' }], code: 422, reason: 'Invalid', cause: 'testing value /metadata/resourceVersion failed: test failed' },
    { name: 'a test without value on a present member', patch: [{ op: 'test', path: '/kind' }], code: 422, reason: 'Invalid', cause: 'testing value /kind failed: test failed' },
    { name: 'a test under a missing parent', patch: [{ op: 'test', path: '/spec/x', value: 1 }], code: 422, reason: 'Invalid', cause: 'test operation does not apply: is missing path: /spec/x: missing value' },
    { name: 'move without from', patch: [{ op: 'move', path: '/a' }], code: 422, reason: 'Invalid', cause: 'move operation failed to decode from: operation, missing from field: missing value' },
    { name: 'move of a missing member', patch: [{ op: 'move', from: '/metadata/uid', path: '/a' }], code: 422, reason: 'Invalid', cause: "error in move for path: 'uid': Unable to remove nonexistent key: uid: missing value" },
    { name: 'move into its own child', patch: [{ op: 'move', from: '/metadata', path: '/metadata/x' }], code: 422, reason: 'Invalid', cause: 'move operation does not apply: doc is missing destination path: /metadata/x: missing value' },
    { name: 'copy from a missing parent', patch: [{ op: 'copy', from: '/spec/a', path: '/b' }], code: 422, reason: 'Invalid', cause: 'copy operation does not apply: doc is missing from path: /spec/a: missing value' },
    { name: 'remove of the root', patch: [{ op: 'remove', path: '' }], code: 422, reason: 'Invalid', cause: 'remove operation does not apply: doc is missing path: "": missing value' },
    { name: 'more than 10000 operations', patch: Array.from({ length: 10001 }, () => ({ op: 'test', path: '/kind', value: 'ServiceAccount' })), code: 413, reason: 'RequestEntityTooLarge', message: 'Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.throws(
        () => applyJsonPatch(sa(), c.patch),
        (e: unknown) => {
          assert.ok(e instanceof ApiError);
          assert.equal(e.code, c.code);
          assert.equal(e.reason, c.reason);
          assert.equal(e.message, c.message ?? REJECTED);
          if (c.cause !== undefined) assert.equal((e.cause as Error).message, c.cause);
          return true;
        },
      );
    });
  }

  it('answers a failed operation with the Status the apiserver sends', () => {
    try {
      applyJsonPatch(sa(), [{ op: 'test', path: '/kind', value: 'Pod' }]);
      assert.fail('expected an error');
    } catch (e) {
      assert.ok(e instanceof ApiError);
      assert.deepEqual(e.toStatus(), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: REJECTED, reason: 'Invalid', details: {}, code: 422 });
    }
  });
});

describe('applyJsonPatch: bounded work', () => {
  const refused = (doc: unknown, patch: unknown, cause: RegExp) =>
    assert.throws(
      () => applyJsonPatch(doc, patch),
      (e: unknown) => e instanceof ApiError && e.code === 422 && e.reason === 'Invalid' && e.message === REJECTED && cause.test((e.cause as Error).message),
    );

  it('refuses copies that add more than 3 MiB, as JSONPatchMaxCopyBytes does (a copy doubling an array)', () => {
    // 100 KB doubled 8 times is 25 MB (25 times: terabytes); the 6th copy passes the limit.
    const doc = { a: ['x'.repeat(100_000)] };
    const bomb = Array.from({ length: 8 }, () => ({ op: 'copy', from: '/a', path: '/a/-' }));
    refused(doc, bomb, /^Unable to complete the copy, the accumulated size increase of copy is \d+, exceeding the limit 3145728$/);
    // Copies within the limit go through; a missing member copies as null and counts nothing.
    const two = applyJsonPatch(doc, [...bomb.slice(0, 2), { op: 'copy', from: '/nope', path: '/b' }]) as { a: unknown[]; b: unknown };
    assert.equal(JSON.stringify(two.a).length, 4 * JSON.stringify(doc.a).length + 3);
    assert.equal(two.b, null);
  });

  it('refuses adds and removes that would move too many array elements', () => {
    const doc = { a: Array.from({ length: 100_000 }, (_, i) => i) };
    // 10000 inserts at the front move a billion elements; at the end, none.
    refused(doc, Array.from({ length: 10_000 }, () => ({ op: 'add', path: '/a/0', value: 0 })), /would move more than 50000000 array elements/);
    refused(doc, Array.from({ length: 10_000 }, () => ({ op: 'remove', path: '/a/0' })), /would move more than 50000000 array elements/);
    const appended = applyJsonPatch(doc, Array.from({ length: 10_000 }, () => ({ op: 'add', path: '/a/-', value: 0 }))) as { a: unknown[] };
    assert.equal(appended.a.length, 110_000);
    const trimmed = applyJsonPatch(doc, Array.from({ length: 10_000 }, () => ({ op: 'remove', path: '/a/-1' }))) as { a: unknown[] };
    assert.equal(trimmed.a.length, 90_000);
  });

  it('refuses a result nested deeper than 1000 levels (copies into a deep path double the depth)', () => {
    const chain = (n: number): unknown => (n === 0 ? {} : { b: chain(n - 1) });
    const deepPath = `/a${'/b'.repeat(600)}`;
    refused({ a: chain(600) }, [{ op: 'copy', from: '/a', path: `${deepPath}/c` }], /^exceeded max depth$/);
    refused({ a: chain(600) }, [{ op: 'add', path: `${deepPath}/c`, value: chain(500) }], /^exceeded max depth$/);
    assert.ok(applyJsonPatch({ a: chain(600) }, [{ op: 'add', path: `${deepPath}/c`, value: chain(300) }]));
  });
});
