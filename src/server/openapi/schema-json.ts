// The schema DSL (api/schema.ts) to OpenAPI schemas, v3 components or v2 definitions: named objects
// are referenced, only what is referenced is emitted. The two differ as kube-apiserver serves them:
// v3 (builder3) refers through allOf when the reference carries a description or default and gives
// array items and map values Go's zero value as default; v2 puts the description beside the $ref,
// and its defaults are pruned (kube-openapi handler PruneDefaults).
import type { ObjectSchema, Schema } from '../../api/schema.js';
import { FIELDS_V1, INT_OR_STRING, QUANTITY, RAW_EXTENSION, SCALAR_COMPONENTS, SCALAR_DEFINITIONS_V2, TIME } from './components.js';
import { REF, REF_V2, type Json, type JsonObject } from './json.js';

export interface SchemaDialect {
  /** Where named schemas are referenced from. */
  ref: string;
  /** v3: a reference with siblings is wrapped in allOf; v2 keeps the siblings beside the $ref. */
  allOf: boolean;
  /** v3 gives Go's zero values as defaults. */
  defaults: boolean;
  /** The non-object types by name. */
  scalars: Record<string, JsonObject>;
}

export const V3: SchemaDialect = { ref: REF, allOf: true, defaults: true, scalars: SCALAR_COMPONENTS };
export const V2: SchemaDialect = { ref: REF_V2, allOf: false, defaults: false, scalars: SCALAR_DEFINITIONS_V2 };

interface Emitter {
  refs: Set<string>;
  d: SchemaDialect;
}

function ref(e: Emitter, name: string, extras: JsonObject = {}): JsonObject {
  e.refs.add(name);
  const r = e.d.ref + name;
  if (!e.d.defaults) delete extras.default;
  if (Object.keys(extras).length === 0) return { $ref: r };
  return e.d.allOf ? { allOf: [{ $ref: r }], ...extras } : { $ref: r, ...extras };
}

/** Go's zero value as the default of an array item or map value, where the dialect gives defaults. */
function zero(e: Emitter, out: JsonObject, value: Json): JsonObject {
  if (e.d.defaults) out.default = value;
  return out;
}

function withDescription(out: JsonObject, description: string | undefined): JsonObject {
  if (description) out.description = description;
  return out;
}

/** The special name an `any` node is served as. */
function anyComponent(propertyName: string | undefined): string {
  return propertyName === 'fieldsV1' ? FIELDS_V1 : RAW_EXTENSION;
}

/** A schema in the position of a property (described, with its patch and list extensions). */
function fieldSchema(e: Emitter, n: Schema, propertyName?: string): JsonObject {
  const description = n.fieldDescription ?? n.description;
  switch (n.type) {
    case 'string': {
      if (n.format === 'date-time') return ref(e, TIME, description ? { description } : {});
      const out: JsonObject = { type: 'string' };
      if (n.format) out.format = n.format;
      if (n.enum) out.enum = [...n.enum];
      return withDescription(out, description);
    }
    case 'integer':
    case 'number':
      return withDescription({ type: n.type, format: n.format }, description);
    case 'boolean':
      return withDescription({ type: 'boolean' }, description);
    case 'quantity':
      return ref(e, QUANTITY, description ? { description } : {});
    case 'int-or-string':
      return ref(e, INT_OR_STRING, description ? { description } : {});
    case 'any':
      return ref(e, n.name ?? anyComponent(propertyName), description ? { description } : {});
    case 'either':
      return ref(e, n.name, description ? { description } : {});
    case 'object': {
      if (n.name) {
        const extras: JsonObject = { default: {} };
        if (description) extras.description = description;
        if (n.patchStrategy) extras['x-kubernetes-patch-strategy'] = n.patchStrategy;
        return ref(e, n.name, extras);
      }
      const out = objectBody(e, n);
      if (description) out.description = description;
      else delete out.description;
      if (n.patchStrategy) out['x-kubernetes-patch-strategy'] = n.patchStrategy;
      return out;
    }
    case 'array': {
      const out: JsonObject = { type: 'array', items: elementSchema(e, n.items) };
      if (n.mergeKey) out['x-kubernetes-patch-merge-key'] = n.mergeKey;
      if (n.patchStrategy) out['x-kubernetes-patch-strategy'] = n.patchStrategy;
      if (n.listType) out['x-kubernetes-list-type'] = n.listType;
      if (n.listMapKeys) out['x-kubernetes-list-map-keys'] = [...n.listMapKeys];
      return withDescription(out, description);
    }
    case 'map':
      return withDescription({ type: 'object', additionalProperties: elementSchema(e, n.values) }, description);
  }
}

