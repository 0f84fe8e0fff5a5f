import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../../api/errors.js';
import { any, arr, int32, int64, intOrString, keyedList, obj, str, stringMap, type Schema } from '../../api/schema.js';
import { applyStrategicMergePatch } from './strategic-merge.js';

// ---- small schemas, with the patch tags of k8s.io/api ----

const objectMeta = obj(undefined, 'ObjectMeta', {
  name: str(),
  namespace: str(),
  labels: stringMap(),
  annotations: stringMap(),
  finalizers: arr(str(), undefined, { patchStrategy: 'merge', listType: 'set' }),
  ownerReferences: keyedList(obj(undefined, 'OwnerReference', { uid: str(), kind: str(), name: str() }), 'uid'),
});
const container = obj(undefined, 'Container', {
  name: str(),
  image: str(),
  args: arr(str()),
  ports: keyedList(obj(undefined, 'ContainerPort', { containerPort: int32(), protocol: str() }), 'containerPort'),
  env: keyedList(obj(undefined, 'EnvVar', { name: str(), value: str() }), 'name'),
});
const volume = obj(undefined, 'Volume', {
  name: str(),
  emptyDir: obj(undefined, 'EmptyDirVolumeSource', { medium: str() }),
  configMap: obj(undefined, 'ConfigMapVolumeSource', { name: str() }),
});
const podSpec = obj(undefined, 'PodSpec', {
  containers: keyedList(container, 'name'),
  volumes: keyedList(volume, 'name', undefined, { patchStrategy: 'merge,retainKeys' }),
  nodeSelector: stringMap(),
  extra: any(),
});
const deployment = obj('io.k8s.api.apps.v1.Deployment', 'Deployment', {
  apiVersion: str(),
  kind: str(),
  metadata: objectMeta,
  spec: obj(undefined, 'DeploymentSpec', {
    replicas: int32(),
    strategy: obj(
      undefined,
      'DeploymentStrategy',
      { type: str(), rollingUpdate: obj(undefined, 'RollingUpdateDeployment', { maxSurge: intOrString(), maxUnavailable: intOrString() }) },
      { patchStrategy: 'retainKeys' },
    ),
    template: obj(undefined, 'PodTemplateSpec', { metadata: objectMeta, spec: podSpec }),
  }),
});
const policyRule = obj(undefined, 'PolicyRule', { apiGroups: arr(str()), resources: arr(str()), verbs: arr(str()) });
const role = obj('io.k8s.api.rbac.v1.Role', 'Role', { metadata: objectMeta, rules: arr(policyRule) });
const roleBinding = obj('io.k8s.api.rbac.v1.RoleBinding', 'RoleBinding', {
  metadata: objectMeta,
  subjects: arr(obj(undefined, 'Subject', { kind: str(), name: str(), namespace: str() })),
  roleRef: obj(undefined, 'RoleRef', { apiGroup: str(), kind: str(), name: str() }),
});

// The MergeItem type of the upstream strategicpatch tests.
const mergeItem = obj(undefined, 'MergeItem', {});
Object.assign(mergeItem.properties, {
  name: str(),
  value: str(),
  other: str(),
  mergingList: keyedList(mergeItem, 'name'),
  nonMergingList: arr(mergeItem),
  mergingIntList: arr(int64(), undefined, { patchStrategy: 'merge' }),
  nonMergingIntList: arr(int64()),
  simpleMap: stringMap(),
  replacingItem: obj(undefined, 'RawExtension', {}, { patchStrategy: 'replace' }),
  retainKeysMap: obj(
    undefined,
    'RetainKeysMergeItem',
    { name: str(), value: str(), simpleMap: stringMap(), mergingIntList: arr(int64(), undefined, { patchStrategy: 'merge' }), mergingList: keyedList(mergeItem, 'name') },
    { patchStrategy: 'retainKeys' },
  ),
  retainKeysMergingList: keyedList(mergeItem, 'name', undefined, { patchStrategy: 'merge,retainKeys' }),
});

// ---- documents ----

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

