// Every manifest of the tutorial with the real kubectl: apply (created, unchanged, configured),
// get (table, yaml, jsonpath, -A), describe, delete.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { startBadge, type Badge } from './harness.js';
import { EXAMPLES } from './tutorial.js';

const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml')).sort();
const dir = mkdtempSync(join(tmpdir(), 'badge-examples-'));

interface Doc {
  kind: string;
  name: string;
  namespace?: string;
}

const CLUSTER_SCOPED = new Set(['ClusterRole', 'ClusterRoleBinding', 'Namespace']);
const GROUP: Record<string, string> = { Role: '.rbac.authorization.k8s.io', RoleBinding: '.rbac.authorization.k8s.io', ClusterRole: '.rbac.authorization.k8s.io', ClusterRoleBinding: '.rbac.authorization.k8s.io', Deployment: '.apps', Job: '.batch' };

function docsOf(file: string): Doc[] {
  return parseAllDocuments(readFileSync(join(EXAMPLES, file), 'utf8')).map((d) => {
    const o = d.toJSON();
    return { kind: o.kind, name: o.metadata.name, namespace: CLUSTER_SCOPED.has(o.kind) ? undefined : (o.metadata.namespace ?? 'default') };
  });
}

const ref = (d: Doc) => `${d.kind.toLowerCase()}${GROUP[d.kind] ?? ''}/${d.name}`;

describe('e2e: the tutorial manifests', () => {
  let b: Badge;
  before(async () => {
    b = await startBadge();
    for (const ns of ['production', 'monitoring']) assert.equal((await b.kubectl(['create', 'namespace', ns])).code, 0);
  });
  after(() => b.close());

  for (const file of files) {
    // 01 and 02 are two versions of the same ServiceAccount; 02 is exercised after 01 below.
    if (file.startsWith('02-')) continue;
    describe(file, () => {
      const docs = docsOf(file);
      const path = join(EXAMPLES, file);

      it('applies: created, then unchanged, then configured after a change', async () => {
        const first = await b.kubectl(['apply', '-f', path]);
        assert.equal(first.code, 0, first.stderr);
        assert.equal(first.stderr, '');
        assert.equal(first.stdout, docs.map((d) => `${ref(d)} created\n`).join(''));
        const second = await b.kubectl(['apply', '-f', path]);
        assert.equal(second.stdout, docs.map((d) => `${ref(d)} unchanged\n`).join(''));
        const labelled = readFileSync(path, 'utf8').replace(/^metadata:\n/gm, 'metadata:\n  labels:\n    tutorial: "yes"\n');
        const changed = join(dir, file);
        writeFileSync(changed, labelled);
        const third = await b.kubectl(['apply', '-f', changed]);
        assert.equal(third.code, 0, third.stderr);
        assert.equal(third.stdout, docs.map((d) => `${ref(d)} configured\n`).join(''));
      });

      it('gets each object as a table, as yaml and by jsonpath', async () => {
        for (const d of docs) {
          const ns = d.namespace ? ['-n', d.namespace] : [];
          const table = await b.kubectl(['get', ref(d), ...ns]);
          assert.equal(table.code, 0, table.stderr);
          assert.match(table.stdout, new RegExp(`^NAME\\s.*\\n${d.kind === 'Pod' || d.kind === 'ServiceAccount' || d.kind === 'Secret' ? '' : '\\S*'}${d.name}\\s`));
          const yaml = await b.kubectl(['get', ref(d), ...ns, '-o', 'yaml']);
          assert.match(yaml.stdout, new RegExp(`\\nkind: ${d.kind}\\n`));
          assert.match(yaml.stdout, /\n {2}uid: [0-9a-f-]{36}\n/);
          assert.match(yaml.stdout, /\n {4}tutorial: "yes"\n/);
          const label = await b.kubectl(['get', ref(d), ...ns, '-o', 'jsonpath={.metadata.labels.tutorial}']);
          assert.equal(label.stdout, 'yes');
        }
      });

      it('lists them across namespaces with -A', async () => {
        const kinds = [...new Set(docs.map((d) => `${d.kind.toLowerCase()}${GROUP[d.kind] ?? ''}`))];
        const r = await b.kubectl(['get', kinds.join(','), '-A', '-l', 'tutorial=yes']);
        assert.equal(r.code, 0, r.stderr);
        for (const d of docs) assert.match(r.stdout, new RegExp(`${d.namespace ? `${d.namespace}\\s+` : ''}\\S*${d.name}\\s`));
      });

      it('describes each object', async () => {
        for (const d of docs) {
          const r = await b.kubectl(['describe', ref(d), ...(d.namespace ? ['-n', d.namespace] : [])]);
          assert.equal(r.code, 0, r.stderr);
          assert.match(r.stdout, new RegExp(`^Name:\\s+${d.name}\\n`));
        }
      });
    });
  }

  it('02 adds imagePullSecrets to the ServiceAccount of 01', async () => {
    const r = await b.kubectl(['apply', '-f', join(EXAMPLES, '02-serviceaccount-pull-secret.yaml')]);
    assert.equal(r.stdout, 'serviceaccount/my-app-sa configured\n');
    const d = await b.kubectl(['describe', 'sa', 'my-app-sa']);
    assert.match(d.stdout, /\nImage pull secrets:\s+docker-registry-secret \(not found\)\n/);
  });

  it('deletes everything with delete -f', async () => {
    // Last file first: deleting 01's ServiceAccount makes the tokens controller delete 08's token Secret.
    for (const file of files.filter((f) => !f.startsWith('02-')).reverse()) {
      const r = await b.kubectl(['delete', '-f', join(EXAMPLES, file)]);
      assert.equal(r.code, 0, `${file}: ${r.stderr}`);
      assert.equal(r.stdout, docsOf(file).map((d) => `${d.kind.toLowerCase()}${GROUP[d.kind] ?? ''} "${d.name}" deleted\n`).join(''), file);
    }
  });
});
