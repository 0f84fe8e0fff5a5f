// Ownership through writes: cases from structured-merge-diff's merge tests and the apiserver's
// field manager tests (their expectations), run through the FieldManager the store uses.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../../api/errors.js';
import type { KubeObject } from '../../api/meta.js';
import { deployment } from '../schemas/apps.js';
import { configMap } from '../schemas/core.js';
import { EMPTY } from './field-set.js';
import { FieldManager } from './field-manager.js';

const cms = new FieldManager({ schema: configMap, apiVersion: 'v1', resetFields: () => EMPTY });
const deps = new FieldManager({ schema: deployment, apiVersion: 'apps/v1', resetFields: () => EMPTY });
const T = '2024-01-01T00:00:00Z';
const cm = (data: Record<string, string>, extra: object = {}): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', ...extra }, data });
const live = (o: KubeObject): KubeObject => ({ ...o, metadata: { ...o.metadata, uid: 'u' } });
/** A stored object that nobody has applied to yet, and that has nothing to own. */
const fresh = (): KubeObject => live({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });
const owners = (o: KubeObject) => (o.metadata.managedFields as { manager: string; operation: string; fieldsV1: unknown }[]).map((e) => `${e.operation} ${e.manager} ${JSON.stringify(e.fieldsV1)}`);

async function conflictOf(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  assert.fail('no conflict');
}

describe('field manager', () => {
  it('an apply owns what it sets; an equal value applied by another is shared', async () => {
    const first = live(await cms.apply(fresh(), cm({ a: '1' }), 'one', false, '', T));
    const second = await cms.apply(first, cm({ a: '1' }), 'two', false, '', T);
    // The second apply changed nothing, so its entry has no time, which sorts first.
    assert.deepEqual(owners(second), ['Apply two {"f:data":{"f:a":{}}}', 'Apply one {"f:data":{"f:a":{}}}']);
    assert.equal((second.metadata.managedFields as { time?: string }[])[0]!.time, undefined);
  });

  it('conflicts name every owner and path; force takes them, and an emptied owner goes', async () => {
    let o = live(await cms.apply(fresh(), cm({ a: '1', b: '1' }), 'one', false, '', T));
    o = live(await cms.apply(o, cm({ c: '1' }), 'two', false, '', T));
    const err = await conflictOf(cms.apply(o, cm({ a: '2', b: '2', c: '2' }), 'three', false, '', T));
    assert.equal(err.code, 409);
    assert.equal(err.message, 'Apply failed with 3 conflicts: conflicts with "one":\n- .data.a\n- .data.b\nconflicts with "two":\n- .data.c');
    const forced = await cms.apply(o, cm({ a: '2', c: '2' }), 'three', true, '', T);
    assert.deepEqual(owners(forced), ['Apply one {"f:data":{"f:b":{}}}', 'Apply three {"f:data":{"f:a":{},"f:c":{}}}']);
  });

  it('an update takes what it changes from an applier without conflict, and conflicts name it with its version', async () => {
    const applied = live(await cms.apply(fresh(), cm({ a: '1' }), 'applier', false, '', T));
    const next = cm({ a: '2' });
    next.metadata = { ...applied.metadata };
    await cms.update(applied, next, 'kubectl-edit', '', T);
    assert.deepEqual(owners(next), ['Update kubectl-edit {"f:data":{"f:a":{}}}']);
    const err = await conflictOf(cms.apply(live(next), cm({ a: '3' }), 'applier', false, '', T));
    assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "kubectl-edit" using v1: .data.a');
  });

  it('prunes a field its applier dropped, unless another manager owns it', async () => {
    let o = live(await cms.apply(fresh(), cm({ a: '1', b: '1' }), 'one', false, '', T));
    o = live(await cms.apply(o, cm({ b: '1' }), 'two', false, '', T));
    const pruned = await cms.apply(o, cm({}), 'one', false, '', T);
    assert.deepEqual(pruned.data, { b: '1' });
  });

  it('any change inside an atomic struct conflicts with its owner', async () => {
    const spec = (app: string) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { selector: { matchLabels: { app } } } });
    const o = live(await deps.apply(live({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' } }), spec('a'), 'one', false, '', T));
    assert.deepEqual(owners(o), ['Apply one {"f:spec":{"f:selector":{}}}']);
    const err = await conflictOf(deps.apply(o, spec('b'), 'two', false, '', T));
    assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "one": .spec.selector');
  });

  it('the first apply to an untracked object records its fields as before-first-apply', async () => {
    const untracked = live(cm({ a: '1', b: '2' }));
    const o = await cms.apply(untracked, cm({ a: '1' }), 'one', false, '', T);
    assert.deepEqual(owners(o), ['Apply one {"f:data":{"f:a":{}}}', 'Update before-first-apply {"f:data":{"f:a":{},"f:b":{},".":{}}}']);
  });

  it('keeps ten Update entries, merging the oldest into ancient-changes', async () => {
    let o = cm({});
    await cms.update(undefined, o, 'creator', '', '2024-01-01T00:00:00Z');
    for (let i = 0; i < 11; i++) {
      const next: KubeObject = { ...o, metadata: { ...o.metadata, uid: 'u' }, data: { ...(o.data as object), [`k${i}`]: 'v' } };
      await cms.update(live(o), next, `m${String(i).padStart(2, '0')}`, '', `2024-01-01T00:00:${String(i + 1).padStart(2, '0')}Z`);
      o = next;
    }
    const managers = (o.metadata.managedFields as { manager: string }[]).map((e) => e.manager);
    assert.equal(managers.length, 10);
    assert.deepEqual(managers.slice(0, 2), ['ancient-changes', 'm02']);
  });

  it('an apply may not send managedFields', async () => {
    const err = await conflictOf(cms.apply(fresh(), cm({}, { managedFields: [] }), 'one', false, '', T));
    assert.equal(err.code, 400);
    assert.equal(err.message, 'metadata.managedFields must be nil');
  });

  it('a configuration the schema cannot key is a 500 naming the path', async () => {
    const bad = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'n' }, spec: { template: { spec: { containers: [{ image: 'x' }] } } } };
    const err = await conflictOf(deps.apply(live({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' } }), bad, 'one', false, '', T));
    assert.equal(err.code, 500);
    assert.equal(err.reason, '');
    assert.equal(
      err.message,
      'failed to create typed patch object (n/d; apps/v1, Kind=Deployment): .spec.template.spec.containers: element 0: associative list with keys has an element that omits key field "name" (and doesn\'t have default value)',
    );
  });
});