const liveDeployment = () => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', labels: { app: 'web', tier: 'front' }, annotations: { [LAST_APPLIED]: '{"old":true}\n' } },
  spec: {
    replicas: 2,
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [
          {
            name: 'main',
            image: 'nginx:1.27',
            imagePullPolicy: 'IfNotPresent',
            ports: [{ containerPort: 80, protocol: 'TCP' }],
            env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }],
          },
        ],
        volumes: [{ name: 'data', emptyDir: {} }, { name: 'cfg', configMap: { name: 'a' } }],
        nodeSelector: { zone: 'a' },
        restartPolicy: 'Always',
      },
    },
  },
});

/** The live deployment with `edit` applied to a copy. */
function deploymentWith(edit: (d: any) => void): unknown {
  const d = liveDeployment();
  edit(d);
  return d;
}

const liveRole = () => ({
  metadata: { name: 'pod-reader', namespace: 'default' },
  rules: [
    { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
    { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
  ],
});

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object') {
    for (const child of Object.values(v)) deepFreeze(child);
    Object.freeze(v);
  }
  return v;
}

interface Case {
  name: string;
  schema: Schema | undefined;
  doc: unknown;
  patch: unknown;
  want: unknown;
}

const kubectlCases: Case[] = [
  {
    name: 'kubectl apply: image changed, ports removed, sidecar added',
    schema: deployment,
    doc: liveDeployment(),
    patch: {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'main' }, { name: 'sidecar' }],
            containers: [
              { image: 'nginx:1.28', name: 'main', ports: null },
              { image: 'busybox:1.36', name: 'sidecar' },
            ],
          },
        },
      },
    },
    want: deploymentWith((d) => {
      const main = d.spec.template.spec.containers[0];
      main.image = 'nginx:1.28';
      delete main.ports;
      d.spec.template.spec.containers.push({ image: 'busybox:1.36', name: 'sidecar' });
    }),
  },
  {
    name: 'kubectl apply: all labels removed from the file',
    schema: deployment,
    doc: liveDeployment(),
    patch: { metadata: { labels: null } },
    want: deploymentWith((d) => delete d.metadata.labels),
  },
  {
    name: 'kubectl apply: new last-applied-configuration with a changed field',
    schema: deployment,
    doc: liveDeployment(),
    patch: { metadata: { annotations: { [LAST_APPLIED]: '{"new":true}\n' }, labels: { tier: null } }, spec: { replicas: 3 } },
    want: deploymentWith((d) => {
      d.metadata.annotations[LAST_APPLIED] = '{"new":true}\n';
      delete d.metadata.labels.tier;
      d.spec.replicas = 3;
    }),
  },
  {
    name: 'env merged by name, one deleted with $patch: delete, order set',
    schema: deployment,
    doc: liveDeployment(),
    patch: {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'main' }],
            containers: [
              {
                '$setElementOrder/env': [{ name: 'A' }, { name: 'C' }],
                env: [{ name: 'C', value: '3' }, { $patch: 'delete', name: 'B' }],
                name: 'main',
              },
            ],
          },
        },
      },
    },
    want: deploymentWith((d) => (d.spec.template.spec.containers[0].env = [{ name: 'A', value: '1' }, { name: 'C', value: '3' }])),
  },
  {
    name: 'containers reordered by $setElementOrder alone',
    schema: deployment,
    doc: deploymentWith((d) => d.spec.template.spec.containers.push({ name: 'b', image: 'b' })),
    patch: { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'b' }, { name: 'main' }] } } } },
    want: deploymentWith((d) => d.spec.template.spec.containers.unshift({ name: 'b', image: 'b' })),
  },
  {
    name: '$retainKeys: a volume source switched from emptyDir to configMap',
    schema: deployment,
    doc: liveDeployment(),
    patch: {
      spec: {
        template: {
          spec: {
            '$setElementOrder/volumes': [{ name: 'data' }, { name: 'cfg' }],
            volumes: [{ $retainKeys: ['configMap', 'name'], configMap: { name: 'cm' }, emptyDir: null, name: 'data' }],
          },
        },
      },
    },
    want: deploymentWith((d) => (d.spec.template.spec.volumes[0] = { name: 'data', configMap: { name: 'cm' } })),
  },
  {
    name: '$retainKeys: deployment strategy switched to Recreate',
    schema: deployment,
    doc: liveDeployment(),
    patch: { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: null, type: 'Recreate' } } },
    want: deploymentWith((d) => (d.spec.strategy = { type: 'Recreate' })),
  },
  {
    name: '$retainKeys clears keys the patch does not mention',
    schema: deployment,
    doc: liveDeployment(),
    patch: { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } },
    want: deploymentWith((d) => (d.spec.strategy = { type: 'Recreate' })),
  },
  {
    name: '$patch: replace on a map',
    schema: deployment,
    doc: liveDeployment(),
    patch: { spec: { template: { spec: { nodeSelector: { $patch: 'replace', disk: 'ssd' } } } } },
    want: deploymentWith((d) => (d.spec.template.spec.nodeSelector = { disk: 'ssd' })),
  },
  {
    name: '$patch: delete on a map leaves it empty',
    schema: deployment,
    doc: liveDeployment(),
    patch: { spec: { template: { spec: { nodeSelector: { $patch: 'delete' } } } } },
    want: deploymentWith((d) => (d.spec.template.spec.nodeSelector = {})),
  },
  {
    name: '$patch: replace in a merge list',
    schema: deployment,
    doc: liveDeployment(),
    patch: { spec: { template: { spec: { containers: [{ $patch: 'replace' }, { name: 'only', image: 'x' }] } } } },
    want: deploymentWith((d) => (d.spec.template.spec.containers = [{ name: 'only', image: 'x' }])),
  },
  {
    name: 'a new field loses its nulls and $patch maps',
    schema: deployment,
    doc: deploymentWith((d) => delete d.spec.template.spec.nodeSelector),
    patch: { spec: { template: { spec: { nodeSelector: { a: '1', b: null }, initContainers: [{ name: 'x', $patch: 'delete' }] } } } },
    want: deploymentWith((d) => {
      d.spec.template.spec.nodeSelector = { a: '1' };
      d.spec.template.spec.initContainers = [];
    }),
  },
  {
    name: 'unknown and any fields merge like a JSON merge patch',
    schema: deployment,
    doc: deploymentWith((d) => {
      d.spec.template.spec.extra = { x: [1, 2], y: { a: 1 } };
      d.spec.template.spec.unknown = { list: [{ name: 'a', v: 1 }], m: { a: 1 } };
    }),
    patch: { spec: { template: { spec: { extra: { x: [3], y: { b: 2 } }, unknown: { list: [{ name: 'a', w: 2 }], m: { a: null, b: 2 } } } } } },
    want: deploymentWith((d) => {
      d.spec.template.spec.extra = { x: [3], y: { a: 1, b: 2 } };
      d.spec.template.spec.unknown = { list: [{ name: 'a', w: 2 }], m: { b: 2 } };
    }),
  },
  {
    name: 'finalizers: $deleteFromPrimitiveList',
    schema: deployment,
    doc: deploymentWith((d) => (d.metadata.finalizers = ['x', 'y', 'z'])),
    patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['y'] } },
    want: deploymentWith((d) => (d.metadata.finalizers = ['x', 'z'])),
  },
  {
    name: 'finalizers: add and delete with $setElementOrder',
    schema: deployment,
    doc: deploymentWith((d) => (d.metadata.finalizers = ['x', 'y', 'z'])),
    patch: { metadata: { '$setElementOrder/finalizers': ['x', 'z', 'w'], '$deleteFromPrimitiveList/finalizers': ['y'], finalizers: ['w'] } },
    want: deploymentWith((d) => (d.metadata.finalizers = ['x', 'z', 'w'])),
  },
  {
    name: 'finalizers are a set: a new one goes before the server-only ones',
    schema: deployment,
    doc: deploymentWith((d) => (d.metadata.finalizers = ['a'])),
    patch: { metadata: { finalizers: ['b', 'a'] } },
    want: deploymentWith((d) => (d.metadata.finalizers = ['b', 'a'])),
  },
  {
    name: 'ownerReferences: $patch: delete by uid',
    schema: deployment,
    doc: deploymentWith((d) => (d.metadata.ownerReferences = [{ uid: '1', name: 'a' }, { uid: '2', name: 'b' }])),
    patch: { metadata: { ownerReferences: [{ $patch: 'delete', uid: '1' }] } },
    want: deploymentWith((d) => (d.metadata.ownerReferences = [{ uid: '2', name: 'b' }])),
  },
  {
    name: 'RBAC rules are replaced whole',
    schema: role,
    doc: liveRole(),
    patch: { rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] },
    want: { ...liveRole(), rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] },
  },
  {
    name: 'RBAC subjects are replaced whole',
    schema: roleBinding,
    doc: { metadata: { name: 'rb' }, subjects: [{ kind: 'ServiceAccount', name: 'a', namespace: 'default' }, { kind: 'User', name: 'u' }], roleRef: { kind: 'Role', name: 'r' } },
    patch: { subjects: [{ kind: 'ServiceAccount', name: 'b', namespace: 'default' }] },
    want: { metadata: { name: 'rb' }, subjects: [{ kind: 'ServiceAccount', name: 'b', namespace: 'default' }], roleRef: { kind: 'Role', name: 'r' } },
  },
  {
    name: 'a null patch changes nothing',
    schema: role,
    doc: liveRole(),
    patch: null,
    want: liveRole(),
  },
  {
    name: 'without a schema, maps merge and lists are replaced',
    schema: undefined,
    doc: { a: { b: 1, c: [1, 2] } },
    patch: { a: { b: null, c: [3], d: { e: null } } },
    want: { a: { c: [3], d: {} } },
  },
];

