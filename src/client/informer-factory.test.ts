import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { R } from './client.js';
import { testCluster, type TestCluster } from '../testing/cluster.js';

let t: TestCluster;
before(async () => (t = await testCluster()));
after(() => t.close());

const configMap = (name: string) => ({ apiVersion: 'v1' as const, kind: 'ConfigMap' as const, metadata: { name, namespace: 'default' } });

it('a scope reads the shared informers, and its stop() removes only the handlers registered through it', async () => {
  const shared = t.informers.forResource(R.configmaps);
  const scope = t.informers.scope();
  const scoped = scope.forResource(R.configmaps);
  const seen = { shared: [] as string[], scoped: [] as string[] };
  shared.on({ add: (o) => seen.shared.push(o.metadata.name!) });
  scoped.on({ add: (o) => seen.scoped.push(o.metadata.name!) });
  scope.start();
  await scoped.waitForSync();
  await t.client.create(R.configmaps, 'default', configMap('one'));
  await t.until('both saw one', () => seen.shared.includes('one') && seen.scoped.includes('one'));
  assert.ok(scoped.get('default', 'one'), 'the scope reads the shared cache');

  scope.stop();
  await t.client.create(R.configmaps, 'default', configMap('two'));
  await t.until('the shared handler saw two', () => seen.shared.includes('two'));
  assert.equal(seen.scoped.includes('two'), false);
  assert.ok(shared.get('default', 'two'), 'the informer runs on');

  // A new scope (a server that leads again) is first told of what is cached.
  const again: string[] = [];
  t.informers.scope().forResource(R.configmaps).on({ add: (o) => again.push(o.metadata.name!) });
  assert.ok(again.includes('one') && again.includes('two'));
});
