import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../api/meta.js';
import type { AdmissionAttributes, Operation } from './chain.js';
import { defaultTolerationSeconds } from './default-toleration-seconds.js';

type Obj = Record<string, unknown>;

const NOT_READY = { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };
const UNREACHABLE = { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };

/** The tolerations the plugin leaves on a pod written with these. */
async function admit(tolerations: Obj[] | undefined, operation: Operation = 'CREATE', subresource = '', resource = 'pods'): Promise<unknown> {
  const object: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx' }], ...(tolerations ? { tolerations } : {}) } };
  const a = { operation, resource: { group: '', resource, namespaced: true }, subresource, namespace: 'default', name: 'p', object, ctx: {}, dryRun: false } as unknown as AdmissionAttributes;
  await defaultTolerationSeconds.admit!(a);
  return (object.spec as Obj).tolerations;
}

describe('DefaultTolerationSeconds admission', () => {
  it('gives a pod without them the not-ready and unreachable NoExecute tolerations for 300 s, after its own', async () => {
    assert.deepEqual(await admit(undefined), [NOT_READY, UNREACHABLE]);
    const own = { key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' };
    assert.deepEqual(await admit([own]), [own, NOT_READY, UNREACHABLE]);
    assert.deepEqual(await admit([own], 'UPDATE'), [own, NOT_READY, UNREACHABLE]);
  });

  it('leaves a toleration the pod has of either taint (its key or every key, NoExecute or every effect)', async () => {
    const forever = { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' };
    assert.deepEqual(await admit([forever]), [forever, NOT_READY]);
    const short = { key: 'node.kubernetes.io/not-ready', operator: 'Exists', tolerationSeconds: 10 };
    assert.deepEqual(await admit([short]), [short, UNREACHABLE]);
    assert.deepEqual(await admit([{ operator: 'Exists' }]), [{ operator: 'Exists' }]);
    const everyKeyNoSchedule = { operator: 'Exists', effect: 'NoSchedule' };
    assert.deepEqual(await admit([everyKeyNoSchedule]), [everyKeyNoSchedule, NOT_READY, UNREACHABLE]);
  });

  it('leaves subresources, deletes and other resources alone', async () => {
    assert.equal(await admit(undefined, 'CREATE', 'binding'), undefined);
    assert.equal(await admit(undefined, 'DELETE'), undefined);
    assert.equal(await admit(undefined, 'CREATE', '', 'podtemplates'), undefined);
  });
});
