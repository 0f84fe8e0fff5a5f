import { after, before, describe, it } from 'node:test';
import { isNotFound } from '../api/errors.js';
import type { KubeObject } from '../api/meta.js';
import { R, ref, type ResourceRef } from '../client/client.js';
import { testCluster, type TestCluster } from '../testing/cluster.js';
import { serveCrds, testCrd } from '../testing/crd.js';
import { crdFinalizer } from './crd-finalizer.js';
import { CRDS, crdStatusController } from './crd-status.js';
import { garbageCollector } from './garbage-collector.js';

const GROUP = 'stable.example.com';
const CRONTABS = ref(GROUP, 'v1', 'crontabs');

const owned = (owner: KubeObject, blockOwnerDeletion = false) => [{ apiVersion: owner.apiVersion!, kind: owner.kind!, name: owner.metadata.name!, uid: owner.metadata.uid!, ...(blockOwnerDeletion ? { blockOwnerDeletion } : {}) }];

describe('the garbage collector and custom resources', () => {
  let t: TestCluster;
  const stops: (() => void)[] = [];
  const gone = (r: ResourceRef, name: string) => t.client.get(r, 'default', name).then(() => false, (err) => isNotFound(err));
  const crontab = (name: string, ownerReferences?: ReturnType<typeof owned>) => t.client.create(CRONTABS, 'default', { apiVersion: `${GROUP}/v1`, kind: 'CronTab', metadata: { name, ...(ownerReferences ? { ownerReferences } : {}) } });
  const configMap = (name: string, ownerReferences?: ReturnType<typeof owned>) => t.client.create(R.configmaps, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(ownerReferences ? { ownerReferences } : {}) } });

  before(async () => {
    t = await testCluster();
    serveCrds(t);
    const deps = { client: t.client, informers: t.informers, clock: t.clock };
    // Started before the CRD exists: the collector follows the registry's changes.
    const gc = garbageCollector({
      client: t.client,
      informers: t.informers,
      resources: () => t.registry.served().filter((d) => d.stored && d.resource !== 'events'),
      onResourcesChange: (listener) => t.registry.onChange(listener),
    });
    for (const c of [crdStatusController(deps), crdFinalizer({ ...deps, pollMs: 20 }), gc]) {
      await c.start();
      stops.push(c.stop);
    }
    await t.client.create(CRDS, '', testCrd(GROUP, 'crontabs', 'CronTab'));
    await t.until('crontabs served', () => t.registry.store(GROUP, 'v1', 'crontabs') !== undefined);
  });
  after(async () => {
    for (const stop of stops) stop();
    await t.close();
  });

  it('collects a custom resource whose owner went', async () => {
    const owner = await configMap('owner');
    await crontab('dependent', owned(owner));
    await t.client.delete(R.configmaps, 'default', 'owner');
    await t.until('the crontab collected', () => gone(CRONTABS, 'dependent'));
  });

  it('collects what a custom resource owned, in the background and in the foreground', async () => {
    const owner = await crontab('parent');
    await configMap('child', owned(owner));
    await t.client.delete(CRONTABS, 'default', 'parent');
    await t.until('the child collected', () => gone(R.configmaps, 'child'));

    const blocked = await crontab('blocked-parent');
    await configMap('blocking-child', owned(blocked, true));
    await t.client.delete(CRONTABS, 'default', 'blocked-parent', { propagationPolicy: 'Foreground' });
    await t.until('both gone', async () => (await gone(R.configmaps, 'blocking-child')) && gone(CRONTABS, 'blocked-parent'));
  });

  it('collects what the custom resources of a deleted definition owned', async () => {
    const owner = await crontab('last');
    await configMap('orphan', owned(owner));
    await t.client.delete(CRDS, '', `crontabs.${GROUP}`);
    await t.until('the definition gone', () => t.client.get(CRDS, '', `crontabs.${GROUP}`).then(() => false, (err) => isNotFound(err)));
    await t.until('the ConfigMap collected', () => gone(R.configmaps, 'orphan'));
    await t.until('the custom resource no longer served', () => t.registry.store(GROUP, 'v1', 'crontabs') === undefined);
  });
});
