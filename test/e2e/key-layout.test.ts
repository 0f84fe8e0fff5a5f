// Keys where kube-apiserver keeps them (`etcdctl get --prefix /registry/ingress`,
// `/registry/<group>/<plural>`), and data an earlier Badge stored in its own layout (Ingresses
// under `ingresses`, ReplicationControllers under `replicationcontrollers`, CRDs, APIServices and
// custom resources under their plural, a custom resource of plural `pods` among the pods): a
// restart on SQLite and on etcd moves it, kubectl sees the same objects (UIDs), the old keys are
// gone; `badge migrate` copies such a data dir into etcd in the new layout.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openEtcdStorage } from '../../src/storage/etcd/etcd-storage.js';
import { SqliteStorage } from '../../src/storage/sqlite/sqlite-storage.js';
import type { Storage } from '../../src/storage/storage.js';
import { LAYOUT_KEY } from '../../src/storage/key-layout.js';
import { eventually } from '../../src/testing/eventually.js';
import { etcdMissing, startEtcd, type EtcdCluster } from '../../src/testing/etcd.js';
import { BADGE_CLI, run, startBadge, type Badge } from './harness.js';

const crd = (plural: string, kind: string) => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `${plural}.example.com` },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { plural, kind, singular: kind.toLowerCase() },
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } } }],
  },
});
const OBJECTS = [
  crd('widgets', 'Widget'),
  crd('pods', 'Pod'),
  {
    apiVersion: 'v1',
    kind: 'ReplicationController',
    metadata: { name: 'rc', namespace: 'default' },
    spec: { replicas: 0, selector: { app: 'rc' }, template: { metadata: { labels: { app: 'rc' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  },
];
const CUSTOM = [
  { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1', namespace: 'default' }, spec: { size: 3 } },
  { apiVersion: 'example.com/v1', kind: 'Pod', metadata: { name: 'custom', namespace: 'default' } },
];
/** kubectl's name for each object, and its new and old key. */
const KEYED: Array<[string, string, string]> = [
  ['ingress/web', '/registry/ingress/default/web', '/registry/ingresses/default/web'],
  ['rc/rc', '/registry/controllers/default/rc', '/registry/replicationcontrollers/default/rc'],
  ['crd/widgets.example.com', '/registry/apiextensions.k8s.io/customresourcedefinitions/widgets.example.com', '/registry/customresourcedefinitions/widgets.example.com'],
  ['crd/pods.example.com', '/registry/apiextensions.k8s.io/customresourcedefinitions/pods.example.com', '/registry/customresourcedefinitions/pods.example.com'],
  ['apiservice/v1.apps', '/registry/apiregistration.k8s.io/apiservices/v1.apps', '/registry/apiservices/v1.apps'],
  ['widgets.example.com/w1', '/registry/example.com/widgets/default/w1', '/registry/widgets/default/w1'],
  ['pods.example.com/custom', '/registry/example.com/pods/default/custom', '/registry/pods/default/custom'],
];
const UID = '{.metadata.uid}';

/**
 * Puts the keys back where an earlier Badge kept them, which recorded no finished move; the first
 * stays in both places (a move interrupted after its copy).
 */
async function toOldLayout(s: Storage): Promise<void> {
  const mark = await s.get(LAYOUT_KEY);
  if (mark) assert.ok((await s.delete(LAYOUT_KEY, mark.modRevision)).succeeded);
  for (const [i, [, key, old]] of KEYED.entries()) {
    const kv = (await s.get(key))!;
    assert.ok(kv, key);
    assert.ok(await s.create(old, kv.value), old);
    if (i > 0) assert.ok((await s.delete(key, kv.modRevision)).succeeded);
  }
}

async function keysUnder(s: Storage, prefix: string): Promise<string[]> {
  return (await s.list(prefix)).kvs.map((kv) => kv.key);
}

function layoutSuite(name: string, backend: () => { etcd?: { servers: string[] }; open(dataDir: string): Promise<Storage> }) {
  describe(`e2e: kube-apiserver's key layout, and the move of an earlier layout (${name})`, () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'badge-key-layout-'));
    let badge: Badge;
    const uids = new Map<string, string>();
    const start = async () => {
      badge = await startBadge({ dataDir, etcd: backend().etcd, compactionIntervalMs: 0 });
    };
    after(async () => {
      await badge?.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('stores Ingresses under ingress, ReplicationControllers under controllers, CRDs, APIServices and custom resources under <group>/<plural>', async () => {
      await start();
      await badge.ok(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: OBJECTS }));
      await badge.ok(['wait', '--for', 'condition=Established', 'crd/widgets.example.com', 'crd/pods.example.com']);
      await eventually(async () => (await badge.kubectl(['apply', '-f', '-'], { stdin: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: CUSTOM }) })).code === 0, 'the custom resources served', 15_000);
      await badge.ok(['create', 'ingress', 'web', '--rule', 'example.com/=web:80']);
      await badge.ok(['run', 'real', '--image', 'nginx']);
      const s = badge.server.storage;
      for (const [ref, key] of KEYED) {
        uids.set(ref, (await badge.ok(['get', ref, '-o', `jsonpath=${UID}`])).trim());
        assert.ok(await s.get(key), `${ref} at ${key}`);
      }
      uids.set('pod/real', (await badge.ok(['get', 'pod/real', '-o', `jsonpath=${UID}`])).trim());
      assert.deepEqual(await keysUnder(s, '/registry/pods/default/'), ['/registry/pods/default/real'], 'a custom resource of plural pods is not among the pods');
      for (const [, , old] of KEYED) assert.equal(await s.get(old), undefined, old);
    });

    it('moves what an earlier Badge stored in its own layout at the next start', async () => {
      await badge.close();
      const s = await backend().open(dataDir);
      try {
        await toOldLayout(s);
      } finally {
        await s.close();
      }
      await start();
      for (const [ref, key, old] of KEYED) {
        assert.equal((await badge.ok(['get', ref, '-o', `jsonpath=${UID}`])).trim(), uids.get(ref), ref);
        assert.ok(await badge.server.storage.get(key), key);
        assert.equal(await badge.server.storage.get(old), undefined, old);
      }
      assert.equal((await badge.ok(['get', 'pods', '-o', 'name'])).trim(), 'pod/real');
      assert.equal((await badge.ok(['get', 'pod/real', '-o', `jsonpath=${UID}`])).trim(), uids.get('pod/real'));
      assert.equal((await badge.ok(['get', 'pods.example.com', '-o', 'name'])).trim(), 'pod.example.com/custom');
      assert.match(await badge.ok(['get', 'widgets', '-o', 'jsonpath={.items[*].spec.size}']), /^3$/);
      // Written again through the API: where kube-apiserver keeps it.
      await badge.ok(['label', 'ingress/web', 'moved=yes']);
      assert.match((await badge.server.storage.get('/registry/ingress/default/web'))!.value, /"moved":"yes"/);
    });
  });
}

