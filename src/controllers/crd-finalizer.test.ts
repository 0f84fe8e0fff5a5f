import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { findCrdCondition } from '../api/crd.js';
import { isNotFound } from '../api/errors.js';
import { R, ref } from '../client/client.js';
import { testCluster, type TestCluster } from '../testing/cluster.js';
import { serveCrds, testCrd } from '../testing/crd.js';
import { crdFinalizer } from './crd-finalizer.js';
import { CRDS, crdStatusController } from './crd-status.js';

const GROUP = 'stable.example.com';

const crd = (plural: string, kind: string, scope?: string) => testCrd(GROUP, plural, kind, scope);

describe('the CRD finalizer', () => {
  let t: TestCluster;
  const stops: (() => void)[] = [];
  const terminating = async (name: string) => {
    const c = findCrdCondition(await t.client.get(CRDS, '', name), 'Terminating');
    return c && [c.status, c.reason, c.message];
  };
  const gone = async (name: string) => t.client.get(CRDS, '', name).then(() => false, (err) => isNotFound(err));
  /** Creates a definition and waits until its resource is served. */
  const define = async (plural: string, kind: string, scope?: string) => {
    await t.client.create(CRDS, '', crd(plural, kind, scope));
    await t.until(`${plural} served`, () => t.registry.store(GROUP, 'v1', plural) !== undefined);
    return ref(GROUP, 'v1', plural);
  };

  before(async () => {
    t = await testCluster();
    await t.client.create(R.namespaces, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } });
    serveCrds(t);
    const deps = { client: t.client, informers: t.informers, clock: t.clock };
    for (const c of [crdStatusController(deps), crdFinalizer({ ...deps, pollMs: 20 })]) {
      await c.start();
      stops.push(c.stop);
    }
  });
  after(async () => {
    for (const stop of stops) stop();
    await t.close();
  });

  it('deletes the custom resources of every namespace, then the definition', async () => {
    const crontabs = await define('crontabs', 'CronTab');
    for (const [ns, name] of [['default', 'a'], ['default', 'b'], ['other', 'c']]) {
      await t.client.create(crontabs, ns!, { apiVersion: `${GROUP}/v1`, kind: 'CronTab', metadata: { name } });
    }
    await t.client.delete(CRDS, '', `crontabs.${GROUP}`);
    await t.until('the definition gone', () => gone(`crontabs.${GROUP}`));
    await t.until('not served', () => t.registry.store(GROUP, 'v1', 'crontabs') === undefined);
    // Defined again, it finds nothing stored: the objects were deleted, not only unserved.
    await define('crontabs', 'CronTab');
    assert.deepEqual((await t.client.list(crontabs, '')).items, []);
  });

  it('waits for custom resources with finalizers of their own, Terminating while it does', async () => {
    const widgets = await define('widgets', 'Widget', 'Cluster');
    await t.client.create(widgets, '', { apiVersion: `${GROUP}/v1`, kind: 'Widget', metadata: { name: 'held', finalizers: ['example.com/hold'] } });
    await t.client.create(widgets, '', { apiVersion: `${GROUP}/v1`, kind: 'Widget', metadata: { name: 'free' } });
    await t.client.delete(CRDS, '', `widgets.${GROUP}`);
    await t.until('deletion in progress', async () => (await terminating(`widgets.${GROUP}`))?.[1] === 'InstanceDeletionInProgress');
    assert.deepEqual(await terminating(`widgets.${GROUP}`), ['True', 'InstanceDeletionInProgress', 'CustomResource deletion is in progress']);
    await t.until('free deleted, held marked', async () => {
      const { items } = await t.client.list(widgets, '');
      return items.length === 1 && items[0]!.metadata.deletionTimestamp;
    });
    // After a minute of waiting the condition says so; the clean-up goes on.
    const check = await t.until('deletion check', async () => {
      t.clock.advance(61_000);
      const c = await terminating(`widgets.${GROUP}`);
      return c?.[1] === 'InstanceDeletionCheck' && c;
    });
    assert.deepEqual(check, ['True', 'InstanceDeletionCheck', 'could not confirm zero CustomResources remaining: timed out waiting for the condition']);
    assert.equal(await gone(`widgets.${GROUP}`), false);
    await t.client.mutate(widgets, '', 'held', (cur) => ({ ...cur, metadata: { ...cur.metadata, finalizers: [] } }));
    await t.until('the definition gone', () => gone(`widgets.${GROUP}`), 5000);
  });

  it('removes a definition that was never established at once', async () => {
    // Its kind is taken, so it is never Established.
    await t.client.create(CRDS, '', { ...crd('moretabs', 'CronTab'), spec: { ...crd('moretabs', 'CronTab').spec!, names: { plural: 'moretabs', kind: 'CronTab', listKind: 'MoreTabList' } } });
    await t.until('names refused', async () => findCrdCondition(await t.client.get(CRDS, '', `moretabs.${GROUP}`), 'NamesAccepted')?.status === 'False');
    const held = await t.client.mutate(CRDS, '', `moretabs.${GROUP}`, (cur) => ({ ...cur, metadata: { ...cur.metadata, finalizers: ['example.com/hold'] } }));
    assert.ok(held);
    await t.client.delete(CRDS, '', `moretabs.${GROUP}`);
    await t.until('never established', async () => (await terminating(`moretabs.${GROUP}`))?.[1] === 'NeverEstablished');
    assert.deepEqual(await terminating(`moretabs.${GROUP}`), ['False', 'NeverEstablished', 'resource was never established']);
    await t.until('cleanup finalizer removed', async () => (await t.client.get(CRDS, '', `moretabs.${GROUP}`)).metadata.finalizers?.join() === 'example.com/hold');
    await t.client.mutate(CRDS, '', `moretabs.${GROUP}`, (cur) => ({ ...cur, metadata: { ...cur.metadata, finalizers: [] } }));
    assert.equal(await gone(`moretabs.${GROUP}`), true);
  });
});
