// `badge access diff` (the bundled CLI): the tutorial's examples against a modified copy, and files
// against a live Badge server before and after the real kubectl applies them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BADGE_CLI, run, startBadge, type Badge } from './harness.js';
import { EXAMPLES } from './tutorial.js';

const access = (args: string[], stdin?: string) => run('node', [BADGE_CLI, 'access', ...args], stdin === undefined ? {} : { stdin });

/** pod-reader with delete added. */
const POD_READER_DELETE = (text: string) => text.replace('verbs: ["get", "list", "watch"]', 'verbs: ["get", "list", "watch", "delete"]');

/** A copy of the examples: pod-reader may delete, the deployer reads one secret by name only, backup-binding is gone, monitoring's ServiceAccounts get view. */
function modifiedCopy(dir: string): void {
  cpSync(EXAMPLES, dir, { recursive: true });
  const edit = (file: string, change: (s: string) => string) => writeFileSync(join(dir, file), change(readFileSync(join(dir, file), 'utf8')));
  edit('06-pod-reader.yaml', POD_READER_DELETE);
  edit('10-cicd-deployer.yaml', (s) => s.replace('resources: ["services", "configmaps", "secrets"]', 'resources: ["services", "configmaps"]').replace('---\n# ClusterRoleBinding', '- apiGroups: [""]\n  resources: ["secrets"]\n  resourceNames: ["deploy-token"]\n  verbs: ["get"]\n---\n# ClusterRoleBinding'));
  edit('12-backup-job.yaml', (s) => s.replace(/---\n# RoleBinding\n[\s\S]*?(?=---\n# Job)/, ''));
  writeFileSync(
    join(dir, '13-monitoring-view.yaml'),
    'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: monitoring-view, namespace: monitoring}\nsubjects:\n- {kind: Group, apiGroup: rbac.authorization.k8s.io, name: "system:serviceaccounts:monitoring"}\nroleRef: {kind: ClusterRole, name: view, apiGroup: rbac.authorization.k8s.io}\n',
  );
}

describe('e2e: badge access diff over files', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'access-diff-'));
    modifiedCopy(join(dir, 'examples'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints gains and losses per subject, with the binding → role', async () => {
    const r = await access(['diff', '--before', EXAMPLES, '--after', join(dir, 'examples')]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^SUBJECT\s+CHANGE\s+SCOPE\s+VERBS\s+RESOURCE\s+NAMES\s+VIA$/m);
    assert.match(r.stdout, /^system:serviceaccount:default:app-reader\s+\+\s+default\s+delete\s+pods\s+\(all\)\s+RoleBinding default\/read-pods → Role default\/pod-reader$/m);
    assert.match(r.stdout, /^system:serviceaccount:default:backup-job-sa\s+-\s+default\s+get,list,create\s+pods\s+\(all\)\s+RoleBinding default\/backup-binding → Role default\/backup-role$/m);
    assert.match(r.stdout, /^system:serviceaccount:default:cicd-deployer\s+-\s+cluster-wide\s+get,list,create,update,patch,delete\s+secrets\s+\(all\)\s+ClusterRoleBinding cicd-deployer-binding → ClusterRole deployer-role$/m);
    assert.match(r.stdout, /^group:system:serviceaccounts:monitoring\s+\+\s+monitoring\s+get,list,watch\s+configmaps\s+\(all\)\s+RoleBinding monitoring\/monitoring-view → ClusterRole view$/m);
    // The named secret the deployer keeps could already be read: no gain; the ServiceAccounts of the group only with -o wide.
    assert.doesNotMatch(r.stdout, /deploy-token|monitoring-app/);
    const wide = await access(['diff', '--before', EXAMPLES, '--after', join(dir, 'examples'), '-o', 'wide']);
    assert.match(wide.stdout, /^system:serviceaccount:monitoring:monitoring-app\s+\+\s+monitoring\s+get,list,watch\s+configmaps\s+\(all\)\s+RoleBinding monitoring\/monitoring-view → ClusterRole view \(group system:serviceaccounts:monitoring\)$/m);
    // Not gained: it could list pods cluster-wide already.
    assert.doesNotMatch(wide.stdout, /^system:serviceaccount:monitoring:monitoring-app\s+\+\s+monitoring\s+get,list,watch\s+pods\s/m);
  });

  it('-o json carries the rows; --fail-on-gain exits 1 on a gain, 0 on losses alone or no change', async () => {
    const r = await access(['diff', '--before', EXAMPLES, '--after', join(dir, 'examples'), '-o', 'json', '--fail-on-gain']);
    assert.equal(r.code, 1);
    const diffs = JSON.parse(r.stdout) as { subject: string; changes: { change: string; scope: string; namespace?: string; verbs: string[]; resource: string; via: string[] }[] }[];
    const reader = diffs.find((d) => d.subject === 'system:serviceaccount:default:app-reader')!;
    assert.deepEqual(reader.changes, [{ change: '+', scope: 'namespace', namespace: 'default', verbs: ['delete'], group: '', resource: 'pods', subresource: '', via: ['RoleBinding default/read-pods → Role default/pod-reader'] }]);
    // Only losses (the sides swapped, less the new group grant and pod-reader's delete): exit 0.
    rmSync(join(dir, 'examples', '13-monitoring-view.yaml'));
    writeFileSync(join(dir, 'examples', '06-pod-reader.yaml'), readFileSync(join(EXAMPLES, '06-pod-reader.yaml')));
    const losses = await access(['diff', '--before', EXAMPLES, '--after', join(dir, 'examples'), '--fail-on-gain']);
    assert.equal(losses.code, 0, losses.stdout);
    assert.doesNotMatch(losses.stdout, /\s\+\s/);
    const same = await access(['diff', '--before', EXAMPLES, '--after', EXAMPLES, '--fail-on-gain']);
    assert.deepEqual([same.code, same.stdout], [0, 'No changes.\n']);
  });

  it('usage errors exit 2', async () => {
    const r = await access(['diff', '--before', EXAMPLES]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /diff needs --before and --after/);
    assert.equal((await access(['diff', '--before', '-', '--after', '-'])).code, 2);
    assert.equal((await access(['diff', '--before', EXAMPLES, '--after', EXAMPLES, 'extra'])).code, 2);
  });
});

