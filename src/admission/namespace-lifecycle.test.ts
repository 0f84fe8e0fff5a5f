import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Namespace } from '../api/kinds.js';
import type { Client } from '../client/client.js';
import type { InformerFactory } from '../client/informer-factory.js';
import type { AdmissionAttributes } from './chain.js';
import { namespaceLifecycle } from './namespace-lifecycle.js';

const ns = (name: string, phase = 'Active'): Namespace => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name }, status: { phase } });
const attrs = (operation: 'CREATE' | 'DELETE', namespace: string, over: Partial<AdmissionAttributes> = {}): AdmissionAttributes =>
  ({ operation, resource: { group: '', resource: 'configmaps', namespaced: true }, subresource: '', namespace, name: 'c', ctx: {} as never, dryRun: false, ...over }) as AdmissionAttributes;
const deleteOf = (name: string) => attrs('DELETE', '', { resource: { group: '', resource: 'namespaces', namespaced: false }, name });

/** The plugin over an informer holding `cached` and a store holding `stored`; counts live reads. */
async function setup(cached: Namespace[], stored: Namespace[]) {
  let clock = 0;
  const live: string[] = [];
  const client = {
    async get(_ref: unknown, _ns: string, name: string) {
      live.push(name);
      const found = stored.find((n) => n.metadata.name === name);
      if (!found) throw Object.assign(new Error('not found'), { code: 404 });
      return found;
    },
  } as unknown as Client;
  const informer = { get: (_ns: string, name: string) => cached.find((n) => n.metadata.name === name), waitForSync: async () => {} };
  const informers = { forResource: () => informer, start() {} } as unknown as InformerFactory;
  const plugin = namespaceLifecycle(client, () => clock);
  await plugin.start(informers);
  return { plugin, live, tick: (ms: number) => (clock += ms), cached, stored };
}

describe('NamespaceLifecycle admission', () => {
  it('reads a namespace the informer holds from it, without a live read', async () => {
    const { plugin, live } = await setup([ns('a')], [ns('a')]);
    await plugin.validate!(attrs('CREATE', 'a'));
    assert.deepEqual(live, []);
  });

  it('reads live when the informer lacks the namespace: created meanwhile, or missing', async () => {
    const { plugin, live } = await setup([], [ns('new')]);
    await plugin.validate!(attrs('CREATE', 'new'));
    await assert.rejects(plugin.validate!(attrs('CREATE', 'gone')), /namespaces "gone" not found/);
    assert.deepEqual(live, ['new', 'gone']);
  });

  it('refuses content in a terminating namespace, and reads live for 30 s after admitting its deletion', async () => {
    const cached = [ns('t', 'Terminating'), ns('b')];
    const { plugin, live, tick } = await setup(cached, [ns('b', 'Terminating')]);
    await assert.rejects(plugin.validate!(attrs('CREATE', 't')), /unable to create new content in namespace t because it is being terminated/);
    await plugin.validate!(deleteOf('b'));
    await assert.rejects(plugin.validate!(attrs('CREATE', 'b')), /being terminated/);
    assert.deepEqual(live, ['b']);
    tick(30_000);
    await plugin.validate!(attrs('CREATE', 'b'));
    assert.deepEqual(live, ['b']);
  });

  it('never lets the system namespaces be deleted', async () => {
    const { plugin } = await setup([], []);
    for (const name of ['default', 'kube-system', 'kube-public']) await assert.rejects(plugin.validate!(deleteOf(name)), /this namespace may not be deleted/);
  });
});