// Adapted from k8s.io/apimachinery/pkg/util/strategicpatch/patch_test.go: (current, patch) → result.
const upstreamCases: Case[] = [
  ['unique scalars when merging lists', { mergingIntList: [1, 2] }, { mergingIntList: [2, 3] }, { mergingIntList: [1, 2, 3] }],
  ['delete map from nested map', { simpleMap: { key1: '1', key2: '1' } }, { simpleMap: { $patch: 'delete' } }, { simpleMap: {} }],
  ['delete all items from merging list', { mergingList: [{ name: '1' }, { name: '2' }] }, { mergingList: [{ $patch: 'replace' }] }, { mergingList: [] }],
  ['merge empty merging lists', { mergingList: [] }, { mergingList: [] }, { mergingList: [] }],
  ['delete all keys from map', { name: '1', value: '1' }, { $patch: 'replace' }, {}],
  ['add key and delete all keys from map', { name: '1', value: '1' }, { other: 'a', $patch: 'replace' }, { other: 'a' }],
  [
    'delete all duplicate entries in a merging list',
    { mergingList: [{ name: '1' }, { name: '1' }, { name: '2', value: 'a' }, { name: '3' }, { name: '3' }] },
    { mergingList: [{ name: '1', $patch: 'delete' }, { name: '3', $patch: 'delete' }] },
    { mergingList: [{ name: '2', value: 'a' }] },
  ],
  ['retainKeys map can delete a field when no retainKeys directive present', { retainKeysMap: { name: 'foo', value: 'a' } }, { retainKeysMap: { value: null } }, { retainKeysMap: { name: 'foo' } }],
  [
    'preserve the order from the patch in a merging list',
    { mergingList: [{ name: '1' }, { name: '2', value: 'b' }, { name: '3' }] },
    { mergingList: [{ name: '3', value: 'c' }, { name: '1', value: 'a' }, { name: '2', other: 'x' }] },
    { mergingList: [{ name: '3', value: 'c' }, { name: '1', value: 'a' }, { name: '2', value: 'b', other: 'x' }] },
  ],
  [
    'preserve the order from the patch in a merging list 2',
    { mergingList: [{ name: '1' }, { name: '2', value: 'b' }, { name: '3' }] },
    { mergingList: [{ name: '3', value: 'c' }, { name: '1', value: 'a' }] },
    { mergingList: [{ name: '2', value: 'b' }, { name: '3', value: 'c' }, { name: '1', value: 'a' }] },
  ],
  ['preserve the order from the patch in a merging int list', { mergingIntList: [1, 2, 3] }, { mergingIntList: [3, 1] }, { mergingIntList: [2, 3, 1] }],
  [
    '$setElementOrder contains item that is not present in the list to be merged',
    { mergingList: [{ name: '1' }, { name: '3' }] },
    { '$setElementOrder/mergingList': [{ name: '3' }, { name: '2' }, { name: '1' }], mergingList: [{ name: '3', value: '3' }, { name: '1', value: '1' }] },
    { mergingList: [{ name: '3', value: '3' }, { name: '1', value: '1' }] },
  ],
  ['$setElementOrder contains item that is not present in the int list to be merged', { mergingIntList: [1, 3] }, { '$setElementOrder/mergingIntList': [3, 2, 1] }, { mergingIntList: [3, 1] }],
  ['$deleteFromPrimitiveList of nonexistent item', { mergingIntList: [1, 2] }, { '$deleteFromPrimitiveList/mergingIntList': [3] }, { mergingIntList: [1, 2] }],
  ['$deleteFromPrimitiveList on nonexistent primitive list', { foo: ['bar'] }, { '$deleteFromPrimitiveList/mergingIntList': [3] }, { foo: ['bar'] }],
  ['$deleteFromPrimitiveList on a list without merge strategy', { nonMergingIntList: [1, 2, 3] }, { '$deleteFromPrimitiveList/nonMergingIntList': [2] }, { nonMergingIntList: [1, 3] }],
  ['replace list of scalars', { nonMergingIntList: [1, 4] }, { nonMergingIntList: [2, 3] }, { nonMergingIntList: [2, 3] }],
  ['replace strategy on a map', { replacingItem: { a: 1, b: 2 } }, { replacingItem: { c: 3 } }, { replacingItem: { c: 3 } }],
  [
    'merge lists of maps',
    { mergingList: [{ name: '1', other: 'a' }, { name: '2', value: '2', other: 'b' }] },
    { '$setElementOrder/mergingList': [{ name: '4' }, { name: '1' }, { name: '2' }, { name: '3' }], mergingList: [{ name: '4', value: '4' }, { name: '3', value: '3' }] },
    { mergingList: [{ name: '4', value: '4' }, { name: '1', other: 'a' }, { name: '2', value: '2', other: 'b' }, { name: '3', value: '3' }] },
  ],
  [
    'delete items in lists of scalars',
    { mergingIntList: [1, 2, 3, 4] },
    { '$setElementOrder/mergingIntList': [1, 2], '$deleteFromPrimitiveList/mergingIntList': [3] },
    { mergingIntList: [1, 2, 4] },
  ],
  [
    'retainKeys map adds an item in nested merging int list',
    { retainKeysMap: { name: 'foo', mergingIntList: [1, 2, 3] } },
    { retainKeysMap: { '$setElementOrder/mergingIntList': [1, 2, 4], $retainKeys: ['mergingIntList', 'name'], mergingIntList: [4] } },
    { retainKeysMap: { name: 'foo', mergingIntList: [1, 2, 4, 3] } },
  ],
  [
    'retainKeys map deletes an item in nested merging list',
    { retainKeysMap: { name: 'foo', mergingList: [{ name: 'a' }, { name: 'b' }, { name: 'x' }] } },
    { retainKeysMap: { $retainKeys: ['mergingList', 'name'], '$setElementOrder/mergingList': [{ name: 'a' }], mergingList: [{ name: 'b', $patch: 'delete' }] } },
    { retainKeysMap: { name: 'foo', mergingList: [{ name: 'a' }, { name: 'x' }] } },
  ],
  [
    'retainKeys list of maps clears a field',
    { retainKeysMergingList: [{ name: 'bar' }, { name: 'foo', value: 'a', other: 'x' }] },
    { '$setElementOrder/retainKeysMergingList': [{ name: 'bar' }, { name: 'foo' }], retainKeysMergingList: [{ $retainKeys: ['name', 'value'], name: 'foo' }] },
    { retainKeysMergingList: [{ name: 'bar' }, { name: 'foo', value: 'a' }] },
  ],
].map(([name, doc, patch, want]) => ({ name: name as string, schema: mergeItem, doc, patch, want }));

