// The official JavaScript client (@kubernetes/client-node 1.x) against Badge, unchanged: the admin
// kubeconfig, ServiceAccounts and their tokens, TokenReview, RBAC, access reviews as the account,
// the Forbidden error it parses, and a watch.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { startBadge, type Badge } from './harness.js';

const GROUP = 'rbac.authorization.k8s.io';

describe('e2e: @kubernetes/client-node', () => {
  let b: Badge;
  let admin: k8s.KubeConfig;
  before(async () => {
    b = await startBadge();
    admin = new k8s.KubeConfig();
    admin.loadFromFile(b.kubeconfig);
  });
  after(() => b.close());

  /** A kubeconfig for the same cluster that authenticates with `token`. */
  function asToken(token: string): k8s.KubeConfig {
    const cluster = admin.getCurrentCluster()!;
    const kc = new k8s.KubeConfig();
    kc.loadFromOptions({
      clusters: [cluster],
      users: [{ name: 'sa', token }],
      contexts: [{ name: 'sa', cluster: cluster.name, user: 'sa' }],
      currentContext: 'sa',
    });
    return kc;
  }

  it('lists namespaces with the admin kubeconfig', async () => {
    const list = await admin.makeApiClient(k8s.CoreV1Api).listNamespace();
    const names = list.items.map((n) => n.metadata!.name);
    for (const ns of ['default', 'kube-node-lease', 'kube-public', 'kube-system']) assert.ok(names.includes(ns), names.join(' '));
  });

  it('creates a ServiceAccount, gets it a token, reviews the token, and acts as the account', async () => {
    const core = admin.makeApiClient(k8s.CoreV1Api);
    const rbac = admin.makeApiClient(k8s.RbacAuthorizationV1Api);
    const sa = await core.createNamespacedServiceAccount({ namespace: 'default', body: { metadata: { name: 'js-reader' } } });
    assert.equal(sa.metadata!.name, 'js-reader');
    await rbac.createNamespacedRole({ namespace: 'default', body: { metadata: { name: 'pod-reader' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }] } });
    await rbac.createNamespacedRoleBinding({
      namespace: 'default',
      body: {
        metadata: { name: 'js-reader-pods' },
        roleRef: { apiGroup: GROUP, kind: 'Role', name: 'pod-reader' },
        subjects: [{ kind: 'ServiceAccount', name: 'js-reader', namespace: 'default' }],
      },
    });

    const tr = await core.createNamespacedServiceAccountToken({ namespace: 'default', name: 'js-reader', body: { spec: { audiences: [], expirationSeconds: 3600 } } });
    const token = tr.status!.token;
    const review = await admin.makeApiClient(k8s.AuthenticationV1Api).createTokenReview({ body: { spec: { token } } });
    assert.equal(review.status!.authenticated, true);
    assert.equal(review.status!.user!.username, 'system:serviceaccount:default:js-reader');

    const asSa = asToken(token);
    const pods = await asSa.makeApiClient(k8s.CoreV1Api).listNamespacedPod({ namespace: 'default' });
    assert.ok(Array.isArray(pods.items));
    const authz = asSa.makeApiClient(k8s.AuthorizationV1Api);
    const can = async (verb: string) =>
      (await authz.createSelfSubjectAccessReview({ body: { spec: { resourceAttributes: { namespace: 'default', verb, resource: 'pods' } } } })).status!.allowed;
    assert.equal(await can('list'), true);
    assert.equal(await can('delete'), false);

    await assert.rejects(asSa.makeApiClient(k8s.CoreV1Api).listNamespacedSecret({ namespace: 'default' }), (err: unknown) => {
      assert.ok(err instanceof k8s.ApiException, String(err));
      assert.equal(err.code, 403);
      const status = JSON.parse(err.body as string);
      assert.equal(status.reason, 'Forbidden');
      assert.equal(status.message, 'secrets is forbidden: User "system:serviceaccount:default:js-reader" cannot list resource "secrets" in API group "" in the namespace "default"');
      return true;
    });
  });

  it('watches ConfigMaps', async () => {
    const seen: string[] = [];
    let added!: () => void;
    const addedSeen = new Promise<void>((resolve) => (added = resolve));
    // The watch resolves once the server has answered, so the create below is an event of it.
    const stop = await new k8s.Watch(admin).watch(
      '/api/v1/namespaces/default/configmaps',
      {},
      (type, obj: k8s.V1ConfigMap) => {
        seen.push(`${type} ${obj.metadata!.name}`);
        if (type === 'ADDED' && obj.metadata!.name === 'watched') added();
      },
      () => undefined,
    );
    await admin.makeApiClient(k8s.CoreV1Api).createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'watched' }, data: { k: 'v' } } });
    await addedSeen;
    stop.abort();
    assert.ok(seen.includes('ADDED watched'), seen.join(', '));
  });
});
