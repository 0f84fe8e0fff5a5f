import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { etcdMissing, startEtcd, type EtcdCluster } from '../testing/etcd.js';
import { openEtcdStorage } from './etcd/etcd-storage.js';
import { LAYOUT_KEY, moveToKubeLayout, resourcePrefixOf } from './key-layout.js';
import { SqliteStorage } from './sqlite/sqlite-storage.js';
import type { Storage } from './storage.js';

const dir = mkdtempSync(join(tmpdir(), 'badge-key-layout-'));
after(() => rmSync(dir, { recursive: true, force: true }));

it('finds the resource prefix of a key or list prefix', () => {
  const cases: Array<[string, string | undefined]> = [
    ['/registry/pods/default/web', '/registry/pods/'],
    ['/registry/pods/default/', '/registry/pods/'],
    ['/registry/pods/', '/registry/pods/'],
    ['/registry/namespaces/default', '/registry/namespaces/'],
    ['/registry/clusterroles/system:a.b', '/registry/clusterroles/'],
    ['/registry/services/specs/default/kubernetes', '/registry/services/specs/'],
    ['/registry/services/endpoints/default/', '/registry/services/endpoints/'],
    ['/registry/ingress/default/web', '/registry/ingress/'],
    ['/registry/example.com/widgets/default/w', '/registry/example.com/widgets/'],
    ['/registry/example.com/clusterwidgets/w', '/registry/example.com/clusterwidgets/'],
    ['/registry/apiextensions.k8s.io/customresourcedefinitions/', '/registry/apiextensions.k8s.io/customresourcedefinitions/'],
    ['/registry/services/', undefined],
    ['/registry/example.com/', undefined],
    ['/registry/', undefined],
    ['/registry/pods', undefined],
    ['/bootstrap/identity', undefined],
  ];
  for (const [key, prefix] of cases) assert.equal(resourcePrefixOf(key), prefix, key);
});

const BUILT_INS = [
  { group: '', resource: 'pods' },
  { group: '', resource: 'replicationcontrollers' },
  { group: 'networking.k8s.io', resource: 'ingresses' },
  { group: 'rbac.authorization.k8s.io', resource: 'roles' },
];
const obj = (apiVersion: string, kind: string, name: string, extra: object = {}) => JSON.stringify({ apiVersion, kind, metadata: { name, uid: `uid-${kind}-${name}` }, ...extra });
const crd = (group: string, plural: string, kind: string) => obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', `${plural}.${group}`, { spec: { group, names: { plural, kind }, scope: 'Namespaced' } });

