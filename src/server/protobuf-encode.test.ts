import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import protobuf from 'protobufjs';
import { canonicalize } from '../api/canonical.js';
import { any, arr, bytes, int32, int64, intOrString, obj, pb, ptr, quantity, stringMap, time, type ObjectSchema, type Schema } from '../api/schema.js';
import { allResources } from '../registry/resources/index.js';
import { configMap, serviceAccount } from '../registry/schemas/core.js';
import { listMeta, partialObjectMetadata, status } from '../registry/schemas/meta.js';
import { decodeProtobuf } from './protobuf.js';
import { encodeListItems, encodeListMeta, encodeObject, encodeWatchEvent, listBody } from './protobuf-encode.js';
import { MICRO_TIME_FIELDS } from './protobuf-fields.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+|\/\/[^\n]*/g, ''), 'hex');
const unused = {} as never;
const DEFS = allResources({ tokenRequest: unused, tokenAuthenticator: unused, authorizer: unused, rbac: unused });

/** Every kind the server answers with: resources, subresource bodies, Status and PartialObjectMetadata. */
const KINDS = new Map<string, ObjectSchema>();
for (const schema of [...DEFS.flatMap((d) => [d.schema, ...Object.values(d.subresources ?? {}).flatMap((s) => (s.schema ? [s.schema] : []))]), status, partialObjectMetadata]) {
  for (const g of schema.gvk ?? []) KINDS.set(`${g.group ? `${g.group}/` : ''}${g.version}/${g.kind}`, schema);
}
const schemaFor = (apiVersion: string, kind: string) => KINDS.get(`${apiVersion}/${kind}`);

