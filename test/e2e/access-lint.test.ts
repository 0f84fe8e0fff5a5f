// `badge access lint` (the bundled CLI) over the tutorial's examples, from the files and live
// against a Badge server with examples applied by the real kubectl.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { join } from 'node:path';
import { BADGE_CLI, run, startBadge, type Badge } from './harness.js';
import { EXAMPLES } from './tutorial.js';
import { eventually } from '../../src/testing/eventually.js';
import { loadKubeconfig, loadLive } from '../../src/access/live-source.js';

const access = (args: string[], stdin?: string) => run('node', [BADGE_CLI, 'access', ...args], stdin === undefined ? {} : { stdin });

/** The examples' ClusterRoleBinding again, annotated to suppress RB003 and RB004 (read after the files, it replaces theirs). */
const SUPPRESSED = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: cicd-deployer-binding
  annotations:
    badge.dev/ignore-RB003: "the deployer rotates every namespace's secrets"
    badge.dev/ignore-RB004: "the deployer deploys to every namespace"
subjects:
- kind: ServiceAccount
  name: cicd-deployer
  namespace: default
roleRef:
  kind: ClusterRole
  name: deployer-role
  apiGroup: rbac.authorization.k8s.io
`;

describe('e2e: badge access lint over the example files', () => {
  it('flags the deployer\'s cluster-wide write access and the legacy token Secret', async () => {
    const r = await access(['lint', '-f', EXAMPLES]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^SEVERITY\s+ID\s+NAME\s+OBJECT\s+MESSAGE$/m);
    assert.match(r.stdout, /^HIGH\s+RB004\s+workload-write\s+ClusterRoleBinding\/cicd-deployer-binding\s+ServiceAccount default\/cicd-deployer can write deployments\.apps, replicasets\.apps cluster-wide$/m);
    assert.match(r.stdout, /^CRIT\s+RB003\s+secrets-read\s+ClusterRoleBinding\/cicd-deployer-binding\s+/m);
    assert.match(r.stdout, /^MED\s+SA007\s+legacy-sa-token-secret\s+Secret\/default\/my-app-sa-token\s+legacy token Secret for ServiceAccount default\/my-app-sa/m);
    // The pod without automount and the bootstrap roles are not reported.
    assert.doesNotMatch(r.stdout, /SA001|RB002/);
  });

  it('json carries provenance: binding → role → rule', async () => {
    const r = await access(['lint', '-f', EXAMPLES, '-o', 'json']);
    const f = JSON.parse(r.stdout).find((x: any) => x.id === 'RB004' && x.object.name === 'cicd-deployer-binding');
    assert.deepEqual(f.object, { kind: 'ClusterRoleBinding', name: 'cicd-deployer-binding' });
    assert.match(f.provenance[0], /^ClusterRoleBinding cicd-deployer-binding → ClusterRole deployer-role → rule 0 \{APIGroups:\["apps"\]/);
  });

  it('--fail-on sets the exit code', async () => {
    assert.equal((await access(['lint', '-f', EXAMPLES, '--fail-on', 'crit'])).code, 1);
    assert.equal((await access(['lint', '-f', join(EXAMPLES, '06-pod-reader.yaml'), '--fail-on', 'med'])).code, 0);
    assert.equal((await access(['lint', '-f', join(EXAMPLES, '06-pod-reader.yaml'), '--fail-on', 'info'])).code, 1);
    const bad = await access(['lint', '-f', EXAMPLES, '--fail-on', 'severe']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown severity "severe": want crit, high, med, low, info/);
  });

  it('suppression by annotation: hidden from the table, listed in json and sarif, not failing', async () => {
    const args = ['lint', '-f', EXAMPLES, '-f', '-'];
    const table = await access([...args, '--fail-on', 'crit'], SUPPRESSED);
    assert.equal(table.code, 0, table.stdout);
    assert.doesNotMatch(table.stdout, /RB00[34]\s+\S+\s+ClusterRoleBinding\/cicd-deployer-binding/);
    assert.match(table.stdout, /2 suppressed finding\(s\) not shown/);
    const json = JSON.parse((await access([...args, '-o', 'json'], SUPPRESSED)).stdout);
    assert.equal(json.find((x: any) => x.id === 'RB004').suppressed, 'the deployer deploys to every namespace');
    const log = JSON.parse((await access([...args, '-o', 'sarif'], SUPPRESSED)).stdout);
    const result = log.runs[0].results.find((x: any) => x.ruleId === 'RB003');
    assert.deepEqual(result.suppressions, [{ kind: 'inSource', justification: "the deployer rotates every namespace's secrets" }]);
  });

  it('SARIF 2.1.0', async () => {
    const r = await access(['lint', '-f', EXAMPLES, '-o', 'sarif']);
    assert.equal(r.code, 0, r.stderr);
    const log = JSON.parse(r.stdout);
    assert.equal(log.version, '2.1.0');
    assert.equal(log.runs.length, 1);
    const { driver } = log.runs[0].tool;
    assert.equal(driver.name, 'badge-access-lint');
    for (const rule of driver.rules) assert.ok(rule.id && rule.name && rule.shortDescription.text && rule.help.text, JSON.stringify(rule));
    const legacy = log.runs[0].results.find((x: any) => x.ruleId === 'SA007');
    assert.equal(legacy.level, 'warning');
    assert.equal(driver.rules[legacy.ruleIndex].id, 'SA007');
    assert.deepEqual(legacy.locations, [{ logicalLocations: [{ name: 'my-app-sa-token', fullyQualifiedName: 'Secret/default/my-app-sa-token', kind: 'resource' }] }]);
    assert.equal(log.runs[0].results.find((x: any) => x.ruleId === 'RB003').level, 'error');
    assert.equal(log.runs[0].results.find((x: any) => x.ruleId === 'SA006').level, 'note');
  });

  it('--explain ID', async () => {
    const r = await access(['lint', '--explain', 'SA001']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^SA001 default-sa-with-api-access \(severity high\)\n\nChecks: .*\n\nFix: /);
    assert.equal((await access(['lint', '--explain', 'XX999'])).code, 2);
  });
});

describe('e2e: badge access lint against a live Badge server', () => {
  let b: Badge;
  before(async () => {
    b = await startBadge();
    await b.ok(['apply', '-f', join(EXAMPLES, '10-cicd-deployer.yaml')]);
  });
  after(() => b.close());

  it('flags the deployer, and not the bootstrap policy the server holds', async () => {
    const r = await access(['lint', '--kubeconfig', b.kubeconfig, '--fail-on', 'high']);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^HIGH\s+RB004\s+workload-write\s+ClusterRoleBinding\/cicd-deployer-binding\s+/m);
    assert.doesNotMatch(r.stdout, /cluster-admin|system:/);
  });

  it('a Deployment of 3 replicas running as default is one SA001 finding naming the Deployment; a legacy token Secret is SA007, its token never printed', async () => {
    await b.ok(['create', 'deployment', 'web', '--image=nginx', '--replicas=3']);
    for (const f of ['01-serviceaccount.yaml', '08-legacy-token-secret.yaml']) await b.ok(['apply', '-f', join(EXAMPLES, f)]);
    await eventually(async () => (await b.ok(['get', 'pods', '-l', 'app=web', '-o', 'name'])).trim().split('\n').length === 3, 'the three pods of web');
    const token = await eventually(async () => (await b.ok(['get', 'secret', 'my-app-sa-token', '-o', 'jsonpath={.data.token}'])).trim(), 'the token controller to fill the Secret');
    // Read two items a page, every page is read; the token Secret as metadata alone.
    const paged = await loadLive(loadKubeconfig(b.kubeconfig), 'default', 2);
    assert.deepEqual(paged.unreadable, []);
    assert.equal(paged.objects.filter((o) => o.kind === 'Pod' && o.metadata.labels?.app === 'web').length, 3);
    const secret = paged.objects.find((o) => o.kind === 'Secret')!;
    assert.deepEqual([secret.metadata.name, secret.type, 'data' in secret], ['my-app-sa-token', 'kubernetes.io/service-account-token', false]);
    assert.equal(paged.resources.fromServer, true);
    const r = await access(['lint', '--kubeconfig', b.kubeconfig, '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    const found = JSON.parse(r.stdout) as { id: string; object: object }[];
    assert.deepEqual(
      found.filter((f) => f.id === 'SA001').map((f) => f.object),
      [{ kind: 'Deployment', namespace: 'default', name: 'web' }],
    );
    assert.deepEqual(
      found.filter((f) => f.id === 'SA007').map((f) => f.object),
      [{ kind: 'Secret', namespace: 'default', name: 'my-app-sa-token' }],
    );
    for (const secret of [token, Buffer.from(token, 'base64').toString('utf8')]) assert.ok(!r.stdout.includes(secret), 'the token is not printed');
    // who-can -o wide still lists the real pods.
    await b.ok(['create', 'rolebinding', 'web-view', '--clusterrole=view', '--serviceaccount=default:default']);
    const wide = await access(['who-can', 'list', 'pods', '-n', 'default', '-o', 'wide', '--kubeconfig', b.kubeconfig]);
    assert.match(wide.stdout, /^web-view\s+default\s+default\s+ServiceAccount\s+default\s+ClusterRole\/view\s+\d+\s+(web-\w+-\w+,){2}web-\w+-\w+$/m);
  });
});
