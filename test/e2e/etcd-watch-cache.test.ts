// The watch cache on etcd: `kubectl get -w` sees changes, many watches of a resource add no
// etcd watches (etcd's own watcher gauge says so), and a GET with a resourceVersion reads no etcd.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { eventually } from '../../src/testing/eventually.js';
import { etcdMissing, startEtcd, type EtcdCluster } from '../../src/testing/etcd.js';
import { openWatch, startBadge, type Badge } from './harness.js';

const missing = etcdMissing();

/** etcd's count of its open watchers (etcd_debugging_mvcc_watcher_total on its /metrics). */
async function etcdWatchers(etcd: EtcdCluster): Promise<number> {
  const text = await (await fetch(`${etcd.urls[0]}/metrics`)).text();
  const m = /^etcd_debugging_mvcc_watcher_total (\d+)/m.exec(text);
  assert.ok(m, 'etcd reports its watchers');
  return Number(m[1]);
}

/** Badge's count of its etcd reads of ConfigMaps by key (etcd_requests_total). */
async function configMapGets(b: Badge): Promise<number> {
  const m = /^etcd_requests_total\{group="",operation="get",resource="configmaps"\} (\d+)/m.exec((await b.api('GET', '/metrics')).text);
  return m ? Number(m[1]) : 0;
}

describe('e2e: the watch cache on etcd', { skip: missing }, () => {
  let etcd: EtcdCluster;
  let b: Badge;

  before(async () => {
    etcd = await startEtcd();
    b = await startBadge({ etcd: { servers: etcd.urls } });
  });
  after(async () => {
    await b?.close();
    await etcd?.close();
  });

  it('kubectl get -w sees a ConfigMap created and changed', async () => {
    const child = spawn('/usr/bin/kubectl', ['--kubeconfig', b.kubeconfig, '--cache-dir', `${b.dataDir}/cache-w`, 'get', 'configmaps', '-w', '-o', 'jsonpath={.metadata.name}={.data.a}{"\\n"}']);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    try {
      await eventually(() => out.includes('kube-root-ca.crt'), 'the initial list', 20_000);
      await b.ok(['create', 'configmap', 'watched', '--from-literal', 'a=1']);
      await eventually(() => out.includes('watched=1'), 'the create in kubectl get -w');
      await b.ok(['patch', 'configmap', 'watched', '-p', '{"data":{"a":"2"}}']);
      await eventually(() => out.includes('watched=2'), 'the change in kubectl get -w');
    } finally {
      child.kill();
    }
  });

  it('serves 200 watches of a resource without more etcd watches', async () => {
    const path = '/api/v1/namespaces/default/secrets?watch=1';
    const first = openWatch(b, path);
    await eventually(async () => first.events.length > 0 || (await b.api('GET', '/api/v1/namespaces/default/secrets')).status === 200, 'the first watch');
    const base = await eventually(async () => {
      const n = await etcdWatchers(etcd);
      await new Promise((r) => setTimeout(r, 200));
      return n === (await etcdWatchers(etcd)) && n;
    }, 'a steady etcd watcher count');
    const watches = Array.from({ length: 200 }, (_, i) => openWatch(b, i % 2 ? path : '/api/v1/secrets?watch=1'));
    await b.ok(['create', 'secret', 'generic', 'fanned', '--from-literal', 'a=1']);
    await eventually(() => [first, ...watches].every((w) => w.events.some((e) => e.object?.metadata?.name === 'fanned')), 'every watch gets the Secret');
    assert.equal(await etcdWatchers(etcd), base, 'no etcd watch per client watch');
    for (const w of [first, ...watches]) w.stop();
  });

  it('answers a GET at resourceVersion 0 or N from the cache, a missing object and a future revision as kube-apiserver does', async () => {
    const path = '/api/v1/namespaces/default/configmaps';
    const created = (await b.api('POST', path, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cached' }, data: { a: '1' } }))).json;
    const rv = created.metadata.resourceVersion;
    await eventually(async () => (await b.api('GET', `${path}/cached?resourceVersion=0`)).json?.data?.a === '1', 'the cache has the ConfigMap');
    const before = await configMapGets(b);
    for (let i = 0; i < 20; i++) {
      const got = await b.api('GET', `${path}/cached?resourceVersion=${i % 2 ? '0' : rv}`);
      assert.deepEqual([got.status, got.json.metadata.resourceVersion], [200, rv]);
    }
    const missing = await b.api('GET', `${path}/nope?resourceVersion=0`);
    assert.equal(missing.status, 404);
    assert.equal(missing.text, '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"configmaps \\"nope\\" not found","reason":"NotFound","details":{"name":"nope","kind":"configmaps"},"code":404}\n');
    assert.equal(await configMapGets(b), before, 'no etcd reads');
    await b.api('GET', `${path}/cached`);
    assert.equal(await configMapGets(b), before + 1, 'a GET without a resourceVersion reads etcd');
    const future = await b.api('GET', `${path}/cached?resourceVersion=999999999`);
    assert.equal(future.status, 504);
    const current = /current: (\d+)$/.exec(future.json.message)?.[1];
    assert.ok(current);
    assert.deepEqual(future.json, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `Timeout: Too large resource version: 999999999, current: ${current}`,
      reason: 'Timeout',
      details: { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }], retryAfterSeconds: 1 },
      code: 504,
    });
  });
});
