// The resource metrics API (metrics.k8s.io/v1beta1) with the real kubectl: the Local APIService,
// `kubectl top nodes|pods` (all namespaces, containers, selectors, sorting), raw lists, Tables and
// errors as metrics-server gives them, and the tutorial's monitoring ServiceAccount allowed with
// its binding and forbidden without. With the simulated runtime pods report zero and an Event says
// why; with the process runtime a CPU burner shows up within one window and a sleeping pod near zero.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually } from '../../src/testing/eventually.js';
import { NOT_MEASURED_REASON } from '../../src/node/usage/sampler.js';
import { processRuntimeUnavailable, startBadge, type Badge } from './harness.js';
import { EXAMPLES } from './tutorial.js';

const unavailable = processRuntimeUnavailable();

const PODS = `
apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web}
spec:
  containers:
  - name: app
    image: nginx:1.25
  - name: sidecar
    image: busybox
---
apiVersion: v1
kind: Pod
metadata:
  name: db
  labels: {app: db}
spec:
  containers:
  - name: db
    image: postgres:16
`;

const SA = 'system:serviceaccount:monitoring:monitoring-app';

/** kubectl's table output as rows of cells (split on runs of spaces). */
const rows = (text: string) => text.trim().split('\n').map((l) => l.trim().split(/\s+/));