describe('protobuf encoding: bytes derived by hand from the wire rules', () => {
  it('writes what kubectl (Go) writes for a ServiceAccount: every non-pointer field of ObjectMeta, even empty', () => {
    // From kubectl 1.32's `create sa my-app-sa` (shared/reference/kubectl-wire.md §5).
    const golden = 'azhzAAoUCgJ2MRIOU2VydmljZUFjY291bnQSGwoZCglteS1hcHAtc2ESABoAIgAqADIAOABCABoAIgA=';
    assert.equal(encodeObject({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'my-app-sa' } }, serviceAccount).toString('base64'), golden);
  });

  it('writes a ConfigMap: map entries sorted by key, a time in whole seconds, a pointer set to false', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'd', labels: { b: '2', a: '1' }, creationTimestamp: '2024-01-01T00:00:00Z' }, data: { k: 'v' }, immutable: false };
    const expected = hex(`
      6b387300                                  // k8s\\0
      0a 0f  0a 02 7631  12 09 436f6e6669674d6170 // typeMeta {apiVersion v1, kind ConfigMap}
      12 36                                     // raw: the ConfigMap
        0a 2a                                   // 1 metadata
          0a 01 63   12 00   1a 01 64   22 00   2a 00   32 00   38 00   // name, generateName, namespace, selfLink, uid, resourceVersion, generation 0
          42 08  08 8081c8ac06  10 00           // 8 creationTimestamp {seconds 1704067200, nanos 0}
          5a 06  0a 01 61  12 01 31             // 11 labels a=1
          5a 06  0a 01 62  12 01 32             // 11 labels b=2
        12 06  0a 01 6b  12 01 76               // 2 data k=v
        20 00                                   // 4 immutable false (a *bool, set)
      1a 00  22 00                              // contentEncoding, contentType`);
    assert.deepEqual(encodeObject(cm, configMap), expected);
  });

  it('writes a Status with its ListMeta, details and code', () => {
    const s = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'serviceaccounts "x" not found', reason: 'NotFound', details: { name: 'x', kind: 'serviceaccounts' }, code: 404 };
    const message = Buffer.from(s.message).toString('hex');
    const expected = hex(`
      6b387300  0a 0c 0a 02 7631 12 06 537461747573     // typeMeta {v1, Status}
      12 59
        0a 06  0a 00 12 00 1a 00                        // 1 metadata: selfLink, resourceVersion, continue
        12 07 4661696c757265                            // 2 status Failure
        1a 1d ${message}                                // 3 message
        22 08 4e6f74466f756e64                          // 4 reason NotFound
        2a 1a  0a 01 78  12 00  1a 0f 736572766963656163636f756e7473  28 00  32 00  // 5 details: name, group, kind, retryAfterSeconds, uid
        30 9403                                         // 6 code 404
      1a 00 22 00`);
    assert.deepEqual(encodeObject(s, status), expected);
  });

  const t: ObjectSchema = obj('T', 'A message of every wire shape.', {
    i32: pb(1, int32()),
    i64: pb(2, int64()),
    flag: pb(3, ptr({ type: 'boolean' })),
    qty: pb(4, quantity()),
    ios: pb(5, intOrString()),
    blob: pb(6, bytes()),
    created: pb(7, time()),
    renewTime: pb(8, time()),
    raw: pb(9, any()),
    m: pb(10, stringMap()),
    list: pb(11, arr(int32())),
    when: pb(12, ptr(time())),
    data: pb(13, { type: 'map', values: bytes() }),
  });

  it('writes negative integers in ten bytes, times, quantities, int-or-strings, bytes, raw JSON and repeated scalars', () => {
    const value = {
      i32: -1,
      i64: 300,
      qty: '1Gi',
      ios: 'http',
      blob: 'AAE=',
      renewTime: '2024-01-01T00:00:00.000001Z',
      raw: { a: 1 },
      m: { é: 'x', z: 'y', a: '' },
      list: [1, -2],
      data: { b: '', a: null },
    };
    const expected = hex(`
      6b387300 0a 05 0a 00 12 01 54  12 6e
      08 ffffffffffffffffff01           // 1 i32 -1, sign-extended to 64 bits
      10 ac02                           // 2 i64 300
                                        // 3 flag: a pointer left unset
      22 05 0a 03 314769                // 4 Quantity {string 1Gi}
      2a 0a 08 01 10 00 1a 04 68747470  // 5 IntOrString {type 1, intVal 0, strVal http}
      32 02 0001                        // 6 bytes
      3a 00                             // 7 Time: the zero time, not a pointer, an empty message
      42 09 08 8081c8ac06 10 e807       // 8 MicroTime {seconds, nanos 1000}
      4a 09 0a 07 7b2261223a317d        // 9 RawExtension {raw {"a":1}}
      52 05 0a 01 61 12 00              // 10 m: a=""
      52 06 0a 01 7a 12 01 79           //    z=y
      52 07 0a 02 c3a9 12 01 78         //    é=x, after z in UTF-8 order
      58 01  58 feffffffffffffffff01    // 11 list 1, -2
                                        // 12 when: a pointer left unset
      6a 03 0a 01 61                    // 13 data: a=nil, the value left out
      6a 05 0a 01 62 12 00              //    b=[]byte{}
      1a 00 22 00`);
    assert.deepEqual(encodeObject({ apiVersion: '', kind: 'T', ...value }, t), expected);
  });

  it('orders map keys by UTF-8 bytes, where UTF-16 order differs (U+FFFF before U+10000)', () => {
    const body = encodeObject({ kind: 'T', m: { '\u{10000}': '', '\uffff': '' } }, t);
    assert.ok(body.indexOf(Buffer.from('\uffff')) < body.indexOf(Buffer.from('\u{10000}')));
  });

  it('moves a message when its length needs more than one byte', () => {
    const long = 'x'.repeat(300);
    const decoded = decodeProtobuf(encodeObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'n', annotations: { a: long } }, data: { [long]: long } }, configMap), schemaFor);
    assert.equal((decoded.data as Record<string, string>)[long], long);
    assert.equal((decoded.metadata as { annotations: Record<string, string> }).annotations.a, long);
  });

  it('frames a watch event: a 4-byte big-endian length, then WatchEvent {type, RawExtension {raw}}', () => {
    const object = encodeObject({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'my-app-sa' } }, serviceAccount);
    const frame = encodeWatchEvent('ADDED', object);
    assert.deepEqual(frame.subarray(0, 4), hex(`0000 0046`));
    assert.deepEqual(frame.subarray(4, 15), hex(`0a 05 4144444544  12 3d  0a 3b`));
    assert.deepEqual(frame.subarray(15), object);
    assert.equal(object.length, 0x3b);
  });

  it('writes a list: ListMeta, then each item as field 2, in one envelope', () => {
    const sa = { metadata: { name: 'my-app-sa' } };
    const parts = [encodeListMeta({ resourceVersion: '7' }, listMeta), encodeListItems([sa], serviceAccount)];
    const body = Buffer.concat(listBody('v1', 'ServiceAccountList', parts));
    const expected = hex(`
      6b387300 0a 18 0a 02 7631 12 12 536572766963654163636f756e744c697374
      12 26
        0a 07  0a 00 12 01 37 1a 00                   // metadata {selfLink, resourceVersion 7, continue}
        12 1b  0a 19  0a 09 6d792d6170702d7361 12 00 1a 00 22 00 2a 00 32 00 38 00 42 00  // items[0] {metadata}
      1a 00 22 00`);
    assert.deepEqual(body, expected);
  });
});

