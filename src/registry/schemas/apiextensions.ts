// apiextensions.k8s.io/v1 CustomResourceDefinition (k8s.io/apiextensions-apiserver), as served by
// Kubernetes 1.32: what a definition says about the resource it adds, with the JSON schema of its
// objects (JSONSchemaProps), which refers to itself: its properties, items, allOf… are schemas too.
import { arr, bool, bytes, described, double, int32, int64, keyedList, mapOf, obj, pb, ptr, str, time, type AnySchema, type EitherSchema, type ObjectSchema, type Schema } from '../../api/schema.js';
import { kind } from './meta.js';

const APIEXTENSIONS = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1';

/** apiextensions.v1.JSON: any JSON value, kept as its raw bytes (protobuf `raw`, field 1). */
const json = (description: string): AnySchema => ({ type: 'any', name: `${APIEXTENSIONS}.JSON`, description: 'Any JSON value: a boolean, number, string, list, object or null.', fieldDescription: description });

// JSONSchemaProps is filled in below, once the nodes that refer back to it exist.
const schemaProperties: Record<string, Schema> = {};
export const jsonSchemaProps: ObjectSchema = obj(`${APIEXTENSIONS}.JSONSchemaProps`, 'A JSON schema (draft 4, as OpenAPI v3 restricts it) of a value.', schemaProperties);

const orBool = (description: string): EitherSchema =>
  ptr({ type: 'either', name: `${APIEXTENSIONS}.JSONSchemaPropsOrBool`, description: 'A schema, or a boolean: true allows anything, false nothing.', fieldDescription: description, object: jsonSchemaProps, objectPb: 2, boolPb: 1 });
const orArray: EitherSchema = ptr({
  type: 'either',
  name: `${APIEXTENSIONS}.JSONSchemaPropsOrArray`,
  description: 'A schema, or a list of schemas.',
  fieldDescription: 'The schema of the items of an array.',
  object: jsonSchemaProps,
  objectPb: 1,
  list: { items: jsonSchemaProps, pb: 2 },
});
const orStringArray: EitherSchema = {
  type: 'either',
  name: `${APIEXTENSIONS}.JSONSchemaPropsOrStringArray`,
  description: 'A schema, or a list of property names.',
  object: jsonSchemaProps,
  objectPb: 1,
  list: { items: str(), pb: 2 },
};

const externalDocumentation = obj(`${APIEXTENSIONS}.ExternalDocumentation`, 'Where more about a schema is written.', {
  description: pb(1, str('What the documentation is.')),
  url: pb(2, str('Its address.')),
});

const validationRule = obj(`${APIEXTENSIONS}.ValidationRule`, 'A CEL rule the values of a schema must satisfy.', {
  fieldPath: pb(5, str('The field the error is reported at, relative to the schema (.a.b or [\'k\']).')),
  message: pb(2, str('The message of the error when the rule fails.')),
  messageExpression: pb(3, str('A CEL expression giving the message of the error.')),
  optionalOldSelf: pb(6, ptr(bool('Evaluate the rule on creates too, with oldSelf an optional.'))),
  reason: pb(4, ptr(str('FieldValueInvalid, FieldValueForbidden, FieldValueRequired or FieldValueDuplicate.'))),
  rule: pb(1, str('The CEL expression: self is the value, oldSelf the previous one.')),
}, { required: ['rule'] });

