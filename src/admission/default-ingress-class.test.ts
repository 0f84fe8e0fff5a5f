import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../api/meta.js';
import { LocalClient } from '../registry/local-client.js';
import { ingressClasses } from '../registry/resources/ingressclasses.js';
import { ingresses } from '../registry/resources/ingresses.js';
import { testRegistry, type TestRegistry } from '../registry/resources/testing.js';
import { AdmissionChain } from './chain.js';
import { defaultIngressClass } from './default-ingress-class.js';

const BACKEND = { service: { name: 'web', port: { number: 80 } } };
const ing = (name: string, spec: Record<string, unknown> = {}, annotations?: Record<string, string>): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name, annotations },
  spec: { defaultBackend: BACKEND, ...spec },
});
const cls = (name: string, isDefault: string): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'IngressClass',
  metadata: { name, annotations: { 'ingressclass.kubernetes.io/is-default-class': isDefault } },
  spec: { controller: 'example.com/ingress' },
});
const classOf = (o: KubeObject) => (o.spec as Record<string, unknown>).ingressClassName;

describe('DefaultIngressClass admission', () => {
  let t: TestRegistry;
  before(() => {
    const admission = new AdmissionChain();
    t = testRegistry([ingressClasses, ingresses], admission);
    admission.use(defaultIngressClass(new LocalClient(t.registry, t.ctx.user, t.clock, t.ctx.random)));
  });
  after(() => t.close());

  it('leaves the class unset while no class is the default', async () => {
    await t.store(ingressClasses).create(t.ctx, '', cls('not-default', 'false'));
    assert.equal(classOf(await t.store(ingresses).create(t.ctx, 'default', ing('none'))), undefined);
  });

  it('gives a new Ingress without a class the default one, the newest of several, and keeps a class named or annotated', async () => {
    await t.store(ingressClasses).create(t.ctx, '', cls('old', 'true'));
    assert.equal(classOf(await t.store(ingresses).create(t.ctx, 'default', ing('first'))), 'old');
    t.clock.advance(1000);
    await t.store(ingressClasses).create(t.ctx, '', cls('new', 'true'));
    assert.equal(classOf(await t.store(ingresses).create(t.ctx, 'default', ing('second'))), 'new');
    assert.equal(classOf(await t.store(ingresses).create(t.ctx, 'default', ing('named', { ingressClassName: 'mine' }))), 'mine');
    assert.equal(classOf(await t.store(ingresses).create(t.ctx, 'default', ing('annotated', {}, { 'kubernetes.io/ingress.class': 'legacy' }))), undefined);
  });

  it('does not touch an update', async () => {
    const store = t.store(ingresses);
    const created = await store.create(t.ctx, 'default', ing('kept', { ingressClassName: 'x' }));
    const { object } = await store.update(t.ctx, 'default', 'kept', { ...created, spec: { defaultBackend: BACKEND } });
    assert.equal(classOf(object), undefined);
  });
});
