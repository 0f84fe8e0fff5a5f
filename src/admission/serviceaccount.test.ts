import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ManualClock, systemRandom, type Random } from '../api/clock.js';
import type { KubeObject } from '../api/meta.js';
import { AdmissionChain } from './chain.js';
import { Registry } from '../registry/registry.js';
import { namespaces } from '../registry/resources/namespaces.js';
import { pods } from '../registry/resources/pods.js';
import { secrets } from '../registry/resources/secrets.js';
import { serviceaccounts } from '../registry/resources/serviceaccounts.js';
import { rejection, T0 } from '../registry/resources/testing.js';
import type { Store } from '../registry/store.js';
import { SqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import type { TokenIssuer } from '../auth/tokens/issuer.js';
import { serviceAccountAdmission, tokenVolume } from './serviceaccount.js';
import { podSecretNames } from '../api/pod-secrets.js';
import type { OpContext } from '../api/operations.js';
import { LocalClient } from '../registry/local-client.js';

type Obj = Record<string, any>;

/** Names from a fixed sequence: the volume suffix is always "abcde"... as the alphabet allows. */
const fixedRandom: Random = { uuid: () => systemRandom.uuid(), string: (n, alphabet) => alphabet.slice(0, n) };

const pod = (name: string, spec: Obj = {}, metadata: Obj = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, ...metadata },
  spec: { containers: [{ name: 'app', image: 'nginx' }], ...spec },
});
const sa = (name: string, rest: Obj = {}, metadata: Obj = {}): KubeObject => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, ...metadata }, ...rest });
const MOUNT = { name: 'kube-api-access-bcdfg', readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' };

describe('ServiceAccount admission', () => {
  let dir: string;
  let storage: SqliteStorage;
  let podStore: Store;
  let saStore: Store;
  let ctx: OpContext;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'badge-sa-admission-'));
    storage = new SqliteStorage(join(dir, 'state.db'));
    const chain = new AdmissionChain();
    const tokenRequest = { issuer: {} as TokenIssuer, apiAudiences: ['x'], maxExpirationSeconds: 0, extendExpiration: true };
    const registry = new Registry([namespaces, pods, secrets, serviceaccounts(tokenRequest)], storage, chain);
    ctx = { user: { username: 'admin', groups: ['system:masters'] }, clock: new ManualClock(T0), random: fixedRandom };
    chain.use(serviceAccountAdmission(new LocalClient(registry, ctx.user, ctx.clock, ctx.random)));
    podStore = registry.mustStore('', 'v1', 'pods');
    saStore = registry.mustStore('', 'v1', 'serviceaccounts');
    await registry.mustStore('', 'v1', 'namespaces').create(ctx, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
    await saStore.create(ctx, 'default', sa('default'));
    await saStore.create(ctx, 'default', sa('my-app-sa', { imagePullSecrets: [{ name: 'docker-registry-secret' }] }));
  });
  after(() => {
    storage.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('defaults the account, mounts the token volume and copies imagePullSecrets', async () => {
    const p = await podStore.create(ctx, 'default', pod('plain', { initContainers: [{ name: 'init', image: 'busybox' }] }));
    const spec = p.spec as Obj;
    assert.equal(spec.serviceAccountName, 'default');
    assert.equal(spec.serviceAccount, 'default');
    assert.deepEqual(spec.containers[0].volumeMounts, [MOUNT]);
    assert.deepEqual(spec.initContainers[0].volumeMounts, [MOUNT]);
    assert.deepEqual(spec.volumes, [tokenVolume('kube-api-access-bcdfg')]);
    assert.deepEqual(spec.volumes[0].projected, {
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
      defaultMode: 420,
    });
    assert.equal(spec.imagePullSecrets, undefined);
    const withPull = (await podStore.create(ctx, 'default', pod('pull', { serviceAccountName: 'my-app-sa' }))).spec as Obj;
    assert.deepEqual(withPull.imagePullSecrets, [{ name: 'docker-registry-secret' }]);
    const own = (await podStore.create(ctx, 'default', pod('own-pull', { serviceAccountName: 'my-app-sa', imagePullSecrets: [{ name: 'mine' }] }))).spec as Obj;
    assert.deepEqual(own.imagePullSecrets, [{ name: 'mine' }]);
  });

  it('takes the deprecated serviceAccount alias as the name', async () => {
    const spec = (await podStore.create(ctx, 'default', pod('alias', { serviceAccount: 'my-app-sa' }))).spec as Obj;
    assert.equal(spec.serviceAccountName, 'my-app-sa');
    assert.equal(spec.serviceAccount, 'my-app-sa');
  });

  it('follows the automount precedence: the pod, then the account, then true', async () => {
    await saStore.create(ctx, 'default', sa('quiet', { automountServiceAccountToken: false }));
    const off = (await podStore.create(ctx, 'default', pod('off', { serviceAccountName: 'quiet' }))).spec as Obj;
    assert.equal(off.volumes, undefined);
    assert.equal(off.containers[0].volumeMounts, undefined);
    const on = (await podStore.create(ctx, 'default', pod('on', { serviceAccountName: 'quiet', automountServiceAccountToken: true }))).spec as Obj;
    assert.deepEqual(on.containers[0].volumeMounts, [MOUNT]);
    const podOff = (await podStore.create(ctx, 'default', pod('pod-off', { automountServiceAccountToken: false }))).spec as Obj;
    assert.equal(podOff.volumes, undefined);
    assert.equal(podOff.automountServiceAccountToken, false);
  });

  it('reuses an existing kube-api-access- volume and skips containers that mount the path', async () => {
    const own = { name: 'kube-api-access-mine', emptyDir: {} };
    const spec = (
      await podStore.create(
        ctx,
        'default',
        pod('reuse', {
          volumes: [own],
          containers: [
            { name: 'a', image: 'nginx' },
            { name: 'b', image: 'nginx', volumeMounts: [{ name: 'kube-api-access-mine', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }] },
          ],
        }),
      )
    ).spec as Obj;
    assert.deepEqual(spec.volumes, [own]);
    assert.deepEqual(spec.containers[0].volumeMounts, [{ ...MOUNT, name: 'kube-api-access-mine' }]);
    assert.deepEqual(spec.containers[1].volumeMounts, [{ name: 'kube-api-access-mine', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }]);
    const none = (
      await podStore.create(ctx, 'default', pod('all-mounted', { volumes: [{ name: 'x', emptyDir: {} }], containers: [{ name: 'a', image: 'nginx', volumeMounts: [{ name: 'x', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }] }] }))
    ).spec as Obj;
    assert.deepEqual(none.volumes, [{ name: 'x', emptyDir: {} }]);
  });

  it('refuses a pod whose account does not exist, by name or generateName', async () => {
    assert.equal(
      await rejection(podStore.create(ctx, 'default', pod('my-app', { serviceAccountName: 'nope' }))),
      'pods "my-app" is forbidden: error looking up service account default/nope: serviceaccount "nope" not found',
    );
    assert.equal(
      await rejection(podStore.create(ctx, 'default', pod('', { serviceAccountName: 'nope' }, { generateName: 'gen-' }))),
      'pods "gen-" is forbidden: error looking up service account default/nope: serviceaccount "nope" not found',
    );
    const err = await podStore.create(ctx, 'default', pod('x', { serviceAccountName: 'nope' })).catch((e) => e);
    assert.equal(err.code, 403);
    assert.equal(err.reason, 'Forbidden');
  });

  it('waits for the default account, which the controller may be creating', async () => {
    const ns = 'late';
    const started = Date.now();
    setTimeout(() => void saStore.create(ctx, ns, sa('default')), 250);
    // Namespaces are not checked here (no NamespaceLifecycle in this chain).
    const p = await podStore.create(ctx, ns, pod('waits'));
    assert.equal((p.spec as Obj).serviceAccountName, 'default');
    assert.ok(Date.now() - started >= 250);
    const missing = await rejection(podStore.create(ctx, 'empty', pod('gives-up')));
    assert.equal(missing, 'pods "gives-up" is forbidden: error looking up service account empty/default: serviceaccount "default" not found');
  });

  it('enforces mountable secrets when the account asks for it', async () => {
    await saStore.create(ctx, 'default', sa('strict', { secrets: [{ name: 'allowed' }], imagePullSecrets: [{ name: 'pull' }] }, { annotations: { 'kubernetes.io/enforce-mountable-secrets': 'true' } }));
    const env = (name: string, secret: string) => ({ name, valueFrom: { secretKeyRef: { name: secret, key: 'k' } } });
    const cases: [string, Obj, string][] = [
      ['vol', { volumes: [{ name: 's', secret: { secretName: 'other' } }] }, 'volume with secret.secretName="other" is not allowed because service account strict does not reference that secret'],
      ['init', { initContainers: [{ name: 'i', image: 'x', env: [env('E', 'other')] }] }, 'init container i with envVar E referencing secret.secretName="other" is not allowed because service account strict does not reference that secret'],
      ['ctr', { containers: [{ name: 'c', image: 'x', env: [env('F', 'other')] }] }, 'container c with envVar F referencing secret.secretName="other" is not allowed because service account strict does not reference that secret'],
      ['pull', { imagePullSecrets: [{ name: 'pull' }, { name: 'other' }] }, 'imagePullSecrets[1].name="other" is not allowed because service account strict does not reference that imagePullSecret'],
    ];
    for (const [name, spec, why] of cases) {
      assert.equal(await rejection(podStore.create(ctx, 'default', pod(name, { serviceAccountName: 'strict', ...spec }))), `pods "${name}" is forbidden: ${why}`);
    }
    const ok = await podStore.create(ctx, 'default', pod('fine', { serviceAccountName: 'strict', volumes: [{ name: 's', secret: { secretName: 'allowed' } }], containers: [{ name: 'c', image: 'x', env: [env('G', 'allowed')] }] }));
    assert.deepEqual((ok.spec as Obj).imagePullSecrets, [{ name: 'pull' }]);
    await saStore.create(ctx, 'default', sa('lax', {}, { annotations: { 'kubernetes.io/enforce-mountable-secrets': 'yes' } }));
    await podStore.create(ctx, 'default', pod('lax-pod', { serviceAccountName: 'lax', volumes: [{ name: 's', secret: { secretName: 'other' } }] }));
  });

  it('leaves mirror pods alone, and refuses those that use accounts, secrets or token projections', async () => {
    const mirror = { annotations: { 'kubernetes.io/config.mirror': 'x' } };
    const p = await podStore.create(ctx, 'default', pod('mirror', { nodeName: 'n1' }, mirror));
    assert.equal((p.spec as Obj).serviceAccountName, undefined);
    assert.equal((p.spec as Obj).volumes, undefined);
    assert.equal(await rejection(podStore.create(ctx, 'default', pod('m1', { nodeName: 'n1', serviceAccountName: 'default' }, mirror))), 'pods "m1" is forbidden: a mirror pod may not reference service accounts');
    assert.equal(
      await rejection(podStore.create(ctx, 'default', pod('m2', { nodeName: 'n1', volumes: [{ name: 's', secret: { secretName: 's' } }] }, mirror))),
      'pods "m2" is forbidden: a mirror pod may not reference secrets',
    );
  });

  it('does not touch updates', async () => {
    const p = await podStore.create(ctx, 'default', pod('upd', { automountServiceAccountToken: false }));
    const updated = await podStore.guaranteedUpdate(ctx, 'default', 'upd', (cur) => ({ ...cur, metadata: { ...cur.metadata, labels: { a: 'b' } } }));
    assert.deepEqual(updated.spec, p.spec);
  });
});

