// ReplicationControllers and HorizontalPodAutoscalers with the real kubectl: an RC's pods made by the
// ReplicaSet controller's logic, kubectl scale, kubectl autoscale, the autoscaling/v1 form of an
// autoscaler, kubectl get's columns, refusals with kube-apiserver's causes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startBadge, type Badge } from './harness.js';

const AGE = '\\d+s';
/** A table row: cells separated by at least two spaces. */
const row = (...cells: string[]) => new RegExp(`^${cells.join('\\s+')}\\s*$`, 'm');

async function eventually<T>(what: string, check: () => Promise<T | undefined | false | null>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const rcYaml = (name: string, replicas: number, labels = `app: ${name}`) => `apiVersion: v1
kind: ReplicationController
metadata:
  name: ${name}
spec:
  replicas: ${replicas}
  template:
    metadata:
      labels:
        ${labels}
    spec:
      containers:
      - name: web
        image: nginx:1.25
`;

describe('e2e: ReplicationControllers with the real kubectl', () => {
  let b: Badge;
  const runningPods = async (selector: string) =>
    (await b.ok(['get', 'pods', '-l', selector, '--field-selector=status.phase=Running', '-o', 'name'])).split('\n').filter(Boolean);

  before(async () => {
    b = await startBadge();
  });
  after(() => b.close());

  it('creates an RC whose pods appear, scales it, and prints its columns', async () => {
    assert.equal(await b.ok(['apply', '-f', '-'], rcYaml('legacy', 2)), 'replicationcontroller/legacy created\n');
    await eventually('2 running pods', async () => (await runningPods('app=legacy')).length === 2);
    assert.equal(await b.ok(['scale', 'rc/legacy', '--replicas=3']), 'replicationcontroller/legacy scaled\n');
    await eventually('3 running pods', async () => (await runningPods('app=legacy')).length === 3);
    await eventually('3 ready', async () => (await b.ok(['get', 'rc', 'legacy'])).match(row('legacy', '3', '3', '3', AGE)));
    assert.match(await b.ok(['get', 'rc']), /^NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE\n/);
    const wide = await b.ok(['get', 'rc', 'legacy', '-o', 'wide']);
    assert.match(wide, /^NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR\n/);
    assert.match(wide, row('legacy', '3', '3', '3', AGE, 'web', 'nginx:1.25', 'app=legacy'));
    assert.match(await b.ok(['get', 'all']), /replicationcontroller\/legacy\s+3\s+3\s+3/);
    const described = await b.ok(['describe', 'rc', 'legacy']);
    assert.match(described, /Replicas:\s+3 current \/ 3 desired/);
    assert.match(described, /Normal\s+SuccessfulCreate\s+\S+\s+replication-controller\s+Created pod: legacy-/);
    await b.ok(['delete', 'rc', 'legacy']);
    await eventually('the pods to go', async () => (await runningPods('app=legacy')).length === 0);
  });

  it('kubectl autoscale rc scales an RC up to minReplicas through its scale subresource', async () => {
    await b.ok(['apply', '-f', '-'], rcYaml('scaled', 1));
    assert.equal(await b.ok(['autoscale', 'rc', 'scaled', '--min=2', '--max=4']), 'horizontalpodautoscaler.autoscaling/scaled autoscaled\n');
    await eventually('2 running pods', async () => (await runningPods('app=scaled')).length === 2);
    assert.match(await b.ok(['get', 'hpa', 'scaled']), /ReplicationController\/scaled\s+cpu: <unknown>\/80%\s+2\s+4/);
  });

  it('refuses an RC whose selector does not match its template, with the exact cause', async () => {
    const yaml = rcYaml('mismatch', 1).replace('spec:\n  replicas: 1', 'spec:\n  replicas: 1\n  selector:\n    app: other');
    const r = await b.kubectl(['apply', '-f', '-'], { stdin: yaml });
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      'The ReplicationController "mismatch" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"mismatch"}: selector does not match labels in spec.template\n',
    );
    const negative = await b.kubectl(['apply', '-f', '-'], { stdin: rcYaml('negative', -1) });
    assert.equal(negative.stderr, 'The ReplicationController "negative" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n');
  });
});

const NO_METRICS = 'failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API';

