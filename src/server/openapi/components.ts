// The components every document shares: the meta/v1 kinds the operations refer to (DeleteOptions,
// WatchEvent, APIResourceList, Patch), written with the schema DSL, and Status (registry/schemas/meta.ts,
// which protobuf replies share); the list kind of a resource; and the non-object types (Time,
// Quantity, IntOrString…) as upstream names and types them.
import { arr, bool, int64, obj, str, type ObjectSchema } from '../../api/schema.js';
import { listMeta, status, typeMeta } from '../../registry/schemas/meta.js';
import type { Gvk } from './operations.js';
import type { JsonObject } from './json.js';

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
export const TIME = `${META}.Time`;
const MICRO_TIME = `${META}.MicroTime`;
export const FIELDS_V1 = `${META}.FieldsV1`;
export const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
export const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
export const RAW_EXTENSION = 'io.k8s.apimachinery.pkg.runtime.RawExtension';

/** Non-object components, as upstream names and types them. Only emitted when referenced. */
export const SCALAR_COMPONENTS: Record<string, JsonObject> = {
  [TIME]: {
    description: 'A point in time, serialized as an RFC 3339 string with second precision.',
    format: 'date-time',
    type: 'string',
  },
  [MICRO_TIME]: {
    description: 'A point in time with microsecond precision, serialized as an RFC 3339 string.',
    format: 'date-time',
    type: 'string',
  },
  [QUANTITY]: {
    description:
      'A fixed-point number with an optional SI or binary suffix (100m, 1.5Gi, 2e3), written as a string; numbers are accepted too.',
    oneOf: [{ type: 'string' }, { type: 'number' }],
  },
  [INT_OR_STRING]: {
    description: 'Holds either an int32 or a string; the JSON value is the one it holds.',
    format: 'int-or-string',
    oneOf: [{ type: 'integer' }, { type: 'string' }],
  },
  [RAW_EXTENSION]: {
    description: 'An embedded object of any kind, kept as the JSON it was written in.',
    type: 'object',
  },
  [FIELDS_V1]: {
    description:
      "A set of fields as a trie in JSON: each key is '.', 'f:<name>', 'v:<value>', 'i:<index>' or 'k:<keys>'; see sigs.k8s.io/structured-merge-diff.",
    type: 'object',
  },
};

/** The same in OpenAPI v2, which has no oneOf: a quantity and an int-or-string are typed as strings (OpenAPIV2Definition). */
export const SCALAR_DEFINITIONS_V2: Record<string, JsonObject> = {
  ...SCALAR_COMPONENTS,
  [QUANTITY]: { description: SCALAR_COMPONENTS[QUANTITY]!.description!, type: 'string' },
  [INT_OR_STRING]: { description: SCALAR_COMPONENTS[INT_OR_STRING]!.description!, format: 'int-or-string', type: 'string' },
};

const preconditions = obj(`${META}.Preconditions`, 'Conditions that must hold before an update or delete is carried out.', {
  resourceVersion: str('The resourceVersion the object must have.'),
  uid: str('The UID the object must have.'),
});

function deleteOptionsSchema(gvks: { group: string; version: string; kind: string }[]): ObjectSchema {
  return obj(
    `${META}.DeleteOptions`,
    'Options for deleting an object.',
    {
      ...typeMeta,
      dryRun: arr(str(), 'When set to All, the request is fully processed but nothing is persisted.', { listType: 'atomic' }),
      gracePeriodSeconds: int64('Seconds before the object is deleted; 0 deletes at once; unset uses the default of the kind.'),
      ignoreStoreReadErrorWithClusterBreakingPotential: bool(
        'Deletes an object that can no longer be read from storage, bypassing the normal deletion flow. Unsafe.',
      ),
      orphanDependents: bool('Deprecated, use propagationPolicy: whether dependents are orphaned.'),
      preconditions: { ...preconditions, fieldDescription: 'Must hold before the deletion is carried out; otherwise 409 Conflict.' },
      propagationPolicy: str('Orphan, Background or Foreground garbage collection of dependents.'),
    },
    { gvk: gvks },
  );
}

export const patchSchema = obj(`${META}.Patch`, 'The body of a PATCH request; its format is given by the Content-Type.', {});

function watchEventSchema(gvks: { group: string; version: string; kind: string }[]): ObjectSchema {
  return obj(
    `${META}.WatchEvent`,
    'One change to a watched object.',
    {
      object: {
        type: 'any',
        fieldDescription:
          'The object: its new state for ADDED and MODIFIED, its last state for DELETED, a Status for ERROR, a bookmark object for BOOKMARK.',
      },
      type: str('ADDED, MODIFIED, DELETED, BOOKMARK or ERROR.'),
    },
    { required: ['type', 'object'], gvk: gvks },
  );
}

const apiResource = obj(
  `${META}.APIResource`,
  'A resource served in a group version, and what can be done with it.',
  {
    categories: arr(str(), 'Groups of resources this one belongs to (e.g. all).', { listType: 'atomic' }),
    group: str('The preferred group of the resource, when it differs from the group of the list.'),
    kind: str('The kind of the resource.'),
    name: str('The plural name of the resource, with /<subresource> for a subresource.'),
    namespaced: bool('Whether the resource lives in namespaces.'),
    shortNames: arr(str(), 'Short aliases of the resource.', { listType: 'atomic' }),
    singularName: str('The singular name of the resource.'),
    storageVersionHash: str('A hash of the version the resource is stored in.'),
    verbs: arr(str(), 'Verbs supported by the resource: get, list, watch, create, update, patch, delete, deletecollection…'),
    version: str('The preferred version of the resource, when it differs from the version of the list.'),
  },
  { required: ['name', 'singularName', 'namespaced', 'kind', 'verbs'] },
);

export const apiResourceList = obj(
  `${META}.APIResourceList`,
  'The resources served in one group version.',
  {
    ...typeMeta,
    groupVersion: str('The group version of the resources.'),
    resources: arr(apiResource, 'The resources, and whether they are namespaced.', { listType: 'atomic' }),
  },
  { required: ['groupVersion', 'resources'], gvk: [{ group: '', version: 'v1', kind: 'APIResourceList' }] },
);

export function listSchema(def: Gvk, schema: ObjectSchema): ObjectSchema {
  const kind = `${def.kind}List`;
  return obj(
    `${schema.name}List`,
    `${kind} is a list of ${def.kind} objects.`,
    {
      apiVersion: typeMeta.apiVersion!,
      items: arr(schema, `The ${def.kind} objects.`),
      kind: typeMeta.kind!,
      metadata: { ...listMeta, fieldDescription: "Standard list metadata." },
    },
    { required: ['items'], gvk: [{ group: def.group, version: def.version, kind }] },
  );
}

export interface SharedComponents {
  deleteOptions: ObjectSchema;
  watchEvent: ObjectSchema;
  status: ObjectSchema;
}

/** DeleteOptions and WatchEvent are registered in every group version, as upstream lists them. */
export function sharedComponents(gvs: { group: string; version: string }[]): SharedComponents {
  const sharedGvks = (kind: string): Gvk[] => {
    const list: Gvk[] = [{ group: '', version: 'v1', kind }];
    for (const gv of [...gvs].sort((a, b) => (a.group === b.group ? a.version.localeCompare(b.version) : a.group.localeCompare(b.group))))
      if (gv.group !== '') list.push({ group: gv.group, version: gv.version, kind });
    return list;
  };
  return { deleteOptions: deleteOptionsSchema(sharedGvks('DeleteOptions')), watchEvent: watchEventSchema(sharedGvks('WatchEvent')), status };
}
