// One converter: a CRD version's openAPIV3Schema to Badge's schema (api/schema.ts), so the generic
// paths read custom resources as they read built-in kinds: the unknown-field check of
// fieldValidation (by pruning), patches, server-side apply (list types, map keys, map types) and the
// OpenAPI documents (the component as kube-apiserver's CRD OpenAPI builder publishes it).
// Value validations stay in the CRD's schema, which custom-validate.ts reads.
import type { ObjectSchema, Schema } from '../../api/schema.js';
import { objectMeta, typeMeta } from '../schemas/meta.js';
import type { CrdSchema } from '../../api/crd.js';

const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

/** The OpenAPI component name of a kind: the group reversed, then version and kind (com.example.stable.v1.CronTab). */
export function componentName(group: string, version: string, kind: string): string {
  return [...group.split('.').reverse(), version, kind].join('.');
}

/** One node of a CRD schema as a Badge schema node. */
export function toSchema(s: CrdSchema | undefined): Schema {
  if (!s) return { type: 'any' };
  const common = { ...(s.description ? { description: s.description } : {}), ...(s.nullable ? { nullable: true } : {}), ...scalarDefault(s.default) };
  if (s['x-kubernetes-int-or-string']) return { type: 'int-or-string', ...common };
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  switch (s.type) {
    case 'string':
      return { type: 'string', ...common };
    case 'integer':
      return { type: 'integer', format: 'int64', ...common };
    case 'number':
      return { type: 'number', format: 'double', ...common };
    case 'boolean':
      return { type: 'boolean', ...common };
    case 'array':
      return {
        type: 'array',
        items: toSchema(s.items),
        ...common,
        ...(s['x-kubernetes-list-type'] ? { listType: s['x-kubernetes-list-type'] } : {}),
        ...(s['x-kubernetes-list-map-keys'] ? { listMapKeys: [...s['x-kubernetes-list-map-keys']] } : {}),
      };
    case 'object': {
      const ap = s.additionalProperties;
      if (ap !== undefined && ap !== false && !s.properties) return { type: 'map', values: ap === true ? { type: 'any' } : toSchema(ap), ...common };
      if (preserve && !s.properties && !s['x-kubernetes-embedded-resource']) return { type: 'any', ...common };
      return objectOf(s, common);
    }
    default:
      // No type: preserve-unknown-fields (or a schema that says nothing), any JSON value.
      return { type: 'any', ...common };
  }
}

function objectOf(s: CrdSchema, common: object): ObjectSchema {
  const properties: Record<string, Schema> = {};
  for (const [key, prop] of Object.entries(s.properties ?? {})) properties[key] = toSchema(prop);
  return {
    type: 'object',
    properties,
    unstructured: true,
    ...common,
    ...(s.required?.length ? { required: [...s.required] } : {}),
    ...(s['x-kubernetes-preserve-unknown-fields'] ? { preserveUnknownFields: true } : {}),
    ...(s['x-kubernetes-embedded-resource'] ? { embeddedResource: true } : {}),
    ...(s['x-kubernetes-map-type'] ? { mapType: s['x-kubernetes-map-type'] } : {}),
  };
}

/** Server-side apply reads scalar defaults of list-map keys. */
function scalarDefault(d: unknown): { default?: string | number | boolean } {
  return typeof d === 'string' || typeof d === 'number' || typeof d === 'boolean' ? { default: d } : {};
}

/**
 * The schema of a custom resource kind: its openAPIV3Schema, with apiVersion, kind and metadata
 * as every kind has them, named and published as the CRD OpenAPI builder names and publishes it.
 */
export function kindSchema(group: string, version: string, kind: string, root: CrdSchema | undefined, selectableFields: string[] = []): ObjectSchema {
  const converted = toSchema({ type: 'object', ...root, 'x-kubernetes-preserve-unknown-fields': root?.['x-kubernetes-preserve-unknown-fields'] });
  const body = converted.type === 'object' ? converted : { type: 'object' as const, properties: {}, unstructured: true, preserveUnknownFields: true };
  const { metadata: _m, apiVersion: _a, kind: _k, ...own } = body.properties;
  const name = componentName(group, version, kind);
  const gvk = [{ group, version, kind }];
  return {
    ...body,
    name,
    gvk,
    properties: { ...typeMeta, metadata: { ...objectMeta, fieldDescription: "Standard object's metadata." }, ...own },
    unstructured: true,
    published: published(root ?? { type: 'object' }, gvk, selectableFields),
  };
}

type Json = Record<string, unknown>;

/** The component v3 and v2 publish (AE pkg/controller/openapi/builder, v2/conversion.go). */
function published(root: CrdSchema, gvk: { group: string; version: string; kind: string }[], selectableFields: string[]) {
  const v3 = structuredClone(root) as Json;
  const props = (v3.properties ?? {}) as Json;
  const typeMetaJson = { apiVersion: { type: 'string', description: typeMeta.apiVersion!.description }, kind: { type: 'string', description: typeMeta.kind!.description } };
  v3.type = 'object';
  v3.properties = { ...props, ...typeMetaJson, metadata: { allOf: [{ $ref: `#/components/schemas/${OBJECT_META}` }], description: "Standard object's metadata." } };
  v3['x-kubernetes-group-version-kind'] = gvk;
  if (selectableFields.length) v3['x-kubernetes-selectable-fields'] = selectableFields.map((fieldPath) => ({ fieldPath }));
  const v2 = toV2(structuredClone(root)) as Json;
  v2.type = 'object';
  v2.properties = { ...((v2.properties ?? {}) as Json), ...typeMetaJson, metadata: { $ref: `#/definitions/${OBJECT_META}`, description: "Standard object's metadata." } };
  v2['x-kubernetes-group-version-kind'] = gvk;
  return { v3: sortedKeys(v3) as Json, v2: sortedKeys(v2) as Json };
}

/**
 * Swagger 2.0 (and kubectl's validation of it) cannot say everything v3 does: the value
 * validations allOf, anyOf, oneOf and not go, and a nullable or preserve-unknown-fields node
 * keeps no type or structure, so kubectl checks nothing below it (v2/conversion.go).
 */
function toV2(s: CrdSchema): CrdSchema {
  const out: CrdSchema = { ...s };
  delete out.allOf;
  delete out.anyOf;
  delete out.oneOf;
  delete out.not;
  if (out.nullable || out['x-kubernetes-preserve-unknown-fields'] || out['x-kubernetes-int-or-string']) {
    delete out.type;
    delete out.items;
    delete out.properties;
    delete out.additionalProperties;
    delete out.nullable;
    return out;
  }
  if (out.properties) out.properties = Object.fromEntries(Object.entries(out.properties).map(([k, v]) => [k, toV2(v)]));
  if (out.items) out.items = toV2(out.items);
  if (out.additionalProperties && typeof out.additionalProperties === 'object') out.additionalProperties = toV2(out.additionalProperties);
  return out;
}

function sortedKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedKeys);
  if (v === null || typeof v !== 'object') return v;
  const out: Json = {};
  for (const k of Object.keys(v).sort()) out[k] = sortedKeys((v as Json)[k]);
  return out;
}
