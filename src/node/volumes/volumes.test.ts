import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { PodSpec, Volume } from 'kubernetes-types/core/v1.js';
import type { ConfigMap, PersistentVolume, PersistentVolumeClaim, Pod, Secret } from '../../api/kinds.js';
import { fsUserOf, VolumeManager, type VolumeSources } from './volumes.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('VolumeManager', () => {
  let dir: string;
  let vm: VolumeManager;
  const configMaps: Record<string, ConfigMap> = {
    app: { metadata: { name: 'app' }, data: { 'a.conf': 'A', 'b.conf': 'B' }, binaryData: { bin: b64('\x00\x01') } },
  };
  const secrets: Record<string, Secret> = {
    creds: { metadata: { name: 'creds' }, data: { user: b64('u'), pass: b64('p') } },
  };
  const claims: Record<string, PersistentVolumeClaim> = {};
  const volumes: Record<string, PersistentVolume> = {};
  const sources: VolumeSources = {
    configMap: (_ns, n) => configMaps[n],
    secret: (_ns, n) => secrets[n],
    claim: (_ns, n) => claims[n],
    persistentVolume: (n) => volumes[n],
    token: async (pod, s) => `token-for-${pod.metadata.name}-${s.audience ?? 'api'}-${s.expirationSeconds}`,
    nodeAllocatable: { cpu: '2', memory: '1Gi' },
  };
  const pod = (volumes: Volume[], extra: Partial<PodSpec> = {}): Pod => ({
    metadata: { name: 'p', namespace: 'ns', uid: `uid-${Math.random().toString(16).slice(2)}`, labels: { app: 'x' } },
    spec: { containers: [{ name: 'c', resources: { limits: { memory: '64Mi' } } }], volumes, ...extra },
  });
  const mode = (p: string) => statSync(p).mode & 0o7777;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'badge-vol-'));
    vm = new VolumeManager(join(dir, 'pods'), () => new Date('2026-01-01T00:00:00Z'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('configMap and secret volumes: all keys, or items with their own modes', async () => {
    const p = pod([
      { name: 'cm', configMap: { name: 'app', defaultMode: 0o640 } },
      { name: 'items', configMap: { name: 'app', items: [{ key: 'a.conf', path: 'conf/a', mode: 0o600 }] } },
      { name: 's', secret: { secretName: 'creds', defaultMode: 0o400 } },
    ]);
    const r = await vm.setUp(p, sources);
    assert.deepEqual(r.failures, []);
    const cm = r.paths.get('cm')!;
    assert.equal(readFileSync(join(cm, 'a.conf'), 'utf8'), 'A');
    assert.deepEqual([...readFileSync(join(cm, 'bin'))], [0, 1]);
    assert.equal(mode(join(cm, readlinkSync(join(cm, '..data')), 'a.conf')), 0o640);
    assert.equal(mode(cm), 0o777);
    const items = r.paths.get('items')!;
    assert.equal(readFileSync(join(items, 'conf/a'), 'utf8'), 'A');
    assert.ok(!existsSync(join(items, 'b.conf')));
    assert.equal(mode(join(items, '..data', 'conf/a')), 0o600);
    const s = r.paths.get('s')!;
    assert.equal(readFileSync(join(s, 'pass'), 'utf8'), 'p');
    assert.equal(mode(join(s, '..data', 'pass')), 0o400);
    assert.equal(mode(s), 0o1777, 'secret volumes are tmpfs-like');
  });

  it('reports missing sources as the kubelet does; optional ones are empty', async () => {
    const p = pod([
      { name: 'gone', configMap: { name: 'nope' } },
      { name: 'key', secret: { secretName: 'creds', items: [{ key: 'token', path: 't' }] } },
      { name: 'opt', secret: { secretName: 'nope', optional: true } },
      { name: 'proj', projected: { sources: [{ configMap: { name: 'nope' } }, { secret: { name: 'nope2' } }] } },
      { name: 'nfs', nfs: { server: 'x', path: '/' } },
    ]);
    const r = await vm.setUp(p, sources);
    assert.deepEqual(r.failures, [
      { volume: 'gone', message: 'configmap "nope" not found' },
      { volume: 'key', message: 'references non-existent secret key: token' },
      { volume: 'proj', message: '[configmap "nope" not found, secret "nope2" not found]' },
      { volume: 'nfs', message: 'volume type nfs is not supported by this node' },
    ]);
    assert.ok(existsSync(join(r.paths.get('opt')!, '..data')));
  });

  it('projected: token, downward API, modes; an fsGroup makes the token 0640', async () => {
    const volumes = [
      {
        name: 'proj',
        projected: {
          defaultMode: 0o644,
          sources: [
            { serviceAccountToken: { path: 'token', expirationSeconds: 3607 } },
            { serviceAccountToken: { path: 'vault', audience: 'vault', expirationSeconds: 600 } },
            { downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'mem', resourceFieldRef: { containerName: 'c', resource: 'limits.memory', divisor: '1Mi' } }] } },
            { secret: { name: 'creds', items: [{ key: 'user', path: 'user' }] } },
          ],
        },
      },
    ];
    const plain = await vm.setUp(pod(volumes), sources);
    const d = plain.paths.get('proj')!;
    assert.equal(readFileSync(join(d, 'token'), 'utf8'), 'token-for-p-api-3607');
    assert.equal(readFileSync(join(d, 'vault'), 'utf8'), 'token-for-p-vault-600');
    assert.equal(readFileSync(join(d, 'labels'), 'utf8'), 'app="x"');
    assert.equal(readFileSync(join(d, 'mem'), 'utf8'), '64');
    assert.equal(mode(join(d, '..data', 'token')), 0o644);
    const grouped = await vm.setUp(pod(volumes, { securityContext: { fsGroup: 2000 } }), sources);
    const g = grouped.paths.get('proj')!;
    assert.equal(mode(join(g, '..data', 'token')), 0o640);
    assert.equal(mode(join(g, '..data', 'user')), 0o644);
  });

  it('emptyDir, and the common runAsUser', async () => {
    const p = pod([{ name: 'scratch', emptyDir: {} }, { name: 'mem', emptyDir: { medium: 'Memory' } }]);
    const r = await vm.setUp(p, sources);
    assert.equal(mode(r.paths.get('scratch')!), 0o777);
    assert.equal(mode(r.paths.get('mem')!), 0o1777);
    vm.tearDown(p.metadata.uid!);
    assert.ok(!existsSync(join(dir, 'pods', p.metadata.uid!, 'volumes')));
    assert.equal(fsUserOf(pod([], { securityContext: { runAsUser: 1000 } })), 1000);
    assert.equal(fsUserOf(pod([], { securityContext: { runAsUser: 1000 }, containers: [{ name: 'a' }, { name: 'b', securityContext: { runAsUser: 7 } }] })), undefined);
    assert.equal(fsUserOf(pod([])), undefined);
  });

  it('refuses a hostPath volume in the server\'s data directory, also through a symbolic link', async () => {
    const data = join(dir, 'data');
    mkdirSync(join(data, 'pki'), { recursive: true });
    symlinkSync(data, join(dir, 'link'));
    const guarded = new VolumeManager(join(data, 'pods'), () => new Date(), data);
    for (const path of [data, join(data, 'pki'), join(dir, 'link', 'pki'), join(dir, 'link', 'new')]) {
      const r = await guarded.setUp(pod([{ name: 'h', hostPath: { path, type: 'DirectoryOrCreate' } }]), sources);
      assert.deepEqual(r.failures, [{ volume: 'h', message: `the host path ${path} is in the server's data directory, which pods may not mount` }]);
    }
    assert.equal(existsSync(join(data, 'new')), false);
    const elsewhere = await guarded.setUp(pod([{ name: 'h', hostPath: { path: join(dir, 'elsewhere'), type: 'DirectoryOrCreate' } }]), sources);
    assert.deepEqual(elsewhere.failures, []);
  });

  it("mounts a claim's bound volume, waits while it is unbound, and reaches into the data dir only under volumes/", async () => {
    const data = join(dir, 'pvc-data');
    const provisioned = join(data, 'volumes', 'pvc-1');
    mkdirSync(provisioned, { recursive: true });
    mkdirSync(join(data, 'pki'), { recursive: true });
    const guarded = new VolumeManager(join(data, 'pods'), () => new Date(), data);
    const use = (claimName: string) => guarded.setUp(pod([{ name: 'v', persistentVolumeClaim: { claimName } }]), sources);
    assert.deepEqual((await use('missing')).failures, [{ volume: 'v', message: 'error processing PVC ns/missing: failed to fetch PVC from API server: persistentvolumeclaims "missing" not found' }]);
    claims.pending = { metadata: { name: 'pending', uid: 'c0' }, spec: {}, status: { phase: 'Pending' } };
    assert.deepEqual((await use('pending')).failures, [{ volume: 'v', message: 'error processing PVC ns/pending: PVC is not bound' }]);
    claims.data = { metadata: { name: 'data', uid: 'c1' }, spec: { volumeName: 'pvc-1' }, status: { phase: 'Bound' } };
    volumes['pvc-1'] = { metadata: { name: 'pvc-1' }, spec: { claimRef: { uid: 'c1' }, local: { path: provisioned } } };
    const bound = await use('data');
    assert.deepEqual(bound.failures, []);
    assert.equal(bound.paths.get('v'), provisioned);
    claims.keys = { metadata: { name: 'keys', uid: 'c2' }, spec: { volumeName: 'keys' }, status: { phase: 'Bound' } };
    volumes.keys = { metadata: { name: 'keys' }, spec: { claimRef: { uid: 'c2' }, hostPath: { path: join(data, 'pki') } } };
    assert.deepEqual((await use('keys')).failures, [{ volume: 'v', message: `the host path ${join(data, 'pki')} is in the server's data directory, which pods may not mount` }]);
  });
});
