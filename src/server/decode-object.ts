// An object from a request body, as kube-apiserver's decoder leaves it: the media type's decoder
// (JSON, YAML, protobuf), the type meta checked against the endpoint, fieldValidation (unknown and
// duplicate fields, values of the wrong type), and the canonical form Go's types give. Pure and
// synchronous, so it runs on the event loop for small bodies and in the decode thread for large
// ones (decode-thread.ts).
import { canonicalize } from '../api/canonical.js';
import { badRequest, unsupportedMediaType } from '../api/errors.js';
import { jsonType } from '../api/json-values.js';
import { apiVersionOf, isObject, splitApiVersion, type KubeObject } from '../api/meta.js';
import type { ObjectSchema } from '../api/schema.js';
import { BODY_MEDIA_TYPES, mediaType, parseJson, summarize } from './body.js';
import { parseFieldValidation, validateFields } from './field-validation.js';
import { scanJsonText } from './json-text.js';
import { decodeProtobuf } from './protobuf.js';
import { DecodeError, parseYamlText } from './yaml-text.js';

export type SchemaLookup = (apiVersion: string, kind: string) => ObjectSchema | undefined;

export interface Gvk {
  group: string;
  version: string;
  kind: string;
}

export interface DecodeRequest {
  body: Uint8Array;
  contentType: string | undefined;
  /** The kind the endpoint takes. */
  expected: Gvk;
  /** The `fieldValidation` query parameter. */
  fieldValidation: string | null;
}

export interface Decoded {
  object: KubeObject;
  warnings: string[];
}

export function decodeRequestObject(r: DecodeRequest, schemaFor: SchemaLookup): Decoded {
  const body = Buffer.from(r.body.buffer, r.body.byteOffset, r.body.byteLength);
  const type = mediaType(r.contentType) || 'application/json';
  // Custom resources are read as JSON or YAML only (the CRD handler's serializers).
  if (type === 'application/vnd.kubernetes.protobuf' && schemaFor(apiVersionOf(r.expected.group, r.expected.version), r.expected.kind)?.unstructured) {
    throw unsupportedMediaType('application/json, application/yaml');
  }
  const text = type === 'application/vnd.kubernetes.protobuf' ? '' : body.toString('utf8');
  const obj = decodeObject(body, text, type, r.expected.kind, schemaFor);
  checkKind(obj, schemaFor, r.expected);
  const schema = schemaFor(obj.apiVersion!, obj.kind!);
  if (!schema) return { object: obj, warnings: [] };
  const findings = type === 'application/json' ? scanJsonText(text) : undefined;
  const warnings = validateFields(obj, schema, parseFieldValidation(r.fieldValidation), findings);
  canonicalize(obj, schema); // as Go's types leave it, also for objects that never reach the store (reviews)
  return { object: obj, warnings };
}

/**
 * Decodes an object body. `expectedKind` words errors the way the apiserver does
 * ("the object provided is unrecognized (must be of type ServiceAccount): …").
 */
function decodeObject(body: Buffer, text: string, type: string, expectedKind: string, schemaFor: SchemaLookup): KubeObject {
  let value: unknown;
  if (type === 'application/vnd.kubernetes.protobuf') return decodeProtobuf(body, schemaFor) as KubeObject;
  const unrecognized = (why: string) => badRequest(`the object provided is unrecognized (must be of type ${expectedKind}): couldn't get version/kind; ${why} (${summarize(body)})`);
  try {
    if (type === 'application/json') value = parseJson(text);
    else if (type === 'application/yaml') value = parseYamlText(text);
    else throw unsupportedMediaType(BODY_MEDIA_TYPES.join(', '));
  } catch (err) {
    if (!(err instanceof DecodeError)) throw err;
    throw unrecognized(err.message);
  }
  if (!isObject(value)) {
    throw unrecognized(`json parse error: json: cannot unmarshal ${jsonType(value)} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`);
  }
  // The type meta is read into a struct of two strings first (a null is no value).
  for (const field of ['apiVersion', 'kind'] as const) {
    const v = value[field];
    if (v === null) delete value[field];
    else if (v !== undefined && typeof v !== 'string') throw unrecognized(`json parse error: json: cannot unmarshal ${jsonType(v)} into Go struct field .${field} of type string`);
  }
  if (value.metadata !== undefined && !isObject(value.metadata)) {
    throw badRequest(`${String(value.kind ?? expectedKind)} in version "${String(value.apiVersion ?? '')}" cannot be handled as a ${expectedKind}: json: cannot unmarshal ${jsonType(value.metadata)} into Go struct field ${expectedKind}.metadata of type v1.ObjectMeta`);
  }
  value.metadata ??= {};
  return value as KubeObject;
}

/** Defaults an object's apiVersion and kind to the endpoint's, and rejects others as upstream does. */
export function checkKind(obj: KubeObject, schemaFor: SchemaLookup, expected: Gvk): void {
  const endpointApiVersion = apiVersionOf(expected.group, expected.version);
  if (!obj.apiVersion) obj.apiVersion = endpointApiVersion;
  if (!obj.kind) obj.kind = expected.kind;
  const { group, version } = splitApiVersion(obj.apiVersion);
  const prefix = `${obj.kind} in version "${version}" cannot be handled as a ${expected.kind}`;
  if (!schemaFor(obj.apiVersion, obj.kind)) {
    throw badRequest(`${prefix}: no kind "${obj.kind}" is registered for version "${obj.apiVersion}" in scheme "pkg/api/legacyscheme/scheme.go:30"`);
  }
  if (obj.kind !== expected.kind) {
    throw badRequest(`${prefix}: converting (${version}.${obj.kind}) to (${internalPackage(expected.group)}.${expected.kind}): unknown conversion`);
  }
  if (group !== expected.group || version !== expected.version) {
    throw badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${endpointApiVersion})`);
  }
}

/** The Go package of a group's internal types, as conversion errors name it. */
function internalPackage(group: string): string {
  if (group === '' || group === 'events.k8s.io') return 'core';
  return group.split('.')[0]!;
}
