// DaemonSets and ControllerRevisions with the real kubectl, on the server's node in the simulated
// runtime: apply, `kubectl get ds` (and -o wide), the pod on the node, `kubectl rollout
// status|history|restart|undo`, `kubectl get controllerrevisions`, and an invalid DaemonSet
// refused with kube-apiserver's causes.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startBadge, type Badge } from './harness.js';

const AGE = '\\d+s';
const HASH = '[4-9bcdf]{1,10}';
const SUFFIX = '[bcdfghjklmnpqrstvwxz2456789]{5}';
/** A table row: cells separated by at least two spaces. */
const row = (...cells: string[]) => new RegExp(`^${cells.join('\\s+')}\\s*$`, 'm');

const FLUENTD = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: fluentd
spec:
  selector:
    matchLabels: {name: fluentd}
  template:
    metadata:
      labels: {name: fluentd}
    spec:
      containers:
      - name: fluentd
        image: fluentd:v1
`;

const INVALID = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: bad
spec:
  selector:
    matchLabels: {name: other}
  updateStrategy:
    rollingUpdate: {maxSurge: 1}
  template:
    metadata:
      labels: {name: bad}
    spec:
      restartPolicy: OnFailure
      containers:
      - name: c
        image: busybox
`;

describe('e2e: DaemonSets and ControllerRevisions with the real kubectl', () => {
  let b: Badge;
  let dir: string;
  const file = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const rolledOut = async () => assert.match(await b.ok(['rollout', 'status', 'ds/fluentd', '--timeout=60s']), /daemon set "fluentd" successfully rolled out\n$/);
  const revisions = async () => (await b.ok(['get', 'controllerrevisions', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.revision} {end}'])).trim().split(' ').sort();
  const fluentdPods = async () => JSON.parse(await b.ok(['get', 'pods', '-l', 'name=fluentd', '-o', 'json'])).items.filter((p: any) => !p.metadata.deletionTimestamp);

  before(async () => {
    b = await startBadge();
    dir = mkdtempSync(join(tmpdir(), 'badge-daemonsets-e2e-'));
  });
  after(async () => {
    await b.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the pod on the node, and kubectl get ds and controllerrevisions show it', async () => {
    assert.equal(await b.ok(['apply', '-f', file('fluentd.yaml', FLUENTD)]), 'daemonset.apps/fluentd created\n');
    await rolledOut();
    const node = await b.ok(['get', 'nodes', '-o', 'jsonpath={.items[0].metadata.name}']);
    assert.match(await b.ok(['get', 'ds']), row('NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE'));
    assert.match(await b.ok(['get', 'ds', 'fluentd']), row('fluentd', '1', '1', '1', '1', '1', '<none>', AGE));
    assert.match(await b.ok(['get', 'daemonsets', '-o', 'wide']), row('fluentd', '1', '1', '1', '1', '1', '<none>', AGE, 'fluentd', 'fluentd:v1', 'name=fluentd'));

    const [pod, ...more] = await fluentdPods();
    assert.deepEqual(more, []);
    assert.match(pod.metadata.name, new RegExp(`^fluentd-${SUFFIX}$`));
    assert.equal(pod.spec.nodeName, node);
    assert.equal(pod.status.phase, 'Running');
    assert.deepEqual(pod.metadata.ownerReferences.map((r: any) => [r.kind, r.name, r.controller]), [['DaemonSet', 'fluentd', true]]);
    const hash = pod.metadata.labels['controller-revision-hash'];
    assert.match(hash, new RegExp(`^${HASH}$`));
    assert.equal(pod.metadata.labels['pod-template-generation'], '1');

    assert.match(await b.ok(['get', 'controllerrevisions']), row('NAME', 'CONTROLLER', 'REVISION', 'AGE'));
    assert.match(await b.ok(['get', 'controllerrevisions']), row(`fluentd-${hash}`, 'daemonset.apps/fluentd', '1', AGE));
    assert.match(await b.ok(['get', 'all']), row('daemonset.apps/fluentd', '1', '1', '1', '1', '1', '<none>', AGE));
  });

  it('rolls out a new image, keeps the history, and rolls back to a revision', async () => {
    await b.ok(['set', 'image', 'ds/fluentd', 'fluentd=fluentd:v2']);
    await rolledOut();
    const [pod] = await fluentdPods();
    assert.equal(pod.spec.containers[0].image, 'fluentd:v2');
    assert.equal(pod.metadata.labels['pod-template-generation'], '2');
    assert.match(await b.ok(['rollout', 'history', 'ds/fluentd']), /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>\n/);
    assert.match(await b.ok(['rollout', 'history', 'ds/fluentd', '--revision=1']), /Image:\s+fluentd:v1/);

    assert.equal(await b.ok(['rollout', 'undo', 'ds/fluentd', '--to-revision=1']), 'daemonset.apps/fluentd rolled back\n');
    await rolledOut();
    assert.equal((await fluentdPods())[0].spec.containers[0].image, 'fluentd:v1');
    // Revision 1's template is current again: it is renumbered after the others.
    const [v1, v2] = await revisions();
    assert.match(`${v1} ${v2}`, new RegExp(`^fluentd-${HASH}=[23] fluentd-${HASH}=[23]$`));
    assert.equal(await b.ok(['get', 'ds', 'fluentd', '-o', 'jsonpath={.metadata.generation} {.metadata.annotations.deprecated\\.daemonset\\.template\\.generation}']), '3 3');

    assert.equal(await b.ok(['rollout', 'restart', 'ds/fluentd']), 'daemonset.apps/fluentd restarted\n');
    await rolledOut();
    assert.equal((await revisions()).length, 3);
  });

  it('refuses an invalid DaemonSet with the causes kube-apiserver gives', async () => {
    const r = await b.kubectl(['apply', '-f', file('bad.yaml', INVALID)]);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      [
        'The DaemonSet "bad" is invalid: ',
        '* spec.template.metadata.labels: Invalid value: map[string]string{"name":"bad"}: `selector` does not match template `labels`',
        '* spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"',
        '* spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:0, IntVal:1, StrVal:""}: may not be set when maxUnavailable is non-zero',
        '',
      ].join('\n'),
    );
  });

  it('deletes the pods and revisions with the DaemonSet', async () => {
    assert.equal(await b.ok(['delete', 'ds', 'fluentd']), 'daemonset.apps "fluentd" deleted\n');
    const end = Date.now() + 30_000;
    while ((await fluentdPods()).length || (await b.ok(['get', 'controllerrevisions', '-o', 'name'])).trim()) {
      assert.ok(Date.now() < end, 'the pods and revisions to go');
      await new Promise((r) => setTimeout(r, 200));
    }
  });
});
