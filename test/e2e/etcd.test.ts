// `badge server --storage-backend etcd3` on a real etcd: the tutorial's basics with real kubectl,
// the keys as etcdctl shows them, a restart on the same etcd, and etcd going away and coming back.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eventually } from '../../src/testing/eventually.js';
import { etcdMissing, startEtcd, type EtcdCluster } from '../../src/testing/etcd.js';
import { BADGE_CLI, run, startBadgeProcess, type BadgeProcess } from './harness.js';

const missing = etcdMissing();

describe('e2e: the etcd storage backend', { skip: missing }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'badge-etcd-e2e-'));
  const cacheDir = mkdtempSync(join(tmpdir(), 'badge-kubecache-'));
  let etcd: EtcdCluster;
  let badge: BadgeProcess;
  let token = '';
  const flags = () => ['--storage-backend', 'etcd3', '--etcd-servers', etcd.urls.join(','), '--etcd-compaction-interval', '0'];
  const kubectl = (args: string[], timeoutMs = 30_000) =>
    run('/usr/bin/kubectl', ['--kubeconfig', join(dataDir, 'kubeconfig.yaml'), '--cache-dir', cacheDir, ...args], { timeoutMs });
  const ok = async (args: string[]) => {
    const r = await kubectl(args);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  /** kubectl as the ServiceAccount, with its token and no client certificate. */
  const asToken = (args: string[]) =>
    run('/usr/bin/kubectl', ['--kubeconfig', '/dev/null', '--server', badge.url, '--certificate-authority', join(dataDir, 'pki', 'ca.crt'), '--token', token, '--cache-dir', cacheDir, ...args]);

  before(async () => {
    etcd = await startEtcd();
    badge = await startBadgeProcess(dataDir, flags());
  });
  after(async () => {
    await badge?.stop();
    await etcd?.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(cacheDir, { recursive: true, force: true });
  });

  it('refuses a start without --etcd-servers, or with an unknown backend, as kube-apiserver does', async () => {
    const start = (args: string[]) => run(process.execPath, [BADGE_CLI, 'server', '--data-dir', join(dataDir, 'unused'), '--port', '0', ...args]);
    const noServers = await start(['--storage-backend', 'etcd3']);
    assert.equal(noServers.code, 1);
    assert.match(noServers.stderr, /--etcd-servers must be specified/);
    const unknown = await start(['--storage-backend', 'etcd2']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /--storage-backend invalid, allowed values: etcd3, sqlite/);
  });

  it('runs the tutorial basics, with the keys where kube-apiserver puts them', async () => {
    await ok(['create', 'serviceaccount', 'demo']);
    token = (await ok(['create', 'token', 'demo', '--duration', '1h'])).trim();
    await ok(['create', 'role', 'pod-reader', '--verb', 'get,list,watch', '--resource', 'pods']);
    await ok(['create', 'rolebinding', 'demo-reads-pods', '--role', 'pod-reader', '--serviceaccount', 'default:demo']);
    assert.equal((await ok(['auth', 'can-i', 'list', 'pods', '--as', 'system:serviceaccount:default:demo'])).trim(), 'yes');
    assert.equal((await asToken(['auth', 'can-i', 'delete', 'pods'])).stdout.trim(), 'no');
    await ok(['create', 'deployment', 'web', '--image', 'nginx:1.25', '--replicas', '2']);
    await eventually(async () => (await ok(['get', 'pods', '-l', 'app=web', '--no-headers'])).match(/Running/g)?.length === 2, 'two running pods', 30_000);
    const keys = etcd.etcdctl(['get', '--prefix', '/registry/serviceaccounts', '--keys-only']).split('\n').filter(Boolean);
    assert.ok(keys.includes('/registry/serviceaccounts/default/demo'), keys.join(' '));
    assert.ok(keys.includes('/registry/serviceaccounts/kube-system/default'), keys.join(' '));
    const value = JSON.parse(etcd.etcdctl(['get', '/registry/serviceaccounts/default/demo', '--print-value-only']));
    assert.equal(value.kind, 'ServiceAccount');
    assert.equal(value.metadata.resourceVersion, undefined, 'resourceVersion is the key mod_revision, not stored');
    const rv = (await ok(['get', 'sa', 'demo', '-o', 'jsonpath={.metadata.resourceVersion}'])).trim();
    assert.match(etcd.etcdctl(['get', '/registry/serviceaccounts/default/demo', '-w', 'json']), new RegExp(`"mod_revision":${rv}\\b`));
  });

  it('keeps objects and tokens across a restart on the same etcd', async () => {
    await badge.stop();
    badge = await startBadgeProcess(dataDir, flags());
    assert.match(await ok(['get', 'serviceaccount', 'demo']), /demo/);
    const pods = await asToken(['get', 'pods', '-l', 'app=web', '--no-headers']);
    assert.equal(pods.code, 0, pods.stderr);
    assert.equal(pods.stdout.match(/Running/g)?.length, 2);
  });

  it('while etcd is away: /readyz names etcd, requests get a Status; then it recovers by itself', async () => {
    await etcd.members[0]!.stop();
    await eventually(async () => {
      const r = await badge.api('GET', '/readyz?verbose');
      return r.status === 500 && r.body.toString().includes('[-]etcd failed: reason withheld');
    }, '/readyz to name etcd', 15_000);
    const failed = await kubectl(['get', 'serviceaccounts']);
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /Error from server/);
    await etcd.members[0]!.start();
    await eventually(async () => (await badge.api('GET', '/readyz')).status === 200, '/readyz to pass again', 20_000);
    await eventually(async () => (await kubectl(['get', 'serviceaccount', 'demo'])).code === 0, 'kubectl get to work again', 20_000);
    // The controllers' informers kept watching: a new Deployment gets its pods.
    await ok(['create', 'deployment', 'after', '--image', 'nginx:1.25']);
    await eventually(async () => (await ok(['get', 'pods', '-l', 'app=after', '--no-headers'])).includes('Running'), 'the new pod to run', 30_000);
  });

  it('keeps serving, and idles, when its output closes while it logs (the reader of its pipes exited)', async () => {
    badge.child.stdout!.destroy();
    badge.child.stderr!.destroy();
    // etcd away: every controller's failure is a log line, each one failing to be written.
    await etcd.members[0]!.stop();
    await eventually(async () => (await badge.api('GET', '/readyz')).status === 500, '/readyz to fail', 15_000);
    const cpuMs = () => {
      const f = readFileSync(`/proc/${badge.child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(f[11]) + Number(f[12])) * 10;
    };
    const before = cpuMs();
    await new Promise((r) => setTimeout(r, 3000));
    // Idle it takes tens of milliseconds; a loop of failing log lines took the whole 3 s.
    assert.ok(cpuMs() - before < 750, `${cpuMs() - before} ms of CPU in 3 s`);
    await etcd.members[0]!.start();
    await eventually(async () => (await badge.api('GET', '/readyz')).status === 200, '/readyz to pass again', 20_000);
    assert.match(await ok(['get', 'serviceaccount', 'demo']), /demo/);
  });
});