/** What an earlier Badge stored, keyed as it keyed it. */
const OLD: Record<string, string> = {
  '/registry/customresourcedefinitions/widgets.example.com': crd('example.com', 'widgets', 'Widget'),
  '/registry/customresourcedefinitions/pods.example.com': crd('example.com', 'pods', 'Pod'),
  '/registry/customresourcedefinitions/ingresses.example.com': crd('example.com', 'ingresses', 'Ingress'),
  '/registry/customresourcedefinitions/widgets.other.io': crd('other.io', 'widgets', 'Widget'),
  // A CRD of a built-in's name: the built-in was served, so its prefix holds the built-in's objects only.
  '/registry/customresourcedefinitions/roles.rbac.authorization.k8s.io': crd('rbac.authorization.k8s.io', 'roles', 'Role'),
  '/registry/widgets/default/w1': obj('example.com/v1', 'Widget', 'w1'),
  '/registry/widgets/default/o1': obj('other.io/v1', 'Widget', 'o1'),
  // A custom resource of plural pods was stored among the pods.
  '/registry/pods/default/real': obj('v1', 'Pod', 'real'),
  '/registry/pods/default/custom': obj('example.com/v1', 'Pod', 'custom'),
  '/registry/ingresses/default/web': obj('networking.k8s.io/v1', 'Ingress', 'web'),
  '/registry/ingresses/default/custom': obj('example.com/v1', 'Ingress', 'custom'),
  '/registry/replicationcontrollers/default/rc': obj('v1', 'ReplicationController', 'rc'),
  '/registry/apiservices/v1.apps': obj('apiregistration.k8s.io/v1', 'APIService', 'v1.apps'),
  '/registry/roles/default/reader': obj('rbac.authorization.k8s.io/v1', 'Role', 'reader'),
  '/registry/configmaps/default/c': obj('v1', 'ConfigMap', 'c'),
};
/** Where kube-apiserver keeps them. */
const NEW: Record<string, string> = {
  '/registry/apiextensions.k8s.io/customresourcedefinitions/widgets.example.com': OLD['/registry/customresourcedefinitions/widgets.example.com']!,
  '/registry/apiextensions.k8s.io/customresourcedefinitions/pods.example.com': OLD['/registry/customresourcedefinitions/pods.example.com']!,
  '/registry/apiextensions.k8s.io/customresourcedefinitions/ingresses.example.com': OLD['/registry/customresourcedefinitions/ingresses.example.com']!,
  '/registry/apiextensions.k8s.io/customresourcedefinitions/widgets.other.io': OLD['/registry/customresourcedefinitions/widgets.other.io']!,
  '/registry/apiextensions.k8s.io/customresourcedefinitions/roles.rbac.authorization.k8s.io': OLD['/registry/customresourcedefinitions/roles.rbac.authorization.k8s.io']!,
  '/registry/example.com/widgets/default/w1': OLD['/registry/widgets/default/w1']!,
  '/registry/other.io/widgets/default/o1': OLD['/registry/widgets/default/o1']!,
  '/registry/pods/default/real': OLD['/registry/pods/default/real']!,
  '/registry/example.com/pods/default/custom': OLD['/registry/pods/default/custom']!,
  '/registry/ingress/default/web': OLD['/registry/ingresses/default/web']!,
  '/registry/example.com/ingresses/default/custom': OLD['/registry/ingresses/default/custom']!,
  '/registry/controllers/default/rc': OLD['/registry/replicationcontrollers/default/rc']!,
  '/registry/apiregistration.k8s.io/apiservices/v1.apps': OLD['/registry/apiservices/v1.apps']!,
  '/registry/roles/default/reader': OLD['/registry/roles/default/reader']!,
  '/registry/configmaps/default/c': OLD['/registry/configmaps/default/c']!,
};

async function contents(s: Storage): Promise<Record<string, string>> {
  return Object.fromEntries((await s.list('/registry/')).kvs.map((kv) => [kv.key, kv.value]));
}

/** Writes `keys` as an earlier version left them: without the record of a finished move. */
async function seed(s: Storage, keys: Record<string, string>): Promise<void> {
  const mark = await s.get(LAYOUT_KEY);
  if (mark) await s.delete(LAYOUT_KEY, mark.modRevision);
  for (const [k, v] of Object.entries(keys)) assert.ok(await s.create(k, v), k);
}

