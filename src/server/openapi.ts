// OpenAPI v3 documents, one per served group version, derived from the resources' schemas.
//
// What kubectl reads from them (kubectl 1.32):
// - `apply` (cli-runtime query_param_verifier_v3.go): the first `patch` operation whose
//   x-kubernetes-group-version-kind object names the kind must list a `fieldValidation` parameter
//   among its own (not path-level) parameters, else client-side validation starts.
// - `apply` (kubectl apply/patcher.go): when that patch operation's requestBody offers
//   application/strategic-merge-patch+json, the three-way patch is computed from components.schemas:
//   the component whose x-kubernetes-group-version-kind array names the kind, following
//   `allOf[0].$ref` and `items`, reading x-kubernetes-patch-merge-key / x-kubernetes-patch-strategy.
// - `explain` (explain/v2 templates): the GVK of the first get/post/put/patch/delete operation on
//   /<prefix>/<version>/<resource>, …/{name}, …/namespaces/{namespace}/<resource>, …/{name}; then
//   the component holding that GVK; field types from `items`, `additionalProperties`, a lone `allOf`
//   and the last segment of a `$ref` (or the referenced schema's `type` when it is not an object).
//
// Shape follows kube-openapi's builder3 output: keys sorted, parameters common to every operation of
// a path hoisted to the path, named types as components referenced through allOf when the reference
// carries a description or default. Descriptions of the server-made parts are our own words.
import { createHash } from 'node:crypto';
import { arr, bool, int32, int64, obj, str, type ObjectSchema, type Schema } from '../api/schema.js';
import { listMeta, typeMeta } from '../registry/schemas/meta.js';
import { verbsOf, type ResourceDef, type Verb } from '../registry/resource.js';

export interface OpenApiDocs {
  /** The /openapi/v3 discovery document: one serverRelativeURL (with ?hash=) per group version. */
  root(): object;
  /** The serialized document of one group version ('api/v1', 'apis/apps/v1') and its hash. */
  document(gvPath: string): { json: string; hash: string } | undefined;
}

export interface OpenApiOptions {
  /** info.version; defaults to the version Badge reports. */
  serverVersion?: string;
  /** When the documents count as last modified (Last-Modified of the GV documents). */
  now?: Date;
}

