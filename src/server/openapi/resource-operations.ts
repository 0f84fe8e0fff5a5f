// The operations of one group version, as kube-apiserver installs its routes and kube-openapi names
// them: the APIResourceList, then for each resource its collection, its objects, the list across
// namespaces, the deprecated /watch/ paths and its subresources. The order operations are added in
// is the order their shared parameters are hoisted in, and the order of the schemas they refer to
// decides which of two nodes with the same name becomes the component: keep both.
import type { ObjectSchema } from '../../api/schema.js';
import { verbsOf, type ResourceDef, type Verb } from '../../registry/resource.js';
import { apiResourceList, listSchema, patchSchema, type SharedComponents } from './components.js';
import { article, body, gvkKey, gvNames, PATCH_TYPES, responses, SINGLE_TYPES, STREAM_TYPES, upperFirst, type Gvk, type GvNames, type Op } from './operations.js';
import { DELETE_COLLECTION_PARAMS, DELETE_PARAMS, LIST_PARAMS, nameParam, P, PATCH_PARAMS, WRITE_PARAMS, type Param } from './parameters.js';

/** What the documents need of a resource: plain data, so that it can be handed to a worker thread. */
export interface ApiResource {
  group: string;
  version: string;
  kind: string;
  resource: string;
  namespaced: boolean;
  /** What can be done with it; a create-only resource (a review) only creates. */
  verbs: Verb[];
  schema: ObjectSchema;
  hasStatus?: boolean;
  returnDeletedObject?: boolean;
  /** A custom resource: its patches are JSON, merge and apply patches only. */
  unstructured?: boolean;
  subresources: [string, { verbs: Verb[]; schema?: ObjectSchema }][];
}

export function apiResource(def: ResourceDef): ApiResource {
  return {
    group: def.group,
    version: def.version,
    kind: def.kind,
    resource: def.resource,
    namespaced: def.namespaced,
    verbs: def.createOnly ? ['create'] : verbsOf(def),
    schema: def.schema,
    hasStatus: def.hasStatus,
    returnDeletedObject: def.returnDeletedObject,
    unstructured: def.unstructured,
    subresources: Object.entries(def.subresources ?? {}).map(([name, sub]) => [name, { verbs: sub.verbs, schema: sub.schema }]),
  };
}

/** What a resource's patch operations consume: custom resources take no strategic merge patch. */
const patchTypes = (def: ApiResource) => (def.unstructured ? PATCH_TYPES.filter((t) => t !== 'application/strategic-merge-patch+json') : PATCH_TYPES);

export interface GroupVersion {
  group: string;
  version: string;
  defs: ApiResource[];
}

