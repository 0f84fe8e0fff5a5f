// CustomResourceDefinitions themselves, with the real kubectl 1.27 and 1.33: a realistic
// definition (two versions, status and scale, printer columns, defaults, a keyed list) applied,
// waited for, listed and explained; invalid definitions and the messages kubectl prints for them;
// the definition in protobuf; one larger than the annotations allow, which only server-side apply
// can write; and `kubectl delete crd`, whose finalizer deletes the custom resources first.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import protobuf from 'protobufjs';
import { eventually } from '../../src/testing/eventually.js';
import { startBadge, type Badge } from './harness.js';

const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const PB = 'application/vnd.kubernetes.protobuf';

/** A Database definition in `group`, as an operator would ship it. */
function databaseCrd(group: string) {
  const spec = {
    type: 'object',
    description: 'The database wanted.',
    required: ['engine'],
    properties: {
      engine: { type: 'string', enum: ['postgres', 'mysql'], description: 'Which database server runs.' },
      version: { type: 'string', default: '16' },
      replicas: { type: 'integer', minimum: 0, default: 1 },
      storage: { type: 'object', default: {}, properties: { size: { type: 'string', default: '1Gi' }, className: { type: 'string' } } },
      users: {
        type: 'array',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
        items: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, admin: { type: 'boolean', default: false } } },
      },
    },
  };
  const status = { type: 'object', properties: { replicas: { type: 'integer' }, selector: { type: 'string' }, phase: { type: 'string' } } };
  const columns = [
    { name: 'Engine', type: 'string', jsonPath: '.spec.engine' },
    { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
    { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ];
  // v1beta1 had no users: the versions' schemas differ, so each is checked at its own path.
  const { users: _users, ...betaProperties } = spec.properties;
  const version = (name: string, storage: boolean) => ({
    name,
    served: true,
    storage,
    ...(storage ? {} : { deprecated: true }),
    subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' } },
    additionalPrinterColumns: columns,
    schema: { openAPIV3Schema: { type: 'object', description: 'A managed database.', properties: { spec: storage ? spec : { ...spec, properties: betaProperties }, status } } },
  });
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `databases.${group}` },
    spec: {
      group,
      scope: 'Namespaced',
      names: { plural: 'databases', singular: 'database', kind: 'Database', shortNames: ['dbs'], categories: [`storage-${group.split('.')[0]}`] },
      versions: [version('v1beta1', false), version('v1', true)],
    },
  };
}

type Crd = ReturnType<typeof databaseCrd>;

/** The definition of `group`, changed by `change`. */
function changed(group: string, change: (crd: Crd) => void): Crd {
  const crd = databaseCrd(group);
  change(crd);
  return crd;
}

