import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../api/meta.js';
import { R, type Client } from '../client/client.js';
import { InformerFactory } from '../client/informer-factory.js';
import { LocalClient } from '../registry/local-client.js';
import { ingressClasses } from '../registry/resources/ingressclasses.js';
import { ingresses } from '../registry/resources/ingresses.js';
import { testRegistry, type TestRegistry } from '../registry/resources/testing.js';
import { eventually } from '../testing/eventually.js';
import { AdmissionChain, type AdmissionAttributes } from './chain.js';
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

describe('DefaultIngressClass admission from the informers', () => {
  let t: TestRegistry;
  let informers: InformerFactory;
  before(async () => {
    const admission = new AdmissionChain();
    t = testRegistry([ingressClasses, ingresses], admission);
    const client = new LocalClient(t.registry, t.ctx.user, t.clock, t.ctx.random);
    informers = new InformerFactory(client);
    const plugin = defaultIngressClass(client);
    admission.use(plugin);
    await plugin.start(informers);
  });
  after(() => {
    informers.stop();
    return t.close();
  });

  it('gives a new Ingress the default class created just before it, read from the informer', async () => {
    await t.store(ingressClasses).create(t.ctx, '', cls('fresh', 'true'));
    await eventually(() => informers.forResource(R.ingressclasses).get('', 'fresh'), 'the informer has the class');
    assert.equal(classOf(await t.store(ingresses).create(t.ctx, 'default', ing('after'))), 'fresh');
  });

  it('gives no class while the informer lacks the default one, without a live read (as upstream lists its lister)', async () => {
    const plugin = defaultIngressClass({ list: () => assert.fail('a live read') } as unknown as Client);
    await plugin.start({ forResource: () => ({ list: () => [], waitForSync: async () => {} }), start() {} } as unknown as InformerFactory);
    const object = ing('missed');
    await plugin.admit!({ operation: 'CREATE', resource: { group: 'networking.k8s.io', resource: 'ingresses', namespaced: true }, subresource: '', namespace: 'default', name: 'missed', object } as AdmissionAttributes);
    assert.equal(classOf(object), undefined);
  });
});
