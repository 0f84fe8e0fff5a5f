// `badge access suggest` and `unused` over Badge's own audit log: a ServiceAccount with broad rights
// makes a scripted set of requests with its token across two namespaces; the suggested RBAC,
// applied with the real kubectl once the broad binding is gone, allows exactly those requests again
// and forbids the ones next to them (another verb, namespace or name). Then `unused` names the
// verbs of an extra Role the log never saw used.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eventually } from '../../src/testing/eventually.js';
import { BADGE_CLI, run, startBadge, type Badge } from './harness.js';
import { EXAMPLES } from './tutorial.js';

const POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
rules:
- level: None
  users: ["system:apiserver"]
- level: Metadata
`;
const APP = 'system:serviceaccount:team-a:app';
const NAME = 'badge-suggest:team-a:app';
const access = (...args: string[]) => run('node', [BADGE_CLI, 'access', ...args]);
const configMap = (name: string) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } });
const TOKEN_REQUEST = JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { audiences: ['api'] } });

/** What the app does: [method, path, body]. */
const script = (createName: string): [string, string, string?][] => [
  ['GET', '/api/v1/namespaces/team-a/configmaps/settings'],
  ['GET', '/api/v1/namespaces/team-a/pods'],
  ['GET', '/api/v1/namespaces/team-b/pods'],
  ['POST', '/api/v1/namespaces/team-b/configmaps', configMap(createName)],
  ['GET', '/api/v1/namespaces/team-a'],
  ['POST', '/api/v1/namespaces/team-a/serviceaccounts/app/token', TOKEN_REQUEST],
  ['GET', '/metrics'],
];
/** Next to it, never done: another namespace, name, verb. */
const NEIGHBOURS: [string, string][] = [
  ['GET', '/api/v1/namespaces/team-c/pods'],
  ['GET', '/api/v1/namespaces/team-a/configmaps/other'],
  ['GET', '/api/v1/namespaces/team-a/configmaps'],
  ['GET', '/api/v1/namespaces/team-a/pods/some-pod'],
  ['DELETE', '/api/v1/namespaces/team-b/configmaps/made-1'],
  ['GET', '/api/v1/namespaces/team-b'],
  ['POST', '/api/v1/namespaces/team-b/serviceaccounts/default/token'],
  ['GET', '/api/v1/nodes'],
];

describe('e2e: access suggest and unused from the audit log', () => {
  let b: Badge;
  let dir: string;
  let log: string;
  let token: string;
  const as = (method: string, path: string, body?: string) => b.asBearer(token, path, method, body);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'badge-suggest-'));
    writeFileSync(join(dir, 'policy.yaml'), POLICY);
    log = join(dir, 'audit.log');
    b = await startBadge({ audit: { policyFile: join(dir, 'policy.yaml'), logPath: log, maxAgeDays: 0, maxBackups: 0, maxSizeMb: 0 } });
    for (const ns of ['team-a', 'team-b', 'team-c']) await b.ok(['create', 'namespace', ns]);
    await b.ok(['create', 'serviceaccount', 'app', '-n', 'team-a']);
    await b.ok(['create', 'configmap', 'settings', '-n', 'team-a']);
    await b.ok(['create', 'clusterrolebinding', 'broad', '--clusterrole=cluster-admin', '--serviceaccount=team-a:app']);
    token = (await b.ok(['create', 'token', 'app', '-n', 'team-a'])).trim();
    await eventually(async () => (await as('GET', '/api/v1/namespaces/team-b/pods')).status === 200, 'the broad binding to apply');
    for (const [method, path, body] of script('made-1')) {
      const r = await as(method, path, body);
      assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${r.text}`);
    }
    const completed = () => readFileSync(log, 'utf8').split('\n').filter((l) => l.includes('"stage":"ResponseComplete"') && l.includes(`"username":"${APP}"`)).length;
    await eventually(() => completed() >= 8, 'the requests in the log');
  });
  after(async () => {
    await b.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('suggest: a Role, a shared ClusterRole bound in both namespaces, a ClusterRole for the namespace and the URL; then exactly those requests are allowed', async () => {
    const r = await access('suggest', APP, '--audit-log', log);
    assert.equal(r.code, 0, r.stderr);
    const yaml = r.stdout;
    // Provenance above each rule.
    assert.match(yaml, /# get configmaps settings in team-a: 1 request, first \S+, e\.g\. \/api\/v1\/namespaces\/team-a\/configmaps\/settings\n\s+- apiGroups:/);
    // (team-b's first list was the wait for the broad binding.)
    assert.match(yaml, /# list pods in team-a: 1 request.*\n\s+# list pods in team-b: 2 requests/);
    const json = JSON.parse((await access('suggest', APP, '--audit-log', log, '-o', 'json')).stdout);
    const objs = json.items.map((o: any) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`);
    assert.deepEqual(objs, [`Role/team-a/${NAME}`, `Role/team-b/${NAME}`, `ClusterRole//${NAME}`, `ClusterRole//${NAME}:shared`, `RoleBinding/team-a/${NAME}`, `RoleBinding/team-a/${NAME}:shared`, `RoleBinding/team-b/${NAME}`, `RoleBinding/team-b/${NAME}:shared`, `ClusterRoleBinding//${NAME}`]);
    const rules = (kind: string, name: string, ns?: string) => json.items.find((o: any) => o.kind === kind && o.metadata.name === name && o.metadata.namespace === ns).rules;
    assert.deepEqual(rules('Role', NAME, 'team-a'), [
      { apiGroups: [''], resources: ['configmaps'], resourceNames: ['settings'], verbs: ['get'] },
      { apiGroups: [''], resources: ['serviceaccounts/token'], resourceNames: ['app'], verbs: ['create'] },
    ]);
    assert.deepEqual(rules('Role', NAME, 'team-b'), [{ apiGroups: [''], resources: ['configmaps'], verbs: ['create'] }]);
    assert.deepEqual(rules('ClusterRole', `${NAME}:shared`), [{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }]);
    assert.deepEqual(rules('ClusterRole', NAME), [
      { apiGroups: [''], resources: ['namespaces'], resourceNames: ['team-a'], verbs: ['get'] },
      { nonResourceURLs: ['/metrics'], verbs: ['get'] },
    ]);

    await b.ok(['delete', 'clusterrolebinding', 'broad']);
    await b.ok(['apply', '-f', '-'], yaml);
    let n = 2;
    await eventually(async () => {
      for (const [method, path, body] of script(`made-${n++}`)) if ((await as(method, path, body)).status === 403) return false;
      for (const [method, path] of NEIGHBOURS) if ((await as(method, path)).status !== 403) return false;
      return true;
    }, 'the suggested RBAC to allow the script and forbid its neighbours');
    for (const [method, path] of NEIGHBOURS) assert.equal((await as(method, path)).json?.reason, 'Forbidden', `${method} ${path}`);
  });

  it('suggest: -n keeps one namespace; no matching request exits 1 as audit2rbac does', async () => {
    const only = JSON.parse((await access('suggest', APP, '--audit-log', log, '-n', 'team-b', '-o', 'json')).stdout);
    // (The neighbours tried in the test above count: the log says what the app tried.)
    assert.ok(only.items.every((o: any) => [undefined, 'team-b'].includes(o.metadata.namespace) && !o.metadata.name.endsWith(':shared')));
    assert.deepEqual(only.items.find((o: any) => o.kind === 'Role').rules[0], { apiGroups: [''], resources: ['configmaps'], verbs: ['create'] });
    const none = await access('suggest', 'user:nobody', '--audit-log', log);
    assert.equal(none.code, 1);
    assert.equal(none.stderr, 'No audit events matched user:nobody\n');
    const usage = await access('suggest', APP);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /want --audit-log/);
  });

  it('unused: the verbs of an extra Role the log never saw, live from the cluster', async () => {
    await b.ok(['create', 'role', 'extra', '-n', 'team-a', '--verb=get,update,patch', '--resource=configmaps']);
    await b.ok(['create', 'rolebinding', 'extra', '-n', 'team-a', '--role=extra', '--serviceaccount=team-a:app']);
    const r = await access('unused', APP, '--audit-log', log, '--kubeconfig', b.kubeconfig, '-o', 'json');
    assert.equal(r.code, 0, r.stderr);
    const rows = JSON.parse(r.stdout);
    const extra = rows.find((x: any) => x.binding === 'RoleBinding/team-a/extra');
    assert.deepEqual([extra.role, extra.used, extra.unused], ['Role/team-a/extra', ['get configmaps'], ['update configmaps', 'patch configmaps']]);
    for (const row of rows.filter((x: any) => x.binding.includes(NAME))) assert.deepEqual(row.unused, [], row.binding);
    assert.ok(!rows.some((x: any) => x.binding === 'ClusterRoleBinding/system:discovery'), 'bootstrap grants left out');
    const table = await access('unused', APP, '--audit-log', log, '--kubeconfig', b.kubeconfig);
    assert.match(table.stdout, /^BINDING\s+ROLE\s+RULE\s+UNUSED$/m);
    assert.match(table.stdout, /^RoleBinding\/team-a\/extra\s+Role\/team-a\/extra\s+0 \{APIGroups:\[""\], Resources:\["configmaps"\], Verbs:\["get" "update" "patch"\]\}\s+update configmaps, patch configmaps$/m);
    assert.ok((await access('unused', APP, '--audit-log', log, '--kubeconfig', b.kubeconfig, '--all', '-o', 'json')).stdout.includes('ClusterRoleBinding/system:discovery'));
  });

  it('lint --audit-log: a rule never used is RB016 unused-permission', async () => {
    await b.ok(['create', 'role', 'never', '-n', 'team-a', '--verb=delete', '--resource=secrets']);
    await b.ok(['create', 'rolebinding', 'never', '-n', 'team-a', '--role=never', '--serviceaccount=team-a:app']);
    const r = await access('lint', '--audit-log', log, '--kubeconfig', b.kubeconfig, '-o', 'json');
    assert.equal(r.code, 0, r.stderr);
    const unusedOnes = JSON.parse(r.stdout).filter((f: any) => f.id === 'RB016' && f.message.startsWith('unused-permission'));
    assert.deepEqual(
      unusedOnes.map((f: any) => `${f.object.kind}/${f.object.namespace}/${f.object.name}`),
      ['RoleBinding/team-a/never'],
    );
  });

  it("lint --audit-log: the tutorial's legacy token Secret, used, is SA007 with its use; an unused one says delete it", async () => {
    await b.ok(['apply', '-f', join(EXAMPLES, '01-serviceaccount.yaml'), '-f', join(EXAMPLES, '08-legacy-token-secret.yaml')]);
    await b.ok(['apply', '-f', '-'], 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: idle-token\n  annotations: {kubernetes.io/service-account.name: my-app-sa}\ntype: kubernetes.io/service-account-token\n');
    const legacy = await eventually(async () => {
      const t = await b.ok(['get', 'secret', 'my-app-sa-token', '-o', 'jsonpath={.data.token}']);
      return t && Buffer.from(t, 'base64').toString();
    }, 'the legacy token');
    const used = await b.asBearer(legacy, '/api/v1/namespaces/default/configmaps', 'GET');
    const id = used.headers['audit-id'];
    await eventually(() => readFileSync(log, 'utf8').split('\n').some((l) => l.includes(`"auditID":"${id}"`) && l.includes('"stage":"ResponseComplete"')), 'the request in the log');
    const r = await access('lint', '--audit-log', log, '--kubeconfig', b.kubeconfig, '-o', 'json');
    assert.equal(r.code, 0, r.stderr);
    const sa007 = JSON.parse(r.stdout).filter((f: any) => f.id === 'SA007' && f.object.kind === 'Secret');
    const message = (name: string) => sa007.find((f: any) => f.object.name === name)?.message;
    assert.match(message('my-app-sa-token'), /^legacy token Secret for ServiceAccount default\/my-app-sa; last used \d{4}-\d\d-\d\d; used 1 time in the audit window, last \S+: move its clients to TokenRequest, then delete it$/);
    assert.match(message('idle-token'), /; not used in the audit window: delete it$/);
    assert.ok(!r.stdout.includes(legacy), 'the token is never printed');
  });
});