describe('CustomResourceDefinitions', () => {
  let b: Badge;
  before(async () => {
    b = await startBadge();
  });
  after(() => b?.close());

  for (const version of ['1.27', '1.33']) {
    const group = `v${version.replace('.', '')}.db.example.io`;
    const name = `databases.${group}`;
    const kubectl = (args: string[], stdin?: string) => b.kubectl(args, { version, ...(stdin !== undefined ? { stdin } : {}) });
    const db = (n: string, namespace = 'default') => ({ apiVersion: `${group}/v1`, kind: 'Database', metadata: { name: n, namespace }, spec: { engine: 'postgres', users: [{ name: 'app' }] } });

    describe(`kubectl ${version}`, () => {
      it('applies a definition, waits for Established, lists and explains it', async () => {
        const apply = await kubectl(['apply', '-f', '-'], JSON.stringify(databaseCrd(group)));
        assert.equal(apply.code, 0, apply.stderr);
        assert.equal(apply.stdout, `customresourcedefinition.apiextensions.k8s.io/${name} created\n`);
        const wait = await kubectl(['wait', '--for', 'condition=established', '--timeout=20s', `crd/${name}`]);
        assert.equal(wait.code, 0, wait.stderr);
        assert.equal(wait.stdout, `customresourcedefinition.apiextensions.k8s.io/${name} condition met\n`);
        const get = await kubectl(['get', 'crd', name]);
        assert.equal(get.code, 0, get.stderr);
        assert.match(get.stdout, new RegExp(`^NAME\\s+CREATED AT\\n${name.replace(/\./g, '\\.')}\\s+\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\n$`));
        const explainCrd = await kubectl(['explain', 'customresourcedefinitions.spec.names']);
        assert.equal(explainCrd.code, 0, explainCrd.stderr);
        assert.match(explainCrd.stdout, /KIND:\s+CustomResourceDefinition/);
        assert.match(explainCrd.stdout, /plural\s/);
        assert.match(explainCrd.stdout, /shortNames\s/);
        // api-resources reads discovery afresh (kubectl keeps it in its cache dir otherwise).
        const resources = await kubectl(['api-resources', `--api-group=${group}`]);
        assert.equal(resources.code, 0, resources.stderr);
        assert.match(resources.stdout, new RegExp(`^NAME\\s+SHORTNAMES\\s+APIVERSION\\s+NAMESPACED\\s+KIND\\ndatabases\\s+dbs\\s+${group.replace(/\./g, '\\.')}/v1\\s+true\\s+Database\\n$`));
        const explainCr = await kubectl(['explain', `databases.${group}.spec`]);
        assert.equal(explainCr.code, 0, explainCr.stderr);
        assert.match(explainCr.stdout, /KIND:\s+Database/);
        assert.match(explainCr.stdout, /The database wanted\./);
        assert.match(explainCr.stdout, /engine\s+<string>.*-required-/);
        assert.match(explainCr.stdout, /Which database server runs\./);
        const crd = (await b.api('GET', `${CRDS}/${name}`)).json;
        assert.deepEqual(crd.status.acceptedNames, { plural: 'databases', singular: 'database', shortNames: ['dbs'], kind: 'Database', listKind: 'DatabaseList', categories: [`storage-${group.split('.')[0]}`] });
        assert.deepEqual(crd.status.storedVersions, ['v1']);
        assert.deepEqual(
          crd.status.conditions.map((c: any) => [c.type, c.status, c.reason]),
          [
            ['NamesAccepted', 'True', 'NoConflicts'],
            ['Established', 'True', 'InitialNamesAccepted'],
          ],
        );
      });

      it('serves its custom resources: defaults, table, categories, scale', async () => {
        const apply = await kubectl(['apply', '-f', '-'], JSON.stringify(db('orders')));
        assert.equal(apply.code, 0, apply.stderr);
        assert.equal(apply.stdout, `database.${group}/orders created\n`);
        const obj = (await b.api('GET', `/apis/${group}/v1/namespaces/default/databases/orders`)).json;
        assert.deepEqual(obj.spec, { engine: 'postgres', version: '16', replicas: 1, storage: { size: '1Gi' }, users: [{ name: 'app', admin: false }] });
        const get = await kubectl(['get', `storage-${group.split('.')[0]}`]);
        assert.equal(get.code, 0, get.stderr);
        assert.match(get.stdout, /^NAME\s+ENGINE\s+REPLICAS\s+PHASE\s+AGE\norders\s+postgres\s+1\s+\d+s\n$/);
        const scale = await kubectl(['scale', `databases.${group}/orders`, '--replicas=3']);
        assert.equal(scale.code, 0, scale.stderr);
        assert.equal((await b.api('GET', `/apis/${group}/v1/namespaces/default/databases/orders`)).json.spec.replicas, 3);
      });

      it('refuses invalid definitions with the messages kubectl prints', async () => {
        const refused = async (crd: object) => {
          const r = await kubectl(['apply', '-f', '-'], JSON.stringify(crd));
          assert.equal(r.code, 1, r.stdout);
          return r.stderr;
        };
        const wrongName = changed(group, (c) => (c.metadata.name = `database.${group}`));
        assert.equal(await refused(wrongName), `The CustomResourceDefinition "database.${group}" is invalid: metadata.name: Invalid value: "database.${group}": must be spec.names.plural+"."+spec.group\n`);

        // kube-apiserver prints the versions as Go values before the detail; Badge leaves the value out.
        const twoStorage = changed(group, (c) => (c.spec.versions[0]!.storage = true));
        assert.equal(await refused(twoStorage), `The CustomResourceDefinition "${name}" is invalid: spec.versions: Invalid value: must have exactly one version marked as storage version\n`);

        const untyped = changed(group, (c) => {
          for (const v of c.spec.versions) delete (v.schema.openAPIV3Schema.properties.spec as { type?: string }).type;
        });
        assert.equal(
          await refused(untyped),
          `The CustomResourceDefinition "${name}" is invalid: \n` +
            '* spec.versions[0].schema.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields\n' +
            '* spec.versions[1].schema.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields\n',
        );

        const noKeys = changed(group, (c) => {
          delete ((c.spec.versions[1]!.schema.openAPIV3Schema.properties.spec.properties as { users?: object }).users as { 'x-kubernetes-list-map-keys'?: string[] })['x-kubernetes-list-map-keys'];
        });
        assert.equal(
          await refused(noKeys),
          `The CustomResourceDefinition "${name}" is invalid: spec.versions[1].schema.openAPIV3Schema.properties[spec].properties[users].x-kubernetes-list-map-keys: Required value: must not be empty if x-kubernetes-list-type is map\n`,
        );
        // Versions sharing one schema are checked as one, at spec.validation (the internal type's place).
        const shared = changed(group, (c) => {
          for (const v of c.spec.versions) v.schema = { openAPIV3Schema: { type: 'object', description: 'A managed database.', properties: { spec: { type: 'object', additionalProperties: { type: 'string' }, properties: { engine: { type: 'string' } } } as never, status: c.spec.versions[1]!.schema.openAPIV3Schema.properties.status } } };
        });
        assert.equal(
          await refused(shared),
          `The CustomResourceDefinition "${name}" is invalid: spec.validation.openAPIV3Schema.properties[spec].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive\n`,
        );

        const badGroup = changed('db', (c) => (c.metadata.name = 'databases.db'));
        assert.equal(await refused(badGroup), 'The CustomResourceDefinition "databases.db" is invalid: spec.group: Invalid value: "db": should be a domain with at least one dot\n');

        const protectedGroup = changed('widgets.k8s.io', (c) => (c.metadata.name = 'databases.widgets.k8s.io'));
        assert.equal(
          await refused(protectedGroup),
          'The CustomResourceDefinition "databases.widgets.k8s.io" is invalid: metadata.annotations[api-approved.kubernetes.io]: Required value: protected groups must have approval annotation "api-approved.kubernetes.io", see https://github.com/kubernetes/enhancements/pull/1111\n',
        );
      });

      it('answers a protobuf request with the definition in protobuf', async () => {
        const r = await b.api('GET', `${CRDS}/${name}`, undefined, { Accept: PB });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.headers['content-type'], PB);
        // runtime.Unknown after the 4-byte magic: typeMeta 1, raw 2; in raw, the CRD's spec is 2, its group 1.
        assert.deepEqual([...r.body.subarray(0, 4)], [0x6b, 0x38, 0x73, 0x00]);
        const fields = (bytes: Uint8Array) => {
          const reader = protobuf.Reader.create(bytes);
          const out = new Map<number, Uint8Array>();
          while (reader.pos < reader.len) {
            const tag = reader.uint32();
            if ((tag & 7) === 2) out.set(tag >>> 3, reader.bytes());
            else reader.skipType(tag & 7);
          }
          return out;
        };
        const unknown = fields(r.body.subarray(4));
        const typeMeta = fields(unknown.get(1)!);
        assert.deepEqual([Buffer.from(typeMeta.get(1)!).toString(), Buffer.from(typeMeta.get(2)!).toString()], ['apiextensions.k8s.io/v1', 'CustomResourceDefinition']);
        const crd = fields(unknown.get(2)!);
        assert.equal(Buffer.from(fields(crd.get(2)!).get(1)!).toString(), group);
      });

      it('takes a definition over 256 KiB with server-side apply only', async () => {
        const bigGroup = `big${group}`;
        const big = changed(bigGroup, (c) => {
          c.metadata.name = `databases.${bigGroup}`;
          for (const v of c.spec.versions) v.schema.openAPIV3Schema.description = 'x'.repeat(140 * 1024);
        });
        const clientSide = await kubectl(['apply', '-f', '-'], JSON.stringify(big));
        assert.equal(clientSide.code, 1, clientSide.stdout);
        assert.equal(clientSide.stderr, `The CustomResourceDefinition "databases.${bigGroup}" is invalid: metadata.annotations: Too long: may not be more than 262144 bytes\n`);
        const serverSide = await kubectl(['apply', '--server-side', '-f', '-'], JSON.stringify(big));
        assert.equal(serverSide.code, 0, serverSide.stderr);
        assert.equal(serverSide.stdout, `customresourcedefinition.apiextensions.k8s.io/databases.${bigGroup} serverside-applied\n`);
        const again = await kubectl(['apply', '--server-side', '-f', '-'], JSON.stringify(big));
        assert.equal(again.code, 0, again.stderr);
        const del = await kubectl(['delete', 'crd', `databases.${bigGroup}`]);
        assert.equal(del.code, 0, del.stderr);
      });

      it('deletes a definition: its custom resources first, then it stops being served', async () => {
        await b.api('POST', '/api/v1/namespaces', JSON.stringify({ metadata: { name: `other-${version.replace('.', '')}` } }));
        for (const [n, ns] of [['a', 'default'], ['b', `other-${version.replace('.', '')}`]] as const) {
          const r = await b.api('POST', `/apis/${group}/v1/namespaces/${ns}/databases`, JSON.stringify(db(n, ns)));
          assert.equal(r.status, 201, r.text);
        }
        const del = await kubectl(['delete', 'crd', name]);
        assert.equal(del.code, 0, del.stderr);
        assert.equal(del.stdout, `customresourcedefinition.apiextensions.k8s.io "${name}" deleted\n`);
        // kubectl waits for the finalizer: the definition is gone when it returns.
        assert.equal((await b.api('GET', `${CRDS}/${name}`)).status, 404);
        await eventually(async () => (await b.api('GET', `/apis/${group}/v1/databases`)).status === 404, 'the resource no longer served');
        const get = await kubectl(['get', `databases.${group}`]);
        assert.notEqual(get.code, 0);
        assert.match(get.stderr, new RegExp(`the server doesn't have a resource type "databases"`));
        // Made again, the definition has no custom resources: they were deleted, not left behind.
        const again = await kubectl(['apply', '-f', '-'], JSON.stringify(databaseCrd(group)));
        assert.equal(again.code, 0, again.stderr);
        await eventually(async () => (await b.api('GET', `/apis/${group}/v1/databases`)).status === 200, 'served again');
        assert.deepEqual((await b.api('GET', `/apis/${group}/v1/databases`)).json.items, []);
      });
    });
  }
});
