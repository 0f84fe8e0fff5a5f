// Custom resources served from CustomResourceDefinitions, with the real kubectl 1.27 and 1.33: a
// CronTab CRD (two versions, status and scale, printer columns, defaults, an enum, a pattern),
// then apply, get (table, -o wide), explain, scale, status, watch, invalid objects, server-side
// apply, field selectors, RBAC on the custom resource, and the end of serving with the CRD.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openWatch, startBadge, type Badge } from './harness.js';

const GROUP = 'stable.example.com';
const NS = 'default';
const BASE = `/apis/${GROUP}/v1/namespaces/${NS}/crontabs`;

const CRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `crontabs.${GROUP}` },
  spec: {
    group: GROUP,
    scope: 'Namespaced',
    names: { plural: 'crontabs', singular: 'crontab', kind: 'CronTab', shortNames: ['ct'] },
    versions: [
      {
        name: 'v1beta1',
        served: true,
        storage: false,
        deprecated: true,
        schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
      },
      {
        name: 'v1',
        served: true,
        storage: true,
        selectableFields: [{ jsonPath: '.spec.color' }],
        subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' } },
        additionalPrinterColumns: [
          { name: 'Spec', type: 'string', jsonPath: '.spec.cronSpec' },
          { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
          { name: 'Color', type: 'string', jsonPath: '.spec.color', priority: 1 },
          { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
        ],
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                description: 'What the CronTab runs, and when.',
                required: ['cronSpec'],
                'x-kubernetes-validations': [
                  { rule: 'self.replicas <= 5 || self.color == "blue"', messageExpression: '"a CronTab of " + string(self.replicas) + " replicas must be blue"', fieldPath: '.replicas' },
                ],
                properties: {
                  owner: { type: 'string', 'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'owner is immutable' }] },
                  cronSpec: { type: 'string', pattern: '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$', description: 'When, in cron syntax.' },
                  image: { type: 'string', maxLength: 20 },
                  replicas: { type: 'integer', minimum: 0, maximum: 10, default: 1 },
                  color: { type: 'string', enum: ['red', 'blue'], default: 'red' },
                  tags: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
                },
              },
              status: { type: 'object', properties: { replicas: { type: 'integer' }, selector: { type: 'string' } } },
            },
          },
        },
      },
    ],
  },
};

const crontab = (name: string, spec: object) => ({ apiVersion: `${GROUP}/v1`, kind: 'CronTab', metadata: { name }, spec });

