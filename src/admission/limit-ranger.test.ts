import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LimitRange, Pod } from '../api/kinds.js';
import { R } from '../client/client.js';
import { rejection } from '../registry/resources/testing.js';
import { testCluster, type TestCluster } from '../testing/cluster.js';
import { LIMIT_RANGER_ANNOTATION, limitRanger } from './limit-ranger.js';

const pod = (name: string, resources: Record<string, Record<string, string>> = {}): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { containers: [{ name: 'nginx', image: 'nginx', resources }] },
});

describe('LimitRanger admission', () => {
  let c: TestCluster;
  before(async () => {
    c = await testCluster();
    const plugin = limitRanger();
    c.admission.use(plugin);
    await plugin.start(c.informers);
    const limits: NonNullable<LimitRange['spec']>['limits'] = [
      { type: 'Container', max: { cpu: '1' }, min: { cpu: '100m' }, default: { cpu: '500m', memory: '256Mi' }, defaultRequest: { cpu: '200m', memory: '128Mi' }, maxLimitRequestRatio: { cpu: '4' } },
      { type: 'Pod', max: { memory: '1Gi' } },
    ];
    await c.client.create<LimitRange>(R.limitranges, 'default', { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'limits' }, spec: { limits } });
    await c.until('the range cached', () => c.informers.forResource(R.limitranges).list('default').length);
  });
  after(() => c.close());

  it('fills in the requests and limits a container leaves out, and says so in an annotation', async () => {
    const created = await c.client.create(R.pods, 'default', pod('p', { requests: { memory: '64Mi' } }));
    assert.deepEqual(created.spec?.containers[0]!.resources, { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '200m', memory: '64Mi' } });
    assert.equal(created.metadata.annotations?.[LIMIT_RANGER_ANNOTATION], 'LimitRanger plugin set: cpu request for container nginx; cpu, memory limit for container nginx');
  });

  const refused: [string, Record<string, Record<string, string>>, string][] = [
    ['a limit above the max', { limits: { cpu: '2' }, requests: { cpu: '1' } }, 'maximum cpu usage per Container is 1, but limit is 2'],
    ['a request below the min', { limits: { cpu: '200m' }, requests: { cpu: '50m' } }, 'minimum cpu usage per Container is 100m, but request is 50m'],
    ['a ratio above the max', { limits: { cpu: '1' }, requests: { cpu: '200m' } }, 'cpu max limit to request ratio per Container is 4, but provided ratio is 5.000000'],
    ['a pod above the Pod max', { limits: { memory: '2Gi' }, requests: { memory: '2Gi' } }, 'maximum memory usage per Pod is 1Gi, but limit is 2Gi'],
  ];
  for (const [name, resources, message] of refused) {
    it(`refuses ${name}`, async () => {
      assert.equal(await rejection(c.client.create(R.pods, 'default', pod('x', resources))), `pods "x" is forbidden: ${message}`);
    });
  }
});