describe('applyStrategicMergePatch', () => {
  for (const c of [...kubectlCases, ...upstreamCases]) {
    it(c.name, () => {
      assert.deepEqual(applyStrategicMergePatch(deepFreeze(c.doc), deepFreeze(c.patch), c.schema), c.want);
    });
  }
});

describe('applyStrategicMergePatch: errors', () => {
  const cases: { name: string; doc?: unknown; patch: unknown; code: number; reason: string; message: string; cause?: string }[] = [
    { name: 'a patch that is not an object', patch: [1], code: 400, reason: 'BadRequest', message: 'json: cannot unmarshal array into Go value of type map[string]interface {}' },
    { name: '$retainKeys that is not a list', patch: { retainKeysMap: { $retainKeys: 'name' } }, code: 400, reason: 'BadRequest', message: 'invalid patch format of retainKeys' },
    {
      name: '$retainKeys missing a key the patch sets',
      patch: { retainKeysMap: { $retainKeys: ['name'], value: 'b' } },
      code: 400,
      reason: 'BadRequest',
      message: 'invalid patch format of retainKeys',
    },
    { name: 'a $deleteFromPrimitiveList key without a field', patch: { $deleteFromPrimitiveList: [1] }, code: 400, reason: 'BadRequest', message: 'invalid patch format of primitive list' },
    { name: 'a $setElementOrder key without a field', patch: { $setElementOrder: [1] }, code: 400, reason: 'BadRequest', message: 'invalid patch format of setElementOrder list' },
    {
      name: 'a list of lists',
      doc: { mergingIntList: [] },
      patch: { mergingIntList: [[1]] },
      code: 422,
      reason: 'Invalid',
      message: 'the server rejected our request due to an error in our request',
      cause: 'lists of lists are not supported',
    },
    { name: 'a missing merge key', patch: { mergingList: [{ value: 'b' }] }, code: 500, reason: '', message: 'map: map[value:b] does not contain declared merge key: name' },
    {
      name: '$patch: delete without the merge key',
      patch: { mergingList: [{ $patch: 'delete' }] },
      code: 500,
      reason: '',
      message: 'map: map[$patch:delete] does not contain declared merge key: name',
    },
    { name: '$patch: merge in a list', patch: { mergingList: [{ $patch: 'merge', name: 'a' }] }, code: 500, reason: '', message: 'merging lists cannot yet be specified in the patch' },
    { name: '$patch: merge on a map', patch: { simpleMap: { $patch: 'merge', a: '1' } }, code: 500, reason: '', message: 'unknown patch type: merge in map: map[$patch:merge a:1]' },
    {
      name: '$setElementOrder that does not match the patch list',
      doc: { mergingList: [{ name: '1' }, { name: '3' }, { name: '2' }] },
      patch: { '$setElementOrder/mergingList': [{ name: '1' }, { name: '2' }, { name: '3' }], mergingList: [{ name: '3', value: '3' }, { name: '1', value: '1' }] },
      code: 500,
      reason: '',
      message: "The order in patch list:\n[map[name:3 value:3] map[name:1 value:1]]\n doesn't match $setElementOrder list:\n[map[name:1] map[name:2] map[name:3]]\n",
    },
    { name: '$setElementOrder that is not a list', patch: { '$setElementOrder/mergingList': 'a' }, code: 500, reason: '', message: 'expected a []interface {}, but received a string' },
    { name: 'list elements of different types', doc: { mergingIntList: ['a'] }, patch: { mergingIntList: [1] }, code: 500, reason: '', message: 'list element types are not identical: [[a] [1]]' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.throws(
        () => applyStrategicMergePatch(c.doc ?? { mergingList: [{ name: 'a', value: 'a' }], simpleMap: { a: '0' }, retainKeysMap: { name: 'n' } }, c.patch, mergeItem),
        (e: unknown) => {
          assert.ok(e instanceof ApiError);
          assert.equal(e.code, c.code);
          assert.equal(e.reason, c.reason);
          assert.equal(e.message, c.message);
          if (c.cause !== undefined) assert.equal((e.cause as Error).message, c.cause);
          return true;
        },
      );
    });
  }

  it('a library error is a 500 Status without a reason, as kubectl shows "Error from server: …"', () => {
    try {
      applyStrategicMergePatch(liveDeployment(), { spec: { template: { spec: { containers: [{ image: 'x' }] } } } }, deployment);
      assert.fail('expected an error');
    } catch (e) {
      assert.ok(e instanceof ApiError);
      assert.deepEqual(e.toStatus(), {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'map: map[image:x] does not contain declared merge key: name',
        code: 500,
      });
    }
  });
});