const missing = etcdMissing();
let etcd: EtcdCluster | undefined;
before(async () => {
  if (!missing) etcd = await startEtcd();
});
after(async () => etcd?.close());

layoutSuite('SQLite', () => ({ open: async (dataDir) => new SqliteStorage(join(dataDir, 'state.db'), { sweepIntervalMs: 0 }) }));

describe('on etcd', { skip: missing }, () => {
  layoutSuite('etcd', () => ({ etcd: { servers: etcd!.urls }, open: () => openEtcdStorage({ servers: etcd!.urls, healthIntervalMs: 0 }) }));

  it('shows the keys to etcdctl where kube-apiserver puts them', () => {
    const keys = (prefix: string) => etcd!.etcdctl(['get', '--prefix', prefix, '--keys-only']).split('\n').filter(Boolean);
    assert.deepEqual(keys('/registry/ingress/'), ['/registry/ingress/default/web']);
    assert.deepEqual(keys('/registry/example.com/widgets/'), ['/registry/example.com/widgets/default/w1']);
    assert.deepEqual(keys('/registry/example.com/pods/'), ['/registry/example.com/pods/default/custom']);
    assert.deepEqual(keys('/registry/controllers/'), ['/registry/controllers/default/rc']);
    assert.ok(keys('/registry/apiextensions.k8s.io/customresourcedefinitions/').includes('/registry/apiextensions.k8s.io/customresourcedefinitions/widgets.example.com'));
    assert.ok(keys('/registry/apiregistration.k8s.io/apiservices/').includes('/registry/apiregistration.k8s.io/apiservices/v1.apps'));
    for (const old of ['/registry/ingresses/', '/registry/replicationcontrollers/', '/registry/customresourcedefinitions/', '/registry/apiservices/', '/registry/widgets/']) assert.deepEqual(keys(old), [], old);
  });

  it('badge migrate copies a data dir of the earlier layout into etcd in the new one', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'badge-key-layout-migrate-'));
    const target = await startEtcd();
    try {
      const badge = await startBadge({ dataDir, compactionIntervalMs: 0 });
      await badge.ok(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: OBJECTS }));
      await badge.ok(['wait', '--for', 'condition=Established', 'crd/widgets.example.com', 'crd/pods.example.com']);
      await eventually(async () => (await badge.kubectl(['apply', '-f', '-'], { stdin: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: CUSTOM }) })).code === 0, 'the custom resources served', 15_000);
      await badge.ok(['create', 'ingress', 'web', '--rule', 'example.com/=web:80']);
      await badge.close();
      const s = new SqliteStorage(join(dataDir, 'state.db'), { sweepIntervalMs: 0 });
      await toOldLayout(s);
      await s.close();
      const moved = await run(process.execPath, [BADGE_CLI, 'migrate', '--from-data-dir', dataDir, '--etcd-servers', target.urls.join(',')]);
      assert.equal(moved.code, 0, moved.stderr);
      assert.match(moved.stdout, /^moved 7 keys to kube-apiserver's key layout$/m);
      assert.match(moved.stdout, /^ {2}ingress +1$/m);
      assert.match(moved.stdout, /^ {2}example\.com\/widgets +1$/m);
      for (const [, key, old] of KEYED) {
        assert.notEqual(target.etcdctl(['get', key, '--keys-only']).trim(), '', key);
        assert.equal(target.etcdctl(['get', old, '--keys-only']).trim(), '', old);
      }
    } finally {
      await target.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
