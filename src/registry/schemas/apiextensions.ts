// apiextensions.k8s.io/v1 CustomResourceDefinition (k8s.io/apiextensions-apiserver), as served by
// Kubernetes 1.32: what a definition says about the resource it adds. The schema of a version's
// objects (JSONSchemaProps) is kept as any JSON.
import { any, arr, bool, described, int32, keyedList, obj, pb, str, time } from '../../api/schema.js';
import { kind } from './meta.js';

const APIEXTENSIONS = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1';

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

const version = obj(
  `${APIEXTENSIONS}.CustomResourceDefinitionVersion`,
  'One version of a custom resource.',
  {
    additionalPrinterColumns: pb(6, arr(column, 'Columns of its table besides the name.', { listType: 'atomic' })),
    deprecated: pb(7, bool('Whether requests to this version get a deprecation warning.')),
    deprecationWarning: pb(8, str('The warning sent instead of the default one.')),
    name: pb(1, str('The version name, e.g. v1 or v2beta1.')),
    selectableFields: pb(
      9,
      arr(obj(`${APIEXTENSIONS}.SelectableField`, 'A field of the objects that field selectors may name.', { jsonPath: pb(1, str('The JSON path of the field, e.g. .spec.color.')) }, { required: ['jsonPath'] }), 'Fields field selectors may name besides metadata.name and metadata.namespace.', { listType: 'atomic' }),
    ),
    schema: pb(
      4,
      obj(`${APIEXTENSIONS}.CustomResourceValidation`, 'The schema objects of a version are checked against.', {
        openAPIV3Schema: pb(1, any('The OpenAPI v3 schema of the objects.')),
      }),
    ),
    served: pb(2, bool('Whether this version is served.')),
    storage: pb(3, bool('Whether objects are stored in this version; exactly one version is.')),
    subresources: pb(5, any('The status and scale subresources of this version.')),
  },
  { required: ['name', 'served', 'storage'] },
);

const spec = obj(
  `${APIEXTENSIONS}.CustomResourceDefinitionSpec`,
  'The resource a definition adds.',
  {
    conversion: pb(9, any('How objects are converted between versions.')),
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