// ---- every kind, through Badge's decoder ----

/** A value for every property of a schema (but TypeMeta's apiVersion and kind, which protobuf carries only in the envelope), so that nothing is left to zero values and a property without a field number is lost. */
function sample(schema: Schema, name: string, depth = 0, within = new Set<object>()): unknown {
  switch (schema.type) {
    case 'string':
      if (schema.format === 'date-time') return MICRO_TIME_FIELDS.has(name) ? '2024-05-06T07:08:09.123456Z' : '2024-05-06T07:08:09Z';
      if (schema.format === 'byte') return 'aOk=';
      if (schema.duration) return '10.512s';
      return schema.enum?.[0] ?? `${name}-é`;
    case 'integer':
      return schema.format === 'int32' ? -7 : 1234567890123;
    case 'number':
      return 0.5;
    case 'boolean':
      return true;
    case 'quantity':
      return '250m';
    case 'int-or-string':
      return name.length % 2 ? 8080 : 'http';
    case 'any':
      return { a: [1, '<b>'] };
    case 'either':
      return sample(schema.object, name, depth + 1, within);
    case 'array':
      return [sample(schema.items, name, depth + 1, within)];
    case 'map':
      return { zeta: sample(schema.values, name, depth + 1, within), alpha: sample(schema.values, name, depth + 1, within) };
    case 'object': {
      const out: Record<string, unknown> = {};
      // A schema met again within itself (JSONSchemaProps) is left empty there.
      if (depth > 15 || within.has(schema.properties)) return out;
      const inner = new Set(within).add(schema.properties);
      // TypeMeta has no field numbers: a kind's is in the envelope, an embedded one's (Eviction's deleteOptions) is lost, as in Go.
      const typeMeta = (key: string, prop: Schema) => (key === 'apiVersion' || key === 'kind') && (depth === 0 || prop.pb === undefined);
      for (const [key, prop] of Object.entries(schema.properties)) if (!typeMeta(key, prop)) out[key] = sample(prop, key, depth + 1, inner);
      return out;
    }
  }
}

describe('protobuf encoding: every kind decodes back to itself', () => {
  for (const [key, schema] of KINDS) {
    it(key, () => {
      const [apiVersion, kind] = [key.slice(0, key.lastIndexOf('/')), key.slice(key.lastIndexOf('/') + 1)];
      const object = { apiVersion, kind, ...(sample(schema, kind) as object) };
      const decoded = decodeProtobuf(encodeObject(object, schema), schemaFor);
      canonicalize(decoded, schema);
      canonicalize(object, schema);
      assert.deepEqual(decoded, object);
    });
  }
});

// ---- a generic protobuf library, with .proto definitions written from upstream's generated.proto ----