describe('e2e: badge access diff against a live Badge server', () => {
  let b: Badge;
  const FILES = ['01-serviceaccount.yaml', '06-pod-reader.yaml', '10-cicd-deployer.yaml'];
  before(async () => {
    b = await startBadge();
    for (const f of FILES) await b.ok(['apply', '-f', join(EXAMPLES, f)]);
  });
  after(() => b.close());

  const againstLive = (args: string[], stdin?: string) => access(['diff', '--before', 'live', ...args, '--kubeconfig', b.kubeconfig], stdin);

  it('the files applied are no change: the live bootstrap policy is the one built in', async () => {
    const r = await againstLive(FILES.flatMap((f) => ['--after', join(EXAMPLES, f)]));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'No changes.\n');
  });

  it('checks a change before kubectl apply (live with the file from stdin over it), and sees none once applied', async () => {
    const changed = POD_READER_DELETE(readFileSync(join(EXAMPLES, '06-pod-reader.yaml'), 'utf8'));
    const args = ['--after', 'live', '--after', '-', '--fail-on-gain'];
    const r = await againstLive(args, changed);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stdout.replace(/ +/g, ' '), 'SUBJECT CHANGE SCOPE VERBS RESOURCE NAMES VIA\nsystem:serviceaccount:default:app-reader + default delete pods (all) RoleBinding default/read-pods → Role default/pod-reader\n');
    // The same against the whole file set.
    const files = await againstLive([...FILES.filter((f) => !f.startsWith('06')).flatMap((f) => ['--after', join(EXAMPLES, f)]), '--after', '-'], changed);
    assert.equal(files.stdout, r.stdout);
    await b.ok(['apply', '-f', '-'], changed);
    const applied = await againstLive(args, changed);
    assert.deepEqual([applied.code, applied.stdout], [0, 'No changes.\n']);
    // And the other way round: the live side after, the examples' pod-reader before.
    const reverse = await access(['diff', '--after', 'live', ...FILES.flatMap((f) => ['--before', join(EXAMPLES, f)]), '--kubeconfig', b.kubeconfig]);
    assert.match(reverse.stdout, /app-reader\s+\+\s+default\s+delete\s+pods/);
  });
});