async function until<T>(f: () => Promise<T | undefined>, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('custom resources', () => {
  let b: Badge;
  before(async () => {
    b = await startBadge();
    const created = await b.api('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', JSON.stringify(CRD));
    assert.equal(created.status, 201, created.text);
    // Served well under a second after the write.
    const started = Date.now();
    await until(async () => ((await b.api('GET', BASE)).status === 200 ? true : undefined), 1000);
    assert.ok(Date.now() - started < 1000);
  });
  after(() => b?.close());

  it('is in discovery, legacy and aggregated, and in OpenAPI v3 and v2', async () => {
    const list = (await b.api('GET', `/apis/${GROUP}/v1`)).json;
    const main = list.resources.find((r: any) => r.name === 'crontabs');
    assert.deepEqual(
      { ...main, storageVersionHash: typeof main.storageVersionHash },
      { name: 'crontabs', singularName: 'crontab', namespaced: true, kind: 'CronTab', shortNames: ['ct'], verbs: ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'], storageVersionHash: 'string' },
    );
    assert.deepEqual(list.resources.map((r: any) => r.name).sort(), ['crontabs', 'crontabs/scale', 'crontabs/status']);
    const groups = (await b.api('GET', '/apis')).json.groups.find((g: any) => g.name === GROUP);
    assert.deepEqual(groups.versions.map((v: any) => v.version).sort(), ['v1', 'v1beta1']);
    const agg = await b.api('GET', '/apis', undefined, { Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList' });
    assert.ok(agg.json.items.some((g: any) => g.metadata.name === GROUP));
    const v3 = (await b.api('GET', `/openapi/v3/apis/${GROUP}/v1`)).json;
    const model = v3.components.schemas[`com.example.stable.v1.CronTab`];
    assert.deepEqual(model['x-kubernetes-group-version-kind'], [{ group: GROUP, version: 'v1', kind: 'CronTab' }]);
    assert.deepEqual(model.properties.metadata.allOf, [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }]);
    assert.deepEqual(model.properties.spec.properties.color.enum, ['red', 'blue']);
    const patch = v3.paths[`/apis/${GROUP}/v1/namespaces/{namespace}/crontabs/{name}`].patch;
    assert.ok(!Object.keys(patch.requestBody.content).includes('application/strategic-merge-patch+json'));
    const v2 = (await b.api('GET', '/openapi/v2')).json;
    assert.equal(v2.definitions['com.example.stable.v1.CronTab'].properties.metadata.$ref, '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
  });

  for (const version of ['1.27', '1.33']) {
    it(`kubectl ${version}: apply, get, explain, scale, status`, async () => {
      const name = `ct-${version.replace('.', '')}`;
      const apply = await b.kubectl(['apply', '-f', '-'], { version, stdin: JSON.stringify(crontab(name, { cronSpec: '* * * * */5', image: 'my-cron', tags: ['a'] })) });
      assert.equal(apply.code, 0, apply.stderr);
      const obj = (await b.api('GET', `${BASE}/${name}`)).json;
      assert.equal(obj.spec.replicas, 1, 'defaulted');
      assert.equal(obj.spec.color, 'red', 'defaulted');
      assert.equal(obj.metadata.generation, 1);
      const get = await b.kubectl(['get', 'crontab', name], { version });
      assert.match(get.stdout, /^NAME\s+SPEC\s+REPLICAS\s+AGE\n/);
      assert.match(get.stdout, new RegExp(`${name}\\s+\\* \\* \\* \\* \\*/5\\s+1\\s+\\d+s`));
      const wide = await b.kubectl(['get', 'ct', name, '-o', 'wide'], { version });
      assert.match(wide.stdout, /^NAME\s+SPEC\s+REPLICAS\s+COLOR\s+AGE\n/);
      assert.match(wide.stdout, /red/);
      const explain = await b.kubectl(['explain', 'crontab.spec'], { version });
      assert.equal(explain.code, 0, explain.stderr);
      assert.match(explain.stdout, /cronSpec/);
      assert.match(explain.stdout, /When, in cron syntax/);
      const scale = await b.kubectl(['scale', 'crontab', name, '--replicas=3'], { version });
      assert.equal(scale.code, 0, scale.stderr);
      const scaled = (await b.api('GET', `${BASE}/${name}`)).json;
      assert.equal(scaled.spec.replicas, 3);
      assert.equal(scaled.metadata.generation, 2);
      const status = version === '1.33'
        ? await b.kubectl(['patch', 'crontab', name, '--subresource=status', '--type=merge', '-p', '{"status":{"replicas":3,"selector":"app=cron"}}'], { version })
        : await b.api('PATCH', `${BASE}/${name}/status`, '{"status":{"replicas":3,"selector":"app=cron"}}', { 'Content-Type': 'application/merge-patch+json' }).then((r) => ({ code: r.status === 200 ? 0 : 1, stderr: r.text }));
      assert.equal(status.code, 0, status.stderr);
      const sc = (await b.api('GET', `${BASE}/${name}/scale`)).json;
      assert.deepEqual([sc.kind, sc.spec, sc.status], ['Scale', { replicas: 3 }, { replicas: 3, selector: 'app=cron' }]);
      assert.equal((await b.api('GET', `${BASE}/${name}`)).json.metadata.generation, 2, 'status leaves generation');
    });
  }

  it('get -w sees changes', async () => {
    const w = openWatch(b, `${BASE}?watch=1`);
    await b.api('POST', BASE, JSON.stringify(crontab('watched', { cronSpec: '* * * * *' })));
    await w.until(() => w.events.some((e) => e.type === 'ADDED' && e.object.metadata.name === 'watched'));
    await b.api('PATCH', `${BASE}/watched`, '{"spec":{"image":"x"}}', { 'Content-Type': 'application/merge-patch+json' });
    await w.until(() => w.events.some((e) => e.type === 'MODIFIED' && e.object.spec.image === 'x'));
    w.stop();
  });

  it('refuses invalid objects with kube-apiserver texts', async () => {
    const r = await b.api('POST', BASE, JSON.stringify(crontab('bad', { cronSpec: 'nope', color: 'pink', image: 'x'.repeat(21), replicas: 'three', tags: ['a', 'a'] })));
    assert.equal(r.status, 422, r.text);
    assert.equal(
      r.json.message,
      `CronTab.${GROUP} "bad" is invalid: [spec.cronSpec: Invalid value: "nope": spec.cronSpec in body should match '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$', spec.color: Unsupported value: "pink": supported values: "red", "blue", spec.image: Too long: may not be more than 20 bytes, spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string", .spec.replicas: Invalid value: 0: .spec.replicas accessor error: three is of the type string, expected int64, spec.tags[1]: Duplicate value: "a", <nil>: Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation]`,
    );
    const missing = await b.api('POST', BASE, JSON.stringify(crontab('Bad_Name', { replicas: 11 })));
    assert.equal(missing.json.message.split(': ')[0], `CronTab.${GROUP} "Bad_Name" is invalid`);
    assert.ok(missing.json.details.causes.some((c: any) => c.field === 'spec.cronSpec' && c.message === 'Required value'));
    assert.ok(missing.json.details.causes.some((c: any) => c.field === 'spec.replicas' && c.message === 'Invalid value: 11: spec.replicas in body should be less than or equal to 10'));
    assert.ok(missing.json.details.causes.some((c: any) => c.field === 'metadata.name'));
  });

  it('checks the x-kubernetes-validations CEL rules, transition rules against the old object', async () => {
    const red = await b.api('POST', BASE, JSON.stringify(crontab('red', { cronSpec: '* * * * *', replicas: 6 })));
    assert.equal(red.status, 422, red.text);
    assert.equal(red.json.message, `CronTab.${GROUP} "red" is invalid: spec.replicas: Invalid value: "object": a CronTab of 6 replicas must be blue`);
    const owned = await b.api('POST', BASE, JSON.stringify(crontab('owned', { cronSpec: '* * * * *', replicas: 6, color: 'blue', owner: 'ann' })));
    assert.equal(owned.status, 201, owned.text);
    const moved = await b.api('PATCH', `${BASE}/owned`, '{"spec":{"owner":"bob"}}', { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(moved.status, 422, moved.text);
    assert.equal(moved.json.message, `CronTab.${GROUP} "owned" is invalid: spec.owner: Invalid value: "string": owner is immutable`);
    const kept = await b.kubectl(['apply', '-f', '-'], { stdin: JSON.stringify(crontab('owned', { cronSpec: '* * * * *', replicas: 6, color: 'blue', owner: 'bob' })) });
    assert.notEqual(kept.code, 0);
    assert.match(kept.stderr, /spec\.owner: Invalid value: "string": owner is immutable/);
  });

  it('refuses a CRD whose CEL rule does not compile', async () => {
    const bad = structuredClone(CRD) as any;
    bad.metadata.name = `badrules.${GROUP}`;
    bad.spec.names = { plural: 'badrules', kind: 'BadRule' };
    bad.spec.versions = [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { a: { type: 'integer' } }, 'x-kubernetes-validations': [{ rule: 'self.b == 1' }, { rule: 'self.a' }] } } } } }];
    const r = await b.api('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', JSON.stringify(bad));
    assert.equal(r.status, 422, r.text);
    const causes = r.json.details.causes.map((c: any) => `${c.field}: ${c.message}`);
    assert.equal(causes.length, 2, r.text);
    // The value is the whole rule, as Go's %#v prints the internal ValidationRule.
    const rule = (r: string) => `apiextensions.ValidationRule{Rule:"${r}", Message:"", MessageExpression:"", Reason:(*apiextensions.FieldValueErrorReason)(nil), FieldPath:"", OptionalOldSelf:(*bool)(nil)}`;
    const at = (i: number) => `spec.validation.openAPIV3Schema.properties[spec].x-kubernetes-validations[${i}].rule`;
    assert.equal(causes[0], `${at(0)}: Invalid value: ${rule('self.b == 1')}: compilation failed: ERROR: <input>:1:5: undefined field 'b'\n | self.b == 1\n | ....^`);
    assert.equal(causes[1], `${at(1)}: Invalid value: ${rule('self.a')}: cel expression must evaluate to a bool`);
  });

  it('prunes unknown fields: a warning by default, an error when strict', async () => {
    const warn = await b.api('POST', BASE, JSON.stringify(crontab('pruned', { cronSpec: '* * * * *', foo: 1 })));
    assert.equal(warn.status, 201, warn.text);
    assert.deepEqual(warn.warnings, ['299 - "unknown field \\"spec.foo\\""']);
    assert.equal(warn.json.spec.foo, undefined);
    const strict = await b.api('POST', `${BASE}?fieldValidation=Strict`, JSON.stringify(crontab('strict', { cronSpec: '* * * * *', foo: 1 })));
    assert.equal(strict.status, 400);
    assert.equal(strict.json.message, 'CronTab in version "v1" cannot be handled as a CronTab: strict decoding error: unknown field "spec.foo"');
  });

  it('serves the deprecated version with its warning, from the same objects', async () => {
    const r = await b.api('GET', `/apis/${GROUP}/v1beta1/namespaces/${NS}/crontabs/pruned`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.apiVersion, `${GROUP}/v1beta1`);
    assert.deepEqual(r.warnings, [`299 - "${GROUP}/v1beta1 CronTab is deprecated; use ${GROUP}/v1 CronTab"`]);
  });

  it('server-side apply records managedFields; field selectors on selectable fields', async () => {
    const r = await b.kubectl(['apply', '--server-side', '-f', '-'], { version: '1.33', stdin: JSON.stringify(crontab('ssa', { cronSpec: '0 * * * *', color: 'blue' })) });
    assert.equal(r.code, 0, r.stderr);
    const obj = (await b.api('GET', `${BASE}/ssa`)).json;
    const entry = obj.metadata.managedFields.find((m: any) => m.operation === 'Apply');
    assert.equal(entry.manager, 'kubectl');
    assert.deepEqual(entry.fieldsV1['f:spec'], { 'f:color': {}, 'f:cronSpec': {} });
    const selected = await b.api('GET', `${BASE}?fieldSelector=spec.color=blue`);
    assert.equal(selected.status, 200, selected.text);
    const blue = selected.json.items.map((i: any) => i.metadata.name);
    assert.ok(blue.includes('ssa'));
    assert.ok(selected.json.items.every((i: any) => i.spec.color === 'blue'));
    const byName = await b.kubectl(['get', 'crontabs', '--field-selector', 'metadata.name=ssa', '-o', 'name'], { version: '1.33' });
    assert.equal(byName.stdout.trim(), 'crontab.stable.example.com/ssa');
    assert.equal((await b.api('GET', `${BASE}?fieldSelector=spec.image=x`)).status, 400);
  });

  it('answers protobuf requests with JSON', async () => {
    const r = await b.api('GET', `${BASE}/ssa`, undefined, { Accept: 'application/vnd.kubernetes.protobuf, application/json' });
    assert.equal(r.headers['content-type'], 'application/json');
    assert.equal((await b.api('GET', `${BASE}/ssa`, undefined, { Accept: 'application/vnd.kubernetes.protobuf' })).status, 406);
  });

  it('a ServiceAccount bound to a Role on crontabs can do what the Role says', async () => {
    const rbac = 'rbac.authorization.k8s.io/v1';
    await b.api('POST', `/api/v1/namespaces/${NS}/serviceaccounts`, JSON.stringify({ metadata: { name: 'cron-reader' } }));
    await b.api('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${NS}/roles`, JSON.stringify({ apiVersion: rbac, kind: 'Role', metadata: { name: 'crontab-reader' }, rules: [{ apiGroups: [GROUP], resources: ['crontabs'], verbs: ['get', 'list'] }] }));
    await b.api('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${NS}/rolebindings`, JSON.stringify({ apiVersion: rbac, kind: 'RoleBinding', metadata: { name: 'crontab-reader' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'crontab-reader' }, subjects: [{ kind: 'ServiceAccount', name: 'cron-reader', namespace: NS }] }));
    const as = `--as=system:serviceaccount:${NS}:cron-reader`;
    const canList = await b.kubectl(['auth', 'can-i', 'list', 'crontabs.stable.example.com', as], { version: '1.33' });
    assert.equal(canList.stdout.trim(), 'yes');
    const canDelete = await b.kubectl(['auth', 'can-i', 'delete', 'crontabs.stable.example.com', as], { version: '1.33' });
    assert.equal(canDelete.stdout.trim(), 'no');
    const token = (await b.api('POST', `/api/v1/namespaces/${NS}/serviceaccounts/cron-reader/token`, JSON.stringify({ spec: {} }))).json.status.token;
    assert.equal((await b.asBearer(token, `${BASE}/ssa`)).status, 200);
    const del = await b.asBearer(token, `${BASE}/ssa`, 'DELETE');
    assert.equal(del.status, 403);
    assert.equal(del.json.message, `crontabs.${GROUP} "ssa" is forbidden: User "system:serviceaccount:${NS}:cron-reader" cannot delete resource "crontabs" in API group "${GROUP}" in the namespace "${NS}"`);
  });

  it('decodes a large body in the decode thread, and deletes custom resources with their namespace', async () => {
    await b.api('POST', '/api/v1/namespaces', JSON.stringify({ metadata: { name: 'doomed' } }));
    const big = crontab('big', { cronSpec: '* * * * *', tags: Array.from({ length: 8000 }, (_, i) => `tag-${i}`), extra: 'x' });
    const r = await b.api('POST', `/apis/${GROUP}/v1/namespaces/doomed/crontabs`, JSON.stringify(big));
    assert.equal(r.status, 201, r.text.slice(0, 300));
    assert.deepEqual(r.warnings, ['299 - "unknown field \\"spec.extra\\""']);
    await b.api('DELETE', '/api/v1/namespaces/doomed');
    await until(async () => ((await b.api('GET', '/api/v1/namespaces/doomed')).status === 404 ? true : undefined), 10_000);
  });

  it('ratchets: a rule added later warns on an update that keeps the failing value', async () => {
    assert.equal((await b.api('POST', BASE, JSON.stringify(crontab('legacy', { cronSpec: '* * * * *', image: 'old' })))).status, 201);
    const crd = (await b.api('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/crontabs.${GROUP}`)).json;
    crd.spec.versions[1].schema.openAPIV3Schema.properties.spec.properties.image['x-kubernetes-validations'] = [{ rule: 'self != "old"', message: 'old images are gone' }];
    assert.equal((await b.api('PUT', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/crontabs.${GROUP}`, JSON.stringify(crd))).status, 200);
    // New objects get the rule once the registry has the new definition.
    const refused = await until(async () => {
      const r = await b.api('POST', BASE, JSON.stringify(crontab('newer', { cronSpec: '* * * * *', image: 'old' })));
      return r.status === 422 ? r : undefined;
    });
    assert.equal(refused.json.message, `CronTab.${GROUP} "newer" is invalid: spec.image: Invalid value: "string": old images are gone`);
    const kept = await b.api('PATCH', `${BASE}/legacy`, '{"spec":{"color":"blue"}}', { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(kept.status, 200, kept.text);
    assert.deepEqual(kept.warnings, ['299 - "spec.image: Invalid value: \\"string\\": old images are gone"']);
    const changed = await b.api('PATCH', `${BASE}/legacy`, '{"spec":{"image":"old2"}}', { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(changed.status, 200, changed.text);
  });

  it('refuses creates while the CRD is terminating', async () => {
    const crd = `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/crontabs.${GROUP}`;
    await b.api('PATCH', crd, '{"metadata":{"finalizers":["example.com/hold"]}}', { 'Content-Type': 'application/merge-patch+json' });
    // An instance its finalizer holds: the definition stays Terminating (once its instances are
    // gone, the condition turns False and creates are taken again, as upstream's handler does).
    const held = crontab('held', { cronSpec: '* * * * *' });
    assert.equal((await b.api('POST', BASE, JSON.stringify({ ...held, metadata: { ...held.metadata, finalizers: ['example.com/hold'] } }))).status, 201);
    await b.api('DELETE', crd);
    const refused = await until(async () => {
      const r = await b.api('POST', BASE, JSON.stringify(crontab('late', { cronSpec: '* * * * *' })));
      return r.status === 405 ? r : undefined;
    });
    assert.equal(refused.json.message, 'create not allowed while custom resource definition is terminating');
    // Discovery lists only what a terminating definition's resources still take (legacy and aggregated).
    const listed = (await b.api('GET', `/apis/${GROUP}/v1`)).json.resources.find((r: any) => r.name === 'crontabs');
    assert.deepEqual(listed.verbs, ['delete', 'deletecollection', 'get', 'list', 'watch']);
    const agg = await b.api('GET', '/apis', undefined, { Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList' });
    const aggregated = agg.json.items.find((g: any) => g.metadata.name === GROUP).versions.find((v: any) => v.version === 'v1').resources.find((r: any) => r.resource === 'crontabs');
    assert.deepEqual(aggregated.verbs, ['delete', 'deletecollection', 'get', 'list', 'watch']);
    assert.equal((await b.api('GET', BASE)).status, 200, 'still served');
    // Updates still are: the instance lets go, then the definition.
    assert.equal((await b.api('PATCH', `${BASE}/held`, '{"metadata":{"finalizers":null}}', { 'Content-Type': 'application/merge-patch+json' })).status, 200);
    await b.api('PATCH', crd, '{"metadata":{"finalizers":null}}', { 'Content-Type': 'application/merge-patch+json' });
  });

  it('deleting the CRD stops serving', async () => {
    await until(async () => ((await b.api('GET', BASE)).status === 404 ? true : undefined), 5000);
    assert.equal((await b.api('GET', `/apis/${GROUP}/v1`)).status, 404);
    assert.equal((await b.api('GET', `/openapi/v3/apis/${GROUP}/v1`)).status, 404);
  });
});
