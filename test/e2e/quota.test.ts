// ResourceQuota and LimitRange with the real kubectl: `kubectl create quota`, the used values the
// quota controller computes in `kubectl get quota`, a pod past the quota refused with
// kube-apiserver's message, a LimitRange's defaults on a pod, and `kubectl describe namespace`.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually } from '../../src/testing/eventually.js';
import { startBadge, type Badge } from './harness.js';

const NS = 'quota-demo';

/** Table lines with their runs of spaces collapsed. */
const rows = (stdout: string) => stdout.trimEnd().split('\n').map((l) => l.trim().split(/\s{2,}/));

const podYaml = (name: string, cpu?: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  containers:
  - name: nginx
    image: nginx${cpu ? `\n    resources:\n      requests:\n        cpu: ${cpu}` : ''}
`;

describe('e2e: ResourceQuota and LimitRange with the real kubectl', () => {
  let b: Badge;
  const k = (args: string[], stdin?: string) => b.kubectl(['-n', NS, ...args], { stdin });
  const ok = (args: string[], stdin?: string) => b.ok(['-n', NS, ...args], stdin);
  before(async () => {
    b = await startBadge();
    await ok(['create', 'namespace', NS]);
  });
  after(() => b.close());

  it('creates a quota and shows what the controller counts', async () => {
    assert.equal(await ok(['create', 'quota', 'compute', '--hard=pods=2,requests.cpu=1']), 'resourcequota/compute created\n');
    // Enforced once the controller has written its status; then admission charges each create.
    await eventually(async () => rows(await ok(['get', 'quota']))[1]?.[2] === 'pods: 0/2, requests.cpu: 0/1', 'the quota counted', 10_000);
    await ok(['apply', '-f', '-'], podYaml('one', '300m'));
    await eventually(async () => rows(await ok(['get', 'quota']))[1]?.[2] === 'pods: 1/2, requests.cpu: 300m/1', 'the quota used', 10_000);
    const table = rows(await ok(['get', 'quota']));
    assert.deepEqual(table[0], ['NAME', 'AGE', 'REQUEST', 'LIMIT']);
    assert.deepEqual([table[1]![0], table[1]![2]], ['compute', 'pods: 1/2, requests.cpu: 300m/1']);
  });

  it('refuses a pod without the request a quota constrains, and a pod past the quota', async () => {
    const missing = await k(['apply', '-f', '-'], podYaml('bare'));
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, 'Error from server (Forbidden): error when creating "STDIN": pods "bare" is forbidden: failed quota: compute: must specify requests.cpu for: nginx\n');
    await ok(['apply', '-f', '-'], podYaml('two', '300m'));
    const over = await k(['apply', '-f', '-'], podYaml('three', '300m'));
    assert.equal(over.stderr, 'Error from server (Forbidden): error when creating "STDIN": pods "three" is forbidden: exceeded quota: compute, requested: pods=1, used: pods=2, limited: pods=2\n');
  });

  it("defaults a pod's requests from a LimitRange and lists it with its creation time", async () => {
    await ok(['delete', 'quota', 'compute']);
    await ok(['apply', '-f', '-'], `apiVersion: v1
kind: LimitRange
metadata:
  name: defaults
spec:
  limits:
  - type: Container
    defaultRequest:
      cpu: 100m
    default:
      cpu: 200m
    max:
      cpu: "1"
`);
    const table = rows(await ok(['get', 'limits']));
    assert.deepEqual(table[0], ['NAME', 'CREATED AT']);
    assert.match(table[1]!.join(' '), /^defaults \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    await ok(['apply', '-f', '-'], podYaml('defaulted'));
    assert.equal(await ok(['get', 'pod', 'defaulted', '-o', 'jsonpath={.spec.containers[0].resources}']), '{"limits":{"cpu":"200m"},"requests":{"cpu":"100m"}}');
    const big = await k(['run', 'big', '--image=nginx', '--overrides={"spec":{"containers":[{"name":"big","image":"nginx","resources":{"limits":{"cpu":"2"}}}]}}']);
    assert.equal(big.stderr, 'Error from server (Forbidden): pods "big" is forbidden: maximum cpu usage per Container is 1, but limit is 2\n');
  });

  it('describes the namespace with its quotas and limit ranges', async () => {
    await ok(['create', 'quota', 'objects', '--hard=count/configmaps=10,pods=20']);
    await eventually(async () => (await ok(['get', 'quota', 'objects', '-o', 'jsonpath={.status.used.pods}'])) === '3', 'the quota used', 10_000);
    assert.equal(
      await ok(['describe', 'quota', 'objects']),
      `Name:             objects
Namespace:        ${NS}
Resource          Used  Hard
--------          ----  ----
count/configmaps  1     10
pods              3     20
`,
    );
    assert.equal(
      await ok(['describe', 'namespace', NS]),
      `Name:         ${NS}
Labels:       kubernetes.io/metadata.name=${NS}
Annotations:  <none>
Status:       Active

Resource Quotas
  Name:             objects
  Resource          Used  Hard
  --------          ---   ---
  count/configmaps  1     10
  pods              3     20

Resource Limits
 Type       Resource  Min  Max  Default Request  Default Limit  Max Limit/Request Ratio
 ----       --------  ---  ---  ---------------  -------------  -----------------------
 Container  cpu       -    1    100m             200m           -
`,
    );
  });
});
