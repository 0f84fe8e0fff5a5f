// `badge access` (the bundled CLI, as `kubectl access` runs it) over the tutorial's examples: from
// the files, and live against a Badge server with the examples applied by the real kubectl.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { yaml } from '../../src/api/yaml.js';
import { BADGE_CLI, run, startBadge, type Badge } from './harness.js';
import { EXAMPLES } from './tutorial.js';
import { eventually } from '../../src/testing/eventually.js';

const PLUGIN = join(process.cwd(), 'dist/kubectl-access.mjs');
const APP_READER = 'system:serviceaccount:default:app-reader';
const DEPLOYER = 'system:serviceaccount:default:cicd-deployer';
const access = (...args: string[]) => run('node', [BADGE_CLI, 'access', ...args]);
const CLUSTER_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: clusterwidgets.example.com
spec:
  group: example.com
  scope: Cluster
  names: {plural: clusterwidgets, singular: clusterwidget, kind: ClusterWidget, shortNames: [cw]}
  versions:
  - name: v1
    served: true
    storage: true
    schema: {openAPIV3Schema: {type: object}}
`;

describe('e2e: badge access over the example files', () => {
  it('who-can list pods in default names app-reader through read-pods → pod-reader', async () => {
    const r = await access('who-can', 'list', 'pods', '-n', 'default', '-f', EXAMPLES, '-o', 'wide');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^read-pods\s+default\s+app-reader\s+ServiceAccount\s+default\s+Role\/pod-reader\s+0\s+app-pod,kubectl-pod$/m);
    assert.match(r.stdout, /^cluster-admin\s+system:masters\s+Group\s+ClusterRole\/cluster-admin/m);
    const json = JSON.parse((await access('who-can', 'list', 'pods', '-f', EXAMPLES, '-o', 'json')).stdout);
    assert.ok(json.some((row: any) => row.binding.name === 'read-pods' && row.subject.name === 'app-reader' && row.binding.roleRef.name === 'pod-reader'));
  });

  it('why: allowed (exit 0) with the chain, denied (exit 1) with the closest grant and a Role to apply', async () => {
    const yes = await access('why', APP_READER, 'get', 'pods', '-f', EXAMPLES);
    assert.equal(yes.code, 0);
    assert.match(yes.stdout, /^allowed: /);
    assert.match(yes.stdout, /RoleBinding default\/read-pods → Role default\/pod-reader → rule 0/);
    const no = await access('why', APP_READER, 'delete', 'pods', '-f', EXAMPLES);
    assert.equal(no.code, 1);
    assert.match(no.stdout, /^denied: /);
    assert.match(no.stdout, /closest grants:\n {2}RoleBinding default\/read-pods .*allows verbs get,list,watch, not this one/);
    assert.match(no.stdout, /kind: Role\n/);
  });

  it('the kubectl plugin entry runs the same command', async () => {
    const r = await run('node', [PLUGIN, 'why', APP_READER, 'list', 'pods', '-f', EXAMPLES]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^allowed: /);
  });
});

describe('e2e: badge access against a live Badge server', () => {
  let b: Badge;
  const live = (...args: string[]) => access(...args, '--kubeconfig', b.kubeconfig);

  before(async () => {
    b = await startBadge();
    for (const f of ['01-serviceaccount.yaml', '06-pod-reader.yaml', '10-cicd-deployer.yaml']) await b.ok(['apply', '-f', join(EXAMPLES, f)]);
  });
  after(() => b.close());

  it('who-can list pods in default names app-reader through read-pods', async () => {
    const r = await live('who-can', 'list', 'pods', '-n', 'default');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^read-pods\s+default\s+app-reader\s+ServiceAccount\s+default\s*$/m);
  });

  it('why denied, the suggested YAML applied with kubectl, then why allowed (as the server itself decides)', async () => {
    const no = await live('why', APP_READER, 'delete', 'pods', 'app-pod', '-n', 'default');
    assert.equal(no.code, 1, no.stderr);
    const suggestion = no.stdout.split('(kubectl apply -f -):\n')[1]!;
    await b.ok(['apply', '-f', '-'], suggestion);
    const yes = await live('why', APP_READER, 'delete', 'pods', 'app-pod', '-n', 'default');
    assert.equal(yes.code, 0, yes.stdout);
    assert.match(yes.stdout, /Role default\/app-reader-delete-pods/);
    assert.equal((await b.ok(['auth', 'can-i', 'delete', 'pods/app-pod', '-n', 'default', '--as', APP_READER])).trim(), 'yes');
    assert.equal((await b.kubectl(['auth', 'can-i', 'delete', 'pods/other', '-n', 'default', '--as', APP_READER])).stdout.trim(), 'no');
  });

  it('as a user who may read only pods, says which lists it could not read', async () => {
    const token = (await b.ok(['create', 'token', 'app-reader', '-n', 'default'])).trim();
    const kc = yaml().parse(readFileSync(b.kubeconfig, 'utf8'));
    kc.users[0].user = { token };
    const path = join(b.dataDir, 'app-reader.kubeconfig');
    writeFileSync(path, yaml().stringify(kc));
    const r = await access('who-can', 'list', 'pods', '-n', 'default', '--kubeconfig', path);
    assert.equal(r.code, 0);
    assert.match(r.stderr, /^warning: could not read \/apis\/rbac\.authorization\.k8s\.io\/v1\/clusterroles: clusterroles\.rbac\.authorization\.k8s\.io is forbidden: User "system:serviceaccount:default:app-reader" cannot list resource "clusterroles"/m);
    assert.match(r.stderr, /could not read \/api\/v1\/pods \(read in namespace default only\): /);
    // It may not read RoleBindings, so its own grant is not in the (incomplete) answer it warned of.
    assert.doesNotMatch(r.stdout, /read-pods/);
    assert.match(r.stdout, /^\(authorizer\)\s+system:masters\s+Group/m);
  });

  it('runs as a kubectl plugin: kubectl access … finds kubectl-access on the PATH', async () => {
    const bin = join(b.dataDir, 'plugins');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'kubectl-access'), `#!/bin/sh\nexec ${process.execPath} ${PLUGIN} "$@"\n`);
    chmodSync(join(bin, 'kubectl-access'), 0o755);
    // kubectl takes no flags before a plugin's name; the plugin reads $KUBECONFIG as kubectl would.
    const r = await run('/usr/bin/kubectl', ['access', 'why', APP_READER, 'list', 'pods', '-n', 'default'], { env: { PATH: `${bin}:${process.env.PATH}`, KUBECONFIG: b.kubeconfig } });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^allowed: .*\n(.*\n)*.*RoleBinding default\/read-pods → Role default\/pod-reader → rule 0/);
  });

  it('a cluster-scoped custom resource (from discovery) is answered at cluster scope: a RoleBinding does not grant it', async () => {
    await b.ok(['apply', '-f', '-'], CLUSTER_CRD);
    await eventually(async () => (await b.kubectl(['get', 'clusterwidgets'])).code === 0, 'clusterwidgets to be served');
    await b.ok(['create', 'clusterrole', 'widget-reader', '--verb=list', '--resource=clusterwidgets.example.com']);
    await b.ok(['create', 'rolebinding', 'widgets-in-default', '--clusterrole=widget-reader', '--serviceaccount=default:app-reader', '-n', 'default']);
    await b.ok(['create', 'clusterrolebinding', 'widgets-everywhere', '--clusterrole=widget-reader', '--serviceaccount=default:cicd-deployer']);
    const r = await live('who-can', 'list', 'cw', '-n', 'default');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^widgets-everywhere\s+cicd-deployer\s+ServiceAccount\s+default\s*$/m);
    assert.doesNotMatch(r.stdout, /widgets-in-default|^ROLEBINDING/m);
    const cell = async (subject: string) => {
      const m = JSON.parse((await live('matrix', subject, '-n', 'default', '-o', 'json')).stdout).rows.find((x: { resource: string }) => x.resource === 'clusterwidgets');
      return [m.group, m.namespaced, m.verbs.list];
    };
    assert.deepEqual(await cell(APP_READER), ['example.com', false, false]);
    assert.deepEqual(await cell(DEPLOYER), ['example.com', false, true]);
    // As the server decides the list itself (kubectl auth can-i would ask in the context's namespace).
    assert.match(await b.fails(['get', 'clusterwidgets', '--as', APP_READER]), /clusterwidgets\.example\.com is forbidden: .* at the cluster scope/);
    await b.ok(['get', 'clusterwidgets', '--as', DEPLOYER]);
  });

  it('a resource the server does not have is an error, as kubectl says it', async () => {
    const r = await live('who-can', 'list', 'foo');
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'error: the server doesn\'t have a resource type "foo"\n');
    assert.equal(r.stdout, '');
    assert.equal((await b.kubectl(['get', 'foo'])).stderr.trim(), 'error: the server doesn\'t have a resource type "foo"');
  });

  it('matrix of the cicd deployer', async () => {
    const r = await live('matrix', DEPLOYER, '-n', 'default', '-o', 'json');
    assert.equal(r.code, 0, r.stderr);
    const rows = JSON.parse(r.stdout).rows as { resource: string; group: string; verbs: Record<string, boolean> }[];
    const of = (resource: string, group = '') => rows.find((x) => x.resource === resource && x.group === group)!.verbs;
    assert.deepEqual(of('deployments', 'apps'), { get: true, list: true, watch: false, create: true, update: true, patch: true, delete: true, deletecollection: false });
    assert.equal(of('secrets').get, true);
    assert.equal(of('pods').create, false);
    const table = await live('matrix', DEPLOYER, '-n', 'default');
    assert.match(table.stdout, /^deployments\.apps\s+✔\s+✔\s+✖\s+✔\s+✔\s+✔\s+✔\s+✖$/m);
  });
});
