// Badge's /metrics with the real kubectl: kube-apiserver's metric names, labels and help texts in
// the Prometheus text format, authorized as the non-resource URL `get /metrics` (the bootstrap
// system:monitoring ClusterRole allows it), and the tutorial's monitoring ServiceAccount scraping
// it from inside a process-runtime pod with its mounted token and CA, as Prometheus does.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { eventually } from '../../src/testing/eventually.js';
import { processRuntimeUnavailable, startBadge, type Badge } from './harness.js';
import { EXAMPLES } from './tutorial.js';

const SA = 'system:serviceaccount:monitoring:monitoring-app';

/** The value of one sample line, or undefined. */
function sample(text: string, name: string, labels: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}} `) || (labels === '' && l.startsWith(`${name} `)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

/** The tutorial's Prometheus-style scrape: the pod's token and CA, the in-cluster address. */
const SCRAPE = `TOKEN=$(cat /var/run/secrets/kubernetes.io/serviceaccount/token)
curl -s --cacert /var/run/secrets/kubernetes.io/serviceaccount/ca.crt -H "Authorization: Bearer $TOKEN" https://kubernetes.default.svc/metrics`;

const noProcesses = processRuntimeUnavailable();

describe('e2e: /metrics', () => {
  let b: Badge;
  before(async () => {
    // The monitoring example's pod runs Prometheus' image; in the process runtime its command runs on the host: sleep stands in.
    b = await startBadge({ runtime: noProcesses ? 'simulated' : 'process' });
    await b.ok(['create', 'namespace', 'monitoring']);
    const example = readFileSync(`${EXAMPLES}/11-monitoring-app.yaml`, 'utf8').replace('image: prom/prometheus:latest', "image: prom/prometheus:latest\n        command: [sleep, '3600']");
    await b.ok(['apply', '-f', '-'], example);
  });
  after(() => b.close());

  it("writes kube-apiserver's request, authentication and storage metrics", async () => {
    await b.ok(['get', 'pods', '-n', 'default']);
    await b.ok(['get', 'serviceaccount', 'default', '-n', 'default']);
    await b.ok(['create', 'configmap', 'm', '-n', 'default', '--dry-run=server', '--from-literal=a=b']);
    const text = await b.ok(['get', '--raw', '/metrics']);
    assert.match(text, /^# HELP apiserver_request_total \[STABLE\] Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code\.\n# TYPE apiserver_request_total counter$/m);
    const request = (verb: string, resource: string, scope: string, code: string, dryRun = '') =>
      sample(text, 'apiserver_request_total', `code="${code}",component="apiserver",dry_run="${dryRun}",group="",resource="${resource}",scope="${scope}",subresource="",verb="${verb}",version="v1"`);
    assert.ok(request('LIST', 'pods', 'namespace', '200')! >= 1);
    assert.ok(request('GET', 'serviceaccounts', 'resource', '200')! >= 1);
    assert.ok(request('POST', 'configmaps', 'resource', '201', 'All')! >= 1);
    assert.match(text, /^apiserver_request_duration_seconds_bucket\{component="apiserver",dry_run="",group="",resource="pods",scope="namespace",subresource="",verb="LIST",version="v1",le="0\.005"\} \d+$/m);
    assert.match(text, /^apiserver_current_inflight_requests\{request_kind="readOnly"\} \d+$/m);
    assert.ok(sample(text, 'authentication_attempts', 'result="success"')! >= 3);
    assert.ok(sample(text, 'authenticated_user_requests', 'username="other"')! >= 3);
    assert.ok(sample(text, 'apiserver_storage_objects', 'resource="serviceaccounts"')! >= 2);
    assert.ok(sample(text, 'apiserver_storage_objects', 'resource="clusterroles.rbac.authorization.k8s.io"')! >= 50);
    assert.match(text, /^etcd_request_duration_seconds_bucket\{group="",operation="get",resource="serviceaccounts",le="0\.005"\} \d+$/m);
    assert.equal(sample(text, 'apiserver_audit_event_total', ''), 0);
    for (const name of ['process_resident_memory_bytes', 'process_cpu_seconds_total', 'nodejs_heap_size_used_bytes', 'serviceaccount_legacy_tokens_total', 'serviceaccount_valid_tokens_total', 'serviceaccount_stale_tokens_total']) {
      assert.match(text, new RegExp(`^# TYPE ${name} `, 'm'));
    }
  });

  it('counts watches while they last, and leaves made-up resources out', async () => {
    const watch = b.kubectl(['get', 'configmaps', '-n', 'default', '--watch', '--request-timeout=3s']);
    await eventually(async () => {
      const text = await b.ok(['get', '--raw', '/metrics']);
      return sample(text, 'apiserver_longrunning_requests', 'component="apiserver",group="",resource="configmaps",scope="namespace",subresource="",verb="WATCH",version="v1"') === 1;
    }, 'the watch counted');
    await watch;
    assert.equal((await b.api('GET', '/api/v1/madeupthings')).status, 404);
    assert.doesNotMatch(await b.ok(['get', '--raw', '/metrics']), /madeupthings/);
  });

  it('is forbidden to a ServiceAccount without get on /metrics, with kube-apiserver\'s message', async () => {
    const token = (await b.ok(['create', 'token', 'monitoring-app', '-n', 'monitoring'])).trim();
    // Without the kubeconfig's client certificate, which would authenticate first.
    const r = await b.asBearer(token, '/metrics');
    assert.equal(r.status, 403);
    assert.equal(r.json.message, `forbidden: User "${SA}" cannot get path "/metrics"`);
  });

  it("is scraped from inside the monitoring pod once its ServiceAccount may get /metrics", { skip: noProcesses }, async () => {
    await b.ok(['rollout', 'status', 'deployment/monitoring-app', '-n', 'monitoring', '--timeout=90s']);
    const pod = (await b.ok(['get', 'pods', '-n', 'monitoring', '-l', 'app=monitoring', '-o', 'jsonpath={.items[0].metadata.name}'])).trim();
    const before = await b.ok(['exec', '-n', 'monitoring', pod, '--', 'sh', '-c', SCRAPE]);
    assert.deepEqual(JSON.parse(before), {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `forbidden: User "${SA}" cannot get path "/metrics"`,
      reason: 'Forbidden',
      details: {},
      code: 403,
    });
    await b.ok(['create', 'clusterrolebinding', 'monitoring-metrics', '--clusterrole=system:monitoring', '--serviceaccount=monitoring:monitoring-app']);
    const text = await eventually(async () => {
      const out = await b.ok(['exec', '-n', 'monitoring', pod, '--', 'sh', '-c', SCRAPE]);
      return out.startsWith('# HELP') && out;
    }, 'the scrape allowed');
    assert.match(text, /^apiserver_request_total\{/m);
    assert.ok(sample(text, 'serviceaccount_valid_tokens_total', '')! >= 1, 'the pod\'s projected token (with warnafter) counted as valid');
  });
});