Object.assign(schemaProperties, {
  $ref: pb(3, ptr(str('Not supported in custom resource schemas.'))),
  $schema: pb(2, str('The JSON schema dialect.')),
  additionalItems: pb(33, orBool('Not supported in custom resource schemas.')),
  additionalProperties: pb(30, orBool('The schema of the values of a map.')),
  allOf: pb(25, arr(jsonSchemaProps, 'Schemas the value must all satisfy.', { listType: 'atomic' })),
  anyOf: pb(27, arr(jsonSchemaProps, 'Schemas the value must satisfy at least one of.', { listType: 'atomic' })),
  default: pb(8, ptr(json('The value set where the field is missing; it must satisfy the schema.'))),
  definitions: pb(34, mapOf(jsonSchemaProps, 'Not supported in custom resource schemas.')),
  dependencies: pb(32, mapOf(orStringArray, 'Not supported in custom resource schemas.')),
  description: pb(4, str('What the value is.')),
  enum: pb(20, arr(json('One allowed value.'), 'The values allowed.', { listType: 'atomic' })),
  example: pb(36, ptr(json('An example value.'))),
  exclusiveMaximum: pb(10, bool('Whether the maximum itself is excluded.')),
  exclusiveMinimum: pb(12, bool('Whether the minimum itself is excluded.')),
  externalDocs: pb(35, ptr(described('Where more is written.', externalDocumentation))),
  format: pb(6, str('The format of a string or number (date-time, int32, byte, …).')),
  id: pb(1, str('Not supported in custom resource schemas.')),
  items: pb(24, orArray),
  maxItems: pb(16, ptr(int64('The most items an array may have.'))),
  maxLength: pb(13, ptr(int64('The most characters a string may have.'))),
  maxProperties: pb(21, ptr(int64('The most properties an object may have.'))),
  maximum: pb(9, ptr(double('The largest number allowed.'))),
  minItems: pb(17, ptr(int64('The fewest items an array may have.'))),
  minLength: pb(14, ptr(int64('The fewest characters a string may have.'))),
  minProperties: pb(22, ptr(int64('The fewest properties an object may have.'))),
  minimum: pb(11, ptr(double('The smallest number allowed.'))),
  multipleOf: pb(19, ptr(double('A number the value must be a multiple of.'))),
  not: pb(28, ptr(described('A schema the value must not satisfy.', jsonSchemaProps))),
  nullable: pb(37, bool('Whether null is allowed.')),
  oneOf: pb(26, arr(jsonSchemaProps, 'Schemas the value must satisfy exactly one of.', { listType: 'atomic' })),
  pattern: pb(15, str('A regular expression a string must match.')),
  patternProperties: pb(31, mapOf(jsonSchemaProps, 'Not supported in custom resource schemas.')),
  properties: pb(29, mapOf(jsonSchemaProps, 'The schemas of the fields of an object.')),
  required: pb(23, arr(str(), 'The fields an object must have.', { listType: 'atomic' })),
  title: pb(7, str('A title for the value.')),
  type: pb(5, str('object, array, string, integer, number or boolean.')),
  uniqueItems: pb(18, bool('Not supported in custom resource schemas.')),
  'x-kubernetes-embedded-resource': pb(39, bool('The value is an object with apiVersion, kind and metadata.')),
  'x-kubernetes-int-or-string': pb(40, bool('The value is an integer or a string.')),
  'x-kubernetes-list-map-keys': pb(41, arr(str(), 'The item fields a list of type map is keyed by.', { listType: 'atomic' })),
  'x-kubernetes-list-type': pb(42, ptr(str('atomic, set or map: how the list is merged.'))),
  'x-kubernetes-map-type': pb(43, ptr(str('granular or atomic: how the object is merged.'))),
  'x-kubernetes-preserve-unknown-fields': pb(38, ptr(bool('Fields the schema does not name are kept.'))),
  'x-kubernetes-validations': pb(44, keyedList(validationRule, 'rule', 'CEL rules the value must satisfy.', { listType: 'map', listMapKeys: ['rule'] })),
});

const names = obj(
  `${APIEXTENSIONS}.CustomResourceDefinitionNames`,
  'The names a custom resource is served under.',
  {
    categories: pb(6, arr(str(), 'Groups of resources it belongs to (e.g. all).', { listType: 'atomic' })),
    kind: pb(4, str('The kind of its objects, in CamelCase.')),
    listKind: pb(5, str('The kind of its lists; <kind>List when unset.')),
    plural: pb(1, str('The plural, lower-case name it is served under.')),
    shortNames: pb(3, arr(str(), 'Short aliases for clients.', { listType: 'atomic' })),
    singular: pb(2, str('The singular, lower-case name; the lower-cased kind when unset.')),
  },
  { required: ['plural', 'kind'] },
);

const column = obj(
  `${APIEXTENSIONS}.CustomResourceColumnDefinition`,
  'A column of the table its objects are printed in.',
  {
    description: pb(4, str('What the column shows.')),
    format: pb(3, str('The OpenAPI format of the column.')),
    jsonPath: pb(6, str('The JSON path of the value in each object.')),
    name: pb(1, str('The column heading.')),
    priority: pb(5, int32('Columns above 0 are shown only in the wide output.')),
    type: pb(2, str('The OpenAPI type of the column.')),
  },
  { required: ['name', 'type', 'jsonPath'] },
);

const scale = obj(`${APIEXTENSIONS}.CustomResourceSubresourceScale`, 'Where the scale subresource finds its numbers.', {
  labelSelectorPath: pb(3, ptr(str('The JSON path of the serialized label selector (under .spec or .status).'))),
  specReplicasPath: pb(1, str('The JSON path of the desired replicas, under .spec.')),
  statusReplicasPath: pb(2, str('The JSON path of the observed replicas, under .status.')),
}, { required: ['specReplicasPath', 'statusReplicasPath'] });

const subresources = obj(`${APIEXTENSIONS}.CustomResourceSubresources`, 'The subresources a version serves.', {
  scale: pb(2, ptr(described('Serve /scale.', scale))),
  status: pb(1, ptr(described('Serve /status: the main resource ignores status, /status ignores the rest.', obj(`${APIEXTENSIONS}.CustomResourceSubresourceStatus`, 'Enables the status subresource; it has no fields.', {})))),
});

const selectableField = obj(`${APIEXTENSIONS}.SelectableField`, 'A field that field selectors may name.', {
  jsonPath: pb(1, str('The JSON path of the field (a string, integer or boolean, not under metadata).')),
}, { required: ['jsonPath'] });