const PROTO = {
  runtime: `syntax = "proto2"; package k8s.io.apimachinery.pkg.runtime;
    message TypeMeta { optional string apiVersion = 1; optional string kind = 2; }
    message Unknown { optional TypeMeta typeMeta = 1; optional bytes raw = 2; optional string contentEncoding = 3; optional string contentType = 4; }
    message RawExtension { optional bytes raw = 1; }`,
  intstr: `syntax = "proto2"; package k8s.io.apimachinery.pkg.util.intstr;
    message IntOrString { optional int64 type = 1; optional int32 intVal = 2; optional string strVal = 3; }`,
  resource: `syntax = "proto2"; package k8s.io.apimachinery.pkg.api.resource;
    message Quantity { optional string string = 1; }`,
  meta: `syntax = "proto2"; package k8s.io.apimachinery.pkg.apis.meta.v1;
    message Time { optional int64 seconds = 1; optional int32 nanos = 2; }
    message MicroTime { optional int64 seconds = 1; optional int32 nanos = 2; }
    message FieldsV1 { optional bytes Raw = 1; }
    message OwnerReference { optional string apiVersion = 5; optional string kind = 1; optional string name = 3; optional string uid = 4; optional bool controller = 6; optional bool blockOwnerDeletion = 7; }
    message ManagedFieldsEntry { optional string manager = 1; optional string operation = 2; optional string apiVersion = 3; optional Time time = 4; optional string fieldsType = 6; optional FieldsV1 fieldsV1 = 7; optional string subresource = 8; }
    message ObjectMeta { optional string name = 1; optional string generateName = 2; optional string namespace = 3; optional string selfLink = 4; optional string uid = 5;
      optional string resourceVersion = 6; optional int64 generation = 7; optional Time creationTimestamp = 8; optional Time deletionTimestamp = 9;
      optional int64 deletionGracePeriodSeconds = 10; map<string, string> labels = 11; map<string, string> annotations = 12;
      repeated OwnerReference ownerReferences = 13; repeated string finalizers = 14; repeated ManagedFieldsEntry managedFields = 17; }
    message ListMeta { optional string selfLink = 1; optional string resourceVersion = 2; optional string continue = 3; optional int64 remainingItemCount = 4; }
    message StatusCause { optional string reason = 1; optional string message = 2; optional string field = 3; }
    message StatusDetails { optional string name = 1; optional string group = 2; optional string kind = 3; optional string uid = 6; repeated StatusCause causes = 4; optional int32 retryAfterSeconds = 5; }
    message Status { optional ListMeta metadata = 1; optional string status = 2; optional string message = 3; optional string reason = 4; optional StatusDetails details = 5; optional int32 code = 6; }
    message WatchEvent { optional string type = 1; optional k8s.io.apimachinery.pkg.runtime.RawExtension object = 2; }`,
  core: `syntax = "proto2"; package k8s.io.api.core.v1;
    message ObjectReference { optional string kind = 1; optional string namespace = 2; optional string name = 3; optional string uid = 4; optional string apiVersion = 5; optional string resourceVersion = 6; optional string fieldPath = 7; }
    message LocalObjectReference { optional string name = 1; }
    message ServiceAccount { optional k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1; repeated ObjectReference secrets = 2; repeated LocalObjectReference imagePullSecrets = 3; optional bool automountServiceAccountToken = 4; }
    message ServiceAccountList { optional k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta metadata = 1; repeated ServiceAccount items = 2; }
    message Secret { optional k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1; optional bool immutable = 5; map<string, bytes> data = 2; map<string, string> stringData = 4; optional string type = 3; }
    message ServicePort { optional string name = 1; optional string protocol = 2; optional string appProtocol = 6; optional int32 port = 3; optional k8s.io.apimachinery.pkg.util.intstr.IntOrString targetPort = 4; optional int32 nodePort = 5; }
    message VolumeResourceRequirements { map<string, k8s.io.apimachinery.pkg.api.resource.Quantity> limits = 1; map<string, k8s.io.apimachinery.pkg.api.resource.Quantity> requests = 2; }`,
  rbac: `syntax = "proto2"; package k8s.io.api.rbac.v1;
    message PolicyRule { repeated string verbs = 1; repeated string apiGroups = 2; repeated string resources = 3; repeated string resourceNames = 4; repeated string nonResourceURLs = 5; }
    message Role { optional k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1; repeated PolicyRule rules = 2; }
    message Subject { optional string kind = 1; optional string apiGroup = 2; optional string name = 3; optional string namespace = 4; }
    message RoleRef { optional string apiGroup = 1; optional string kind = 2; optional string name = 3; }
    message RoleBinding { optional k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1; repeated Subject subjects = 2; optional RoleRef roleRef = 3; }`,
  coordination: `syntax = "proto2"; package k8s.io.api.coordination.v1;
    message LeaseSpec { optional string holderIdentity = 1; optional int32 leaseDurationSeconds = 2; optional k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime acquireTime = 3;
      optional k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime renewTime = 4; optional int32 leaseTransitions = 5; optional string strategy = 6; optional string preferredHolder = 7; }
    message Lease { optional k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1; optional LeaseSpec spec = 2; }`,
};