/** 'api/v1' for the core group, 'apis/<group>/<version>' otherwise (the key in /openapi/v3). */
export function gvPathOf(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

/** The resources by group version, keyed by the group version's path, in the order they are served. */
export function groupVersions(resources: ApiResource[]): Map<string, GroupVersion> {
  const gvs = new Map<string, GroupVersion>();
  for (const def of resources) {
    const key = gvPathOf(def.group, def.version);
    let gv = gvs.get(key);
    if (!gv) gvs.set(key, (gv = { group: def.group, version: def.version, defs: [] }));
    gv.defs.push(def);
  }
  return gvs;
}

/** A group version's operations by path, and the schemas they refer to (the roots of its components). */
export interface GvOperations {
  paths: Map<string, Op[]>;
  roots: ObjectSchema[];
}

/** Every kind schema the resources declare, subresource kinds included, to find a subresource's schema by its kind. */
export function kindSchemas(defs: ApiResource[]): Map<string, ObjectSchema> {
  const byGvk = new Map<string, ObjectSchema>();
  const schemas = [...defs.map((d) => d.schema), ...defs.flatMap((d) => d.subresources.flatMap(([, sub]) => (sub.schema ? [sub.schema] : [])))];
  for (const s of schemas) for (const g of s.gvk ?? []) if (!byGvk.has(gvkKey(g))) byGvk.set(gvkKey(g), s);
  return byGvk;
}

interface Builder extends GvOperations {
  names: GvNames;
  byGvk: Map<string, ObjectSchema>;
  shared: SharedComponents;
}

function add(b: Builder, path: string, op: Op): void {
  const ops = b.paths.get(path) ?? [];
  ops.push(op);
  b.paths.set(path, ops);
}

export function groupVersionOperations(gv: GroupVersion, byGvk: Map<string, ObjectSchema>, shared: SharedComponents): GvOperations {
  const names = gvNames(gv.group, gv.version);
  const b: Builder = { names, byGvk, shared, paths: new Map(), roots: [] };
  // GET /apis/<group>/<version>/ : the group version's APIResourceList.
  b.roots.push(apiResourceList);
  add(b, `${names.prefix}/`, {
    method: 'get',
    description: 'get available resources',
    operationId: `get${names.opInfix}APIResources`,
    params: [],
    consumes: SINGLE_TYPES,
    responses: responses(['200'], SINGLE_TYPES, apiResourceList.name!),
    tag: names.tag,
  });
  for (const def of gv.defs) resourceOperations(b, def);
  return { paths: b.paths, roots: b.roots };
}

/** One resource as its operations name it. */
interface Resource {
  def: ApiResource;
  schema: ObjectSchema;
  /** Its component name. */
  kindName: string;
  gvk: Gvk;
  verbs: Set<Verb>;
  /** 'Namespaced' in operation ids of namespaced resources. */
  ns: string;
  nsPath: string;
  nsParams: Param[];
  collection: string;
  item: string;
  opId(verb: string, rest?: string): string;
  base: { tag: string; gvk: Gvk };
}

function resourceOperations(b: Builder, def: ApiResource): void {
  const r = resource(b, def);
  b.roots.push(r.schema);
  if (r.verbs.has('list')) b.roots.push(listSchema(def, r.schema));
  collectionOperations(b, r);
  objectOperations(b, r);
  listAcrossNamespaces(b, r);
  watchOperations(b, r);
  subresourceOperations(b, r);
}

function resource(b: Builder, def: ApiResource): Resource {
  const schema = def.schema;
  if (!schema.name) throw new Error(`openapi: the schema of ${def.resource} has no component name`);
  const kindName = schema.name;
  const gvk: Gvk = { group: def.group, version: def.version, kind: def.kind };
  if (!(schema.gvk ?? []).some((g) => gvkKey(g) === gvkKey(gvk)))
    throw new Error(`openapi: the schema ${kindName} of ${def.resource} does not declare gvk ${gvkKey(gvk)}`);
  const verbs = new Set<Verb>(def.verbs);
  const nsPath = def.namespaced ? '/namespaces/{namespace}' : '';
  const collection = `${b.names.prefix}${nsPath}/${def.resource}`;
  return {
    def,
    schema,
    kindName,
    gvk,
    verbs,
    ns: def.namespaced ? 'Namespaced' : '',
    nsPath,
    nsParams: def.namespaced ? [P.namespace] : [],
    collection,
    item: `${collection}/{name}`,
    opId: (verb, rest = '') => `${verb}${b.names.opInfix}${rest}`,
    base: { tag: b.names.tag, gvk },
  };
}

/** list, create and deletecollection on …/<resource>. */
function collectionOperations(b: Builder, r: Resource): void {
  const { def, kindName, verbs, ns, nsParams, collection, opId, base } = r;
  if (verbs.has('list'))
    add(b, collection, {
      ...base,
      method: 'get',
      action: 'list',
      description: `list or watch objects of kind ${def.kind}`,
      operationId: opId('list', `${ns}${def.kind}`),
      params: [...nsParams, P.pretty, ...LIST_PARAMS],
      responses: responses(['200'], STREAM_TYPES, `${kindName}List`),
    });
  if (verbs.has('create'))
    add(b, collection, {
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
    b.roots.push(b.shared.deleteOptions, b.shared.status);
    add(b, collection, {
      ...base,
      method: 'delete',
      action: 'deletecollection',
      description: `delete collection of ${def.kind}`,
      operationId: opId('delete', `Collection${ns}${def.kind}`),
      params: [...nsParams, P.pretty, ...DELETE_COLLECTION_PARAMS],
      requestBody: body(b.shared.deleteOptions.name!, ['*/*'], false),
      responses: responses(['200'], SINGLE_TYPES, b.shared.status.name!),
    });
  }
}

/** get, update, patch and delete on …/<resource>/{name}. */
function objectOperations(b: Builder, r: Resource): void {
  const { def, kindName, verbs, ns, nsParams, item, opId, base } = r;
  const itemParams = [nameParam(def.kind), ...nsParams, P.pretty];
  if (verbs.has('get'))
    add(b, item, {
      ...base,
      method: 'get',
      action: 'get',
      description: `read the specified ${def.kind}`,
      operationId: opId('read', `${ns}${def.kind}`),
      params: itemParams,
      responses: responses(['200'], SINGLE_TYPES, kindName),
    });
  if (verbs.has('update'))
    add(b, item, {
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
    b.roots.push(patchSchema);
    add(b, item, {
      ...base,
      method: 'patch',
      action: 'patch',
      description: `partially update the specified ${def.kind}`,
      operationId: opId('patch', `${ns}${def.kind}`),
      params: [...itemParams, ...PATCH_PARAMS],
      requestBody: body(patchSchema.name!, patchTypes(def)),
      responses: responses(['200', '201'], SINGLE_TYPES, kindName),
    });
  }
  if (verbs.has('delete')) {
    b.roots.push(b.shared.deleteOptions, b.shared.status);
    add(b, item, {
      ...base,
      method: 'delete',
      action: 'delete',
      description: `delete ${article(def.kind)} ${def.kind}`,
      operationId: opId('delete', `${ns}${def.kind}`),
      params: [...itemParams, ...DELETE_PARAMS],
      requestBody: body(b.shared.deleteOptions.name!, ['*/*'], false),
      responses: responses(['200', '202'], SINGLE_TYPES, def.returnDeletedObject ? kindName : b.shared.status.name!),
    });
  }
}

/** GET …/<resource> across namespaces, for namespaced resources that list. */
function listAcrossNamespaces(b: Builder, r: Resource): void {
  const { def, kindName, verbs, opId, base } = r;
  if (!def.namespaced || !verbs.has('list')) return;
  add(b, `${b.names.prefix}/${def.resource}`, {
    ...base,
    method: 'get',
    action: 'list',
    description: `list or watch objects of kind ${def.kind}`,
    operationId: opId('list', `${def.kind}ForAllNamespaces`),
    params: [P.pretty, ...LIST_PARAMS],
    responses: responses(['200'], STREAM_TYPES, `${kindName}List`),
  });
}

/** The deprecated /watch/ paths: the collection, one object, and across namespaces. */
function watchOperations(b: Builder, r: Resource): void {
  const { def, verbs, ns, nsPath, nsParams, opId, base } = r;
  if (!verbs.has('watch')) return;
  const watchEvent = b.shared.watchEvent;
  b.roots.push(watchEvent);
  const watchPrefix = `${b.names.prefix}/watch`;
  const listWatch = (path: string, operationId: string, params: Param[]) =>
    add(b, path, {
      ...base,
      method: 'get',
      action: 'watchlist',
      description: `watch individual changes to a list of ${def.kind}. deprecated: use the 'watch' parameter with a list operation instead.`,
      operationId,
      params: [...params, P.pretty, ...LIST_PARAMS],
      responses: responses(['200'], STREAM_TYPES, watchEvent.name!),
    });
  listWatch(`${watchPrefix}${nsPath}/${def.resource}`, opId('watch', `${ns}${def.kind}List`), nsParams);
  add(b, `${watchPrefix}${nsPath}/${def.resource}/{name}`, {
    ...base,
    method: 'get',
    action: 'watch',
    description: `watch changes to an object of kind ${def.kind}. deprecated: use the 'watch' parameter with a list operation instead, filtered to a single item with the 'fieldSelector' parameter.`,
    operationId: opId('watch', `${ns}${def.kind}`),
    params: [nameParam(def.kind), ...nsParams, P.pretty, ...LIST_PARAMS],
    responses: responses(['200'], STREAM_TYPES, watchEvent.name!),
  });
  if (def.namespaced) listWatch(`${watchPrefix}/${def.resource}`, opId('watch', `${def.kind}ListForAllNamespaces`), []);
}

/** …/{name}/<subresource>: status when the resource has one, then the resource's own. */
function subresourceOperations(b: Builder, r: Resource): void {
  const { def, schema, gvk, ns, nsParams, item, opId } = r;
  const subs = [...def.subresources];
  if (def.hasStatus && !subs.some(([name]) => name === 'status')) subs.unshift(['status', { verbs: ['get', 'update', 'patch'] }]);
  for (const [subName, sub] of subs) {
    const subGvk: Gvk = sub.schema?.gvk?.[0] ?? gvk;
    const subSchema = sub.schema ?? (gvkKey(subGvk) === gvkKey(gvk) ? schema : b.byGvk.get(gvkKey(subGvk)));
    if (!subSchema?.name)
      throw new Error(`openapi: no schema for ${gvkKey(subGvk)}, the kind of ${def.resource}/${subName}; give the subresource a schema`);
    b.roots.push(subSchema);
    const subComponent = subSchema.name;
    const path = `${item}/${subName}`;
    const suffix = `${ns}${def.kind}${upperFirst(subName)}`;
    const subBase = { tag: b.names.tag, gvk: subGvk };
    const subParams = [nameParam(subGvk.kind), ...nsParams, P.pretty];
    if (sub.verbs.includes('get'))
      add(b, path, {
        ...subBase,
        method: 'get',
        action: 'get',
        description: `read ${subName} of the specified ${def.kind}`,
        operationId: opId('read', suffix),
        params: subParams,
        responses: responses(['200'], SINGLE_TYPES, subComponent),
      });
    if (sub.verbs.includes('create'))
      add(b, path, {
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
      add(b, path, {
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
      b.roots.push(patchSchema);
      add(b, path, {
        ...subBase,
        method: 'patch',
        action: 'patch',
        description: `partially update ${subName} of the specified ${def.kind}`,
        operationId: opId('patch', suffix),
        params: [...subParams, ...PATCH_PARAMS],
        requestBody: body(patchSchema.name!, patchTypes(def)),
        responses: responses(['200', '201'], SINGLE_TYPES, subComponent),
      });
    }
  }
}
