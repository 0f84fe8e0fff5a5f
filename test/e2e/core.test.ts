// The foundation with the real kubectl: discovery, create, get, describe, delete, errors.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startBadge, type Badge } from './harness.js';

describe('e2e: serviceaccounts with the real kubectl', () => {
  let b: Badge;
  before(async () => {
    b = await startBadge();
  });
  after(() => b.close());

  it('reports a 1.32 server version', async () => {
    const r = await b.kubectl(['version']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Server Version: v1\.32\.\d+/);
  });

  it('has the system namespaces', async () => {
    const r = await b.kubectl(['get', 'ns', '-o', 'name']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n').sort(), ['namespace/default', 'namespace/kube-node-lease', 'namespace/kube-public', 'namespace/kube-system']);
  });

  for (const version of ['1.31', '1.32', '1.33']) {
    it(`creates a ServiceAccount with kubectl ${version} and refuses a second one`, async () => {
      const name = `sa-${version.replace('.', '-')}`;
      const r = await b.kubectl(['create', 'serviceaccount', name], { version });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, `serviceaccount/${name} created\n`);
      const again = await b.kubectl(['create', 'serviceaccount', name], { version });
      assert.equal(again.code, 1);
      assert.equal(again.stderr, `error: failed to create serviceaccount: serviceaccounts "${name}" already exists\n`);
    });
  }

  it('prints the ServiceAccount table and yaml', async () => {
    await b.kubectl(['create', 'sa', 'table-sa']);
    const table = await b.kubectl(['get', 'sa', 'table-sa']);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^NAME\s+SECRETS\s+AGE\ntable-sa\s+0\s+\d+s\n$/);
    const yaml = await b.kubectl(['get', 'serviceaccount', 'table-sa', '-o', 'yaml']);
    assert.match(yaml.stdout, /^apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  creationTimestamp: "[^"]+"\n  name: table-sa\n  namespace: default\n  resourceVersion: "\d+"\n  uid: [0-9a-f-]{36}\n$/);
  });

  it('describes a ServiceAccount', async () => {
    await b.kubectl(['create', 'sa', 'described']);
    const r = await b.kubectl(['describe', 'serviceaccount', 'described']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      ['Name:                described', 'Namespace:           default', 'Labels:              <none>', 'Annotations:         <none>', 'Image pull secrets:  <none>', 'Mountable secrets:   <none>', 'Tokens:              <none>', 'Events:              <none>', ''].join('\n'),
    );
  });

  it('deletes, then reports NotFound', async () => {
    await b.kubectl(['create', 'sa', 'doomed']);
    const r = await b.kubectl(['delete', 'serviceaccount', 'doomed']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'serviceaccount "doomed" deleted\n');
    const gone = await b.kubectl(['get', 'sa', 'doomed']);
    assert.equal(gone.code, 1);
    assert.equal(gone.stderr, 'Error from server (NotFound): serviceaccounts "doomed" not found\n');
  });
});