export const OPENAPI_SERVER_VERSION = 'v1.32.2';

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const REF = '#/components/schemas/';
const TIME = `${META}.Time`;
const MICRO_TIME = `${META}.MicroTime`;
const FIELDS_V1 = `${META}.FieldsV1`;
const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
const RAW_EXTENSION = 'io.k8s.apimachinery.pkg.runtime.RawExtension';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** 'api/v1' for the core group, 'apis/<group>/<version>' otherwise (the key in /openapi/v3). */
export function gvPathOf(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

// ---------------------------------------------------------------------------------------------
// Non-object components, as upstream names and types them. Only emitted when referenced.

const SCALAR_COMPONENTS: Record<string, JsonObject> = {
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

// ---------------------------------------------------------------------------------------------
// meta/v1 components the operations refer to, written with the schema DSL.

const statusCause = obj(`${META}.StatusCause`, 'More detail about one reason a request failed.', {
  field: str('The field of the resource that caused the error, as a JSON path (items[0].name). Optional.'),
  message: str('A human-readable description of the cause.'),
  reason: str('A machine-readable description of the cause.'),
});

const statusDetails = obj(`${META}.StatusDetails`, 'Additional information about a Status, set depending on its reason.', {
  causes: arr(statusCause, 'Further details of the failure, such as one entry per invalid field.', { listType: 'atomic' }),
  group: str('The group of the resource the status is about.'),
  kind: str('The kind of the resource the status is about.'),
  name: str('The name of the resource the status is about.'),
  retryAfterSeconds: int32('Seconds to wait before the operation may be retried.'),
  uid: str('The UID of the resource the status is about.'),
});

function statusSchema(): ObjectSchema {
  return obj(
    `${META}.Status`,
    "The result of a request that does not return an object, and the body of every error.",
    {
      ...typeMeta,
      code: int32('Suggested HTTP status code; 0 when unset.'),
      details: { ...statusDetails, fieldDescription: 'Extended data, depending on the reason.' },
      message: str('A human-readable description of the result.'),
      metadata: { ...listMeta, fieldDescription: 'Standard list metadata.' },
      reason: str('A machine-readable reason for a Failure status; empty when unknown.'),
      status: str('Success or Failure.'),
    },
    { gvk: [{ group: '', version: 'v1', kind: 'Status' }] },
  );
}

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

const patchSchema = obj(`${META}.Patch`, 'The body of a PATCH request; its format is given by the Content-Type.', {});

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

const apiResourceList = obj(
  `${META}.APIResourceList`,
  'The resources served in one group version.',
  {
    ...typeMeta,
    groupVersion: str('The group version of the resources.'),
    resources: arr(apiResource, 'The resources, and whether they are namespaced.', { listType: 'atomic' }),
  },
  { required: ['groupVersion', 'resources'], gvk: [{ group: '', version: 'v1', kind: 'APIResourceList' }] },
);

// ---------------------------------------------------------------------------------------------
// Query and path parameters.

interface Param {
  description: string;
  in: 'path' | 'query';
  name: string;
  required?: boolean;
  schema: { type: 'string' | 'integer' | 'boolean'; uniqueItems: true };
}

const q = (name: string, type: Param['schema']['type'], description: string): Param => ({
  description,
  in: 'query',
  name,
  schema: { type, uniqueItems: true },
});

const P = {
  allowWatchBookmarks: q('allowWatchBookmarks', 'boolean', 'Ask for BOOKMARK watch events; servers may send them at their discretion. Ignored unless watching.'),
  continue: q('continue', 'string', 'The continue token of a previous, limited list, to fetch the next page.'),
  dryRun: q('dryRun', 'string', 'When set to All, the request is fully processed but nothing is persisted.'),
  fieldManager: q('fieldManager', 'string', 'The name of the actor making the change, for managed fields. At most 128 printable characters.'),
  fieldManagerPatch: q(
    'fieldManager',
    'string',
    'The name of the actor making the change, for managed fields. At most 128 printable characters. Required for apply patches.',
  ),
  fieldSelector: q('fieldSelector', 'string', 'Restrict the objects returned to those whose fields match. Defaults to everything.'),
  fieldValidation: q(
    'fieldValidation',
    'string',
    'What to do with unknown or duplicate fields in the request body: Ignore drops them, Warn drops them with a Warning header, Strict rejects the request.',
  ),
  force: q('force', 'boolean', 'Force an apply patch: take ownership of fields other managers own. Must be unset for other patch types.'),
  gracePeriodSeconds: q('gracePeriodSeconds', 'integer', 'Seconds before the object is deleted; 0 deletes at once; unset uses the default of the kind.'),
  ignoreStoreReadError: q(
    'ignoreStoreReadErrorWithClusterBreakingPotential',
    'boolean',
    'Delete an object that can no longer be read from storage, bypassing the normal deletion flow. Unsafe.',
  ),
  labelSelector: q('labelSelector', 'string', 'Restrict the objects returned to those whose labels match. Defaults to everything.'),
  limit: q('limit', 'integer', 'The maximum number of objects to return; the list metadata then carries a continue token when more remain.'),
  orphanDependents: q('orphanDependents', 'boolean', 'Deprecated, use propagationPolicy: whether dependents are orphaned.'),
  pretty: q('pretty', 'string', "If 'true', the output is indented."),
  propagationPolicy: q('propagationPolicy', 'string', 'Orphan, Background or Foreground garbage collection of dependents.'),
  resourceVersion: q('resourceVersion', 'string', 'Which resource versions the request may be served from; see the resourceVersion semantics of the API.'),
  resourceVersionMatch: q('resourceVersionMatch', 'string', 'How resourceVersion applies to a list: Exact or NotOlderThan.'),
  sendInitialEvents: q(
    'sendInitialEvents',
    'boolean',
    'With watch=true, start the stream with synthetic ADDED events for the current objects, then a bookmark. Requires resourceVersionMatch=NotOlderThan.',
  ),
  timeoutSeconds: q('timeoutSeconds', 'integer', 'Time limit of the list or watch call, whatever the activity.'),
  watch: q('watch', 'boolean', 'Watch for changes and return them as a stream of events instead of a list.'),
  namespace: { description: 'object name and auth scope, such as for teams and projects', in: 'path', name: 'namespace', required: true, schema: { type: 'string', uniqueItems: true } } as Param,
};

const nameParam = (kind: string): Param => ({ description: `name of the ${kind}`, in: 'path', name: 'name', required: true, schema: { type: 'string', uniqueItems: true } });

const LIST_PARAMS = [
  P.allowWatchBookmarks,
  P.continue,
  P.fieldSelector,
  P.labelSelector,
  P.limit,
  P.resourceVersion,
  P.resourceVersionMatch,
  P.sendInitialEvents,
  P.timeoutSeconds,
  P.watch,
];
const WRITE_PARAMS = [P.dryRun, P.fieldManager, P.fieldValidation];
const PATCH_PARAMS = [P.dryRun, P.fieldManagerPatch, P.fieldValidation, P.force];
const DELETE_PARAMS = [P.dryRun, P.gracePeriodSeconds, P.ignoreStoreReadError, P.orphanDependents, P.propagationPolicy];
const DELETE_COLLECTION_PARAMS = [
  P.continue,
  P.dryRun,
  P.fieldSelector,
  P.gracePeriodSeconds,
  P.ignoreStoreReadError,
  P.labelSelector,
  P.limit,
  P.orphanDependents,
  P.propagationPolicy,
  P.resourceVersion,
  P.resourceVersionMatch,
  P.sendInitialEvents,
  P.timeoutSeconds,
];

// ---------------------------------------------------------------------------------------------
// Operations.

type Action = 'get' | 'list' | 'post' | 'put' | 'patch' | 'delete' | 'deletecollection' | 'watch' | 'watchlist';
type Method = 'get' | 'put' | 'post' | 'patch' | 'delete';

interface Gvk {
  group: string;
  version: string;
  kind: string;
}

interface Op {
  method: Method;
  description: string;
  operationId: string;
  params: Param[];
  requestBody?: JsonObject;
  responses: JsonObject;
  tag: string;
  action?: Action;
  gvk?: Gvk;
}

const SINGLE_TYPES = ['application/json', 'application/vnd.kubernetes.protobuf', 'application/yaml'];
const STREAM_TYPES = [
  'application/json',
  'application/json;stream=watch',
  'application/vnd.kubernetes.protobuf',
  'application/vnd.kubernetes.protobuf;stream=watch',
  'application/yaml',
];
const PATCH_TYPES = ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'];
const STATUS_TEXT: Record<string, string> = { '200': 'OK', '201': 'Created', '202': 'Accepted', '401': 'Unauthorized' };

function content(types: string[], component: string): JsonObject {
  const out: JsonObject = {};
  for (const t of types) out[t] = { schema: { $ref: REF + component } };
  return out;
}

function responses(codes: string[], types: string[], component: string): JsonObject {
  const out: JsonObject = {};
  for (const code of codes) out[code] = { content: content(types, component), description: STATUS_TEXT[code]! };
  out['401'] = { description: STATUS_TEXT['401']! };
  return out;
}

const body = (component: string, types = ['*/*'], required = true): JsonObject => ({
  content: content(types, component),
  ...(required ? { required: true } : {}),
});

/** kube-openapi's ToValidOperationID: drop non-letters (digits allowed after the first rune), capitalizing after each. */
function operationIdPart(s: string, capitalizeFirst: boolean): string {
  let out = '';
  let capitalize = capitalizeFirst;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (/\p{L}/u.test(c) || c === '_' || (i !== 0 && /[0-9]/.test(c))) {
      out += capitalize ? c.toUpperCase() : c;
      capitalize = false;
    } else {
      capitalize = true;
    }
  }
  return out;
}

const upperFirst = (s: string) => (s === '' ? s : s[0]!.toUpperCase() + s.slice(1));

interface GvNames {
  /** e.g. CoreV1, RbacAuthorizationV1 */
  opInfix: string;
  /** e.g. core_v1, rbacAuthorization_v1 */
  tag: string;
  /** e.g. /api/v1, /apis/apps/v1 */
  prefix: string;
}

function gvNames(group: string, version: string): GvNames {
  const g = group === '' ? 'core' : group.replace(/\.k8s\.io$/, '');
  return {
    opInfix: operationIdPart(g, true) + operationIdPart(version, true),
    tag: `${operationIdPart(g, false)}_${operationIdPart(version, false)}`,
    prefix: group === '' ? `/api/${version}` : `/apis/${group}/${version}`,
  };
}

// ---------------------------------------------------------------------------------------------
// Schemas to JSON.

interface Emitter {
  refs: Set<string>;
}

function ref(e: Emitter, name: string, extras: JsonObject = {}): JsonObject {
  e.refs.add(name);
  if (Object.keys(extras).length === 0) return { $ref: REF + name };
  return { allOf: [{ $ref: REF + name }], ...extras };
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
      return ref(e, anyComponent(propertyName), description ? { description } : {});
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
      return { type: 'string', ...(n.format ? { format: n.format } : {}), ...(n.enum ? { enum: [...n.enum] } : {}), default: '' };
    case 'integer':
    case 'number':
      return { type: n.type, format: n.format, default: 0 };
    case 'boolean':
      return { type: 'boolean', default: false };
    case 'quantity':
      return ref(e, QUANTITY);
    case 'int-or-string':
      return ref(e, INT_OR_STRING);
    case 'any':
      return ref(e, RAW_EXTENSION);
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

/** Every named object reachable from the roots, by component name; a node with gvks wins, gvks merge. */
function collectNamed(roots: ObjectSchema[]): Map<string, ObjectSchema> {
  const found = new Map<string, ObjectSchema>();
  const seen = new Set<Schema>();
  const visit = (n: Schema): void => {
    if (seen.has(n)) return;
    seen.add(n);
    if (n.type === 'array') return visit(n.items);
    if (n.type === 'map') return visit(n.values);
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
  return found;
}

const gvkKey = (g: Gvk) => `${g.group}/${g.version}/${g.kind}`;

// ---------------------------------------------------------------------------------------------
// Serialization like Go's encoding/json on maps: keys sorted, <, >, & and U+2028/9 escaped.

function sortKeys(v: Json): Json {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v === null || typeof v !== 'object') return v;
  const out: JsonObject = {};
  for (const k of Object.keys(v).sort()) out[k] = sortKeys(v[k]!);
  return out;
}

function goJson(v: Json): string {
  return JSON.stringify(sortKeys(v)).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const sha512Hex = (s: string) => createHash('sha512').update(s).digest('hex').toUpperCase();

// ---------------------------------------------------------------------------------------------
// Building.

interface GvBuild {
  group: string;
  version: string;
  defs: ResourceDef[];
}

export function buildOpenApi(defs: ResourceDef[], opts: OpenApiOptions = {}): OpenApiDocs {
  const serverVersion = opts.serverVersion ?? OPENAPI_SERVER_VERSION;
  const lastModified = opts.now ?? new Date();

  // Every kind schema we know, to find the schemas of subresource kinds by gvk.
  const byGvk = new Map<string, ObjectSchema>();
  for (const s of [...defs.map((d) => d.schema), ...defs.flatMap((d) => Object.values(d.subresources ?? {}).flatMap((sub) => (sub.schema ? [sub.schema] : [])))]) for (const g of s.gvk ?? []) if (!byGvk.has(gvkKey(g))) byGvk.set(gvkKey(g), s);

  const gvs = new Map<string, GvBuild>();
  for (const def of defs) {
    const key = gvPathOf(def.group, def.version);
    let gv = gvs.get(key);
    if (!gv) gvs.set(key, (gv = { group: def.group, version: def.version, defs: [] }));
    gv.defs.push(def);
  }

  // DeleteOptions and WatchEvent are registered in every group version, as upstream lists them.
  const sharedGvks = (kind: string): Gvk[] => {
    const list: Gvk[] = [{ group: '', version: 'v1', kind }];
    for (const gv of [...gvs.values()].sort((a, b) => (a.group === b.group ? a.version.localeCompare(b.version) : a.group.localeCompare(b.group))))
      if (gv.group !== '') list.push({ group: gv.group, version: gv.version, kind });
    return list;
  };
  const deleteOptions = deleteOptionsSchema(sharedGvks('DeleteOptions'));
  const watchEvent = watchEventSchema(sharedGvks('WatchEvent'));
  const status = statusSchema();

  const docs = new Map<string, { json: string; hash: string }>();
  for (const [key, gv] of gvs) {
    const json = goJson(buildDocument(gv, byGvk, { deleteOptions, watchEvent, status }, serverVersion));
    docs.set(key, { json, hash: sha512Hex(json) });
  }

  const rootPaths: JsonObject = {};
  for (const [key, doc] of docs) rootPaths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${doc.hash}` };
  const root = sortKeys({ paths: rootPaths }) as JsonObject;
  const rootJson = goJson(root);

  const api: OpenApiDocs & { [INTERNAL]: Internal } = {
    root: () => structuredClone(root),
    document: (gvPath: string) => docs.get(gvPath.replace(/^\/+|\/+$/g, '')),
    [INTERNAL]: { rootJson, lastModified },
  };
  return api;
}

const INTERNAL = Symbol('openapi-internal');
interface Internal {
  rootJson: string;
  lastModified: Date;
}

interface Shared {
  deleteOptions: ObjectSchema;
  watchEvent: ObjectSchema;
  status: ObjectSchema;
}

function buildDocument(gv: GvBuild, byGvk: Map<string, ObjectSchema>, shared: Shared, serverVersion: string): JsonObject {
  const names = gvNames(gv.group, gv.version);
  const e: Emitter = { refs: new Set() };
  const paths = new Map<string, Op[]>();
  const roots: ObjectSchema[] = [];
  const add = (path: string, op: Op) => {
    const ops = paths.get(path) ?? [];
    ops.push(op);
    paths.set(path, ops);
  };

  // GET /apis/<group>/<version>/ : the group version's APIResourceList.
  roots.push(apiResourceList);
  add(`${names.prefix}/`, {
    method: 'get',
    description: 'get available resources',
    operationId: `get${names.opInfix}APIResources`,
    params: [],
    responses: responses(['200'], SINGLE_TYPES, apiResourceList.name!),
    tag: names.tag,
  });

  for (const def of gv.defs) {
    const schema = def.schema;
    if (!schema.name) throw new Error(`openapi: the schema of ${def.resource} has no component name`);
    const kindName = schema.name;
    const gvk: Gvk = { group: def.group, version: def.version, kind: def.kind };
    if (!(schema.gvk ?? []).some((g) => gvkKey(g) === gvkKey(gvk)))
      throw new Error(`openapi: the schema ${kindName} of ${def.resource} does not declare gvk ${gvkKey(gvk)}`);
    roots.push(schema);

    const verbs = new Set<Verb>(verbsOf(def));
    const ns = def.namespaced ? 'Namespaced' : '';
    const nsPath = def.namespaced ? '/namespaces/{namespace}' : '';
    const nsParams = def.namespaced ? [P.namespace] : [];
    const collection = `${names.prefix}${nsPath}/${def.resource}`;
    const item = `${collection}/{name}`;
    const opId = (verb: string, rest = '') => `${verb}${names.opInfix}${rest}`;
    const listName = `${kindName}List`;
    const base = { tag: names.tag, gvk };

    if (def.createOnly) {
      verbs.clear();
      verbs.add('create');
    }
    const hasList = verbs.has('list');
    if (hasList) roots.push(listSchema(def, schema));

    // The collection.
    if (hasList)
      add(collection, {
        ...base,
        method: 'get',
        action: 'list',
        description: `list or watch objects of kind ${def.kind}`,
        operationId: opId('list', `${ns}${def.kind}`),
        params: [...nsParams, P.pretty, ...LIST_PARAMS],
        responses: responses(['200'], STREAM_TYPES, listName),
      });
    if (verbs.has('create'))
      add(collection, {
        ...base,
        method: 'post',
        action: 'post',
        description: `create ${article(def.kind)} ${def.kind}`,
        operationId: opId('create', `${ns}${def.kind}`),
        params: [...nsParams, P.pretty, ...WRITE_PARAMS],
        requestBody: body(kindName),
        responses: responses(['200', '201', '202'], SINGLE_TYPES, kindName),
      });
    if (verbs.has('deletecollection')) {
      roots.push(shared.deleteOptions, shared.status);
      add(collection, {
        ...base,
        method: 'delete',
        action: 'deletecollection',
        description: `delete collection of ${def.kind}`,
        operationId: opId('delete', `Collection${ns}${def.kind}`),
        params: [...nsParams, P.pretty, ...DELETE_COLLECTION_PARAMS],
        requestBody: body(shared.deleteOptions.name!, ['*/*'], false),
        responses: responses(['200'], SINGLE_TYPES, shared.status.name!),
      });
    }

    // The object.
    const itemParams = [nameParam(def.kind), ...nsParams, P.pretty];
    if (verbs.has('get'))
      add(item, {
        ...base,
        method: 'get',
        action: 'get',
        description: `read the specified ${def.kind}`,
        operationId: opId('read', `${ns}${def.kind}`),
        params: itemParams,
        responses: responses(['200'], SINGLE_TYPES, kindName),
      });
    if (verbs.has('update'))
      add(item, {
        ...base,
        method: 'put',
        action: 'put',
        description: `replace the specified ${def.kind}`,
        operationId: opId('replace', `${ns}${def.kind}`),
        params: [...itemParams, ...WRITE_PARAMS],
        requestBody: body(kindName),
        responses: responses(['200', '201'], SINGLE_TYPES, kindName),
      });
    if (verbs.has('patch')) {
      roots.push(patchSchema);
      add(item, {
        ...base,
        method: 'patch',
        action: 'patch',
        description: `partially update the specified ${def.kind}`,
        operationId: opId('patch', `${ns}${def.kind}`),
        params: [...itemParams, ...PATCH_PARAMS],
        requestBody: body(patchSchema.name!, PATCH_TYPES),
        responses: responses(['200', '201'], SINGLE_TYPES, kindName),
      });
    }
    if (verbs.has('delete')) {
      roots.push(shared.deleteOptions, shared.status);
      add(item, {
        ...base,
        method: 'delete',
        action: 'delete',
        description: `delete ${article(def.kind)} ${def.kind}`,
        operationId: opId('delete', `${ns}${def.kind}`),
        params: [...itemParams, ...DELETE_PARAMS],
        requestBody: body(shared.deleteOptions.name!, ['*/*'], false),
        responses: responses(['200', '202'], SINGLE_TYPES, def.returnDeletedObject ? kindName : shared.status.name!),
      });
    }

    // Lists across namespaces.
    if (def.namespaced && hasList)
      add(`${names.prefix}/${def.resource}`, {
        ...base,
        method: 'get',
        action: 'list',
        description: `list or watch objects of kind ${def.kind}`,
        operationId: opId('list', `${def.kind}ForAllNamespaces`),
        params: [P.pretty, ...LIST_PARAMS],
        responses: responses(['200'], STREAM_TYPES, listName),
      });

    // The deprecated /watch/ paths.
    if (verbs.has('watch')) {
      roots.push(shared.watchEvent);
      const watchPrefix = `${names.prefix}/watch`;
      const listWatch = (path: string, operationId: string, params: Param[]) =>
        add(path, {
          ...base,
          method: 'get',
          action: 'watchlist',
          description: `watch individual changes to a list of ${def.kind}. deprecated: use the 'watch' parameter with a list operation instead.`,
          operationId,
          params: [...params, P.pretty, ...LIST_PARAMS],
          responses: responses(['200'], STREAM_TYPES, shared.watchEvent.name!),
        });
      listWatch(`${watchPrefix}${nsPath}/${def.resource}`, opId('watch', `${ns}${def.kind}List`), nsParams);
      add(`${watchPrefix}${nsPath}/${def.resource}/{name}`, {
        ...base,
        method: 'get',
        action: 'watch',
        description: `watch changes to an object of kind ${def.kind}. deprecated: use the 'watch' parameter with a list operation instead, filtered to a single item with the 'fieldSelector' parameter.`,
        operationId: opId('watch', `${ns}${def.kind}`),
        params: [nameParam(def.kind), ...nsParams, P.pretty, ...LIST_PARAMS],
        responses: responses(['200'], STREAM_TYPES, shared.watchEvent.name!),
      });
      if (def.namespaced) listWatch(`${watchPrefix}/${def.resource}`, opId('watch', `${def.kind}ListForAllNamespaces`), []);
    }

    // Subresources.
    const subs: [string, { verbs: Verb[]; schema?: ObjectSchema }][] = Object.entries(def.subresources ?? {});
    if (def.hasStatus && !def.subresources?.status) subs.unshift(['status', { verbs: ['get', 'update', 'patch'] }]);
    for (const [subName, sub] of subs) {
      const subGvk: Gvk = sub.schema?.gvk?.[0] ?? gvk;
      const subSchema = sub.schema ?? (gvkKey(subGvk) === gvkKey(gvk) ? schema : byGvk.get(gvkKey(subGvk)));
      if (!subSchema?.name)
        throw new Error(
          `openapi: no schema for ${gvkKey(subGvk)}, the kind of ${def.resource}/${subName}; give the subresource a schema`,
        );
      roots.push(subSchema);
      const subComponent = subSchema.name;
      const path = `${item}/${subName}`;
      const suffix = `${ns}${def.kind}${upperFirst(subName)}`;
      const subBase = { tag: names.tag, gvk: subGvk };
      const subParams = [nameParam(subGvk.kind), ...nsParams, P.pretty];
      if (sub.verbs.includes('get'))
        add(path, {
          ...subBase,
          method: 'get',
          action: 'get',
          description: `read ${subName} of the specified ${def.kind}`,
          operationId: opId('read', suffix),
          params: subParams,
          responses: responses(['200'], SINGLE_TYPES, subComponent),
        });
      if (sub.verbs.includes('create'))
        add(path, {
          ...subBase,
          method: 'post',
          action: 'post',
          description: `create ${subName} of ${article(def.kind)} ${def.kind}`,
          operationId: opId('create', suffix),
          params: [...subParams, ...WRITE_PARAMS],
          requestBody: body(subComponent),
          responses: responses(['200', '201', '202'], SINGLE_TYPES, subComponent),
        });
      if (sub.verbs.includes('update'))
        add(path, {
          ...subBase,
          method: 'put',
          action: 'put',
          description: `replace ${subName} of the specified ${def.kind}`,
          operationId: opId('replace', suffix),
          params: [...subParams, ...WRITE_PARAMS],
          requestBody: body(subComponent),
          responses: responses(['200', '201'], SINGLE_TYPES, subComponent),
        });
      if (sub.verbs.includes('patch')) {
        roots.push(patchSchema);
        add(path, {
          ...subBase,
          method: 'patch',
          action: 'patch',
          description: `partially update ${subName} of the specified ${def.kind}`,
          operationId: opId('patch', suffix),
          params: [...subParams, ...PATCH_PARAMS],
          requestBody: body(patchSchema.name!, PATCH_TYPES),
          responses: responses(['200', '201'], SINGLE_TYPES, subComponent),
        });
      }
    }
  }

  // Operations to JSON, hoisting the parameters every operation of a path shares (kube-openapi builder3).
  const pathsJson: JsonObject = {};
  for (const [path, ops] of paths) {
    const count = new Map<string, number>();
    for (const op of ops) for (const p of op.params) count.set(paramKey(p), (count.get(paramKey(p)) ?? 0) + 1);
    const common = new Set([...count].filter(([, n]) => n === ops.length).map(([k]) => k));
    const item: JsonObject = {};
    const pathParams = dedupe(ops.flatMap((op) => op.params.filter((p) => common.has(paramKey(p)))));
    if (pathParams.length > 0) item.parameters = sortParams(pathParams).map(paramJson);
    for (const op of ops) {
      if (item[op.method]) throw new Error(`openapi: two ${op.method} operations on ${path}`);
      const o: JsonObject = { description: op.description, operationId: op.operationId };
      const own = op.params.filter((p) => !common.has(paramKey(p)));
      if (own.length > 0) o.parameters = sortParams(own).map(paramJson);
      if (op.requestBody) o.requestBody = op.requestBody;
      o.responses = op.responses;
      o.tags = [op.tag];
      if (op.action) o['x-kubernetes-action'] = op.action;
      if (op.gvk) o['x-kubernetes-group-version-kind'] = { group: op.gvk.group, kind: op.gvk.kind, version: op.gvk.version };
      item[op.method] = o;
    }
    pathsJson[path] = item;
  }

  // Components: every named object reachable, then the scalar types they refer to.
  const schemas: JsonObject = {};
  for (const [name, node] of collectNamed(roots)) schemas[name] = objectBody(e, node);
  for (const name of e.refs) {
    if (schemas[name]) continue;
    const scalar = SCALAR_COMPONENTS[name];
    if (!scalar) throw new Error(`openapi: ${name} is referenced but has no schema`);
    schemas[name] = scalar;
  }
  // Operation references must resolve too.
  for (const name of collectRefs(pathsJson)) if (!schemas[name]) throw new Error(`openapi: operation refers to ${name}, which has no schema`);

  return {
    components: {
      schemas,
      securitySchemes: { BearerToken: { description: 'Bearer Token authentication', in: 'header', name: 'authorization', type: 'apiKey' } },
    },
    info: { title: 'Kubernetes', version: serverVersion },
    openapi: '3.0.0',
    paths: pathsJson,
  };
}

function listSchema(def: ResourceDef, schema: ObjectSchema): ObjectSchema {
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

const article = (word: string) => (/^[AEIOU]/.test(word) ? 'an' : 'a');
const paramKey = (p: Param) => `${p.in}:${p.name}`;
const paramJson = (p: Param): JsonObject => ({ ...p, schema: { ...p.schema } });

function dedupe(params: Param[]): Param[] {
  const seen = new Set<string>();
  return params.filter((p) => !seen.has(paramKey(p)) && (seen.add(paramKey(p)), true));
}

/** Path parameters first, then by name. */
function sortParams(params: Param[]): Param[] {
  return [...params].sort((a, b) => (a.in === b.in ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : a.in === 'path' ? -1 : 1));
}

function collectRefs(v: Json, out = new Set<string>()): Set<string> {
  if (Array.isArray(v)) for (const x of v) collectRefs(x, out);
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) {
      if (k === '$ref' && typeof x === 'string' && x.startsWith(REF)) out.add(x.slice(REF.length));
      else collectRefs(x, out);
    }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Serving (kube-openapi handler3 behind the kube-aggregator's OpenAPI v3 proxy).

/** Go's time.RFC1123 for a UTC clock: "Mon, 02 Jan 2006 15:04:05 UTC". */
function rfc1123(d: Date): string {
  return d.toUTCString().replace(/GMT$/, 'UTC');
}

/** HTTP dates (Last-Modified), as Go's http.TimeFormat. */
const httpDate = (d: Date) => d.toUTCString();

/**
 * The headers a real server adds to a group-version document requested with the matching ?hash=:
 * it may be cached for good. Pass the hash to get the Etag as well.
 */
export function openApiCacheHeaders(hash?: string, now: Date = new Date()): Record<string, string> {
  const expires = new Date(now.getTime());
  expires.setUTCFullYear(expires.getUTCFullYear() + 1);
  return {
    'Cache-Control': 'public, immutable',
    Expires: rfc1123(expires),
    Vary: 'Accept',
    ...(hash ? { Etag: JSON.stringify(hash) } : {}),
  };
}

export interface OpenApiRequest {
  method: string;
  /** The URL path, e.g. /openapi/v3/apis/apps/v1 */
  path: string;
  query: URLSearchParams;
  headers: { accept?: string; 'if-none-match'?: string; 'if-modified-since'?: string };
}

export interface OpenApiResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Answers GET/HEAD /openapi/v3 and /openapi/v3/<gv> the way kube-apiserver 1.32 does: the root is
 * rebuilt per request (no Etag, sniffed text/plain, the pipeline's `Cache-Control: no-cache, private`);
 * a GV document has a quoted sha512 Etag, is immutable when asked for with its ?hash=, redirects (301)
 * to the current hash when asked with a stale one, honours If-None-Match, and is 404 when unknown.
 * Returns undefined for paths outside /openapi/v3.
 */
export function serveOpenApi(docs: OpenApiDocs, req: OpenApiRequest, now: Date = new Date()): OpenApiResponse | undefined {
  const internal = (docs as OpenApiDocs & { [INTERNAL]?: Internal })[INTERNAL];
  const head = req.method === 'HEAD';
  const noCache = { 'Cache-Control': 'no-cache, private' };
  if (req.path === '/openapi/v3') {
    const json = internal?.rootJson ?? goJson(docs.root() as Json);
    return {
      status: 200,
      headers: { ...noCache, 'Accept-Ranges': 'bytes', 'Content-Length': String(Buffer.byteLength(json)), 'Content-Type': 'text/plain; charset=utf-8', 'Last-Modified': httpDate(now) },
      body: head ? '' : json,
    };
  }
  if (!req.path.startsWith('/openapi/v3/')) return undefined;
  const gvPath = req.path.slice('/openapi/v3/'.length);
  const doc = docs.document(gvPath);
  if (!doc || gvPath !== gvPath.replace(/^\/+|\/+$/g, '')) return { status: 404, headers: { ...noCache, 'Content-Length': '0' }, body: '' };

  const vary = { Vary: 'Accept' };
  if (!acceptsJson(req.headers.accept)) return { status: 406, headers: { ...noCache, ...vary, 'Content-Length': '0' }, body: '' };

  const etag = JSON.stringify(doc.hash);
  const headers: Record<string, string> = { ...noCache, ...vary, 'Content-Type': 'application/json', Etag: etag };
  const hash = req.query.get('hash');
  if (hash) {
    if (hash !== doc.hash) {
      return { status: 301, headers: { ...headers, Location: `/openapi/v3/${gvPath}?hash=${doc.hash}`, 'Content-Length': '0' }, body: '' };
    }
    Object.assign(headers, openApiCacheHeaders(undefined, now));
  }
  const lastModified = internal?.lastModified ?? now;
  headers['Last-Modified'] = httpDate(lastModified);
  const inm = req.headers['if-none-match'];
  const ims = req.headers['if-modified-since'];
  const notModified =
    inm !== undefined ? etagMatches(inm, etag) : ims !== undefined && !Number.isNaN(Date.parse(ims)) && Math.floor(lastModified.getTime() / 1000) <= Date.parse(ims) / 1000;
  if (notModified) {
    const h = { ...headers };
    delete h['Content-Type'];
    delete h['Last-Modified'];
    return { status: 304, headers: h, body: '' };
  }
  headers['Accept-Ranges'] = 'bytes';
  headers['Content-Length'] = String(Buffer.byteLength(doc.json));
  return { status: 200, headers, body: head ? '' : doc.json };
}

/** Whether an Accept header admits application/json (goautoneg: type application or *, subtype json or *). */
function acceptsJson(accept: string | undefined): boolean {
  const value = accept && accept.trim() !== '' ? accept : '*/*';
  for (const clause of value.split(',')) {
    const [mediaRange, ...params] = clause.split(';').map((s) => s.trim());
    if (params.some((p) => /^q=0(\.0*)?$/.test(p))) continue;
    const [type, subtype] = (mediaRange ?? '').toLowerCase().split('/');
    if ((type === 'application' || type === '*') && (subtype === 'json' || subtype === '*')) return true;
  }
  return false;
}

/** If-None-Match with weak comparison, as net/http's checkIfNoneMatch. */
function etagMatches(header: string, etag: string): boolean {
  for (const part of header.split(',')) {
    const t = part.trim();
    if (t === '*') return true;
    if (t.replace(/^W\//, '') === etag) return true;
  }
  return false;
}
