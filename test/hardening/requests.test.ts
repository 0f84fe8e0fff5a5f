// Requests an attacker or a careless client may send: each gets the Status Kubernetes gives, no
// object is served that authorization did not allow, and the server stays up.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startBadge, type Badge } from '../e2e/harness.js';

const json = (o: unknown) => JSON.stringify(o);

describe('hardening: hostile requests', () => {
  let b: Badge;
  /** A ServiceAccount token in namespace `a`, allowed get/list/watch on the secret `allowed` only. */
  let token: string;
  /** A ServiceAccount token with no bindings at all. */
  let nobody: string;

  before(async () => {
    b = await startBadge();
    const admin = async (method: string, path: string, body: unknown) => {
      const r = await b.api(method, path, json(body));
      assert.ok(r.status < 300, `${method} ${path}: ${r.text}`);
    };
    await admin('POST', '/api/v1/namespaces', { metadata: { name: 'a' } });
    for (const name of ['allowed', 'other']) await admin('POST', '/api/v1/namespaces/a/secrets', { metadata: { name }, stringData: { password: `${name}-secret` } });
    await admin('POST', '/api/v1/namespaces/a/serviceaccounts', { metadata: { name: 'reader' } });
    await admin('POST', '/api/v1/namespaces/a/serviceaccounts', { metadata: { name: 'nobody' } });
    await admin('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/a/roles', {
      metadata: { name: 'one-secret' },
      rules: [{ apiGroups: [''], resources: ['secrets'], resourceNames: ['allowed'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch'] }],
    });
    await admin('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/a/rolebindings', {
      metadata: { name: 'reader' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'one-secret' },
      subjects: [{ kind: 'ServiceAccount', name: 'reader', namespace: 'a' }],
    });
    token = (await b.kubectl(['create', 'token', 'reader', '-n', 'a'])).stdout.trim();
    nobody = (await b.kubectl(['create', 'token', 'nobody', '-n', 'a'])).stdout.trim();
  });
  after(() => b?.close());

  const ready = async () => assert.equal((await b.api('GET', '/readyz')).status, 200);

  describe('a field name beyond latin1 (issue 9.1)', () => {
    it('is a 201 with the unknown field warned in UTF-8, as Kubernetes answers', async () => {
      const body = json({ apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { verb: 'get', resource: 'pods' } }, 'ᛄ': 1 });
      const r = await b.asBearer(nobody, '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', 'POST', body);
      assert.equal(r.status, 201, r.text);
      assert.deepEqual(r.warnings, ['299 - "unknown field \\"ᛄ\\""']);
      await ready();
    });

    it('a field name with control characters or quotes is quoted as Go quotes it', async () => {
      const body = json({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'quoted' }, 'a"\\\u0001b\u200b': 1, '😀': 2 });
      const r = await b.api('POST', '/api/v1/namespaces/default/configmaps', body);
      assert.equal(r.status, 201, r.text);
      assert.deepEqual(r.warnings, ['299 - "unknown field \\"a\\\\\\"\\\\\\\\\\\\x01b\\\\u200b\\""', '299 - "unknown field \\"😀\\""']);
      await ready();
    });

    it('thousands of unknown fields: at most 100 warnings, and the server stays up', async () => {
      const fields = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`ᛄ${'x'.repeat(300)}${i}`, i]));
      const r = await b.api('POST', '/api/v1/namespaces/default/configmaps', json({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'many' }, ...fields }));
      assert.equal(r.status, 201, r.text);
      const warnings = r.warnings;
      assert.ok(warnings.length > 0 && warnings.length <= 100, String(warnings.length));
      // Past 4 Ki runes in all, each text is cut to 256 runes.
      assert.ok(warnings.every((w) => [...w].length <= 256 + 9), `texts are truncated: ${warnings.map((w) => [...w].length)}`);
      await ready();
    });
  });

  describe('RBAC escalation through a nonResourceURL wildcard (issue 9.18)', () => {
    it('a user holding /metrics/* may grant /metrics/slis but not /metrics', async () => {
      const admin = (method: string, path: string, body: unknown) => b.api(method, path, json(body));
      assert.equal((await admin('POST', '/apis/rbac.authorization.k8s.io/v1/clusterroles', { metadata: { name: 'role-writer' }, rules: [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['create'] }, { nonResourceURLs: ['/metrics/*'], verbs: ['get'] }] })).status, 201);
      assert.equal((await admin('POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', { metadata: { name: 'role-writer' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'role-writer' }, subjects: [{ kind: 'User', name: 'writer', apiGroup: 'rbac.authorization.k8s.io' }] })).status, 201);
      const grant = (name: string, url: string) => b.api('POST', '/apis/rbac.authorization.k8s.io/v1/clusterroles', json({ metadata: { name }, rules: [{ nonResourceURLs: [url], verbs: ['get'] }] }), { 'Impersonate-User': 'writer' });
      const below = await grant('below', '/metrics/slis');
      assert.equal(below.status, 201, below.text);
      const bare = await grant('bare', '/metrics');
      assert.equal(bare.status, 403, bare.text);
      assert.match(bare.json.message, /is attempting to grant RBAC permissions not currently held:\n\{NonResourceURLs:\["\/metrics"\], Verbs:\["get"\]\}/);
    });
  });

  describe('a watch of one named object (issue 9.2)', () => {
    const events = (text: string) => text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));

    it('streams only that object, through /watch/…/NAME', async () => {
      const r = await b.asBearer(token, '/api/v1/watch/namespaces/a/secrets/allowed?timeoutSeconds=1');
      assert.equal(r.status, 200, r.text);
      const names = events(r.text).map((e) => `${e.type} ${e.object.metadata.name}`);
      assert.deepEqual(names, ['ADDED allowed']);
    });

    it('a field selector naming another object is a 400', async () => {
      const r = await b.asBearer(token, '/api/v1/watch/namespaces/a/secrets/allowed?timeoutSeconds=1&fieldSelector=metadata.name%3Dother');
      assert.equal(r.status, 400, r.text);
      assert.equal(r.json.message, "fieldSelector metadata.name doesn't match requested name");
    });

    it('?watch=true on a list with the name selector streams only that object', async () => {
      const r = await b.asBearer(token, '/api/v1/namespaces/a/secrets?watch=true&timeoutSeconds=1&fieldSelector=metadata.name%3Dallowed');
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(events(r.text).map((e) => e.object.metadata.name), ['allowed']);
    });

    it('the whole collection, or another name, is forbidden', async () => {
      for (const path of ['/api/v1/watch/namespaces/a/secrets', '/api/v1/watch/namespaces/a/secrets/other', '/api/v1/namespaces/a/secrets', '/api/v1/watch/secrets/allowed']) {
        const r = await b.asBearer(token, `${path}?timeoutSeconds=1`);
        assert.equal(r.status, 403, `${path}: ${r.text}`);
      }
    });

    it('a POST to a named path cannot create another object', async () => {
      const r = await b.asBearer(token, '/api/v1/namespaces/a/secrets/allowed', 'POST', json({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'planted' } }));
      assert.equal(r.status, 405, r.text);
      assert.equal((await b.api('GET', '/api/v1/namespaces/a/secrets/planted')).status, 404);
    });

    it('a server-side apply that creates names the object at the URL, nothing else', async () => {
      const apply = await b.api('PATCH', '/api/v1/namespaces/a/secrets/fresh?fieldManager=m', json({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'planted' } }), { 'Content-Type': 'application/apply-patch+yaml' });
      assert.equal(apply.status, 400, apply.text);
      assert.equal(apply.json.message, 'the name of the object (planted) does not match the name on the URL (fresh)');
      assert.equal((await b.api('GET', '/api/v1/namespaces/a/secrets/planted')).status, 404);
      const named = await b.api('PATCH', '/api/v1/namespaces/a/secrets/fresh?fieldManager=m', json({ apiVersion: 'v1', kind: 'Secret' }), { 'Content-Type': 'application/apply-patch+yaml' });
      assert.equal(named.status, 201, named.text);
      assert.equal(named.json.metadata.name, 'fresh');
    });

    it('a PUT or PATCH naming another object in its body is refused', async () => {
      const put = await b.asBearer(token, '/api/v1/namespaces/a/secrets/allowed', 'PUT', json({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'other' }, stringData: { password: 'x' } }));
      assert.equal(put.status, 400, put.text);
      assert.equal(put.json.message, 'the name of the object (other) does not match the name on the URL (allowed)');
      const other = await b.api('GET', '/api/v1/namespaces/a/secrets/other');
      assert.equal(Buffer.from(other.json.data.password, 'base64').toString(), 'other-secret');
    });
  });

  describe("headers up to kube-apiserver's 1 MiB (MaxHeaderBytes)", () => {
    const values = (n: number) => Array.from({ length: n }, (_, i) => `v${i}`).join(',');
    it('kubectl (HTTP/2) with a 30 KB label selector, and impersonating 300 groups', async () => {
      const selector = `app in (${values(6000)})`;
      assert.ok(selector.length > 30_000);
      assert.match(await b.ok(['get', 'pods', '-l', selector]), /^$/);
      const groups = Array.from({ length: 300 }, (_, i) => ['--as-group', `g${i}`]).flat();
      const who = JSON.parse(await b.ok(['auth', 'whoami', '--as', 'bob', ...groups, '-o', 'json']));
      assert.equal(who.status.userInfo.groups.length, 301, 'the 300 groups and system:authenticated');
    });
    it('HTTP/1.1 with a 200 KB URL, or 3,000 headers', async () => {
      const r = await b.api('GET', `/api/v1/pods?labelSelector=${encodeURIComponent(`app in (${values(20_000)})`)}`);
      assert.equal(r.status, 200, r.text);
      const many = Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`x-h${i}`, 'v']));
      assert.equal((await b.api('GET', '/readyz', undefined, many)).status, 200);
      await ready();
    });
  });

  it('a watch with a timeoutSeconds past what a timer can wait (35 days) stays open', async () => {
    const { request } = await import('node:https');
    const { pki, url } = b.server;
    const ended = await new Promise<boolean>((resolve, reject) => {
      const req = request(`${url}/api/v1/namespaces/a/serviceaccounts?watch=true&timeoutSeconds=3024000`, { ca: pki.ca.cert, cert: pki.admin.cert, key: pki.admin.key }, (res) => {
        const timer = setTimeout(() => (req.destroy(), resolve(false)), 1000);
        res.resume();
        res.on('end', () => (clearTimeout(timer), resolve(true)));
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(ended, false);
  });
});
