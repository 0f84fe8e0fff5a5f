// Finalizers, garbage collection (background, foreground, orphan) and namespace deletion.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startBadge, type Badge } from './harness.js';
import { eventually } from '../../src/testing/eventually.js';

const sa = (name: string, meta: object = {}) => JSON.stringify({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, ...meta } });
const SA = (ns = 'default') => `/api/v1/namespaces/${ns}/serviceaccounts`;

describe('e2e: object lifecycle', () => {
  let b: Badge;
  before(async () => {
    b = await startBadge();
  });
  after(() => b.close());
  const exists = async (name: string, ns = 'default') => (await b.api('GET', `${SA(ns)}/${name}`)).status === 200;

  async function ownerAndDependent(owner: string, dep: string, block = false) {
    const o = (await b.api('POST', SA(), sa(owner))).json;
    const ref = { apiVersion: 'v1', kind: 'ServiceAccount', name: owner, uid: o.metadata.uid, ...(block ? { blockOwnerDeletion: true } : {}) };
    const d = await b.api('POST', SA(), sa(dep, { ownerReferences: [ref], ...(block ? { finalizers: ['example.com/hold'] } : {}) }));
    assert.equal(d.status, 201, d.text);
  }

  it('keeps an object with a finalizer until the finalizer is removed', async () => {
    await b.api('POST', SA(), sa('held', { finalizers: ['example.com/hold'] }));
    const del = await b.api('DELETE', `${SA()}/held`);
    assert.equal(del.status, 200);
    assert.ok(del.json.metadata.deletionTimestamp);
    assert.ok(await exists('held'));
    await b.api('PATCH', `${SA()}/held`, '{"metadata":{"finalizers":null}}', { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(await exists('held'), false);
  });

  it('deletes dependents in the background', async () => {
    await ownerAndDependent('bg-owner', 'bg-dep');
    const r = await b.kubectl(['delete', 'sa', 'bg-owner']);
    assert.equal(r.code, 0, r.stderr);
    await eventually(async () => !(await exists('bg-dep')), 'the dependent to be collected');
  });

  it('deletes in the foreground: the owner waits for a blocking dependent', async () => {
    await ownerAndDependent('fg-owner', 'fg-dep', true);
    const r = await b.api('DELETE', `${SA()}/fg-owner`, '{"propagationPolicy":"Foreground"}');
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.metadata.finalizers, ['foregroundDeletion']);
    await eventually(async () => !!(await b.api('GET', `${SA()}/fg-dep`)).json.metadata.deletionTimestamp, 'the dependent to be deleting');
    assert.ok(await exists('fg-owner'), 'the owner waits');
    await b.api('PATCH', `${SA()}/fg-dep`, '{"metadata":{"finalizers":null}}', { 'Content-Type': 'application/merge-patch+json' });
    await eventually(async () => !(await exists('fg-owner')), 'the owner to go');
  });

  it('orphans dependents', async () => {
    await ownerAndDependent('or-owner', 'or-dep');
    const r = await b.kubectl(['delete', 'sa', 'or-owner', '--cascade=orphan']);
    assert.equal(r.code, 0, r.stderr);
    await eventually(async () => !(await exists('or-owner')), 'the owner to go');
    const dep = await b.api('GET', `${SA()}/or-dep`);
    assert.equal(dep.status, 200);
    assert.equal(dep.json.metadata.ownerReferences, undefined);
  });

  it('collects an object created with an owner that does not exist', async () => {
    const r = await b.api('POST', SA(), sa('orphan-born', { ownerReferences: [{ apiVersion: 'v1', kind: 'ServiceAccount', name: 'ghost', uid: '00000000-0000-0000-0000-000000000000' }] }));
    assert.equal(r.status, 201);
    await eventually(async () => !(await exists('orphan-born')), 'the object to be collected');
  });

  it('deletes a namespace through Terminating, with everything in it', async () => {
    assert.equal((await b.kubectl(['create', 'namespace', 'doomed'])).stdout, 'namespace/doomed created\n');
    await b.api('POST', SA('doomed'), sa('inside'));
    await b.api('POST', SA('doomed'), sa('sticky', { finalizers: ['example.com/hold'] }));
    const del = await b.kubectl(['delete', 'namespace', 'doomed', '--wait=false']);
    assert.equal(del.stdout, 'namespace "doomed" deleted\n');
    const ns = await b.kubectl(['get', 'namespace', 'doomed']);
    assert.match(ns.stdout, /doomed\s+Terminating/);
    await eventually(async () => !(await exists('inside', 'doomed')), 'the content to go');
    const create = await b.kubectl(['create', 'sa', 'late', '-n', 'doomed']);
    assert.equal(create.code, 1);
    assert.equal(create.stderr, 'error: failed to create serviceaccount: serviceaccounts "late" is forbidden: unable to create new content in namespace doomed because it is being terminated\n');
    await b.api('PATCH', `${SA('doomed')}/sticky`, '{"metadata":{"finalizers":null}}', { 'Content-Type': 'application/merge-patch+json' });
    await eventually(async () => (await b.api('GET', '/api/v1/namespaces/doomed')).status === 404, 'the namespace to go');
  });

  it('kubectl delete namespace waits until it is gone', async () => {
    await b.kubectl(['create', 'namespace', 'quick']);
    await b.api('POST', SA('quick'), sa('x'));
    const r = await b.kubectl(['delete', 'namespace', 'quick']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'namespace "quick" deleted\n');
    assert.equal((await b.api('GET', '/api/v1/namespaces/quick')).status, 404);
  });
});
