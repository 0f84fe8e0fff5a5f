import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ApiError } from '../../api/errors.js';
import type { PodDisruptionBudget } from '../../api/kinds.js';
import type { KubeObject } from '../../api/meta.js';
import type { SubresourceContext } from '../resource.js';
import { evictionSubresource } from './pod-eviction.js';
import { podDisruptionBudgets } from './poddisruptionbudgets.js';
import { pods } from './pods.js';
import { testRegistry, type TestRegistry } from './testing.js';

type Obj = Record<string, unknown>;
const NS = 'default';
const READY = [{ type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: '2024-05-01T10:00:00Z' }];

describe('pods/eviction', () => {
  let t: TestRegistry;
  const evict = (name: string, body: Obj = {}, dryRun = false) => {
    const s: SubresourceContext = { ctx: t.ctx, namespace: NS, name, query: new URLSearchParams(), dryRun, store: t.store(pods), registry: t.registry, warnings: [] };
    return evictionSubresource.create!(s, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: NS }, ...body } as KubeObject);
  };
  /** A pod in a phase (Running and ready by default), labelled app=`app`. */
  async function pod(name: string, app: string, phase = 'Running', conditions: Obj[] = READY, nodeName?: string): Promise<void> {
    const spec = { containers: [{ name: 'c', image: 'nginx' }], ...(nodeName ? { nodeName } : {}) };
    await t.store(pods).create(t.ctx, NS, { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app } }, spec });
    await t.store(pods).guaranteedUpdate(t.ctx, NS, name, (cur) => ({ ...cur, status: { ...(cur.status as Obj), phase, conditions } }), { subresource: 'status' });
  }
  /** A budget selecting app=`app`, with the status the disruption controller would have written. */
  async function budget(name: string, app: string, status: Partial<NonNullable<PodDisruptionBudget['status']>>, spec: Obj = {}): Promise<void> {
    await t.store(podDisruptionBudgets).create(t.ctx, NS, { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name }, spec: { minAvailable: 1, selector: { matchLabels: { app } }, ...spec } });
    await t.store(podDisruptionBudgets).guaranteedUpdate(t.ctx, NS, name, (cur) => ({ ...cur, status: { observedGeneration: 1, currentHealthy: 0, desiredHealthy: 1, expectedPods: 1, disruptionsAllowed: 0, ...status } }), { subresource: 'status' });
  }
  /** Deleted, or being deleted. */
  const gone = async (name: string) => {
    const p = await t.store(pods).get(t.ctx, NS, name).catch(() => undefined);
    return !p || !!p.metadata.deletionTimestamp;
  };
  const statusOf = async (name: string) => (await t.store(podDisruptionBudgets).get(t.ctx, NS, name)).status as PodDisruptionBudget['status'];

  before(() => {
    t = testRegistry([pods, podDisruptionBudgets]);
  });
  after(() => t.close());

  it('evicts a pod no budget covers, marking it DisruptionTarget first', async () => {
    await pod('free', 'free', 'Running', READY, 'node-1');
    assert.deepEqual(await evict('free'), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    const terminating = await t.store(pods).get(t.ctx, NS, 'free');
    assert.equal(terminating.metadata.deletionGracePeriodSeconds, 30);
    assert.deepEqual((terminating.status as Obj).conditions, [
      ...READY,
      { type: 'DisruptionTarget', status: 'True', lastProbeTime: null, lastTransitionTime: '2024-05-01T10:00:00Z', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' },
    ]);
  });

  it('refuses with 429 and the DisruptionBudget cause when no disruption is allowed', async () => {
    await pod('guarded', 'web');
    await budget('web', 'web', { currentHealthy: 1, desiredHealthy: 1, disruptionsAllowed: 0 });
    await assert.rejects(evict('guarded'), (err: ApiError) => {
      assert.deepEqual(err.toStatus(), {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: "Cannot evict pod as it would violate the pod's disruption budget.",
        reason: 'TooManyRequests',
        details: { causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget web needs 1 healthy pods and has 1 currently' }] },
        code: 429,
      });
      return true;
    });
    assert.equal(await gone('guarded'), false);
  });

  it('takes a disruption, records the pod, then deletes it', async () => {
    await pod('spare', 'spare');
    await pod('spare-2', 'spare');
    await budget('spare', 'spare', { currentHealthy: 2, desiredHealthy: 1, disruptionsAllowed: 1, conditions: [{ type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods', message: '', lastTransitionTime: '2024-05-01T09:00:00Z' }] });
    assert.equal((await evict('spare', {}, true)).status, 'Success');
    assert.equal((await statusOf('spare'))?.disruptionsAllowed, 1, 'a dry run changes nothing');
    await evict('spare');
    const status = await statusOf('spare');
    assert.equal(status?.disruptionsAllowed, 0);
    assert.deepEqual(status?.disruptedPods, { spare: '2024-05-01T10:00:00Z' });
    assert.deepEqual(status?.conditions?.map((c) => [c.status, c.reason, c.lastTransitionTime]), [['False', 'InsufficientPods', '2024-05-01T10:00:00Z']]);
    assert.ok(await gone('spare'));
    await assert.rejects(evict('spare-2'), { code: 429 });
  });

  it('refuses while the budget status is behind its spec, with Retry-After 10', async () => {
    await pod('behind', 'behind');
    await budget('behind', 'behind', { observedGeneration: 0, disruptionsAllowed: 3 });
    await assert.rejects(evict('behind'), (err: ApiError) => {
      assert.deepEqual(err.details, { causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget behind is still being processed by the server.' }], retryAfterSeconds: 10 });
      return true;
    });
  });

  it('lets pending pods and unready pods of a met budget go, and refuses two budgets with a 500', async () => {
    await pod('pending', 'web', 'Pending', []);
    await evict('pending');
    assert.ok(await gone('pending'));
    await pod('unready', 'met', 'Running', []);
    await budget('met', 'met', { currentHealthy: 1, desiredHealthy: 1, disruptionsAllowed: 0 });
    await evict('unready');
    assert.ok(await gone('unready'));
    await pod('twice', 'two');
    await budget('two-a', 'two', { disruptionsAllowed: 1 });
    await budget('two-b', 'two', { disruptionsAllowed: 1 });
    await assert.rejects(evict('twice'), (err: ApiError) => {
      assert.deepEqual(err.toStatus(), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.', code: 500 });
      return true;
    });
  });

  it('checks the name and the budget of an unready pod under IfHealthyBudget', async () => {
    await assert.rejects(evict('x', { metadata: { name: 'y' } }), { code: 400, message: 'name in URL does not match name in Eviction object' });
    await pod('sick', 'sick', 'Running', []);
    await budget('sick', 'sick', { currentHealthy: 0, desiredHealthy: 1, disruptionsAllowed: 0 });
    await assert.rejects(evict('sick'), { code: 429 });
    await pod('sick-ok', 'always', 'Running', []);
    await budget('always', 'always', { currentHealthy: 0, desiredHealthy: 1, disruptionsAllowed: 0 }, { unhealthyPodEvictionPolicy: 'AlwaysAllow' });
    await evict('sick-ok');
    assert.ok(await gone('sick-ok'));
  });
});