/** A schema in the position of an array item or map value: no description; Go's zero value as default. */
function elementSchema(e: Emitter, n: Schema): JsonObject {
  switch (n.type) {
    case 'string':
      if (n.format === 'date-time') return ref(e, TIME);
      return zero(e, { type: 'string', ...(n.format ? { format: n.format } : {}), ...(n.enum ? { enum: [...n.enum] } : {}) }, '');
    case 'integer':
    case 'number':
      return zero(e, { type: n.type, format: n.format }, 0);
    case 'boolean':
      return zero(e, { type: 'boolean' }, false);
    case 'quantity':
      return ref(e, QUANTITY);
    case 'int-or-string':
      return ref(e, INT_OR_STRING);
    case 'any':
      return ref(e, n.name ?? RAW_EXTENSION);
    case 'either':
      return ref(e, n.name);
    case 'object':
      if (n.name) return ref(e, n.name, { default: {} });
      return objectBody(e, n);
    case 'array': {
      const out = fieldSchema(e, n);
      delete out.description;
      return out;
    }
    case 'map':
      return { type: 'object', additionalProperties: elementSchema(e, n.values) };
  }
}

/** The body of an object schema: a component, or an unnamed object inlined. */
function objectBody(e: Emitter, n: ObjectSchema): JsonObject {
  if (n.published) {
    // A custom resource's kind: its CRD schema, which refers to ObjectMeta only.
    for (const p of Object.values(n.properties)) if (p.type === 'object' && p.name) e.refs.add(p.name);
    return structuredClone((e.d.allOf ? n.published.v3 : n.published.v2) as JsonObject);
  }
  const properties: JsonObject = {};
  for (const [key, prop] of Object.entries(n.properties)) properties[key] = fieldSchema(e, prop, key);
  const out: JsonObject = { type: 'object' };
  if (n.description) out.description = n.description;
  if (Object.keys(properties).length > 0) out.properties = properties;
  if (n.required && n.required.length > 0) out.required = [...n.required];
  if (n.mapType) out['x-kubernetes-map-type'] = n.mapType;
  if (n.gvk && n.gvk.length > 0) out['x-kubernetes-group-version-kind'] = n.gvk.map((g) => ({ group: g.group, kind: g.kind, version: g.version }));
  return out;
}

/**
 * Every named object reachable from the roots, by component name (a node with gvks wins, gvks
 * merge), and the named nodes without a type (`any`, `either`), served as their description alone.
 */
function collectNamed(roots: ObjectSchema[]): { objects: Map<string, ObjectSchema>; untyped: Map<string, string | undefined> } {
  const found = new Map<string, ObjectSchema>();
  const untyped = new Map<string, string | undefined>();
  const seen = new Set<Schema>();
  const visit = (n: Schema): void => {
    if (seen.has(n)) return;
    seen.add(n);
    if (n.type === 'array') return visit(n.items);
    if (n.type === 'map') return visit(n.values);
    if (n.type === 'any' && n.name) untyped.set(n.name, n.description);
    if (n.type === 'either') {
      untyped.set(n.name, n.description);
      visit(n.object);
      if (n.list) visit(n.list.items);
      return;
    }
    if (n.type !== 'object') return;
    if (n.name) {
      const prev = found.get(n.name);
      if (!prev) found.set(n.name, n);
      else if (n.gvk && n.gvk.length > 0) {
        const gvk = [...(prev.gvk ?? [])];
        for (const g of n.gvk) if (!gvk.some((x) => x.group === g.group && x.version === g.version && x.kind === g.kind)) gvk.push(g);
        found.set(n.name, { ...(prev.gvk ? prev : n), gvk });
      }
    }
    for (const p of Object.values(n.properties)) visit(p);
  };
  for (const r of roots) visit(r);
  return { objects: found, untyped };
}


/**
 * The components (v3) or definitions (v2) of a document: every named object reachable from `roots`,
 * then the scalar types they refer to.
 */
export function componentSchemas(roots: ObjectSchema[], dialect: SchemaDialect = V3): JsonObject {
  const e: Emitter = { refs: new Set(), d: dialect };
  const schemas: JsonObject = {};
  const { objects, untyped } = collectNamed(roots);
  for (const [name, node] of objects) schemas[name] = objectBody(e, node);
  for (const [name, description] of untyped) schemas[name] = description ? { description } : {};
  for (const name of e.refs) {
    if (schemas[name]) continue;
    const scalar = dialect.scalars[name];
    if (!scalar) throw new Error(`openapi: ${name} is referenced but has no schema`);
    schemas[name] = scalar;
  }
  return schemas;
}
