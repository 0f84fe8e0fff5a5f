// PodDisruptionBudgets with the real kubectl: `kubectl create pdb`, the columns of `kubectl get pdb`
// with ALLOWED DISRUPTIONS from the disruption controller for a Deployment's pods, evictions
// refused with kube-apiserver's 429 (and `kubectl drain` retrying them), a drain its budget
// allows, and an invalid budget refused with upstream's causes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually } from '../../src/testing/eventually.js';
import { startBadge, type Badge } from './harness.js';

const row = (...cells: string[]) => new RegExp(`^${cells.join('\\s+')}\\s*$`, 'm');

describe('e2e: PodDisruptionBudgets and evictions with the real kubectl', () => {
  let b: Badge;
  let node: string;
  /** A Deployment of nginx pods labelled app=`name`, rolled out. */
  const deploy = async (name: string, replicas: number) => {
    await b.ok(['create', 'deployment', name, '--image=nginx', `--replicas=${replicas}`]);
    await b.ok(['rollout', 'status', `deployment/${name}`, '--timeout=60s']);
  };
  const allowed = (pdb: string, n: number) =>
    eventually(async () => (await b.ok(['get', 'pdb', pdb, '-o', 'jsonpath={.status.disruptionsAllowed}'])) === String(n), `${pdb} allowing ${n}`, 30_000);
  const podOf = async (app: string) => b.ok(['get', 'pods', '-l', `app=${app}`, '-o', 'jsonpath={.items[0].metadata.name}']);

  before(async () => {
    b = await startBadge();
    node = await eventually(async () => (await b.kubectl(['get', 'nodes', '-o', 'jsonpath={.items[0].metadata.name}'])).stdout, 'the node', 30_000);
  });
  after(() => b.close());

  it('kubectl create pdb, and get pdb with the disruptions the controller allows for a Deployment', async () => {
    await deploy('web', 2);
    assert.equal(await b.ok(['create', 'pdb', 'web', '--selector=app=web', '--min-available=1']), 'poddisruptionbudget.policy/web created\n');
    await allowed('web', 1);
    const table = await b.ok(['get', 'pdb']);
    assert.match(table, /^NAME\s+MIN AVAILABLE\s+MAX UNAVAILABLE\s+ALLOWED DISRUPTIONS\s+AGE\n/);
    assert.match(table, row('web', '1', 'N/A', '1', '\\d+s'));
    const status = JSON.parse(await b.ok(['get', 'pdb', 'web', '-o', 'jsonpath={.status}']));
    assert.deepEqual([status.expectedPods, status.desiredHealthy, status.currentHealthy, status.observedGeneration], [2, 1, 2, 1]);
    assert.deepEqual([status.conditions[0].type, status.conditions[0].status, status.conditions[0].reason], ['DisruptionAllowed', 'True', 'SufficientPods']);
  });

  it('refuses an eviction the budget does not allow with 429, and kubectl drain retries it', async () => {
    await deploy('db', 1);
    await b.ok(['create', 'pdb', 'db', '--selector=app=db', '--min-available=1']);
    await eventually(async () => (await b.ok(['get', 'pdb', 'db', '-o', 'jsonpath={.status.currentHealthy}'])) === '1', 'db counted', 30_000);
    const pod = await podOf('db');
    const reply = await b.api('POST', `/api/v1/namespaces/default/pods/${pod}/eviction`, JSON.stringify({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod } }), {
      'Content-Type': 'application/json',
    });
    assert.equal(reply.status, 429);
    assert.deepEqual(reply.json, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: "Cannot evict pod as it would violate the pod's disruption budget.",
      reason: 'TooManyRequests',
      details: { causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget db needs 1 healthy pods and has 1 currently' }] },
      code: 429,
    });
    const drain = await b.kubectl(['drain', node, '--pod-selector=app=db', '--ignore-daemonsets', '--timeout=7s']);
    assert.equal(drain.code, 1);
    assert.match(drain.stdout, new RegExp(`^node/${node} cordoned\\nevicting pod default/${pod}\\n`));
    assert.match(drain.stderr, new RegExp(`^error when evicting pods/"${pod}" -n "default" \\(will retry after 5s\\): Cannot evict pod as it would violate the pod's disruption budget\\.$`, 'm'));
    assert.match(drain.stderr, /global timeout reached: 7s/);
    assert.equal(await b.ok(['uncordon', node]), `node/${node} uncordoned\n`);
    assert.equal(await podOf('db'), pod);
  });

  it('kubectl drain evicts a pod its budget allows, which takes the disruption', async () => {
    await deploy('cache', 1);
    await b.ok(['create', 'pdb', 'cache', '--selector=app=cache', '--max-unavailable=1']);
    await allowed('cache', 1);
    assert.match(await b.ok(['get', 'pdb', 'cache']), row('cache', 'N/A', '1', '1', '\\d+s'));
    const pod = await podOf('cache');
    const out = await b.ok(['drain', node, '--pod-selector=app=cache', '--ignore-daemonsets', '--timeout=30s']);
    assert.equal(out, `node/${node} cordoned\nevicting pod default/${pod}\npod/${pod} evicted\nnode/${node} drained\n`);
    // The replacement cannot be scheduled on the cordoned node: nothing is healthy, nothing may go.
    await allowed('cache', 0);
    await b.ok(['uncordon', node]);
  });

  it('refuses an invalid budget with the causes kube-apiserver gives', async () => {
    const manifest = [
      'apiVersion: policy/v1',
      'kind: PodDisruptionBudget',
      'metadata:',
      '  name: bad',
      'spec:',
      '  minAvailable: 1',
      '  maxUnavailable: 120%',
      '  unhealthyPodEvictionPolicy: Never',
      '  selector:',
      '    matchLabels:',
      '      app: a',
      '',
    ].join('\n');
    const r = await b.kubectl(['apply', '-f', '-'], { stdin: manifest });
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      [
        'The PodDisruptionBudget "bad" is invalid: ',
        '* spec: Invalid value: policy.PodDisruptionBudgetSpec{MinAvailable:(*intstr.IntOrString)(0xc000000000), Selector:(*v1.LabelSelector)(0xc000000000), MaxUnavailable:(*intstr.IntOrString)(0xc000000000), UnhealthyPodEvictionPolicy:(*policy.UnhealthyPodEvictionPolicyType)(0xc000000000)}: minAvailable and maxUnavailable cannot be both set',
        '* spec.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"120%"}: must not be greater than 100%',
        '* spec.unhealthyPodEvictionPolicy: Unsupported value: "Never": supported values: "AlwaysAllow", "IfHealthyBudget"',
        '',
      ].join('\n'),
    );
  });
});