describe('applyStrategicMergePatch: work grows with the lists, not with their square', () => {
  // Sixteen times the elements: near-linear work takes about 16 times as long, scans of one list per
  // element of the other (the library's findMapInSliceBasedOnKeyValue, index) 256 times or more.
  // The gap is wide so that a busy machine (tests run side by side) cannot close it.
  const fastest = (run: () => void) => Math.min(...[0, 1, 2, 3, 4].map(() => ((t) => (run(), performance.now() - t))(performance.now())));
  const growth = (make: (n: number) => [unknown, unknown, Schema]) => {
    const [small, large] = [1000, 16000].map((n) => {
      const [doc, patch, schema] = make(n);
      return fastest(() => applyStrategicMergePatch(doc, patch, schema));
    });
    return large / small;
  };
  const names = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
  const cases: [string, (n: number) => [unknown, unknown, Schema]][] = [
    ['n finalizers added to n', (n) => [{ metadata: { finalizers: names(n, 'a.io/') } }, { metadata: { finalizers: names(n, 'b.io/') } }, deployment]],
    ['$setElementOrder and $deleteFromPrimitiveList over finalizers', (n) => {
      const live = names(n, 'a.io/');
      return [{ metadata: { finalizers: live } }, { metadata: { '$setElementOrder/finalizers': [...live].reverse(), '$deleteFromPrimitiveList/finalizers': live.slice(0, n / 2) } }, deployment];
    }],
    ['containers merged by name, with $patch: delete and $setElementOrder', (n) => {
      const containers = names(n, 'c').map((name) => ({ name, image: 'x' }));
      const patch = [...names(n / 2, 'd').map((name) => ({ name, image: 'y' })), ...names(n / 2, 'c').map((name) => ({ name, image: 'y' })), { name: `c${n - 1}`, $patch: 'delete' }];
      const order = [...names(n / 2, 'd'), ...names(n / 2, 'c')].map((name) => ({ name }));
      return [{ spec: { template: { spec: { containers } } } }, { spec: { template: { spec: { '$setElementOrder/containers': order, containers: patch } } } }, deployment];
    }],
    ['ownerReferences merged by uid', (n) => {
      const refs = (p: string) => names(n, p).map((uid) => ({ uid, kind: 'ConfigMap', name: uid }));
      return [{ metadata: { ownerReferences: refs('u') } }, { metadata: { ownerReferences: [...refs('u').slice(n / 2), ...refs('v')] } }, deployment];
    }],
  ];
  for (const [name, make] of cases) {
    it(name, () => {
      const ratio = growth(make);
      assert.ok(ratio < 64, `16 times the elements took ${ratio.toFixed(1)} times as long`);
    });
  }
});
