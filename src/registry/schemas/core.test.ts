import assert from 'node:assert/strict';
import { it } from 'node:test';
import { schemaAt, type ObjectSchema, type Schema } from '../../api/schema.js';
import * as core from './core.js';
import { persistentVolume } from './core-persistent-volume.js';

const kinds: ObjectSchema[] = [
  core.namespace,
  core.serviceAccount,
  core.secret,
  core.configMap,
  core.pod,
  core.service,
  core.endpoints,
  core.event,
  core.node,
  core.persistentVolumeClaim,
  persistentVolume,
  core.binding,
  core.replicationController,
];

/** A stable text form of a node, without what a use site adds (pb, fieldDescription, pointer, keepZero). */
function canonical(node: Schema): string {
  const { pb: _pb, fieldDescription: _fd, pointer: _ptr, keepZero: _kz, ...rest } = node;
  const sorted = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sorted);
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])]));
    }
    return v;
  };
  return JSON.stringify(sorted(rest));
}

/** Every object node reachable from the kinds, with the path that reached it first. */
function objects(): { path: string; node: ObjectSchema }[] {
  const out: { path: string; node: ObjectSchema }[] = [];
  const seen = new Set<Schema>();
  const visit = (node: Schema, path: string): void => {
    if (node.type === 'array') return visit(node.items, `${path}[]`);
    if (node.type === 'map') return visit(node.values, `${path}{}`);
    if (node.type !== 'object' || seen.has(node)) return;
    seen.add(node);
    out.push({ path, node });
    for (const [key, child] of Object.entries(node.properties)) visit(child, `${path}.${key}`);
  };
  for (const k of kinds) visit(k, k.gvk![0]!.kind);
  return out;
}

const embedded = (node: ObjectSchema) => node.protoEmbedded;

it('core: one structure per component name', () => {
  const byName = new Map<string, { text: string; path: string }>();
  for (const { path, node } of objects()) {
    if (!node.name) continue;
    const text = canonical(node);
    const prior = byName.get(node.name);
    if (prior) assert.equal(text, prior.text, `${node.name} differs at ${path} and ${prior.path}`);
    else byName.set(node.name, { text, path });
  }
  assert.ok(byName.size > 100, `only ${byName.size} components reached`);
});

it('core: every property has a protobuf number, unique in its message', () => {
  for (const { path, node } of objects()) {
    const emb = embedded(node);
    const inner = new Set(emb?.properties ?? []);
    const outer = new Map<number, string>();
    const nested = new Map<number, string>();
    if (emb) outer.set(emb.pb, '(embedded)');
    for (const [key, child] of Object.entries(node.properties)) {
      if (node.gvk && (key === 'apiVersion' || key === 'kind')) {
        assert.equal(child.pb, undefined, `${path}.${key} is TypeMeta`);
        continue;
      }
      assert.equal(typeof child.pb, 'number', `${path}.${key} has no pb`);
      const into = inner.has(key) ? nested : outer;
      assert.ok(!into.has(child.pb!), `${path}.${key} shares pb ${child.pb} with ${into.get(child.pb!)}`);
      into.set(child.pb!, key);
    }
    for (const key of inner) assert.ok(key in node.properties, `${path} embeds unknown ${key}`);
  }
});

it('core: required fields, merge keys and list-map keys name real properties', () => {
  for (const { path, node } of objects()) {
    for (const r of node.required ?? []) assert.ok(r in node.properties, `${path} requires unknown ${r}`);
    for (const [key, child] of Object.entries(node.properties)) {
      if (child.type !== 'array') continue;
      const item = child.items;
      const keys = [...(child.mergeKey ? [child.mergeKey] : []), ...(child.listMapKeys ?? [])];
      for (const k of keys) {
        assert.ok(item.type === 'object' && k in item.properties, `${path}.${key}: key ${k} is not an item property`);
      }
      if (child.listType === 'map') assert.ok(child.listMapKeys?.length, `${path}.${key}: map list without keys`);
    }
  }
});

it('core: core/v1 properties are listed in code-point order', () => {
  for (const { path, node } of objects()) {
    if (!node.name?.startsWith('io.k8s.api.core.v1.')) continue;
    const keys = Object.keys(node.properties).filter((k) => !(node.gvk && ['apiVersion', 'kind', 'metadata'].includes(k)));
    assert.deepEqual(keys, [...keys].sort(), `${path} (${node.name})`);
  }
});

it('core: known protobuf numbers and list strategies', () => {
  const at = (root: Schema, dotted: string): Schema => {
    const s = schemaAt(root, dotted.split('.'));
    assert.ok(s, dotted);
    return s;
  };
  assert.equal(at(core.podSpec, 'serviceAccountName').pb, 8);
  assert.equal(at(core.podSpec, 'automountServiceAccountToken').pb, 21);
  assert.equal(at(core.container, 'image').pb, 2);
  assert.equal(at(core.serviceAccount, 'imagePullSecrets').pb, 3);
  assert.equal(at(core.secret, 'type').pb, 3);
  assert.equal(at(core.secret, 'stringData').pb, 4);
  assert.equal(at(core.pod, 'spec.containers').pb, 2);
  assert.equal(at(core.event, 'eventTime').pb, 10);
  assert.equal(embedded(core.volume)?.pb, 2);
  assert.ok(embedded(core.volume)?.properties.includes('emptyDir'));
  assert.ok(!embedded(core.volume)?.properties.includes('name'));
  assert.equal(at(core.volume, 'projected').pb, 26);

  const list = (root: Schema, dotted: string) => {
    const s = at(root, dotted);
    assert.equal(s.type, 'array', dotted);
    return s.type === 'array' ? { mergeKey: s.mergeKey, patchStrategy: s.patchStrategy, listType: s.listType, listMapKeys: s.listMapKeys } : {};
  };
  assert.deepEqual(list(core.podSpec, 'containers'), { mergeKey: 'name', patchStrategy: 'merge', listType: 'map', listMapKeys: ['name'] });
  assert.deepEqual(list(core.podSpec, 'volumes'), { mergeKey: 'name', patchStrategy: 'merge,retainKeys', listType: 'map', listMapKeys: ['name'] });
  assert.deepEqual(list(core.container, 'ports'), { mergeKey: 'containerPort', patchStrategy: 'merge', listType: 'map', listMapKeys: ['containerPort', 'protocol'] });
  assert.deepEqual(list(core.container, 'volumeMounts'), { mergeKey: 'mountPath', patchStrategy: 'merge', listType: 'map', listMapKeys: ['mountPath'] });
  assert.deepEqual(list(core.podSpec, 'tolerations'), { mergeKey: undefined, patchStrategy: undefined, listType: 'atomic', listMapKeys: undefined });
  assert.deepEqual(list(core.service, 'spec.ports'), { mergeKey: 'port', patchStrategy: 'merge', listType: 'map', listMapKeys: ['port', 'protocol'] });
  assert.deepEqual(list(core.serviceAccount, 'secrets'), { mergeKey: 'name', patchStrategy: 'merge', listType: 'map', listMapKeys: ['name'] });
});