const version = obj(
  `${APIEXTENSIONS}.CustomResourceDefinitionVersion`,
  'One version of a custom resource.',
  {
    additionalPrinterColumns: pb(6, arr(column, 'Columns of its table besides the name.', { listType: 'atomic' })),
    deprecated: pb(7, bool('Whether requests to this version get a deprecation warning.')),
    deprecationWarning: pb(8, ptr(str('The warning sent instead of the default one.'))),
    name: pb(1, str('The version name, e.g. v1 or v2beta1.')),
    schema: pb(
      4,
      ptr(obj(`${APIEXTENSIONS}.CustomResourceValidation`, 'The schema objects of a version are checked against.', {
        openAPIV3Schema: pb(1, ptr(described('The OpenAPI v3 schema of the objects.', jsonSchemaProps))),
      })),
    ),
    selectableFields: pb(9, arr(selectableField, 'Fields field selectors may name, besides metadata.name and metadata.namespace.', { listType: 'atomic' })),
    served: pb(2, bool('Whether this version is served.')),
    storage: pb(3, bool('Whether objects are stored in this version; exactly one version is.')),
    subresources: pb(5, ptr(described('The status and scale subresources of this version.', subresources))),
  },
  { required: ['name', 'served', 'storage'] },
);

const serviceReference = obj(`${APIEXTENSIONS}.ServiceReference`, 'A Service the webhook is reached through.', {
  name: pb(2, str('The name of the Service.')),
  namespace: pb(1, str('The namespace of the Service.')),
  path: pb(3, ptr(str('The URL path requests are sent to.'))),
  port: pb(4, ptr(int32('The port (443 when unset).'))),
}, { required: ['namespace', 'name'] });

const webhookClientConfig = obj(`${APIEXTENSIONS}.WebhookClientConfig`, 'How the webhook is reached: a URL or a Service.', {
  caBundle: pb(2, bytes('PEM certificates that sign the webhook\'s serving certificate.')),
  service: pb(1, ptr(described('The Service, when no URL is given.', serviceReference))),
  url: pb(3, ptr(str('The https URL, when no Service is given.'))),
});

const webhookConversion = obj(`${APIEXTENSIONS}.WebhookConversion`, 'The webhook that converts objects between versions.', {
  clientConfig: pb(2, ptr(described('How it is reached.', webhookClientConfig))),
  conversionReviewVersions: pb(3, arr(str(), 'The ConversionReview versions it understands, preferred first.', { listType: 'atomic' })),
}, { required: ['conversionReviewVersions'] });

const conversion = obj(`${APIEXTENSIONS}.CustomResourceConversion`, 'How objects are converted between versions.', {
  strategy: pb(1, str('None (only apiVersion changes) or Webhook.')),
  webhook: pb(2, ptr(described('The webhook, with the Webhook strategy.', webhookConversion))),
}, { required: ['strategy'] });

const spec = obj(
  `${APIEXTENSIONS}.CustomResourceDefinitionSpec`,
  'The resource a definition adds.',
  {
    conversion: pb(9, ptr(described('How objects are converted between versions.', conversion))),
    group: pb(1, str('The API group it is served in.')),
    names: pb(3, described('The names it is served under.', names)),
    preserveUnknownFields: pb(10, bool('Deprecated: keep fields the schema does not know.')),
    scope: pb(4, str('Cluster or Namespaced.')),
    versions: pb(7, arr(version, 'Its versions.', { listType: 'atomic' })),
  },
  { required: ['group', 'names', 'scope', 'versions'] },
);

const condition = obj(
  `${APIEXTENSIONS}.CustomResourceDefinitionCondition`,
  'One condition of a definition (Established, NamesAccepted, Terminating).',
  {
    lastTransitionTime: pb(3, time('When the condition last changed.')),
    message: pb(5, str('A human-readable explanation.')),
    reason: pb(4, str('A one-word reason, in CamelCase.')),
    status: pb(2, str('True, False or Unknown.')),
    type: pb(1, str('The type of the condition.')),
  },
  { required: ['type', 'status'] },
);

const status = obj(`${APIEXTENSIONS}.CustomResourceDefinitionStatus`, 'The state of a definition.', {
  acceptedNames: pb(2, described('The names discovery serves, which may differ from the spec.', names)),
  conditions: pb(1, { ...keyedList(condition, 'type', 'Its conditions.'), listType: 'map', listMapKeys: ['type'] }),
  storedVersions: pb(3, arr(str(), 'Every version objects were ever stored in.', { listType: 'atomic' })),
});

export const customResourceDefinition = kind(
  'apiextensions.k8s.io',
  'v1',
  'CustomResourceDefinition',
  APIEXTENSIONS,
  'A resource added to the API server; its name is <plural>.<group>.',
  {
    spec: pb(2, described('The resource it adds.', spec)),
    status: pb(3, described('Its state.', status)),
  },
  { required: ['spec'] },
);
