// Server-side apply and managedFields with the real kubectl 1.27, 1.28, 1.31 and 1.33: applies,
// conflicts and --force-conflicts, the upgrade from client-side apply, the managers of scale, edit
// and label; and through the API what kubectl cannot send (conflict Status, resets, bad input).
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startBadge, type Badge } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'badge-ssa-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

const deployment = (ns: string, replicas: number, image = 'nginx:1.27') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ${ns}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: ${image}
        ports:
        - containerPort: 80
`;

/** What `kubectl apply --server-side` of deployment() owns. */
const APPLIED = {
  'f:spec': {
    'f:replicas': {},
    'f:selector': {},
    'f:template': {
      'f:metadata': { 'f:labels': { 'f:app': {} } },
      'f:spec': {
        'f:containers': {
          'k:{"name":"nginx"}': { '.': {}, 'f:image': {}, 'f:name': {}, 'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } } },
        },
      },
    },
  },
};

const CONFLICT_HELP = `Please review the fields above--they currently have other managers. Here
are the ways you can resolve this warning:
* If you intend to manage all of these fields, please re-run the apply
  command with the \`--force-conflicts\` flag.
* If you do not intend to manage all of the fields, please edit your
  manifest to remove references to the fields that should keep their
  current managers.
* You may co-own fields by updating your manifest to match the existing
  value; in this case, you'll become the manager if the other manager(s)
  stop managing the field (remove it from their configuration).
See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts
`;

interface Entry {
  manager: string;
  operation: string;
  apiVersion: string;
  time?: string;
  fieldsType: string;
  fieldsV1: unknown;
  subresource?: string;
}