function moveSuite(name: string, open: () => Promise<{ a: Storage; b: Storage }>, close: () => Promise<void>) {
  describe(`the move to kube-apiserver's key layout (${name})`, () => {
    let a: Storage;
    let b: Storage;
    after(async () => {
      await a?.close();
      if (b !== a) await b?.close();
      await close();
    });

    it('moves every old key of the moved resources, only objects of their group, and nothing else', async () => {
      ({ a, b } = await open());
      await seed(a, OLD);
      const result = await moveToKubeLayout(a, BUILT_INS);
      assert.deepEqual(result, { moved: 12, held: [] });
      assert.deepEqual(await contents(a), NEW);
      assert.ok(await a.get(LAYOUT_KEY), 'the finished move is recorded');
      assert.deepEqual(await moveToKubeLayout(a, BUILT_INS), { moved: 0, held: [] }, 'a second start finds nothing to move');
    });

    it('finishes a move interrupted after the copy, and leaves a key whose new place holds another object', async () => {
      await seed(a, {
        '/registry/replicationcontrollers/default/rc': OLD['/registry/replicationcontrollers/default/rc']!,
        '/registry/ingresses/default/held': obj('networking.k8s.io/v1', 'Ingress', 'held'),
        '/registry/ingress/default/held': obj('example.com/v1', 'Ingress', 'held'),
      });
      const result = await moveToKubeLayout(a, BUILT_INS);
      assert.deepEqual(result, { moved: 1, held: ['/registry/ingresses/default/held'] });
      const now = await contents(a);
      assert.equal(now['/registry/replicationcontrollers/default/rc'], undefined);
      assert.equal(now['/registry/controllers/default/rc'], OLD['/registry/replicationcontrollers/default/rc']);
      assert.ok(now['/registry/ingresses/default/held'] && now['/registry/ingress/default/held'], 'both kept');
    });

    it('moves each key once when two servers move at the same time', async () => {
      for (const kv of (await a.list('/registry/')).kvs) await a.delete(kv.key, kv.modRevision);
      const many: Record<string, string> = { ...OLD };
      for (let i = 0; i < 300; i++) many[`/registry/ingresses/ns${i % 7}/i${i}`] = obj('networking.k8s.io/v1', 'Ingress', `i${i}`);
      await seed(a, many);
      const [one, two] = await Promise.all([moveToKubeLayout(a, BUILT_INS), moveToKubeLayout(b, BUILT_INS)]);
      assert.deepEqual([...one.held, ...two.held], []);
      assert.ok(one.moved + two.moved >= 312, `${one.moved} + ${two.moved}`);
      const expected = { ...NEW };
      for (let i = 0; i < 300; i++) expected[`/registry/ingress/ns${i % 7}/i${i}`] = many[`/registry/ingresses/ns${i % 7}/i${i}`]!;
      assert.deepEqual(await contents(a), expected);
    });
  });
}

describe('a move racing another server', () => {
  const OLD_KEY = '/registry/replicationcontrollers/default/rc';
  const NEW_KEY = '/registry/controllers/default/rc';
  const value = OLD['/registry/replicationcontrollers/default/rc']!;
  /** A storage where `before` runs just before this mover's copy, `afterCopy` just after it. */
  const racing = (s: Storage, hooks: { before?: () => Promise<void>; afterCopy?: () => Promise<void> }): Storage => ({
    ...s,
    list: (p, o) => s.list(p, o),
    get: (k) => s.get(k),
    delete: (k, e) => s.delete(k, e),
    create: async (k, v, o) => {
      if (k === NEW_KEY) await hooks.before?.();
      const kv = await s.create(k, v, o);
      if (k === NEW_KEY) await hooks.afterCopy?.();
      return kv;
    },
  });

  it('does not bring back an object the other server moved and a client deleted since', async () => {
    const s = new SqliteStorage(join(dir, 'race1.db'), { sweepIntervalMs: 0 });
    await s.create(OLD_KEY, value);
    const other = async () => {
      const copy = (await s.create(NEW_KEY, value))!;
      await s.delete(OLD_KEY, (await s.get(OLD_KEY))!.modRevision);
      await s.delete(NEW_KEY, copy.modRevision);
    };
    await moveToKubeLayout(racing(s, { before: other }), BUILT_INS);
    assert.deepEqual(await contents(s), {});
    await s.close();
  });

  it('keeps its copy when the other server finished the move with it', async () => {
    const s = new SqliteStorage(join(dir, 'race2.db'), { sweepIntervalMs: 0 });
    await s.create(OLD_KEY, value);
    const other = async () => void (await s.delete(OLD_KEY, (await s.get(OLD_KEY))!.modRevision));
    await moveToKubeLayout(racing(s, { afterCopy: other }), BUILT_INS);
    assert.deepEqual(await contents(s), { [NEW_KEY]: value });
    await s.close();
  });
});

const file = join(dir, 'state.db');
moveSuite(
  'SQLite',
  async () => {
    const s = new SqliteStorage(file, { sweepIntervalMs: 0 });
    return { a: s, b: s };
  },
  async () => undefined,
);

const missing = etcdMissing();
if (missing) it('the move on etcd (skipped)', { skip: missing }, () => {});
else {
  let etcd: EtcdCluster | undefined;
  moveSuite(
    'etcd, two clients',
    async () => {
      etcd = await startEtcd();
      return { a: await openEtcdStorage({ servers: etcd.urls }), b: await openEtcdStorage({ servers: etcd.urls }) };
    },
    async () => etcd?.close(),
  );
}
