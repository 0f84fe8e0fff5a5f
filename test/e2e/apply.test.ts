// kubectl apply: created, unchanged, configured; server-side apply; dry run; explain.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startBadge, type Badge } from './harness.js';
import { EXAMPLES } from './tutorial.js';

const dir = mkdtempSync(join(tmpdir(), 'badge-apply-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('e2e: kubectl apply', () => {
  let b: Badge;
  before(async () => {
    b = await startBadge();
  });
  after(() => b.close());

  it('creates, then leaves unchanged, then configures the tutorial ServiceAccount', async () => {
    const first = await b.kubectl(['apply', '-f', `${EXAMPLES}/01-serviceaccount.yaml`]);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout, 'serviceaccount/my-app-sa created\n');
    assert.equal(first.stderr, '');
    const second = await b.kubectl(['apply', '-f', `${EXAMPLES}/01-serviceaccount.yaml`]);
    assert.equal(second.stdout, 'serviceaccount/my-app-sa unchanged\n');
    const changed = file('sa-changed.yaml', 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: my-app-sa\n  namespace: default\n  annotations:\n    description: "changed"\n    owner: "platform-team"\n');
    const third = await b.kubectl(['apply', '-f', changed]);
    assert.equal(third.code, 0, third.stderr);
    assert.equal(third.stdout, 'serviceaccount/my-app-sa configured\n');
    assert.equal(third.stderr, '');
    const got = await b.kubectl(['get', 'sa', 'my-app-sa', '-o', 'jsonpath={.metadata.annotations.description}']);
    assert.equal(got.stdout, 'changed');
  });

  it('adds imagePullSecrets with the second tutorial manifest', async () => {
    const r = await b.kubectl(['apply', '-f', `${EXAMPLES}/02-serviceaccount-pull-secret.yaml`]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'serviceaccount/my-app-sa configured\n');
    const got = await b.kubectl(['get', 'sa', 'my-app-sa', '-o', 'jsonpath={.imagePullSecrets[0].name}']);
    assert.equal(got.stdout, 'docker-registry-secret');
  });

  it('rejects unknown fields under the default strict validation, with the exact message', async () => {
    const bad = file('bad.yaml', 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: strict-sa\n  imagePullSecrets:\n  - name: x\n');
    const r = await b.kubectl(['apply', '-f', bad]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `Error from server (BadRequest): error when creating "${bad}": ServiceAccount in version "v1" cannot be handled as a ServiceAccount: strict decoding error: unknown field "metadata.imagePullSecrets"\n`);
  });

  it('warns about unknown fields with --validate=warn and drops them', async () => {
    const bad = file('warn.yaml', 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: warn-sa\nfoo: bar\n');
    const r = await b.kubectl(['apply', '--validate=warn', '-f', bad]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, 'Warning: unknown field "foo"\n');
    assert.equal(r.stdout, 'serviceaccount/warn-sa created\n');
  });

  it('applies server-side', async () => {
    const f = file('ssa.yaml', 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ssa-sa\n  labels:\n    a: b\n');
    const r = await b.kubectl(['apply', '--server-side', '-f', f]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'serviceaccount/ssa-sa serverside-applied\n');
    const again = await b.kubectl(['apply', '--server-side', '-f', f]);
    assert.equal(again.code, 0, again.stderr);
    const got = await b.kubectl(['get', 'sa', 'ssa-sa', '-o', 'jsonpath={.metadata.labels.a}']);
    assert.equal(got.stdout, 'b');
  });

  it('creates nothing on a server dry run', async () => {
    const f = file('dry.yaml', 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: dry-sa\n');
    const r = await b.kubectl(['apply', '--dry-run=server', '-f', f]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'serviceaccount/dry-sa created (server dry run)\n');
    const got = await b.kubectl(['get', 'sa', 'dry-sa']);
    assert.equal(got.code, 1);
  });

  it('explains a kind and a field with no warnings', async () => {
    const r = await b.kubectl(['explain', 'serviceaccount']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^KIND:\s+ServiceAccount\nVERSION:\s+v1\n/);
    assert.match(r.stdout, /imagePullSecrets\s+<\[\]LocalObjectReference>/);
    const field = await b.kubectl(['explain', 'sa.metadata.name']);
    assert.equal(field.code, 0, field.stderr);
    assert.match(field.stdout, /FIELD: name <string>/);
  });

  it('labels, annotates and patches', async () => {
    await b.kubectl(['create', 'sa', 'patched']);
    assert.equal((await b.kubectl(['label', 'sa', 'patched', 'team=x'])).stdout, 'serviceaccount/patched labeled\n');
    assert.equal((await b.kubectl(['annotate', 'sa', 'patched', 'note=y'])).stdout, 'serviceaccount/patched annotated\n');
    const p = await b.kubectl(['patch', 'sa', 'patched', '--type=json', '-p', '[{"op":"add","path":"/automountServiceAccountToken","value":false}]']);
    assert.equal(p.stdout, 'serviceaccount/patched patched\n', p.stderr);
    const m = await b.kubectl(['patch', 'sa', 'patched', '--type=merge', '-p', '{"metadata":{"labels":{"team":null}}}']);
    assert.equal(m.stdout, 'serviceaccount/patched patched\n', m.stderr);
    const got = await b.kubectl(['get', 'sa', 'patched', '-o', 'json']);
    const obj = JSON.parse(got.stdout);
    assert.equal(obj.automountServiceAccountToken, false);
    assert.equal(obj.metadata.labels, undefined);
    assert.equal(obj.metadata.annotations.note, 'y');
  });
});