describe('e2e: HorizontalPodAutoscalers with the real kubectl', () => {
  let b: Badge;

  before(async () => {
    b = await startBadge();
    await b.ok(['create', 'deployment', 'web', '--image=nginx:1.25']);
  });
  after(() => b.close());

  it('kubectl autoscale makes an autoscaler that kubectl get prints, in v2 and in v1', async () => {
    assert.equal(await b.ok(['autoscale', 'deployment', 'web', '--min=1', '--max=3', '--cpu-percent=80']), 'horizontalpodautoscaler.autoscaling/web autoscaled\n');
    const table = await b.ok(['get', 'hpa']);
    assert.match(table, /^NAME\s+REFERENCE\s+TARGETS\s+MINPODS\s+MAXPODS\s+REPLICAS\s+AGE\n/);
    assert.match(table, row('web', 'Deployment/web', 'cpu: <unknown>/80%', '1', '3', '\\d+', AGE));
    const v2 = JSON.parse(await b.ok(['get', 'hpa', 'web', '-o', 'json']));
    assert.equal(v2.apiVersion, 'autoscaling/v2');
    assert.deepEqual(v2.spec.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
    const v1 = await b.ok(['get', 'horizontalpodautoscalers.v1.autoscaling', 'web', '-o', 'yaml']);
    assert.match(v1, /^apiVersion: autoscaling\/v1\n/);
    assert.match(v1, /\n {2}targetCPUUtilizationPercentage: 80\n/);
    assert.match(v1, /\n {2}minReplicas: 1\n {2}scaleTargetRef:\n {4}apiVersion: apps\/v1\n {4}kind: Deployment\n {4}name: web\n/);
  });

  it('kubectl describe hpa shows the conditions of an autoscaler without metrics', async () => {
    const described = await eventually('ScalingActive', async () => {
      const out = await b.ok(['describe', 'hpa', 'web']);
      return out.includes('ScalingActive') ? out : undefined;
    });
    assert.match(described, /Reference:\s+Deployment\/web\n/);
    assert.match(described, /resource cpu on pods {2}\(as a percentage of request\):\s+<unknown> \/ 80%\n/);
    assert.match(described, /Conditions:\n\s+Type\s+Status\s+Reason\s+Message\n/);
    assert.match(described, /\n\s+AbleToScale\s+True\s+SucceededGetScale\s+the HPA controller was able to get the target's current scale\n/);
    assert.match(described, new RegExp(`\\n\\s+ScalingActive\\s+False\\s+FailedGetResourceMetric\\s+the HPA was unable to compute the replica count: ${NO_METRICS}\\n`));
    assert.match(described, new RegExp(`Warning\\s+FailedGetResourceMetric\\s+\\S+\\s+horizontal-pod-autoscaler\\s+${NO_METRICS}\\n`));
  });

  it('an autoscaler with minReplicas 2 scales a 1-replica Deployment to 2', async () => {
    await b.ok(['create', 'deployment', 'small', '--image=nginx:1.25']);
    const hpa = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: small
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: small}
  minReplicas: 2
  maxReplicas: 4
`;
    assert.equal(await b.ok(['apply', '-f', '-'], hpa), 'horizontalpodautoscaler.autoscaling/small created\n');
    await eventually('2 replicas', async () => (await b.ok(['get', 'deployment', 'small', '-o', 'jsonpath={.spec.replicas}'])) === '2');
    await b.ok(['rollout', 'status', 'deployment/small', '--timeout=60s']);
    await eventually('REPLICAS 2', async () => (await b.ok(['get', 'hpa', 'small'])).match(row('small', 'Deployment/small', 'cpu: <unknown>/80%', '2', '4', '2', AGE)));
    const described = await b.ok(['describe', 'hpa', 'small']);
    assert.match(described, /Normal\s+SuccessfulRescale\s+\S+\s+horizontal-pod-autoscaler\s+New size: 2; reason: Current number of replicas below Spec.MinReplicas\n/);
  });

  it('refuses invalid autoscalers with the exact causes', async () => {
    const hpa = (spec: string) => `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: bad
spec:
${spec}`;
    const refused = (yaml: string) => b.fails(['apply', '-f', '-'], yaml);
    assert.equal(
      await refused(hpa('  scaleTargetRef: {kind: Deployment, name: web}\n  minReplicas: 0\n  maxReplicas: 2\n')),
      'The HorizontalPodAutoscaler "bad" is invalid: \n* spec.minReplicas: Invalid value: 0: must be greater than or equal to 1\n* spec.metrics: Forbidden: must specify at least one Object or External metric to support scaling to zero replicas\n',
    );
    assert.equal(
      await refused(hpa('  scaleTargetRef: {kind: Deployment}\n  minReplicas: 4\n  maxReplicas: 2\n')),
      'The HorizontalPodAutoscaler "bad" is invalid: \n* spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`\n* spec.scaleTargetRef.name: Required value\n',
    );
  });
});