describe('e2e: the resource metrics API (simulated runtime)', { timeout: 180_000 }, () => {
  let b: Badge;
  let node: string;
  before(async () => {
    b = await startBadge();
    node = b.server.node.nodeName;
    await b.ok(['apply', '-f', '-'], PODS);
    await eventually(async () => {
      const r = await b.kubectl(['top', 'pods']);
      return r.code === 0 && r.stdout.includes('web') && r.stdout.includes('db');
    }, 'pod metrics', 30_000);
    await eventually(async () => (await b.kubectl(['top', 'nodes'])).code === 0, 'node metrics', 30_000);
  });
  after(() => b?.close());

  it('registers v1beta1.metrics.k8s.io as a Local APIService, Available', async () => {
    const out = await b.ok(['get', 'apiservices', 'v1beta1.metrics.k8s.io']);
    assert.match(out, /^NAME\s+SERVICE\s+AVAILABLE\s+AGE\nv1beta1\.metrics\.k8s\.io\s+Local\s+True\s+\S+\n$/);
    const s = JSON.parse(await b.ok(['get', 'apiservices', 'v1beta1.metrics.k8s.io', '-o', 'json']));
    assert.deepEqual(s.spec, { group: 'metrics.k8s.io', version: 'v1beta1', groupPriorityMinimum: 100, versionPriority: 100 });
  });

  it('discovers nodes and pods (get, list) without a storage version hash', async () => {
    const list = JSON.parse(await b.ok(['get', '--raw', '/apis/metrics.k8s.io/v1beta1']));
    assert.deepEqual(list.resources, [
      { name: 'nodes', singularName: '', namespaced: false, kind: 'NodeMetrics', verbs: ['get', 'list'] },
      { name: 'pods', singularName: '', namespaced: true, kind: 'PodMetrics', verbs: ['get', 'list'] },
    ]);
    const groups = JSON.parse(await b.ok(['get', '--raw', '/apis'])).groups.map((g: { name: string }) => g.name);
    assert.equal(groups.at(-1), 'metrics.k8s.io');
  });

  it('prints kubectl top pods: zero usage, as the simulated runtime measures nothing', async () => {
    assert.deepEqual(rows(await b.ok(['top', 'pods'])), [['NAME', 'CPU(cores)', 'MEMORY(bytes)'], ['db', '0m', '0Mi'], ['web', '0m', '0Mi']]);
    const all = rows(await b.ok(['top', 'pods', '-A']));
    assert.deepEqual(all[0], ['NAMESPACE', 'NAME', 'CPU(cores)', 'MEMORY(bytes)']);
    assert.deepEqual(all.filter((r) => r[0] === 'default'), [['default', 'db', '0m', '0Mi'], ['default', 'web', '0m', '0Mi']]);
    assert.deepEqual(rows(await b.ok(['top', 'pods', '--containers'])), [
      ['POD', 'NAME', 'CPU(cores)', 'MEMORY(bytes)'],
      ['db', 'db', '0m', '0Mi'],
      ['web', 'app', '0m', '0Mi'],
      ['web', 'sidecar', '0m', '0Mi'],
    ]);
    assert.deepEqual(rows(await b.ok(['top', 'pods', '-l', 'app=web', '--sort-by=memory'])), [['NAME', 'CPU(cores)', 'MEMORY(bytes)'], ['web', '0m', '0Mi']]);
    assert.deepEqual(rows(await b.ok(['top', 'pods', '--field-selector', 'metadata.name=db', '--sort-by=cpu'])), [['NAME', 'CPU(cores)', 'MEMORY(bytes)'], ['db', '0m', '0Mi']]);
  });

  it('says on the pod why its figures are zero', async () => {
    const events = await eventually(async () => {
      const out = await b.ok(['get', 'events', '--field-selector', `involvedObject.name=web,reason=${NOT_MEASURED_REASON}`, '-o', 'json']);
      return JSON.parse(out).items.length && JSON.parse(out).items;
    }, 'the UsageNotMeasured event');
    assert.match(events[0].message, /^The simulated runtime runs no processes, so nothing is measured/);
  });

  it('prints kubectl top nodes from the host, with the node allocatable as 100 %', async () => {
    const out = rows(await b.ok(['top', 'nodes']));
    // kubectl 1.32 heads the percentages CPU(%) and MEMORY(%) (older ones CPU% and MEMORY%).
    assert.deepEqual(out[0], ['NAME', 'CPU(cores)', 'CPU(%)', 'MEMORY(bytes)', 'MEMORY(%)']);
    assert.equal(out[1]![0], node);
    assert.match(out[1]![1]!, /^\d+m$/);
    assert.match(out[1]![2]!, /^\d+%$/);
    assert.match(out[1]![3]!, /^[1-9]\d*Mi$/);
    assert.match(out[1]![4]!, /^\d+%$/);
  });

  it('lists raw PodMetrics and NodeMetrics as metrics-server does', async () => {
    const list = JSON.parse(await b.ok(['get', '--raw', '/apis/metrics.k8s.io/v1beta1/pods']));
    assert.equal(list.kind, 'PodMetricsList');
    assert.equal(list.apiVersion, 'metrics.k8s.io/v1beta1');
    assert.deepEqual(list.metadata, {});
    const web = list.items.find((i: { metadata: { name: string } }) => i.metadata.name === 'web');
    assert.deepEqual(Object.keys(web), ['metadata', 'timestamp', 'window', 'containers']);
    assert.deepEqual(web.metadata.labels, { app: 'web' });
    assert.equal(web.metadata.namespace, 'default');
    assert.match(web.window, /^\d+(\.\d+)?m?s$/);
    assert.deepEqual(web.containers, [{ name: 'app', usage: { cpu: '0', memory: '0' } }, { name: 'sidecar', usage: { cpu: '0', memory: '0' } }]);
    const nm = JSON.parse(await b.ok(['get', '--raw', `/apis/metrics.k8s.io/v1beta1/nodes/${node}`]));
    assert.equal(nm.kind, 'NodeMetrics');
    assert.match(nm.usage.cpu, /^\d+(n|u|m)?$/);
    assert.match(nm.usage.memory, /^\d+Ki$/);
  });

  it('prints Tables with metrics-server columns', async () => {
    const out = rows(await b.ok(['get', 'podmetrics']));
    assert.deepEqual(out[0], ['NAME', 'CPU', 'MEMORY', 'WINDOW']);
    assert.deepEqual(out.slice(1).map((r) => r.slice(0, 3)), [['db', '0', '0'], ['web', '0', '0']]);
    const table = JSON.parse(String((await b.api('GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods', undefined, { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' })).body));
    assert.deepEqual(table.columnDefinitions.map((c: { name: string; format: string }) => [c.name, c.format]), [['Name', 'name'], ['cpu', 'quantity'], ['memory', 'quantity'], ['Window', 'duration']]);
    const none = JSON.parse(String((await b.api('GET', '/apis/metrics.k8s.io/v1beta1/namespaces/kube-public/pods', undefined, { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' })).body));
    assert.equal(none.columnDefinitions, null);
    assert.deepEqual(rows(await b.ok(['get', 'nodes.metrics.k8s.io']))[0], ['NAME', 'CPU', 'MEMORY', 'WINDOW']);
  });

  it('answers errors as metrics-server does', async () => {
    let r = await b.kubectl(['get', 'podmetrics', 'nope']);
    assert.equal(r.stderr, 'Error from server (NotFound): pods "nope" not found\n');
    r = await b.kubectl(['get', 'nodes.metrics.k8s.io', 'nope']);
    assert.equal(r.stderr, 'Error from server (NotFound): node "nope" not found\n');
    r = await b.kubectl(['delete', 'podmetrics', 'web']);
    assert.equal(r.stderr, 'Error from server (MethodNotAllowed): the server does not allow this method on the requested resource\n');
    const watch = await b.api('GET', '/apis/metrics.k8s.io/v1beta1/pods?watch=1');
    assert.equal(watch.status, 405);
    assert.equal(JSON.parse(String(watch.body)).message, 'watch is not supported on resources of kind "pods.metrics.k8s.io"');
    r = await b.kubectl(['top', 'pods', '--field-selector', 'status.phase=Running']);
    assert.match(r.stderr, /"status\.phase" is not a known field selector: only "metadata\.name", "metadata\.namespace"/);
  });

  it("lets the tutorial's monitoring ServiceAccount read metrics with its binding, and forbids it without", async () => {
    await b.ok(['create', 'namespace', 'monitoring']);
    await b.ok(['apply', '-f', `${EXAMPLES}/11-monitoring-app.yaml`]);
    const out = await eventually(async () => {
      const r = await b.kubectl(['top', 'pods', '-n', 'monitoring', `--as=${SA}`]);
      return r.code === 0 && r.stdout.includes('monitoring-app') && r.stdout;
    }, 'the monitoring pod in kubectl top', 30_000);
    assert.deepEqual(rows(out).map((r) => [r[0]!.replace(/-[a-z0-9]+-[a-z0-9]+$/, ''), ...r.slice(1)]), [['NAME', 'CPU(cores)', 'MEMORY(bytes)'], ['monitoring-app', '0m', '0Mi']]);
    assert.equal((await b.kubectl(['top', 'nodes', `--as=${SA}`])).code, 0);
    const token = (await b.ok(['create', 'token', 'monitoring-app', '-n', 'monitoring'])).trim();
    const withToken = await b.asBearer(token, '/apis/metrics.k8s.io/v1beta1/namespaces/monitoring/pods');
    assert.equal(withToken.status, 200);
    assert.equal(JSON.parse(String(withToken.body)).items.length, 1);

    await b.ok(['delete', 'clusterrolebinding', 'monitoring-binding']);
    const forbidden = `pods.metrics.k8s.io is forbidden: User "${SA}" cannot list resource "pods" in API group "metrics.k8s.io" in the namespace "monitoring"`;
    const r = await eventually(async () => {
      const r = await b.kubectl(['top', 'pods', '-n', 'monitoring', `--as=${SA}`]);
      return r.code !== 0 && r;
    }, 'forbidden without the binding');
    assert.equal(r.stderr, `Error from server (Forbidden): ${forbidden}\n`);
    const denied = await b.asBearer(token, '/apis/metrics.k8s.io/v1beta1/namespaces/monitoring/pods');
    assert.equal(denied.status, 403);
    assert.equal(JSON.parse(String(denied.body)).message, forbidden);
  });
});

const BURNERS = `
apiVersion: v1
kind: Pod
metadata:
  name: burner
spec:
  containers:
  - name: burn
    image: busybox
    command: ["sh", "-c", "while :; do :; done"]
---
apiVersion: v1
kind: Pod
metadata:
  name: sleeper
spec:
  containers:
  - name: sleep
    image: busybox
    command: ["sleep", "3600"]
`;

/** millicores of a `kubectl top` CPU cell ("1003m"). */
const millis = (cell: string | undefined) => Number(/^(\d+)m$/.exec(cell ?? '')?.[1] ?? NaN);

describe('e2e: the resource metrics API with the process runtime', { skip: unavailable, timeout: 180_000 }, () => {
  let b: Badge;
  before(async () => {
    b = await startBadge({ runtime: 'process' });
  });
  after(() => b?.close());

  it('shows a CPU burner well above zero within one window, a sleeping pod near zero', async () => {
    await b.ok(['apply', '-f', '-'], BURNERS);
    const top = await eventually(async () => {
      const r = await b.kubectl(['top', 'pods', '--sort-by=cpu']);
      return r.code === 0 && r.stdout.includes('burner') && r.stdout.includes('sleeper') && rows(r.stdout);
    }, 'both pods in kubectl top', 30_000);
    assert.deepEqual(top.map((r) => r[0]), ['NAME', 'burner', 'sleeper']);
    assert.ok(millis(top[1]![1]) >= 300, `burner: ${top[1]!.join(' ')}`);
    assert.ok(millis(top[2]![1]) <= 50, `sleeper: ${top[2]!.join(' ')}`);
    assert.match(top[1]![2]!, /^[1-9]\d*Mi$/);
    const byMemory = rows(await b.ok(['top', 'pods', '--sort-by=memory', '--containers']));
    assert.deepEqual(byMemory[0], ['POD', 'NAME', 'CPU(cores)', 'MEMORY(bytes)']);
    assert.deepEqual(byMemory.slice(1).map((r) => r.slice(0, 2)).sort(), [['burner', 'burn'], ['sleeper', 'sleep']]);
    const pm = JSON.parse(await b.ok(['get', '--raw', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/burner']));
    assert.match(pm.containers[0].usage.cpu, /^\d+n$|^\d+u$|^\d+m$|^\d+$/);
    assert.match(pm.containers[0].usage.memory, /^\d+Ki$/);
    const events = JSON.parse(await b.ok(['get', 'events', '--field-selector', `reason=${NOT_MEASURED_REASON}`, '-o', 'json']));
    assert.equal(events.items.length, 0);
  });
});