const root = new protobuf.Root();
for (const text of Object.values(PROTO)) protobuf.parse(text, root, { keepCase: true });
const message = (name: string) => root.lookupType(name);
const plain = (type: protobuf.Type, bytes: Uint8Array) => type.toObject(type.decode(bytes), { longs: Number, bytes: String, defaults: false });
const unknown = message('k8s.io.apimachinery.pkg.runtime.Unknown');

/** The envelope and its object, both decoded by protobufjs. */
function open(body: Buffer, type: string) {
  assert.deepEqual(body.subarray(0, 4), Buffer.from('k8s\0'));
  const { raw, ...env } = plain(unknown, body.subarray(4));
  return { env, object: plain(message(type), Buffer.from(raw as string, 'base64')) };
}

const META = { name: 'n', namespace: 'ns', uid: 'u-1', resourceVersion: '12', creationTimestamp: '2024-01-01T00:00:00Z', labels: { app: 'x' } };
/** What Go writes for META: every non-pointer field, the empty ones too. */
const WIRE_META = { name: 'n', generateName: '', namespace: 'ns', selfLink: '', uid: 'u-1', resourceVersion: '12', generation: 0, creationTimestamp: { seconds: 1704067200, nanos: 0 }, labels: { app: 'x' } };

describe('protobuf encoding: read back by protobufjs from upstream field numbers', () => {
  it('a ServiceAccount, with its envelope', () => {
    const sa = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: META, secrets: [{ name: 's' }], automountServiceAccountToken: false };
    const { env, object } = open(encodeObject(sa, serviceAccount), 'k8s.io.api.core.v1.ServiceAccount');
    assert.deepEqual(env, { typeMeta: { apiVersion: 'v1', kind: 'ServiceAccount' }, contentEncoding: '', contentType: '' });
    assert.deepEqual(object, { metadata: WIRE_META, secrets: [{ kind: '', namespace: '', name: 's', uid: '', apiVersion: '', resourceVersion: '', fieldPath: '' }], automountServiceAccountToken: false });
  });

  it('a Secret: bytes values', () => {
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: META, data: { token: Buffer.from('t0k\u00e9n').toString('base64') }, type: 'Opaque' };
    const { object } = open(encodeObject(secret, schemaFor('v1', 'Secret')!), 'k8s.io.api.core.v1.Secret');
    assert.deepEqual(object, { metadata: WIRE_META, data: { token: secret.data.token }, type: 'Opaque' });
  });

  it('a Role and a RoleBinding: repeated strings (empty ones kept) and nested messages', () => {
    const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: META, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }] };
    assert.deepEqual(open(encodeObject(role, schemaFor(role.apiVersion, 'Role')!), 'k8s.io.api.rbac.v1.Role').object, { metadata: WIRE_META, rules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }] });
    const rb = { apiVersion: role.apiVersion, kind: 'RoleBinding', metadata: META, subjects: [{ kind: 'User', name: 'u' }], roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' } };
    assert.deepEqual(open(encodeObject(rb, schemaFor(rb.apiVersion, 'RoleBinding')!), 'k8s.io.api.rbac.v1.RoleBinding').object, {
      metadata: WIRE_META,
      subjects: [{ kind: 'User', apiGroup: '', name: 'u', namespace: '' }],
      roleRef: rb.roleRef,
    });
  });

  it('a Lease: MicroTimes keep their nanoseconds; unset pointers stay unset', () => {
    const lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: META, spec: { holderIdentity: 'h', renewTime: '2024-01-01T00:00:00.250000Z' } };
    assert.deepEqual(open(encodeObject(lease, schemaFor(lease.apiVersion, 'Lease')!), 'k8s.io.api.coordination.v1.Lease').object, {
      metadata: WIRE_META,
      spec: { holderIdentity: 'h', renewTime: { seconds: 1704067200, nanos: 250000000 } },
    });
  });

  it('a ServicePort (IntOrString) and resource requirements (Quantity map)', () => {
    const svc = schemaFor('v1', 'Service')!;
    const ports = (svc.properties.spec as ObjectSchema).properties.ports as { items: ObjectSchema };
    const port = Buffer.from(encodeListItems([{ name: 'web', port: 80, targetPort: 'http', protocol: 'TCP' }], ports.items)).subarray(2);
    assert.deepEqual(plain(message('k8s.io.api.core.v1.ServicePort'), port), { name: 'web', protocol: 'TCP', port: 80, targetPort: { type: 1, intVal: 0, strVal: 'http' }, nodePort: 0 });
    const pvc = schemaFor('v1', 'PersistentVolumeClaim')!;
    const resources = (pvc.properties.spec as ObjectSchema).properties.resources as ObjectSchema;
    const wrapper = obj('W', '', { r: pb(1, resources) });
    const body = encodeObject({ kind: 'W', r: { requests: { storage: '1Gi', cpu: '250m' } } }, wrapper);
    const raw = Buffer.from(plain(unknown, body.subarray(4)).raw as string, 'base64');
    assert.deepEqual(plain(message('k8s.io.api.core.v1.VolumeResourceRequirements'), raw.subarray(2)), { requests: { cpu: { string: '250m' }, storage: { string: '1Gi' } } });
  });

  it('a Status', () => {
    const s = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'm', reason: 'Invalid', details: { name: 'x', causes: [{ reason: 'FieldValueInvalid', message: 'bad', field: 'spec' }] }, code: 422 };
    assert.deepEqual(open(encodeObject(s, status), 'k8s.io.apimachinery.pkg.apis.meta.v1.Status').object, {
      metadata: { selfLink: '', resourceVersion: '', continue: '' },
      status: 'Failure',
      message: 'm',
      reason: 'Invalid',
      details: { name: 'x', group: '', kind: '', uid: '', causes: [{ reason: 'FieldValueInvalid', message: 'bad', field: 'spec' }], retryAfterSeconds: 0 },
      code: 422,
    });
  });

  it('a list, and a watch event around an object', () => {
    const parts = [encodeListMeta({ resourceVersion: '9', continue: 'c', remainingItemCount: 3 }, listMeta), encodeListItems([{ metadata: META }, { metadata: META }], serviceAccount)];
    const { env, object } = open(Buffer.concat(listBody('v1', 'ServiceAccountList', parts)), 'k8s.io.api.core.v1.ServiceAccountList');
    assert.deepEqual(env.typeMeta, { apiVersion: 'v1', kind: 'ServiceAccountList' });
    assert.deepEqual(object, { metadata: { selfLink: '', resourceVersion: '9', continue: 'c', remainingItemCount: 3 }, items: [{ metadata: WIRE_META }, { metadata: WIRE_META }] });

    const body = encodeObject({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: META }, serviceAccount);
    const frame = encodeWatchEvent('MODIFIED', body);
    assert.equal(frame.readUInt32BE(0), frame.length - 4);
    const event = message('k8s.io.apimachinery.pkg.apis.meta.v1.WatchEvent').decode(frame.subarray(4)) as unknown as { type: string; object: { raw: Uint8Array } };
    assert.equal(event.type, 'MODIFIED');
    assert.deepEqual(Buffer.from(event.object.raw), body);
  });
});
