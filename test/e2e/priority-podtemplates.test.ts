// PriorityClasses, Priority admission and PodTemplates with the real kubectl: the system classes a
// cluster starts with, kubectl create priorityclass, the one-default rule, the priority pods get,
// and kubectl apply / get of a PodTemplate.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startBadge, type Badge } from './harness.js';

/** Table lines with their runs of spaces collapsed, the AGE column dropped (index `age`). */
const rows = (stdout: string, age: number) =>
  stdout
    .trimEnd()
    .split('\n')
    .map((l) => l.trim().split(/\s{2,}/).filter((_, i) => i !== age));

const pod = (name: string, priorityClassName?: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
${priorityClassName ? `  priorityClassName: ${priorityClassName}\n` : ''}  schedulingGates:
  - name: example.com/hold
  containers:
  - name: app
    image: nginx:1.25
`;

const TEMPLATE = `apiVersion: v1
kind: PodTemplate
metadata:
  name: web
template:
  metadata:
    labels:
      app: web
      tier: front
  spec:
    containers:
    - name: web
      image: nginx:1.25
    - name: log
      image: busybox
`;

describe('e2e: PriorityClasses, Priority admission and PodTemplates with the real kubectl', () => {
  let b: Badge;
  const k = (args: string[], stdin?: string) => b.kubectl(args, { stdin });
  before(async () => {
    b = await startBadge();
  });
  after(() => b.close());

  it('starts with the two system priority classes', async () => {
    assert.deepEqual(rows(await b.ok(['get', 'priorityclasses']), 3), [
      ['NAME', 'VALUE', 'GLOBAL-DEFAULT', 'PREEMPTIONPOLICY'],
      ['system-cluster-critical', '2000000000', 'false', 'PreemptLowerPriority'],
      ['system-node-critical', '2000001000', 'false', 'PreemptLowerPriority'],
    ]);
    assert.equal(
      await b.ok(['get', 'pc', 'system-node-critical', '-o', 'jsonpath={.description}']),
      'Used for system critical pods that must not be moved from their current node.',
    );
    const deleted = await k(['delete', 'pc', 'system-node-critical']);
    assert.equal(deleted.stderr, 'Error from server (Forbidden): priorityclasses.scheduling.k8s.io "system-node-critical" is forbidden: this is a system priority class and cannot be deleted\n');
  });

  it('creates a global default with kubectl create priorityclass, and refuses a second one', async () => {
    assert.equal(await b.ok(['create', 'priorityclass', 'high', '--value=1000', '--global-default', '--description=the default']), 'priorityclass.scheduling.k8s.io/high created\n');
    assert.deepEqual(rows(await b.ok(['get', 'pc', 'high']), 3), [
      ['NAME', 'VALUE', 'GLOBAL-DEFAULT', 'PREEMPTIONPOLICY'],
      ['high', '1000', 'true', 'PreemptLowerPriority'],
    ]);
    const second = await k(['create', 'priorityclass', 'higher', '--value=2000', '--global-default']);
    assert.equal(second.code, 1);
    assert.equal(second.stderr, 'error: failed to create priorityclass: priorityclasses.scheduling.k8s.io "higher" is forbidden: PriorityClass high is already marked as default. Only one default can exist\n');
    const huge = await k(['create', 'priorityclass', 'huge', '--value=2000000000']);
    assert.equal(huge.stderr, 'error: failed to create priorityclass: PriorityClass.scheduling.k8s.io "huge" is invalid: value: Forbidden: maximum allowed value of a user defined priority is 1000000000\n');
  });

  it('gives pods the priority of their class, or of the default, and refuses an unknown class', async () => {
    await b.ok(['create', 'priorityclass', 'polite', '--value=10', '--preemption-policy=Never']);
    await b.ok(['apply', '-f', '-'], pod('polite', 'polite'));
    assert.equal(await b.ok(['get', 'pod', 'polite', '-o', 'jsonpath={.spec.priority} {.spec.preemptionPolicy}']), '10 Never');
    await b.ok(['apply', '-f', '-'], pod('plain'));
    assert.equal(await b.ok(['get', 'pod', 'plain', '-o', 'jsonpath={.spec.priorityClassName} {.spec.priority}']), 'high 1000');
    const unknown = await k(['apply', '-f', '-'], pod('x', 'foo'));
    assert.equal(unknown.code, 1);
    assert.equal(unknown.stderr, 'Error from server (Forbidden): error when creating "STDIN": pods "x" is forbidden: no PriorityClass with name foo was found\n');
  });

  it('applies a PodTemplate and lists it', async () => {
    assert.equal(await b.ok(['apply', '-f', '-'], TEMPLATE), 'podtemplate/web created\n');
    assert.deepEqual(rows(await b.ok(['get', 'podtemplates']), -1), [
      ['NAME', 'CONTAINERS', 'IMAGES', 'POD LABELS'],
      ['web', 'web,log', 'nginx:1.25,busybox', 'app=web,tier=front'],
    ]);
    assert.equal(await b.ok(['get', 'podtemplate', 'web', '-o', 'jsonpath={.template.spec.restartPolicy}']), 'Always');
    assert.equal(await b.ok(['apply', '-f', '-'], TEMPLATE), 'podtemplate/web unchanged\n');
  });
});
