// JSON values as the CEL values of their schema (k8s.io/apiserver/pkg/cel/common/values.go, eagerly): integers
// become int (bigint), names are escaped (unnamable and unknown properties hidden), formatted strings become
// bytes, durations and timestamps, and a resource root shows only apiVersion, kind, metadata.name/generateName.
import type { Schema as JSONSchemaProps } from './schema.js';
import { evaluatingEnvironment } from './environment.js';
import { escapeName } from './escaping.js';
import { holdsUnordered, markHolder, markUnordered } from './library/compare.js';

type Json = unknown;

export function toCel(s: JSONSchemaProps | undefined, v: Json, resourceRoot = false): unknown {
  if (v === null || v === undefined) return null;
  if (!s || s['x-kubernetes-int-or-string']) return untyped(v);
  switch (s.type) {
    case 'integer':
      return typeof v === 'number' ? BigInt(Math.trunc(v)) : v;
    case 'number':
      return typeof v === 'number' ? v : v;
    case 'string':
      return typeof v === 'string' ? formatted(s.format, v) : v;
    case 'array':
      return Array.isArray(v) ? list(s, v) : untyped(v);
    case 'object':
      return typeof v === 'object' && !Array.isArray(v) ? object(s, v as Record<string, Json>, resourceRoot || !!s['x-kubernetes-embedded-resource']) : untyped(v);
    default:
      return untyped(v);
  }
}

/** A list; set and map lists are marked to compare ignoring order, as Kubernetes' list types do. */
function list(s: JSONSchemaProps, v: Json[]): unknown[] {
  const out = v.map((x) => toCel(s.items, x));
  const type = s['x-kubernetes-list-type'];
  if (type === 'set') markUnordered(out);
  else if (type === 'map') markUnordered(out, (s['x-kubernetes-list-map-keys'] ?? []).map((k) => escapeName(k) ?? k));
  else if (out.some(holdsUnordered)) markHolder(out);
  return out;
}

function object(s: JSONSchemaProps, v: Record<string, Json>, resource: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  const extra = s.additionalProperties;
  if (extra && typeof extra === 'object') {
    for (const [k, x] of Object.entries(v)) out[k] = toCel(extra, x);
    if (Object.values(out).some(holdsUnordered)) markHolder(out);
    return out;
  }
  if (!s.properties && !resource) {
    for (const [k, x] of Object.entries(v)) out[k] = untyped(x);
    return out;
  }
  for (const [k, prop] of Object.entries(s.properties ?? {})) {
    const name = escapeName(k);
    if (name !== undefined && k in v) out[name] = toCel(prop, v[k]);
  }
  if (Object.values(out).some(holdsUnordered)) markHolder(out);
  if (resource) {
    if (typeof v.apiVersion === 'string') out.apiVersion = v.apiVersion;
    if (typeof v.kind === 'string') out.kind = v.kind;
    const meta = v.metadata as Record<string, unknown> | undefined;
    if (meta && typeof meta === 'object') {
      const m: Record<string, unknown> = Object.create(null);
      if (typeof meta.name === 'string') m.name = meta.name;
      if (typeof meta.generateName === 'string') m.generateName = meta.generateName;
      out.metadata = m;
    }
  }
  return out;
}

/** A value with no schema: integral numbers are ints, as JSON decoding into unstructured gives int64. */
export function untyped(v: Json): unknown {
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : v;
  if (Array.isArray(v)) return v.map(untyped);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = Object.create(null);
    for (const [k, x] of Object.entries(v)) out[k] = untyped(x);
    return out;
  }
  return v;
}

function formatted(format: string | undefined, v: string): unknown {
  try {
    if (format === 'byte') return new Uint8Array(Buffer.from(v, 'base64'));
    if (format === 'date' || format === 'date-time') {
      const d = new Date(v);
      return Number.isNaN(d.getTime()) ? v : d;
    }
    if (format === 'duration') return evaluatingEnvironment().evaluate('duration(s)', { s: v });
  } catch {
    return v;
  }
  return v;
}
