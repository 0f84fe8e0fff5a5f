import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod, ResourceQuota } from './kinds.js';
import { formatResourceList, parseResourceList, podConstraints, podUsage, prettyPrint, quotaMatches, removeZeros, subtractNonNegative, usageOf } from './quota.js';

const NOW = new Date('2024-05-01T10:00:00Z');
const container = (name: string, requests: Record<string, string> = {}, limits: Record<string, string> = {}, restartPolicy?: string) => ({
  name,
  image: 'x',
  resources: { requests, limits },
  ...(restartPolicy ? { restartPolicy } : {}),
});
const pod = (spec: Partial<NonNullable<Pod['spec']>>, status: Pod['status'] = {}): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [], ...spec }, status });

describe('quota usage', () => {
  it("sums a pod's containers, adds sidecars, and takes the largest init container", () => {
    const p = pod({
      containers: [container('a', { cpu: '100m', memory: '64Mi' }, { cpu: '200m' }), container('b', { cpu: '100m' })],
      initContainers: [container('side', { cpu: '50m' }, {}, 'Always'), container('init', { cpu: '1', memory: '32Mi' })],
    });
    assert.deepEqual(formatResourceList(podUsage(p, NOW)), {
      'count/pods': '1',
      pods: '1',
      cpu: '1050m',
      'requests.cpu': '1050m',
      'limits.cpu': '200m',
      memory: '64Mi',
      'requests.memory': '64Mi',
    });
  });

  it('counts a finished pod, or one past its grace period, only in count/pods', () => {
    assert.deepEqual(formatResourceList(podUsage(pod({ containers: [container('a', { cpu: '1' })] }, { phase: 'Succeeded' }), NOW)), { 'count/pods': '1' });
    const stuck = pod({ containers: [container('a', { cpu: '1' })] });
    stuck.metadata = { ...stuck.metadata, deletionTimestamp: '2024-05-01T09:59:00Z', deletionGracePeriodSeconds: 30 };
    assert.deepEqual(formatResourceList(podUsage(stuck, NOW)), { 'count/pods': '1' });
  });

  it('names the containers that leave out what a quota constrains', () => {
    const p = pod({ containers: [container('web', { cpu: '1' }), container('log')], initContainers: [container('init', {}, { memory: '1Gi' })] });
    assert.equal(podConstraints(p, ['pods', 'requests.cpu', 'limits.memory']), 'must specify limits.memory for: log,web; requests.cpu for: init,log');
    assert.equal(podConstraints(p, ['pods', 'count/pods']), '');
  });

  it('counts services by type, and other kinds by count/<resource>.<group>', () => {
    const lb = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }, { port: 443 }] } };
    assert.equal(prettyPrint(usageOf('', 'services', lb, NOW)), 'count/services=1,services=1,services.loadbalancers=1,services.nodeports=2');
    assert.equal(prettyPrint(usageOf('apps', 'deployments', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' } }, NOW)), 'count/deployments.apps=1');
  });

  it('charges an update what it adds, never less than zero', () => {
    const d = subtractNonNegative(parseResourceList({ services: '1', 'services.nodeports': '2', 'requests.storage': '1Gi' }), parseResourceList({ services: '1', 'services.nodeports': '3', 'requests.storage': '512Mi' }));
    assert.equal(prettyPrint(removeZeros(d)), 'requests.storage=512Mi');
  });

  it('matches a scoped quota to the pods in its scopes only', () => {
    const q = (scopes: string[], hard = { pods: '1' }): ResourceQuota => ({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q' }, spec: { hard, scopes }, status: { hard } });
    const bestEffort = pod({ containers: [container('a')] });
    const burstable = pod({ containers: [container('a', { cpu: '1' })], activeDeadlineSeconds: 60 });
    assert.equal(quotaMatches(q(['BestEffort']), '', 'pods', bestEffort), true);
    assert.equal(quotaMatches(q(['BestEffort']), '', 'pods', burstable), false);
    assert.equal(quotaMatches(q(['Terminating', 'NotBestEffort']), '', 'pods', burstable), true);
    assert.equal(quotaMatches(q([], { services: '1' } as never), '', 'pods', bestEffort), false);
  });
});
