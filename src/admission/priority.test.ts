import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../api/meta.js';
import { SYSTEM_PRIORITY_CLASSES } from '../api/priority-classes.js';
import { LocalClient } from '../registry/local-client.js';
import { namespaces } from '../registry/resources/namespaces.js';
import { pods } from '../registry/resources/pods.js';
import { priorityclasses } from '../registry/resources/priorityclasses.js';
import { rejection, testRegistry, type TestRegistry } from '../registry/resources/testing.js';
import { AdmissionChain } from './chain.js';
import { priorityAdmission } from './priority.js';

type Obj = Record<string, unknown>;

const pod = (name: string, spec: Obj = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'app', image: 'nginx' }], ...spec } });
const pc = (name: string, fields: Obj): KubeObject => ({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, ...fields });
const priorityOf = (o: KubeObject) => {
  const { priorityClassName, priority, preemptionPolicy } = o.spec as Obj;
  return { priorityClassName, priority, preemptionPolicy };
};

describe('Priority admission', () => {
  let t: TestRegistry;
  let n = 0;
  const ns = () => `ns${++n}`;
  before(async () => {
    const admission = new AdmissionChain();
    t = testRegistry([namespaces, pods, priorityclasses], admission);
    admission.use(priorityAdmission(new LocalClient(t.registry, t.ctx.user, t.clock, t.ctx.random)));
    for (const { name, value, description } of SYSTEM_PRIORITY_CLASSES) await t.store(priorityclasses).create(t.ctx, '', pc(name, { value, description }));
  });
  after(() => t.close());

  it('gives a pod 0 and PreemptLowerPriority while no class is the default', async () => {
    const created = await t.store(pods).create(t.ctx, ns(), pod('plain'));
    assert.deepEqual(priorityOf(created), { priorityClassName: undefined, priority: 0, preemptionPolicy: 'PreemptLowerPriority' });
  });

  it('resolves the class a pod names, with its preemption policy', async () => {
    await t.store(priorityclasses).create(t.ctx, '', pc('polite', { value: 500, preemptionPolicy: 'Never' }));
    const critical = await t.store(pods).create(t.ctx, ns(), pod('critical', { priorityClassName: 'system-node-critical' }));
    assert.deepEqual(priorityOf(critical), { priorityClassName: 'system-node-critical', priority: 2000001000, preemptionPolicy: 'PreemptLowerPriority' });
    const polite = await t.store(pods).create(t.ctx, ns(), pod('polite', { priorityClassName: 'polite', priority: 500 }));
    assert.deepEqual(priorityOf(polite), { priorityClassName: 'polite', priority: 500, preemptionPolicy: 'Never' });
  });

  for (const [name, spec, msg] of [
    ['gold', { priorityClassName: 'gold' }, 'pods "gold" is forbidden: no PriorityClass with name gold was found'],
    ['prio', { priority: 5 }, 'pods "prio" is forbidden: the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 0 from the given PriorityClass name'],
    ['never', { preemptionPolicy: 'Never' }, 'pods "never" is forbidden: the string value of PreemptionPolicy (Never) must not be provided in pod spec; priority admission controller computed PreemptLowerPriority from the given PriorityClass name'],
  ] as const) {
    it(`refuses ${JSON.stringify(spec)}`, async () => {
      assert.equal(await rejection(t.store(pods).create(t.ctx, ns(), pod(name, spec))), msg);
    });
  }

  it('keeps priority on an update that leaves it out', async () => {
    const namespace = ns();
    const created = await t.store(pods).create(t.ctx, namespace, pod('p', { priorityClassName: 'system-cluster-critical' }));
    const spec = { ...(created.spec as Obj) };
    delete spec.priority;
    delete spec.preemptionPolicy;
    const { object } = await t.store(pods).update(t.ctx, namespace, 'p', { ...created, spec });
    assert.deepEqual(priorityOf(object), { priorityClassName: 'system-cluster-critical', priority: 2000000000, preemptionPolicy: 'PreemptLowerPriority' });
  });

  it('allows one global default, which pods without a class then get', async () => {
    const store = t.store(priorityclasses);
    const high = await store.create(t.ctx, '', pc('high', { value: 1000, globalDefault: true }));
    assert.equal(await rejection(store.create(t.ctx, '', pc('higher', { value: 2000, globalDefault: true }))), 'priorityclasses.scheduling.k8s.io "higher" is forbidden: PriorityClass high is already marked as default. Only one default can exist');
    const low = await store.create(t.ctx, '', pc('low', { value: 1 }));
    assert.equal(await rejection(store.update(t.ctx, '', 'low', { ...low, globalDefault: true })), 'priorityclasses.scheduling.k8s.io "low" is forbidden: PriorityClass high is already marked as default. Only one default can exist');
    await store.update(t.ctx, '', 'high', { ...high, description: 'the default' });
    const created = await t.store(pods).create(t.ctx, ns(), pod('defaulted'));
    assert.deepEqual(priorityOf(created), { priorityClassName: 'high', priority: 1000, preemptionPolicy: 'PreemptLowerPriority' });
  });
});
