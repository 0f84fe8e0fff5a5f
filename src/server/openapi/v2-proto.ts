// The protobuf form of the v2 document (Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf),
// which kubectl asks for: kube-openapi's ToProtoBinary parses the JSON into gnostic's
// openapi_v2.Document (NewDocument) and marshals that. The conversion below follows gnostic's: each
// JSON object becomes its message, `x-` keys become vendor extensions holding the value as YAML
// (v2-yaml.ts), a parameter becomes a body parameter or the sub-schema of its location, a `$ref`
// where a parameter or response may stand becomes a JsonReference; zero values are left out, as
// proto3 leaves them. A key the conversion does not know is an error, not a silent loss.
//
// protobufjs encodes it from the messages of OpenAPIv2.proto (openapi-v2-proto.ts). This module
// is loaded only in the thread that builds the document (v2-worker.ts).
import protobuf from 'protobufjs';
import type { Json, JsonObject } from './json.js';
import { OPENAPI_V2_PROTO } from './openapi-v2-proto.js';
import { yamlText } from './v2-yaml.js';

type Msg = Record<string, unknown>;
/** How one JSON key converts: 'value' copies a scalar or a list of scalars. */
type Field = 'value' | ((v: Json) => unknown);

const fieldName = (key: string) => (key === '$ref' ? '_ref' : key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
const isZero = (v: Json) => v === '' || v === false || v === 0;

function asObject(v: Json, what: string): JsonObject {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error(`openapi v2 protobuf: ${what} is not an object`);
  return v;
}

const any = (v: Json): Msg => ({ yaml: yamlText(v) });

function message(json: Json, what: string, fields: Record<string, Field>): Msg {
  const out: Msg = {};
  const extensions: Msg[] = [];
  for (const [key, v] of Object.entries(asObject(json, what))) {
    if (key.startsWith('x-')) {
      extensions.push({ name: key, value: any(v) });
      continue;
    }
    const field = fields[key];
    if (!field) throw new Error(`openapi v2 protobuf: ${what} has no field "${key}"`);
    if (field === 'value' ? isZero(v) : false) continue;
    out[fieldName(key)] = field === 'value' ? v : field(v);
  }
  if (extensions.length > 0) out.vendor_extension = extensions;
  return out;
}

/** A map of named values: { additional_properties: [{ name, value }] }. */
const named = (convert: (v: Json) => unknown) => (v: Json) => ({
  additional_properties: Object.entries(asObject(v, 'map')).map(([name, x]) => ({ name, value: convert(x) })),
});
const list = (convert: (v: Json) => unknown) => (v: Json) => (v as Json[]).map(convert);

const SCHEMA_SCALARS = ['$ref', 'format', 'title', 'description', 'multipleOf', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum', 'maxLength', 'minLength', 'pattern', 'maxItems', 'minItems', 'uniqueItems', 'maxProperties', 'minProperties', 'required', 'discriminator', 'readOnly'];

function schema(v: Json): Msg {
  return message(v, 'schema', {
    ...Object.fromEntries(SCHEMA_SCALARS.map((k) => [k, 'value' as const])),
    default: any,
    example: any,
    enum: list(any),
    additionalProperties: (x) => (typeof x === 'boolean' ? { boolean: x } : { schema: schema(x) }),
    type: (x) => ({ value: Array.isArray(x) ? x : [x] }),
    items: (x) => ({ schema: Array.isArray(x) ? x.map(schema) : [schema(x)] }),
    allOf: list(schema),
    properties: named(schema),
  });
}

const NON_BODY_SUB_SCHEMA: Record<string, string> = {
  header: 'header_parameter_sub_schema',
  formData: 'form_data_parameter_sub_schema',
  query: 'query_parameter_sub_schema',
  path: 'path_parameter_sub_schema',
};
const NON_BODY_SCALARS = ['required', 'in', 'description', 'name', 'allowEmptyValue', 'type', 'format', 'collectionFormat', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum', 'maxLength', 'minLength', 'pattern', 'maxItems', 'minItems', 'uniqueItems', 'multipleOf'];

function parameter(v: Json): Msg {
  const p = asObject(v, 'parameter');
  if (p.in === 'body') return { body_parameter: message(p, 'body parameter', { description: 'value', name: 'value', in: 'value', required: 'value', schema }) };
  const sub = NON_BODY_SUB_SCHEMA[p.in as string];
  if (!sub) throw new Error(`openapi v2 protobuf: a parameter in "${String(p.in)}"`);
  return { non_body_parameter: { [sub]: message(p, 'parameter', { ...Object.fromEntries(NON_BODY_SCALARS.map((k) => [k, 'value' as const])), default: any, enum: list(any) }) } };
}

const jsonReference = (v: Json): Msg => message(v, 'reference', { $ref: 'value', description: 'value' });
const parametersItem = (v: Json): Msg => ('$ref' in asObject(v, 'parameter') ? { json_reference: jsonReference(v) } : { parameter: parameter(v) });

function responses(v: Json): Msg {
  const codes: Msg[] = [];
  const extensions: Msg[] = [];
  for (const [key, r] of Object.entries(asObject(v, 'responses'))) {
    if (key.startsWith('x-')) extensions.push({ name: key, value: any(r) });
    else if (/^([0-9]{3}|default)$/.test(key))
      codes.push({
        name: key,
        value: '$ref' in asObject(r, 'response') ? { json_reference: jsonReference(r) } : { response: message(r, 'response', { description: 'value', schema: (s) => ({ schema: schema(s) }) }) },
      });
    else throw new Error(`openapi v2 protobuf: responses have no "${key}"`);
  }
  return { response_code: codes, ...(extensions.length > 0 ? { vendor_extension: extensions } : {}) };
}

const operation = (v: Json): Msg =>
  message(v, 'operation', {
    tags: 'value',
    summary: 'value',
    description: 'value',
    operationId: 'value',
    produces: 'value',
    consumes: 'value',
    parameters: list(parametersItem),
    responses,
    schemes: 'value',
    deprecated: 'value',
  });

const pathItem = (v: Json): Msg =>
  message(v, 'path item', {
    $ref: 'value',
    ...Object.fromEntries(['get', 'put', 'post', 'delete', 'options', 'head', 'patch'].map((m) => [m, operation])),
    parameters: list(parametersItem),
  });

function paths(v: Json): Msg {
  const out: Msg = { path: [] };
  for (const [key, item] of Object.entries(asObject(v, 'paths'))) {
    if (key.startsWith('x-')) ((out.vendor_extension ??= []) as Msg[]).push({ name: key, value: any(item) });
    else (out.path as Msg[]).push({ name: key, value: pathItem(item) });
  }
  return out;
}

function securityDefinition(v: Json): Msg {
  const d = asObject(v, 'security definition');
  if (d.type === 'apiKey') return { api_key_security: message(d, 'apiKey security', { type: 'value', name: 'value', in: 'value', description: 'value' }) };
  if (d.type === 'basic') return { basic_authentication_security: message(d, 'basic security', { type: 'value', description: 'value' }) };
  throw new Error(`openapi v2 protobuf: a security definition of type "${String(d.type)}"`);
}

const securityRequirement = (v: Json): Msg => ({
  additional_properties: Object.entries(asObject(v, 'security requirement')).map(([name, scopes]) => ({ name, value: { value: scopes } })),
});

/** The gnostic Document message of a v2 document, as protobufjs takes it. */
export function documentMessage(doc: JsonObject): Msg {
  return message(doc, 'document', {
    swagger: 'value',
    info: (v) => message(v, 'info', { title: 'value', version: 'value', description: 'value', termsOfService: 'value' }),
    host: 'value',
    basePath: 'value',
    schemes: 'value',
    consumes: 'value',
    produces: 'value',
    paths,
    definitions: named(schema),
    parameters: named(parameter),
    security: list(securityRequirement),
    securityDefinitions: named(securityDefinition),
  });
}

let documentType: protobuf.Type | undefined;

/** openapi.v2.Document, from the .proto; it imports google/protobuf/any.proto, which protobufjs has built in. */
export function openApiV2DocumentType(): protobuf.Type {
  if (!documentType) {
    const root = protobuf.Root.fromJSON(protobuf.common.get('google/protobuf/any.proto')!);
    protobuf.parse(OPENAPI_V2_PROTO, root, { keepCase: true });
    documentType = root.lookupType('openapi.v2.Document');
  }
  return documentType;
}

/** kube-openapi's ToProtoBinary: the v2 document as the protobuf bytes kubectl decodes. */
export function toProtoBinary(doc: JsonObject): Uint8Array {
  return openApiV2DocumentType().encode(documentMessage(doc)).finish();
}
