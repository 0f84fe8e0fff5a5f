// The watch cache on etcd: `kubectl get -w` sees changes, and many watches of a resource add no
// etcd watches (etcd's own watcher gauge says so).
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
});
