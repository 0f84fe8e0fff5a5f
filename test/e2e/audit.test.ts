// The audit log with the real kubectl: Badge started with an audit.k8s.io/v1 Policy and a log
// file; kubectl lists pods, creates a ConfigMap (Request level: its body is logged), mints a
// ServiceAccount token and acts with it (allowed by a RoleBinding, then forbidden), a watch runs,
// a bad token is refused, the tutorial's legacy token Secret is used (and one marked invalid is
// refused) with their authentication annotations; the events are asserted field by field, with
// the Audit-Id header, apiserver_audit_event_total, the file's mode, `--audit-log-path -` and an
// invalid policy.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startServer } from '../../src/app.js';
import { eventually } from '../../src/testing/eventually.js';
import { openWatch, startBadge, startBadgeProcess, type Badge } from './harness.js';
import { EXAMPLES } from './tutorial.js';

const POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
rules:
- level: None
  nonResourceURLs: ["/healthz*", "/readyz*", "/livez*", "/metrics", "/openapi*", "/version", "/api", "/apis*"]
- level: None
  users: ["system:apiserver"]
- level: Request
  resources: [{group: "", resources: ["configmaps"]}]
- level: Metadata
`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MICRO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;
const ADMIN = { username: 'badge-admin', groups: ['system:masters', 'system:authenticated'] };

describe('e2e: the audit log', () => {
  let b: Badge;
  let dir: string;
  let logPath: string;
  const events = (): any[] =>
    readFileSync(logPath, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
  /** The events of the one request `pick` finds, in order. */
  const requestEvents = (pick: (e: any) => boolean): any[] => {
    const all = events();
    const ids = [...new Set(all.filter(pick).map((e) => e.auditID))];
    assert.equal(ids.length, 1, `one request matches, got ${ids.length}`);
    return all.filter((e) => e.auditID === ids[0]);
  };
  const common = (e: any) => {
    assert.equal(e.kind, 'Event');
    assert.equal(e.apiVersion, 'audit.k8s.io/v1');
    assert.match(e.auditID, UUID);
    assert.deepEqual(e.sourceIPs, ['127.0.0.1']);
    assert.match(e.requestReceivedTimestamp, MICRO);
    assert.match(e.stageTimestamp, MICRO);
    assert.ok(e.stageTimestamp >= e.requestReceivedTimestamp);
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'badge-audit-'));
    writeFileSync(join(dir, 'policy.yaml'), POLICY);
    logPath = join(dir, 'logs', 'audit.log');
    b = await startBadge({ audit: { policyFile: join(dir, 'policy.yaml'), logPath, maxAgeDays: 366, maxBackups: 100, maxSizeMb: 100 } });
  });
  after(async () => {
    await b.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the log 0600', () => {
    assert.equal(statSync(logPath).mode & 0o777, 0o600);
  });

  it('kubectl get pods: RequestReceived and ResponseComplete at Metadata, allowed for system:masters', async () => {
    await b.ok(['get', 'pods']);
    const [received, complete, ...rest] = requestEvents((e) => e.verb === 'list' && e.objectRef?.resource === 'pods' && e.user.username === 'badge-admin');
    assert.equal(rest.length, 0);
    for (const e of [received, complete]) {
      common(e);
      assert.equal(e.level, 'Metadata');
      assert.equal(e.requestURI, '/api/v1/namespaces/default/pods?limit=500');
      assert.deepEqual(e.objectRef, { resource: 'pods', namespace: 'default', apiVersion: 'v1' });
      assert.match(e.userAgent, /^kubectl\//);
      assert.equal(e.user.username, ADMIN.username);
      assert.deepEqual(e.user.groups, ADMIN.groups);
      assert.match(e.user.extra['authentication.kubernetes.io/credential-id'][0], /^X509SHA256=[0-9a-f]{64}$/);
      assert.equal(e.requestObject, undefined);
    }
    assert.equal(received.stage, 'RequestReceived');
    assert.equal(received.stageTimestamp, received.requestReceivedTimestamp);
    assert.equal(received.responseStatus, undefined);
    assert.equal(received.annotations, undefined);
    assert.equal(complete.stage, 'ResponseComplete');
    assert.deepEqual(complete.responseStatus, { metadata: {}, code: 200 });
    assert.deepEqual(complete.annotations, { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': '' });
  });

  it('kubectl create configmap: the request object at Request level, its name in objectRef', async () => {
    await b.ok(['create', 'configmap', 'settings', '--from-literal=mode=fast']);
    const [received, complete] = requestEvents((e) => e.verb === 'create' && e.objectRef?.resource === 'configmaps');
    for (const e of [received, complete]) common(e);
    assert.equal(complete.level, 'Request');
    assert.equal(complete.requestURI, '/api/v1/namespaces/default/configmaps?fieldManager=kubectl-create&fieldValidation=Strict');
    assert.deepEqual(complete.objectRef, { resource: 'configmaps', namespace: 'default', name: 'settings', apiVersion: 'v1' });
    assert.deepEqual(complete.requestObject, { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'settings' }, data: { mode: 'fast' } });
    assert.equal(complete.responseObject, undefined);
    assert.deepEqual(complete.responseStatus, { metadata: {}, code: 201 });
    // The body is read after RequestReceived is written: that event has neither the name nor the object.
    assert.equal(received.requestObject, undefined);
    assert.equal(received.objectRef.name, undefined);
  });

  it("admission's audit annotations (a ValidatingAdmissionPolicy's) are on the ResponseComplete event", async () => {
    await b.ok(['apply', '-f', '-'], `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: cm-audit}
