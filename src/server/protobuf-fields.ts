// What the protobuf decoder (protobuf.ts) and encoder (protobuf-encode.ts) both read from a
// kind's schema: each object node's message fields, by number and in number order, and the few
// wire facts of Kubernetes' protobuf that no schema node carries.
import type { ObjectSchema, Schema } from '../api/schema.js';

/** Every Kubernetes protobuf body starts with `k8s\0`, then a runtime.Unknown. */
export const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** Seconds from the Unix epoch to Go's zero time, 0001-01-01T00:00:00Z. */
export const GO_ZERO_SECONDS = -62135596800;

/** metav1.MicroTime fields: their Timestamp carries nanoseconds; metav1.Time's never does. */
export const MICRO_TIME_FIELDS = new Set(['eventTime', 'renewTime', 'acquireTime', 'lastObservedTime']);

export interface FieldEntry {
  /** The field number. */
  pb: number;
  /** The JSON property ('' for an inline-embedded struct). */
  name: string;
  schema: Schema;
  /**
   * A Go struct embedded inline (`json:",inline"`): JSON flattens its fields into the parent
   * object, protobuf keeps them in one sub-message at field `pb` of the parent (Volume's
   * VolumeSource = 2, Probe's ProbeHandler = 1, SecretKeySelector's LocalObjectReference = 1…).
   * This is the message holding the properties it contributes, read from and written to the parent.
   */
  inline?: ObjectSchema;
}

export interface MessageFields {
  byNumber: Map<number, FieldEntry>;
  /** In field-number order, the order Go's generated marshallers write them in. */
  ordered: FieldEntry[];
}

interface ProtoEmbedded {
  pb: number;
  properties: string[];
}

const cache = new WeakMap<ObjectSchema, MessageFields>();

/** The message fields of an object node (properties without a field number, like apiVersion and kind, are not in it). */
export function messageFields(schema: ObjectSchema): MessageFields {
  let fields = cache.get(schema);
  if (fields) return fields;
  const marker = (schema as { protoEmbedded?: ProtoEmbedded | ProtoEmbedded[] }).protoEmbedded;
  const embedded = marker === undefined ? [] : Array.isArray(marker) ? marker : [marker];
  const embeddedNames = new Set(embedded.flatMap((e) => e.properties));
  const ordered: FieldEntry[] = [];
  for (const [name, prop] of Object.entries(schema.properties)) {
    if (prop.pb !== undefined && !embeddedNames.has(name)) ordered.push({ pb: prop.pb, name, schema: prop });
  }
  for (const e of embedded) {
    const properties: Record<string, Schema> = {};
    for (const name of e.properties) if (schema.properties[name]) properties[name] = schema.properties[name]!;
    const inline: ObjectSchema = { type: 'object', name: schema.name, properties, required: schema.required };
    ordered.push({ pb: e.pb, name: '', schema: inline, inline });
  }
  ordered.sort((a, b) => a.pb - b.pb);
  fields = { byNumber: new Map(ordered.map((f) => [f.pb, f])), ordered };
  cache.set(schema, fields);
  return fields;
}
