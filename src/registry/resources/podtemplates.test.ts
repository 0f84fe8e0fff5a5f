import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../api/meta.js';
import { podtemplates } from './podtemplates.js';
import { rejection, T0, testRegistry, type TestRegistry } from './testing.js';

type Obj = Record<string, any>;

const template = (name: string, spec: Obj, labels?: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'PodTemplate', metadata: { name, namespace: 'default' }, template: { metadata: { labels }, spec } });
const CONTAINERS = [{ name: 'web', image: 'nginx:1.25' }, { name: 'log', image: 'busybox' }];

describe('podtemplates', () => {
  let t: TestRegistry;
  before(() => {
    t = testRegistry([podtemplates]);
  });
  after(() => t.close());

  it('defaults the template as a workload template, and prints containers, images and pod labels', async () => {
    const created = await t.store(podtemplates).create(t.ctx, 'default', template('web', { containers: CONTAINERS }, { tier: 'web', app: 'shop' }));
    const spec = (created.template as Obj).spec;
    assert.equal(spec.restartPolicy, 'Always');
    assert.equal(spec.containers[0].imagePullPolicy, 'IfNotPresent');
    assert.equal((created.template as Obj).metadata.creationTimestamp, null);
    assert.deepEqual(podtemplates.table!.columns.map((c) => c.name), ['Name', 'Containers', 'Images', 'Pod Labels']);
    assert.deepEqual(podtemplates.table!.cells(created, T0), ['web', 'web,log', 'nginx:1.25,busybox', 'app=shop,tier=web']);
    assert.deepEqual(podtemplates.table!.cells(template('bare', {}), T0), ['bare', '', '', '<none>']);
  });

  it('bumps the generation when the template changes', async () => {
    const store = t.store(podtemplates);
    const created = await store.create(t.ctx, 'default', template('gen', { containers: CONTAINERS }));
    assert.equal(created.metadata.generation, 1);
    const relabelled = await store.update(t.ctx, 'default', 'gen', { ...created, metadata: { ...created.metadata, labels: { a: 'b' } } });
    assert.equal(relabelled.object.metadata.generation, 1);
    const changed = structuredClone(relabelled.object) as Obj;
    changed.template.spec.containers[0].image = 'nginx:1.26';
    assert.equal((await store.update(t.ctx, 'default', 'gen', changed as KubeObject)).object.metadata.generation, 2);
  });

  it('validates the template as a pod template, on create and update', async () => {
    const store = t.store(podtemplates);
    assert.equal(await rejection(store.create(t.ctx, 'default', template('empty', {}))), 'PodTemplate "empty" is invalid: template.spec.containers: Required value');
    const created = await store.create(t.ctx, 'default', template('ok', { containers: CONTAINERS }));
    const bad = structuredClone(created) as Obj;
    bad.template.spec.containers[0].name = 'Web';
    assert.match(await rejection(store.update(t.ctx, 'default', 'ok', bad as KubeObject)), /^PodTemplate "ok" is invalid: template\.spec\.containers\[0\]\.name: Invalid value: "Web": a lowercase RFC 1123 label must consist of/);
  });
});
