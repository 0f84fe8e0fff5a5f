// One schema per kind, written here, from which the server derives its OpenAPI documents, the
// unknown-field check of fieldValidation, the strategic-merge-patch keys and the protobuf decoder
// and encoder.
//
// A schema is a tree of plain nodes. Named object nodes (`name` set) become OpenAPI components;
// `pb` is the field's number in the Kubernetes protobuf message of its parent.

export type PatchStrategy = 'merge' | 'replace' | 'retainKeys' | 'merge,retainKeys';

interface Common {
  /** What the value is; for a named object, what the type is. */
  description?: string;
  /** What the field holding a shared (named) type means, set with described(). */
  fieldDescription?: string;
  /** Field number in the parent's protobuf message (k8s.io/api generated.proto). */
  pb?: number;
  /**
   * The Go field is a pointer (`*int32`, `*LabelSelector`, `*metav1.Time`…): a set zero value
   * (0, false, "") is kept, as Go's JSON keeps it, and protobuf writes the field only when it is
   * set. A field that is not a pointer is always written in protobuf, as its zero value when unset.
   */
  pointer?: boolean;
  /**
   * The Go field is not a pointer and its json tag has no omitempty: its zero value is kept. Only
   * set where the field is not already in its object's `required` list (which implies the same).
   * On an object: a Go struct value (not a pointer), which the zero value of its parent already
   * holds as `{}`, so that field management does not count it as added with its first field.
   */
  keepZero?: boolean;
  /**
   * The default the OpenAPI schema declares (`+default=`): server-side apply counts a list-map
   * key field left out of an item as this value (`protocol` of container ports is TCP).
   */
  default?: string | number | boolean;
  /** OpenAPI nullable (custom resources): null is a value of the field, kept as sent. */
  nullable?: boolean;
}

export interface StringSchema extends Common {
  type: 'string';
  /** OpenAPI format: 'date-time' (metav1.Time), 'byte' (base64 []byte). */
  format?: 'date-time' | 'byte';
  /** metav1.Duration: a Go duration string in JSON, a message {1 int64 nanoseconds} in protobuf. */
  duration?: true;
  enum?: string[];
}
export interface IntegerSchema extends Common {
  type: 'integer';
  format: 'int32' | 'int64';
}
export interface NumberSchema extends Common {
  type: 'number';
  format: 'double';
}
export interface BooleanSchema extends Common {
  type: 'boolean';
}
/** resource.Quantity: a string or a number on the wire. */
export interface QuantitySchema extends Common {
  type: 'quantity';
}
/** intstr.IntOrString. */
export interface IntOrStringSchema extends Common {
  type: 'int-or-string';
}
/** Any JSON value (runtime.RawExtension, x-kubernetes-preserve-unknown-fields). */
export interface AnySchema extends Common {
  type: 'any';
  /**
   * The OpenAPI component it is served as, described by `description` (apiextensions' JSON);
   * unset for runtime.RawExtension (and FieldsV1, by its property name).
   */
  name?: string;
}
/**
 * A Go type with its own JSON marshaller that holds one of a few shapes (apiextensions'
 * JSONSchemaPropsOrBool, …OrArray, …OrStringArray): an object of `object`, or a boolean, or a list
 * of `list.items`. OpenAPI serves it as the component `name`, with no type; protobuf as a message
 * with one field per shape. Objects may refer to themselves through it (JSONSchemaProps is
 * recursive), so walks over schemas without a value must remember what they have seen.
 */
export interface EitherSchema extends Common {
  type: 'either';
  name: string;
  object: ObjectSchema;
  /** The message field of the object form. */
  objectPb: number;
  /** The boolean form's message field (set with the object form too, as true). */
  boolPb?: number;
  /** The list form: its items and their (repeated) message field. */
  list?: { items: Schema; pb: number };
}
export interface ObjectSchema extends Common {
  type: 'object';
  /** OpenAPI component name, e.g. io.k8s.api.core.v1.ServiceAccount. Unnamed objects are inlined. */
  name?: string;
  properties: Record<string, Schema>;
  required?: string[];
  /** Set on top-level kinds: the GVKs this component is served as. */
  gvk?: { group: string; version: string; kind: string }[];
  /** Strategic-merge-patch behaviour of the map itself (only 'retainKeys' exists upstream). */
  patchStrategy?: PatchStrategy;
  /** x-kubernetes-map-type ('atomic' replaces the whole object on merge). */
  mapType?: 'atomic' | 'granular';
  /**
   * A Go struct embedded inline: JSON flattens its fields into this object, while protobuf keeps
   * them in one sub-message at field `pb`; the listed properties carry their numbers inside it.
   */
  protoEmbedded?: ProtoEmbedding;
  /**
   * A custom resource (its root) or a part of one: an unstructured object, kept as sent (no Go zero
   * values dropped, no type errors at decode: its CRD's validation words those), whose unknown
   * fields are pruned (registry/apiextensions/custom-prune.ts) rather than checked as Go's decoder does.
   */
  unstructured?: boolean;
  /** x-kubernetes-preserve-unknown-fields: fields the properties do not name are kept. */
  preserveUnknownFields?: boolean;
  /** x-kubernetes-embedded-resource: an object with its own apiVersion, kind and metadata. */
  embeddedResource?: boolean;
  /**
   * The component as OpenAPI publishes it, for kinds whose schema is not written here (a CRD's
   * openAPIV3Schema with its value validations): v3 and v2, which drops what Swagger 2.0 cannot say.
   */
  published?: { v3: Record<string, unknown>; v2: Record<string, unknown> };
}
/** An inline-embedded Go struct's protobuf sub-message: its field number, the properties it holds, and a struct embedded in it in turn. */
export interface ProtoEmbedding {
  pb: number;
  properties: string[];
  embedded?: ProtoEmbedding;
}
export interface ArraySchema extends Common {
  type: 'array';
  items: Schema;
  /** x-kubernetes-patch-merge-key */
  mergeKey?: string;
  /** x-kubernetes-patch-strategy */
  patchStrategy?: PatchStrategy;
  /** x-kubernetes-list-type */
  listType?: 'atomic' | 'set' | 'map';
  /** x-kubernetes-list-map-keys */
  listMapKeys?: string[];
  /** An empty list says what a missing one does not, so the canonical form keeps it (`managedFields: []` resets them). */
  keepEmpty?: boolean;
}
/** A map with string keys (OpenAPI additionalProperties). */
export interface MapSchema extends Common {
  type: 'map';
  values: Schema;
}