describe('podSecretNames', () => {
  it('visits pull secrets, env, envFrom and the secret references of volumes', () => {
    const names = podSecretNames({
      imagePullSecrets: [{ name: 'pull' }],
      initContainers: [{ name: 'i', envFrom: [{ secretRef: { name: 'init-from' } }] }],
      containers: [{ name: 'c', env: [{ name: 'e', valueFrom: { secretKeyRef: { name: 'env', key: 'k' } } }] }],
      ephemeralContainers: [{ name: 'x', envFrom: [{ secretRef: { name: 'eph' } }, { configMapRef: { name: 'cm' } }] }],
      volumes: [
        { name: 'a', secret: { secretName: 'vol' } },
        { name: 'b', projected: { sources: [{ secret: { name: 'proj' } }, { configMap: { name: 'cm' } }] } },
        { name: 'c', csi: { driver: 'd', nodePublishSecretRef: { name: 'csi' } } },
        { name: 'd', azureFile: { secretName: 'az', shareName: 's' } },
        { name: 'e', rbd: { monitors: ['m'], image: 'i', secretRef: { name: 'rbd' } } },
        { name: 'f', configMap: { name: 'cm' } },
      ],
    });
    assert.deepEqual(names, ['pull', 'init-from', 'env', 'eph', 'vol', 'proj', 'csi', 'az', 'rbd']);
  });
});
