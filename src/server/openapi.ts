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
//
// The steps are in openapi/: the operations of a group version (resource-operations.ts) and their
// JSON (operations.ts, parameters.ts), the schemas to JSON (schema-json.ts), the shared components
// (components.ts); serving the documents is openapi/serve.ts.
import type { ObjectSchema } from '../api/schema.js';
import type { ResourceDef } from '../registry/resource.js';
import { sharedComponents, type SharedComponents } from './openapi/components.js';
import { collectRefs, documentJson, sha512Hex, sortKeys, type JsonObject } from './openapi/json.js';
import { pathsJson } from './openapi/operations.js';
import { apiResource, groupVersionOperations, groupVersions, gvPathOf, kindSchemas, type GroupVersion } from './openapi/resource-operations.js';
import { componentSchemas } from './openapi/schema-json.js';
import { runNow, type Steps } from '../registry/fieldmanager/steps.js';

export interface OpenApiDocument {
  json: string;
  hash: string;
  /** When this group version's document last changed (its Last-Modified). */
  lastModified: Date;
}

export interface OpenApiDocs {
  /**
   * The /openapi/v3 discovery document (one serverRelativeURL with ?hash= per group version) as
   * served; the documents not built yet are built first, one per turn of the event loop.
   */
  rootJson(): Promise<string>;
  /** The document of one group version ('api/v1', 'apis/apps/v1'), built now if it is not cached. */
  document(gvPath: string): OpenApiDocument | undefined;
}

export interface OpenApiOptions {
  /** info.version; defaults to the version Badge reports. */
  serverVersion?: string;
  /** The clock of Last-Modified. */
  now?: () => Date;
}

export const OPENAPI_SERVER_VERSION = 'v1.32.2';

/** A group version: what its document is made of, and the document once built. */
interface Entry {
  defs: ResourceDef[];
  gv: GroupVersion;
  doc?: OpenApiDocument;
  changedAt: Date;
}

/**
 * The documents of the resources `defs()` serves, each built on its first request and kept until
 * its group version's resources change (`generation` says when to look: custom resources come and
 * go), as kube-apiserver's OpenAPI v3 service caches each group version apart: the hash, Etag and
 * Last-Modified of the others stay as they were.
 */
export function openApiV3(defs: () => readonly ResourceDef[], generation: () => number = () => 0, opts: OpenApiOptions = {}): OpenApiDocs {
  const serverVersion = opts.serverVersion ?? OPENAPI_SERVER_VERSION;
  const now = opts.now ?? (() => new Date());
  let entries = new Map<string, Entry>();
  let byGvk = new Map<string, ObjectSchema>();
  let shared: SharedComponents | undefined;
  let seen = -1;

  /** Regroups the resources after a change; a group version whose resources are the same objects keeps its document. */
  function refresh(): void {
    if (seen === generation()) return;
    seen = generation();
    const current = defs();
    const resources = current.map(apiResource);
    byGvk = kindSchemas(resources);
    // DeleteOptions and WatchEvent list the built-in group versions (the API server's scheme), not the custom ones.
    shared ??= sharedComponents([...groupVersions(resources.filter((r) => !r.unstructured)).values()]);
    const next = new Map<string, Entry>();
    const grouped = groupVersions(resources);
    for (const [key, gv] of grouped) {
      const mine = current.filter((d) => gvPathOf(d.group, d.version) === key);
      const old = entries.get(key);
      const same = old && old.defs.length === mine.length && old.defs.every((d, i) => d === mine[i]);
      next.set(key, same ? old : { defs: mine, gv, changedAt: now() });
    }
    entries = next;
  }

  /** A document's steps (the core group's takes tens of milliseconds in all). */
  function* buildSteps(entry: Entry): Steps<OpenApiDocument> {
    if (!entry.doc) {
      const json = documentJson(yield* documentSteps(entry.gv, byGvk, shared!, serverVersion));
      yield;
      entry.doc = { json, hash: sha512Hex(json), lastModified: entry.changedAt };
    }
    return entry.doc;
  }

  const build = (entry: Entry): OpenApiDocument => runNow(buildSteps(entry));

  return {
    document(gvPath) {
      refresh();
      const entry = entries.get(gvPath.replace(/^\/+|\/+$/g, ''));
      return entry && build(entry);
    },
    async rootJson() {
      refresh();
      for (;;) {
        const missing = [...entries.values()].find((e) => !e.doc);
        if (!missing) break;
        // A turn of the event loop after each step.
        const steps = buildSteps(missing);
        while (!steps.next().done) await new Promise((resolve) => setImmediate(resolve));
        await new Promise((resolve) => setImmediate(resolve));
        refresh();
      }
      const paths: JsonObject = {};
      for (const [key, entry] of entries) paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${entry.doc!.hash}` };
      return documentJson(sortKeys({ paths }));
    },
  };
}

/** One group version's document: its operations as paths, and every named schema they reach as components. */
/** A group version's document, with a pause between its parts. */
function* documentSteps(gv: GroupVersion, byGvk: Map<string, ObjectSchema>, shared: SharedComponents, serverVersion: string): Steps<JsonObject> {
  const { paths, roots } = groupVersionOperations(gv, byGvk, shared);
  const pathItems = pathsJson(paths);
  yield;
  const schemas = componentSchemas(roots);
  yield;
  // Operation references must resolve too.
  for (const name of collectRefs(pathItems)) if (!schemas[name]) throw new Error(`openapi: operation refers to ${name}, which has no schema`);
  return {
    components: {
      schemas,
      securitySchemes: { BearerToken: { description: 'Bearer Token authentication', in: 'header', name: 'authorization', type: 'apiKey' } },
    },
    info: { title: 'Kubernetes', version: serverVersion },
    openapi: '3.0.0',
    paths: pathItems,
  };
}
