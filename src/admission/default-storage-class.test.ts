import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { PersistentVolumeClaim, StorageClass } from '../api/kinds.js';
import { R, type Client } from '../client/client.js';
import type { InformerFactory } from '../client/informer-factory.js';
import { testCluster, type TestCluster } from '../testing/cluster.js';
import type { AdmissionAttributes } from './chain.js';
import { defaultStorageClass } from './default-storage-class.js';

const claim = (name: string, spec: Record<string, unknown> = {}): PersistentVolumeClaim => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec },
});
const sc = (name: string): StorageClass => ({
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name, annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
  provisioner: 'example.com/disk',
});

describe('DefaultStorageClass admission from the informers', () => {
  let c: TestCluster;
  before(async () => {
    c = await testCluster();
    const plugin = defaultStorageClass(c.client);
    c.admission.use(plugin);
    await plugin.start(c.informers);
  });
  after(() => c.close());

  it('gives a new claim the default class created just before it, read from the informer, and keeps a class named', async () => {
    await c.client.create(R.storageclasses, '', sc('fresh'));
    await c.until('the class cached', () => c.informers.forResource(R.storageclasses).get('', 'fresh'));
    assert.equal((await c.client.create(R.persistentvolumeclaims, 'default', claim('after'))).spec?.storageClassName, 'fresh');
    assert.equal((await c.client.create(R.persistentvolumeclaims, 'default', claim('named', { storageClassName: '' }))).spec?.storageClassName, '');
  });

  it('gives no class while the informer lacks the default one, without a live read (as upstream lists its lister)', async () => {
    const plugin = defaultStorageClass({ list: () => assert.fail('a live read') } as unknown as Client);
    await plugin.start({ forResource: () => ({ list: () => [], waitForSync: async () => {} }), start() {} } as unknown as InformerFactory);
    const object = claim('missed');
    await plugin.admit!({ operation: 'CREATE', resource: { group: '', resource: 'persistentvolumeclaims', namespaced: true }, subresource: '', namespace: 'default', name: 'missed', object } as AdmissionAttributes);
    assert.equal(object.spec?.storageClassName, undefined);
  });
});
