// Pods with the real kubectl: apply, get (yaml, table, wide), describe, run, delete, field
// selectors, and the errors a real 1.32 API server gives.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startBadge, type Badge } from './harness.js';
import { EXAMPLES, MY_APP_SPEC, NODE, POD_UPDATE_FORBIDDEN } from './tutorial.js';


const MANUAL = '--overrides={"spec":{"schedulerName":"manual"}}';


describe('e2e: pods with the real kubectl', () => {
  let b: Badge;
  let dir: string;
  const file = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  before(async () => {
    b = await startBadge();
    dir = mkdtempSync(join(tmpdir(), 'badge-pods-'));
    const sa = await b.kubectl(['apply', '-f', `${EXAMPLES}/01-serviceaccount.yaml`]);
    assert.equal(sa.code, 0, sa.stderr);
  });
  after(async () => {
    await b.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies a pod and shows the defaulted spec', async () => {
    const r = await b.kubectl(['apply', '-f', `${EXAMPLES}/03-pod-with-sa.yaml`]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'pod/my-app created\n');
    const yaml = await b.kubectl(['get', 'pod', 'my-app', '-o', 'yaml']);
    assert.equal(yaml.code, 0, yaml.stderr);
    assert.match(yaml.stdout, /^apiVersion: v1\nkind: Pod\nmetadata:\n  annotations:\n    kubectl\.kubernetes\.io\/last-applied-configuration: \|\n/);
    assert.match(yaml.stdout, /\n  name: my-app\n  namespace: default\n  resourceVersion: "\d+"\n  uid: [0-9a-f-]{36}\n/);
    const normalised = yaml.stdout.replace(/kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}\n/g, 'kube-api-access-xxxxx\n');
    assert.ok(normalised.includes(`\n${MY_APP_SPEC}status:\n`), yaml.stdout);
    const ready = await b.kubectl(['wait', '--for=condition=Ready', 'pod/my-app', '--timeout=30s']);
    assert.equal(ready.stdout, 'pod/my-app condition met\n', ready.stderr);
  });

  it('prints the pod table, wide and narrow', async () => {
    const table = await b.kubectl(['get', 'pods']);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\nmy-app\s+1\/1\s+Running\s+0\s+\d+s\n$/);
    const wide = await b.kubectl(['get', 'pods', '-o', 'wide']);
    assert.equal(wide.code, 0, wide.stderr);
    assert.match(
      wide.stdout,
      new RegExp(`^NAME\\s+READY\\s+STATUS\\s+RESTARTS\\s+AGE\\s+IP\\s+NODE\\s+NOMINATED NODE\\s+READINESS GATES\\nmy-app\\s+1/1\\s+Running\\s+0\\s+\\d+s\\s+10\\.244\\.\\d+\\.\\d+\\s+${NODE}\\s+<none>\\s+<none>\\n$`),
    );
    const short = await b.kubectl(['get', 'po', 'my-app', '-o', 'name']);
    assert.equal(short.stdout, 'pod/my-app\n');
  });

  it('describes a pod', async () => {
    const r = await b.kubectl(['describe', 'pod', 'my-app']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Name:\s+my-app\nNamespace:\s+default\n/);
    assert.match(r.stdout, /\nService Account:\s+my-app-sa\n/);
    assert.match(r.stdout, /\nStatus:\s+Running\n/);
    assert.match(r.stdout, new RegExp(`\\nNode:\\s+${NODE}/127\\.0\\.0\\.1\\n`));
    assert.match(r.stdout, /\n {4}Image:\s+nginx:1\.25\n/);
    assert.match(r.stdout, /\nQoS Class:\s+BestEffort\n/);
    assert.match(r.stdout, /\nTolerations:\s+node\.kubernetes\.io\/not-ready:NoExecute op=Exists for 300s\n\s+node\.kubernetes\.io\/unreachable:NoExecute op=Exists for 300s\n/);
    assert.match(r.stdout, new RegExp(`\\n {2}Normal {2}Scheduled .* default-scheduler +Successfully assigned default/my-app to ${NODE}\\n`));
    assert.match(r.stdout, /\n {2}Normal {2}Started .* kubelet +Started container app\n/);
  });

  it('applies a pod without a token and honours automountServiceAccountToken', async () => {
    const r = await b.kubectl(['apply', '-f', `${EXAMPLES}/05-pod-no-automount.yaml`]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'pod/my-app-no-token created\n');
    const v = await b.kubectl(['get', 'pod', 'my-app-no-token', '-o', 'jsonpath={.spec.automountServiceAccountToken}']);
    assert.equal(v.stdout, 'false');
  });

  it('reports unchanged, configured, and refuses a forbidden change', async () => {
    const again = await b.kubectl(['apply', '-f', `${EXAMPLES}/03-pod-with-sa.yaml`]);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout, 'pod/my-app unchanged\n');

    const manifest = (extra: string) =>
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: my-app\nspec:\n  serviceAccountName: my-app-sa\n  containers:\n  - name: app\n    image: nginx:1.26\n${extra}`;
    const image = await b.kubectl(['apply', '-f', file('image.yaml', manifest(''))]);
    assert.equal(image.code, 0, image.stderr);
    assert.equal(image.stdout, 'pod/my-app configured\n');
    const got = await b.kubectl(['get', 'pod', 'my-app', '-o', 'jsonpath={.spec.containers[0].image}']);
    assert.equal(got.stdout, 'nginx:1.26');

    const command = await b.kubectl(['apply', '-f', file('command.yaml', manifest('    command: ["sleep", "3600"]\n'))]);
    assert.equal(command.code, 1);
    const lines = command.stderr.split('\n');
    assert.equal(lines[0], POD_UPDATE_FORBIDDEN);
    assert.equal(lines[1], '  core.PodSpec{');
    assert.ok(command.stderr.includes('- \t\t\tCommand: nil,\n+ \t\t\tCommand: []string{"sleep", "3600"},\n'), command.stderr);
  });

  it('creates a pod with kubectl run and deletes an unscheduled pod at once', async () => {
    const run = await b.kubectl(['run', 'nginx', '--image=nginx', MANUAL]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, 'pod/nginx created\n');
    const pull = await b.kubectl(['get', 'pod', 'nginx', '-o', 'jsonpath={.spec.containers[0].imagePullPolicy} {.metadata.labels.run}']);
    assert.equal(pull.stdout, 'Always nginx');
    const del = await b.kubectl(['delete', 'pod', 'nginx']);
    assert.equal(del.code, 0, del.stderr);
    assert.equal(del.stdout, 'pod "nginx" deleted\n');
    const gone = await b.kubectl(['get', 'pod', 'nginx']);
    assert.equal(gone.code, 1);
    assert.equal(gone.stderr, 'Error from server (NotFound): pods "nginx" not found\n');
  });

  it('filters pods with field selectors', async () => {
    await b.kubectl(['wait', '--for=condition=Ready', 'pod/my-app-no-token', '--timeout=30s']);
    const running = await b.kubectl(['get', 'pods', '--field-selector', 'status.phase=Running', '-o', 'name']);
    assert.equal(running.code, 0, running.stderr);
    assert.deepEqual(running.stdout.trim().split('\n').sort(), ['pod/my-app', 'pod/my-app-no-token']);
    const pending = await b.kubectl(['get', 'pods', '--field-selector', 'status.phase=Pending']);
    assert.equal(pending.code, 0, pending.stderr);
    assert.equal(pending.stderr, 'No resources found in default namespace.\n');
    const onNode = await b.kubectl(['get', 'pods', '--field-selector', `spec.nodeName=${NODE},spec.serviceAccountName=my-app-sa`, '-o', 'name']);
    assert.deepEqual(onNode.stdout.trim().split('\n').sort(), ['pod/my-app', 'pod/my-app-no-token']);
    const bad = await b.kubectl(['get', 'pods', '--field-selector', 'spec.image=nginx']);
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr, 'Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match label selector "", field selector "spec.image=nginx": field label not supported: spec.image\n');
  });

  it('rejects an invalid pod with the exact message', async () => {
    const path = file('bad.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: Bad_Name\nspec:\n  containers:\n  - name: app\n');
    const r = await b.kubectl(['apply', '-f', path]);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      'The Pod "Bad_Name" is invalid: \n' +
        "* metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')\n" +
        '* spec.containers[0].image: Required value\n',
    );
    const limits = file(
      'limits.yaml',
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: greedy\nspec:\n  containers:\n  - name: app\n    image: nginx\n    resources:\n      requests:\n        cpu: "2"\n      limits:\n        cpu: 500m\n',
    );
    const l = await b.kubectl(['apply', '-f', limits]);
    assert.equal(l.code, 1);
    assert.equal(l.stderr, 'The Pod "greedy" is invalid: spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 500m\n');
  });

  it('binds a pod to a node, then deletes it gracefully', async () => {
    const run = await b.kubectl(['run', 'web', '--image=nginx', MANUAL]);
    assert.equal(run.code, 0, run.stderr);
    const body = file('binding.json', JSON.stringify({ apiVersion: 'v1', kind: 'Binding', metadata: { name: 'web' }, target: { apiVersion: 'v1', kind: 'Node', name: 'node-1' } }));
    const bind = await b.kubectl(['create', '--raw', '/api/v1/namespaces/default/pods/web/binding', '-f', body]);
    assert.equal(bind.code, 0, bind.stderr);
    assert.deepEqual(JSON.parse(bind.stdout), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    const again = await b.kubectl(['create', '--raw', '/api/v1/namespaces/default/pods/web/binding', '-f', body]);
    assert.equal(again.code, 1);
    assert.equal(again.stderr, 'Error from server (Conflict): Operation cannot be fulfilled on pods/binding "web": pod web is already assigned to node "node-1"\n');
    const wide = await b.kubectl(['get', 'pods', '--field-selector', 'spec.nodeName=node-1', '-o', 'wide']);
    assert.match(wide.stdout, /\nweb\s+0\/1\s+Pending\s+0\s+\d+s\s+<none>\s+node-1\s+<none>\s+<none>\n$/);

    const del = await b.kubectl(['delete', 'pod', 'web', '--wait=false']);
    assert.equal(del.code, 0, del.stderr);
    const terminating = await b.kubectl(['get', 'pod', 'web', '-o', 'jsonpath={.metadata.deletionGracePeriodSeconds}']);
    assert.equal(terminating.stdout, '30');
    const table = await b.kubectl(['get', 'pod', 'web', '--no-headers']);
    assert.match(table.stdout, /^web\s+0\/1\s+Terminating\s+0\s+\d+s\n$/);
    const force = await b.kubectl(['delete', 'pod', 'web', '--grace-period=0', '--force']);
    assert.equal(force.code, 0, force.stderr);
    assert.equal(force.stdout, 'pod "web" force deleted\n');
  });
});