spec:
  matchConstraints:
    resourceRules: [{apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE"], resources: ["configmaps"]}]
  auditAnnotations: [{key: made, valueExpression: "'made ' + object.metadata.name"}]
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: cm-audit}
spec: {policyName: cm-audit, validationActions: [Audit]}
`);
    let n = 0;
    const complete = await eventually(async () => {
      const name = `annotated-${n++}`;
      await b.ok(['create', 'configmap', name]);
      return events().find((e) => e.stage === 'ResponseComplete' && e.verb === 'create' && e.objectRef?.name === name && e.annotations['cm-audit/made']);
    }, 'the policy to apply');
    assert.equal(complete.annotations['cm-audit/made'], `made ${complete.objectRef.name}`);
    assert.equal(complete.annotations['authorization.k8s.io/decision'], 'allow');
  });

  it('a ServiceAccount token: issued (its JTI annotated), allowed by a RoleBinding, then forbidden', async () => {
    await b.ok(['create', 'serviceaccount', 'robot']);
    await b.ok(['create', 'role', 'cm-reader', '--verb=get', '--resource=configmaps']);
    await b.ok(['create', 'rolebinding', 'read-cm', '--role=cm-reader', '--serviceaccount=default:robot']);
    const token = (await b.ok(['create', 'token', 'robot'])).trim();
    const [, issued] = requestEvents((e) => e.objectRef?.subresource === 'token' && e.objectRef?.name === 'robot');
    assert.equal(issued.verb, 'create');
    assert.deepEqual(issued.objectRef, { resource: 'serviceaccounts', namespace: 'default', name: 'robot', apiVersion: 'v1', subresource: 'token' });
    const jti = issued.annotations['authentication.kubernetes.io/issued-credential-id'];
    assert.match(jti, /^JTI=[0-9a-f-]{36}$/);

    // A kubeconfig with the token alone (the admin's has a client certificate, which would authenticate first).
    const asRobot = join(dir, 'robot.kubeconfig');
    const ca = Buffer.from(b.server.pki.ca.cert).toString('base64');
    writeFileSync(asRobot, `apiVersion: v1\nkind: Config\nclusters: [{name: badge, cluster: {server: "${b.server.url}", certificate-authority-data: ${ca}}}]\nusers: [{name: robot, user: {token: ${token}}}]\ncontexts: [{name: robot, context: {cluster: badge, user: robot, namespace: default}}]\ncurrent-context: robot\n`);
    await eventually(async () => /settings/.test(await b.ok(['--kubeconfig', asRobot, 'get', 'configmap', 'settings'])), 'the RoleBinding to apply');
    const allowed = events().filter((e) => e.stage === 'ResponseComplete' && e.user.username === 'system:serviceaccount:default:robot' && e.verb === 'get');
    const last = allowed[allowed.length - 1];
    assert.deepEqual(last.user, {
      username: 'system:serviceaccount:default:robot',
      uid: last.user.uid,
      groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'],
      extra: { 'authentication.kubernetes.io/credential-id': [jti] },
    });
    assert.deepEqual(last.annotations, {
      'authorization.k8s.io/decision': 'allow',
      'authorization.k8s.io/reason': 'RBAC: allowed by RoleBinding "read-cm/default" of Role "cm-reader" to ServiceAccount "robot/default"',
    });

    const r = await b.kubectl(['--kubeconfig', asRobot, 'get', 'secrets']);
    assert.equal(r.code, 1);
    const [received, complete] = requestEvents((e) => e.user.username === 'system:serviceaccount:default:robot' && e.objectRef?.resource === 'secrets');
    assert.equal(received.stage, 'RequestReceived');
    assert.equal(complete.stage, 'ResponseComplete');
    assert.equal(complete.verb, 'list');
    assert.deepEqual(complete.responseStatus, {
      metadata: {},
      status: 'Failure',
      message: 'secrets is forbidden: User "system:serviceaccount:default:robot" cannot list resource "secrets" in API group "" in the namespace "default"',
      reason: 'Forbidden',
      details: { kind: 'secrets' },
      code: 403,
    });
    assert.deepEqual(complete.annotations, { 'authorization.k8s.io/decision': 'forbid', 'authorization.k8s.io/reason': '' });
  });

  it("the tutorial's legacy token Secret: legacy-token and legacy-token-manual-secret; one marked invalid: legacy-token-invalidated on the 401", async () => {
    await b.ok(['apply', '-f', join(EXAMPLES, '01-serviceaccount.yaml'), '-f', join(EXAMPLES, '08-legacy-token-secret.yaml')]);
    // A second token Secret, marked invalid (as the legacy token cleaner marks an unused one) before its first use.
    await b.ok(['apply', '-f', '-'], 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: old-token\n  annotations: {kubernetes.io/service-account.name: my-app-sa}\n  labels: {kubernetes.io/legacy-token-invalid-since: "2026-01-01"}\ntype: kubernetes.io/service-account-token\n');
    const tokenOf = (name: string) =>
      eventually(async () => {
        const t = await b.ok(['get', 'secret', name, '-o', 'jsonpath={.data.token}']);
        return t && Buffer.from(t, 'base64').toString();
      }, `the token of ${name}`);

    const used = await b.asBearer(await tokenOf('my-app-sa-token'), '/api/v1/namespaces/default/configmaps', 'GET');
    assert.equal(used.status, 403);
    const [, complete] = requestEvents((e) => e.auditID === used.headers['audit-id']);
    assert.equal(complete.user.username, 'system:serviceaccount:default:my-app-sa');
    assert.deepEqual(complete.annotations, {
      'authentication.k8s.io/legacy-token': 'system:serviceaccount:default:my-app-sa',
      'authentication.k8s.io/legacy-token-manual-secret': 'my-app-sa-token',
      'authorization.k8s.io/decision': 'forbid',
      'authorization.k8s.io/reason': '',
    });

    const refused = await b.asBearer(await tokenOf('old-token'), '/api/v1/namespaces/default/configmaps', 'GET');
    assert.equal(refused.status, 401);
    const [failed, ...more] = requestEvents((e) => e.auditID === refused.headers['audit-id']);
    assert.equal(more.length, 0);
    assert.equal(failed.stage, 'ResponseStarted');
    assert.deepEqual(failed.user, {});
    assert.deepEqual(failed.annotations, {
      'authentication.k8s.io/legacy-token': 'system:serviceaccount:default:my-app-sa',
      'authentication.k8s.io/legacy-token-invalidated': 'old-token/default',
    });
  });

  it('impersonation: the authenticated user, and the impersonated one authorization checked', async () => {
    const r = await b.kubectl(['get', 'configmaps', '--as', 'system:serviceaccount:default:robot']);
    assert.equal(r.code, 1);
    const [received, complete] = requestEvents((e) => e.impersonatedUser?.username === 'system:serviceaccount:default:robot' && e.verb === 'list');
    assert.equal(received.user.username, 'badge-admin');
    // Impersonation comes after RequestReceived is written.
    assert.equal(received.impersonatedUser, undefined);
    assert.equal(complete.user.username, 'badge-admin');
    assert.deepEqual(complete.impersonatedUser.groups, ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated']);
    assert.equal(complete.responseStatus.code, 403);
    assert.equal(complete.annotations['authorization.k8s.io/decision'], 'forbid');
  });

  it('a watch: RequestReceived, ResponseStarted when it starts, ResponseComplete when it ends', async () => {
    const w = openWatch(b, '/api/v1/namespaces/default/configmaps?watch=true', { 'Audit-ID': 'watch-1' });
    await eventually(() => events().filter((e) => e.auditID === 'watch-1').length === 2, 'ResponseStarted');
    w.stop();
    await eventually(() => events().filter((e) => e.auditID === 'watch-1').length === 3, 'ResponseComplete');
    const [received, started, complete] = events().filter((e) => e.auditID === 'watch-1');
    assert.deepEqual([received.stage, started.stage, complete.stage], ['RequestReceived', 'ResponseStarted', 'ResponseComplete']);
    assert.equal(started.verb, 'watch');
    assert.deepEqual(started.responseStatus, { metadata: {}, code: 200 });
    assert.deepEqual(complete.responseStatus, { metadata: {}, code: 200 });
    assert.equal(started.annotations['authorization.k8s.io/decision'], 'allow');
  });

  it('a request that fails authentication: one ResponseStarted event with the 401', async () => {
    const r = await b.asBearer('not-a-token', '/api/v1/namespaces/default/pods');
    assert.equal(r.status, 401);
    const id = r.headers['audit-id'] as string;
    assert.match(id, UUID);
    const mine = events().filter((e) => e.auditID === id);
    assert.equal(mine.length, 1);
    common(mine[0]);
    assert.equal(mine[0].stage, 'ResponseStarted');
    assert.deepEqual(mine[0].user, {});
    assert.equal(mine[0].verb, 'list');
    assert.deepEqual(mine[0].responseStatus, { metadata: {}, message: 'Authentication failed, attempted: bearer', code: 401 });
  });

  it("the Audit-Id header: the client's own, else a new one, on audited requests and others", async () => {
    const given = await b.api('GET', '/api/v1/namespaces/default', undefined, { 'Audit-ID': 'my-audit-id' });
    assert.equal(given.headers['audit-id'], 'my-audit-id');
    assert.deepEqual(
      events()
        .filter((e) => e.auditID === 'my-audit-id')
        .map((e) => [e.stage, e.verb, e.objectRef.name]),
      [
        ['RequestReceived', 'get', 'default'],
        ['ResponseComplete', 'get', 'default'],
      ],
    );
    const health = await b.api('GET', '/healthz');
    assert.match(health.headers['audit-id'] as string, UUID);
    assert.equal(events().filter((e) => e.auditID === health.headers['audit-id']).length, 0);
  });

  it('apiserver_audit_event_total counts the events written', async () => {
    const metrics = await b.api('GET', '/metrics');
    const m = /^apiserver_audit_event_total (\d+)$/m.exec(metrics.text);
    assert.ok(m, 'apiserver_audit_event_total is served');
    assert.equal(Number(m[1]), events().length);
  });

  it('an invalid policy stops the start, naming the file', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Loud\n');
    await assert.rejects(
      startServer({ dataDir: join(dir, 'other'), port: 0, bindAddress: '127.0.0.1', audit: { policyFile: bad, logPath: join(dir, 'x.log'), maxAgeDays: 0, maxBackups: 0, maxSizeMb: 0 } }),
      new RegExp(`failed validating policy file "${bad}": \\[rules\\[0\\]\\.level: Unsupported value: "Loud"`),
    );
  });

  it('--audit-log-path - writes the events to standard output', async () => {
    const data = join(dir, 'stdout-data');
    const p = await startBadgeProcess(data, ['--audit-policy-file', join(dir, 'policy.yaml'), '--audit-log-path', '-']);
    let out = '';
    p.child.stdout!.on('data', (d) => (out += d));
    try {
      const r = await p.api('GET', '/api/v1/namespaces', undefined, { 'Audit-ID': 'on-stdout' });
      assert.equal(r.status, 200);
      await eventually(() => out.split('\n').filter((l) => l.includes('"auditID":"on-stdout"')).length === 2, 'the events on stdout');
      const complete = JSON.parse(out.split('\n').find((l) => l.includes('"on-stdout"') && l.includes('ResponseComplete'))!);
      assert.deepEqual([complete.level, complete.verb, complete.objectRef], ['Metadata', 'list', { resource: 'namespaces', apiVersion: 'v1' }]);
    } finally {
      await p.stop();
    }
  });
});