export type Schema =
  | StringSchema
  | IntegerSchema
  | NumberSchema
  | BooleanSchema
  | QuantitySchema
  | IntOrStringSchema
  | AnySchema
  | EitherSchema
  | ObjectSchema
  | ArraySchema
  | MapSchema;

// ---- constructors: small, so that schema files read like the Go types they describe ----

type Opts<T> = Omit<T, 'type'>;

export const str = (description?: string, opts: Opts<StringSchema> = {}): StringSchema => ({ type: 'string', description, ...opts });
export const int32 = (description?: string): IntegerSchema => ({ type: 'integer', format: 'int32', description });
export const int64 = (description?: string): IntegerSchema => ({ type: 'integer', format: 'int64', description });
export const double = (description?: string): NumberSchema => ({ type: 'number', format: 'double', description });
export const bool = (description?: string): BooleanSchema => ({ type: 'boolean', description });
export const quantity = (description?: string): QuantitySchema => ({ type: 'quantity', description });
export const intOrString = (description?: string): IntOrStringSchema => ({ type: 'int-or-string', description });
export const any = (description?: string): AnySchema => ({ type: 'any', description });
export const time = (description?: string): StringSchema => ({ type: 'string', format: 'date-time', description });
export const bytes = (description?: string): StringSchema => ({ type: 'string', format: 'byte', description });
export const mapOf = (values: Schema, description?: string): MapSchema => ({ type: 'map', values, description });
export const stringMap = (description?: string): MapSchema => ({ type: 'map', values: str(), description });

export function obj(
  name: string | undefined,
  description: string,
  properties: Record<string, Schema>,
  opts: Omit<Opts<ObjectSchema>, 'properties' | 'name' | 'description'> = {},
): ObjectSchema {
  return { type: 'object', name, description, properties, ...opts };
}

export function arr(items: Schema, description?: string, opts: Omit<Opts<ArraySchema>, 'items' | 'description'> = {}): ArraySchema {
  return { type: 'array', items, description, ...opts };
}

/** A list merged by key, e.g. containers by name (patchStrategy merge, list-type map). */
export function keyedList(items: Schema, key: string, description?: string, opts: Omit<Opts<ArraySchema>, 'items' | 'description'> = {}): ArraySchema {
  return { type: 'array', items, description, mergeKey: key, patchStrategy: 'merge', ...opts };
}

/** Adds the fields of an inline-embedded Go struct (protobuf sub-message `pbNumber`), keeping properties sorted. */
export function embed(schema: ObjectSchema, pbNumber: number, fields: Record<string, Schema>): ObjectSchema {
  const merged: Record<string, Schema> = { ...schema.properties, ...fields };
  const properties: Record<string, Schema> = {};
  for (const key of Object.keys(merged).sort()) properties[key] = merged[key]!;
  return { ...schema, properties, protoEmbedded: { pb: pbNumber, properties: Object.keys(fields).sort() } };
}

/** The same node with its protobuf field number set. */
export function pb<T extends Schema>(n: number, schema: T): T {
  return { ...schema, pb: n };
}

/** The same node, marked as a Go pointer field (`*int32`, `*string`, `*Probe`…): a set zero value is kept. */
export const ptr = <T extends Schema>(s: T): T => ({ ...s, pointer: true });

/** The same node, marked as a non-pointer Go field without omitempty: its zero value is kept. */
export const keepZero = <T extends Schema>(s: T): T => ({ ...s, keepZero: true });

/** A shared type, described for the field that holds it. */
export function described<T extends Schema>(fieldDescription: string, schema: T): T {
  return { ...schema, fieldDescription };
}

/** Follows a dotted path of property names through objects, array items and map values. */
export function schemaAt(root: Schema, path: string[]): Schema | undefined {
  let node: Schema | undefined = root;
  for (const part of path) {
    while (node && (node.type === 'array' || node.type === 'map')) node = node.type === 'array' ? node.items : node.values;
    if (!node || node.type !== 'object') return undefined;
    node = node.properties[part];
  }
  return node;
}