describe('e2e: server-side apply and managedFields', () => {
  let b: Badge;
  before(async () => {
    b = await startBadge();
  });
  after(() => b.close());

  const managed = async (path: string): Promise<Entry[]> => (await b.api('GET', path)).json.metadata.managedFields;
  const entry = (entries: Entry[], manager: string, subresource?: string) => entries.find((e) => e.manager === manager && e.subresource === subresource);

  for (const version of ['1.27', '1.28', '1.31', '1.33']) {
    const ns = `v${version.replace('.', '-')}`;
    const cache = mkdtempSync(join(tmpdir(), 'badge-ssa-cache-'));
    // kubectl 1.27 and 1.28 validate apply and edit against /openapi/v2, which another change serves.
    const validate = ['1.27', '1.28'].includes(version) ? ['--validate=false'] : [];
    const kubectl = (args: string[], env?: Record<string, string>) => b.kubectl([...args, ...(['apply', 'edit'].includes(args[0]!) ? validate : []), '--cache-dir', cache], { version, env });
    const path = `/apis/apps/v1/namespaces/${ns}/deployments/web`;

    describe(`kubectl ${version}`, () => {
      before(async () => {
        assert.equal((await kubectl(['create', 'namespace', ns])).code, 0);
      });

      it('applies server-side, then changes what it applied', async () => {
        const created = await kubectl(['apply', '--server-side', '-f', file(`${ns}-a.yaml`, deployment(ns, 2))]);
        assert.equal(created.code, 0, created.stderr);
        assert.equal(created.stdout, 'deployment.apps/web serverside-applied\n');
        const first = entry(await managed(path), 'kubectl')!;
        assert.equal(first.operation, 'Apply');
        assert.equal(first.apiVersion, 'apps/v1');
        assert.equal(first.fieldsType, 'FieldsV1');
        assert.deepEqual(first.fieldsV1, APPLIED);
        const changed = await kubectl(['apply', '--server-side', '-f', file(`${ns}-b.yaml`, deployment(ns, 3, 'nginx:1.28'))]);
        assert.equal(changed.code, 0, changed.stderr);
        const got = (await b.api('GET', path)).json;
        assert.equal(got.spec.replicas, 3);
        assert.equal(got.spec.template.spec.containers[0].image, 'nginx:1.28');
      });

      it('conflicts with a second manager on .spec.replicas, and --force-conflicts takes it', async () => {
        const other = file(`${ns}-other.yaml`, deployment(ns, 5, 'nginx:1.28'));
        const refused = await kubectl(['apply', '--server-side', '--field-manager', 'other', '-f', other]);
        assert.equal(refused.code, 1);
        assert.equal(refused.stdout, '');
        assert.equal(refused.stderr, `error: Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas\n${CONFLICT_HELP}`);
        const forced = await kubectl(['apply', '--server-side', '--field-manager', 'other', '--force-conflicts', '-f', other]);
        assert.equal(forced.code, 0, forced.stderr);
        const entries = await managed(path);
        assert.deepEqual((entry(entries, 'other')!.fieldsV1 as typeof APPLIED)['f:spec']['f:replicas'], {});
        assert.equal((entry(entries, 'kubectl')!.fieldsV1 as typeof APPLIED)['f:spec']['f:replicas'], undefined);
        assert.equal((await b.api('GET', path)).json.spec.replicas, 5);
      });

      it('records kubectl scale, label and edit under their managers', async () => {
        assert.equal((await kubectl(['scale', '-n', ns, 'deployment/web', '--replicas=4'])).code, 0);
        assert.equal((await kubectl(['label', '-n', ns, 'deployment/web', 'tier=front'])).code, 0);
        const editor = file(`${ns}-editor.sh`, "#!/bin/sh\nsed -i 's/tier: front/tier: back/' \"$1\"\n");
        chmodSync(editor, 0o755);
        const edited = await kubectl(['edit', '-n', ns, 'deployment/web'], { KUBE_EDITOR: editor, EDITOR: editor });
        assert.equal(edited.code, 0, edited.stderr);
        const entries = await managed(path);
        const scale = entry(entries, `kubectl.${version}`, 'scale')!;
        assert.equal(scale.operation, 'Update');
        assert.equal(scale.apiVersion, 'apps/v1');
        assert.deepEqual(scale.fieldsV1, { 'f:spec': { 'f:replicas': {} } });
        // The scale took .spec.replicas from `other`; the Scale shows its owners in its own version.
        assert.equal((entry(entries, 'other')!.fieldsV1 as typeof APPLIED)['f:spec']['f:replicas'], undefined);
        const scaleView = (await b.api('GET', `${path}/scale`)).json.metadata.managedFields as Entry[];
        assert.deepEqual(scaleView.map((e) => [e.manager, e.apiVersion, e.subresource, e.fieldsV1]), [[`kubectl.${version}`, 'autoscaling/v1', 'scale', { 'f:spec': { 'f:replicas': {} } }]]);
        // The label moved to kubectl-edit's entry; kubectl-label keeps the map it made.
        assert.deepEqual(entry(entries, 'kubectl-label')!.fieldsV1, { 'f:metadata': { 'f:labels': {} } });
        assert.deepEqual(entry(entries, 'kubectl-edit')!.fieldsV1, { 'f:metadata': { 'f:labels': { 'f:tier': {} } } });
        assert.deepEqual(entries.map((e) => `${e.operation} ${e.manager}`).slice(0, 2), ['Apply kubectl', 'Apply other']);
      });

      it('upgrades client-side apply to server-side apply', async () => {
        const f = file(`${ns}-csa.yaml`, deployment(ns, 2).replace('name: web', 'name: csa'));
        const csa = await kubectl(['apply', '-f', f]);
        assert.equal(csa.code, 0, csa.stderr);
        const csaPath = `/apis/apps/v1/namespaces/${ns}/deployments/csa`;
        assert.equal(entry(await managed(csaPath), 'kubectl-client-side-apply')!.operation, 'Update');
        const ssa = await kubectl(['apply', '--server-side', '-f', file(`${ns}-csa2.yaml`, deployment(ns, 3).replace('name: web', 'name: csa'))]);
        assert.equal(ssa.code, 0, ssa.stderr);
        assert.equal(ssa.stdout, 'deployment.apps/csa serverside-applied\n');
        const entries = await managed(csaPath);
        assert.equal(entry(entries, 'kubectl-client-side-apply'), undefined, JSON.stringify(entries));
        assert.deepEqual(entry(entries, 'kubectl')!.fieldsV1, APPLIED);
        const got = (await b.api('GET', csaPath)).json;
        assert.equal(got.spec.replicas, 3);
        assert.match(got.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'], /"replicas":3/);
      });

      it('shows managedFields only with --show-managed-fields', async () => {
        const plain = await kubectl(['get', '-n', ns, 'deployment/web', '-o', 'yaml']);
        assert.doesNotMatch(plain.stdout, /managedFields/);
        const shown = await kubectl(['get', '-n', ns, 'deployment/web', '-o', 'yaml', '--show-managed-fields']);
        assert.match(shown.stdout, /\n {2}managedFields:\n {2}- apiVersion: apps\/v1\n {4}fieldsType: FieldsV1\n {4}fieldsV1:\n {6}f:spec:\n/);
        assert.match(shown.stdout, /\n +k:\{"name":"nginx"\}:\n +\.: \{\}\n/);
        assert.match(shown.stdout, /\n {4}manager: kubectl\n {4}operation: Apply\n {4}time: "/);
      });
    });
  }

  describe('through the API', () => {
    const ns = 'api';
    const cm = (name: string, extra: object = {}) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...extra }, data: { a: '1', b: '2' } });
    const apply = (name: string, body: object, query: string) =>
      b.api('PATCH', `/api/v1/namespaces/${ns}/configmaps/${name}?${query}`, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, ...body }), { 'Content-Type': 'application/apply-patch+yaml' });
    before(async () => {
      await b.api('POST', '/api/v1/namespaces', JSON.stringify({ metadata: { name: ns } }));
    });

    it('records a create under the User-Agent, with `.` on the maps it made', async () => {
      const r = await b.api('POST', `/api/v1/namespaces/${ns}/configmaps`, cm('ua', { labels: { x: 'y' } }), { 'User-Agent': 'my-tool/1.0 (linux)' });
      assert.equal(r.status, 201);
      const [e] = r.json.metadata.managedFields;
      assert.deepEqual(Object.keys(e), ['manager', 'operation', 'apiVersion', 'time', 'fieldsType', 'fieldsV1']);
      assert.equal(e.manager, 'my-tool');
      // On the wire, as Go writes it: `.` after the children.
      assert.equal(JSON.stringify(e.fieldsV1), '{"f:data":{"f:a":{},"f:b":{},".":{}},"f:metadata":{"f:labels":{"f:x":{},".":{}}}}');
    });

    it('answers conflicts with a 409 whose causes name each field and owner', async () => {
      assert.equal((await apply('c', { data: { a: '1', b: '2' } }, 'fieldManager=first')).status, 201);
      const r = await apply('c', { data: { a: 'x', b: 'y' } }, 'fieldManager=second');
      assert.equal(r.status, 409);
      assert.deepEqual(r.json, {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'Apply failed with 2 conflicts: conflicts with "first":\n- .data.a\n- .data.b',
        reason: 'Conflict',
        details: {
          causes: [
            { reason: 'FieldManagerConflict', message: 'conflict with "first"', field: '.data.a' },
            { reason: 'FieldManagerConflict', message: 'conflict with "first"', field: '.data.b' },
          ],
        },
        code: 409,
      });
      const put = await b.api('GET', `/api/v1/namespaces/${ns}/configmaps/c`);
      const updated = await b.api('PUT', `/api/v1/namespaces/${ns}/configmaps/c`, JSON.stringify({ ...put.json, data: { a: '3', b: '2' } }), { 'User-Agent': 'updater/1' });
      assert.equal(updated.status, 200);
      const again = await apply('c', { data: { a: '4' } }, 'fieldManager=first');
      assert.equal(again.json.message, 'Apply failed with 1 conflict: conflict with "updater" using v1: .data.a');
    });

    it('prunes what a manager stops applying unless another owns it', async () => {
      assert.equal((await apply('p', { data: { a: '1', b: '2' } }, 'fieldManager=one')).status, 201);
      assert.equal((await apply('p', { data: { b: '2' } }, 'fieldManager=two')).status, 200);
      const r = await apply('p', { data: {} }, 'fieldManager=one');
      assert.deepEqual(r.json.data, { b: '2' });
    });

    it('refuses managedFields in an apply, force on other patches, and a missing manager', async () => {
      const withFields = await apply('r', { metadata: { name: 'r', managedFields: [] } }, 'fieldManager=m');
      assert.equal(withFields.status, 400);
      assert.equal(withFields.json.message, 'metadata.managedFields must be nil');
      const forced = await b.api('PATCH', `/api/v1/namespaces/${ns}/configmaps/c?force=true`, '{}', { 'Content-Type': 'application/merge-patch+json' });
      assert.equal(forced.status, 422);
      assert.equal(forced.json.message, 'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch');
      const tooLong = await b.api('POST', `/api/v1/namespaces/${ns}/configmaps?fieldManager=${'m'.repeat(129)}`, cm('long'));
      assert.equal(tooLong.status, 422);
      assert.equal(tooLong.json.message, 'CreateOptions.meta.k8s.io "" is invalid: fieldManager: Too long: may not be more than 128 bytes');
    });

    it('resets managedFields on an update sending [], and keeps them when an update sends bad ones', async () => {
      const live = (await b.api('GET', `/api/v1/namespaces/${ns}/configmaps/c`)).json;
      const bad = { ...live, metadata: { ...live.metadata, managedFields: [{ manager: 'x', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'k:{"broken': {} } }] } };
      const kept = await b.api('PUT', `/api/v1/namespaces/${ns}/configmaps/c`, JSON.stringify(bad));
      assert.equal(kept.status, 200);
      assert.deepEqual(kept.json.metadata.managedFields, live.metadata.managedFields);
      const reset = { ...live, metadata: { ...live.metadata, managedFields: [] }, data: { a: 'reset' } };
      const r = await b.api('PUT', `/api/v1/namespaces/${ns}/configmaps/c`, JSON.stringify(reset));
      assert.equal(r.status, 200);
      assert.equal(r.json.metadata.managedFields, undefined);
    });
  });
});
