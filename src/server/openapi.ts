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
import { apiResource, groupVersionOperations, groupVersions, kindSchemas, type GroupVersion } from './openapi/resource-operations.js';
import { componentSchemas } from './openapi/schema-json.js';

export interface OpenApiDocs {
  /** The /openapi/v3 discovery document: one serverRelativeURL (with ?hash=) per group version. */
  root(): object;
  /** The root document as served. */
  rootJson: string;
  /** The serialized document of one group version ('api/v1', 'apis/apps/v1') and its hash. */
  document(gvPath: string): { json: string; hash: string } | undefined;
  /** When the documents count as last modified (Last-Modified of the GV documents). */
  lastModified: Date;
}

export interface OpenApiOptions {
  /** info.version; defaults to the version Badge reports. */
  serverVersion?: string;
  /** When the documents count as last modified (Last-Modified of the GV documents). */
  now?: Date;
}

export const OPENAPI_SERVER_VERSION = 'v1.32.2';

export function buildOpenApi(defs: readonly ResourceDef[], opts: OpenApiOptions = {}): OpenApiDocs {
  const serverVersion = opts.serverVersion ?? OPENAPI_SERVER_VERSION;
  const lastModified = opts.now ?? new Date();
  const resources = defs.map(apiResource);
  const byGvk = kindSchemas(resources);
  const gvs = groupVersions(resources);
  const shared = sharedComponents([...gvs.values()]);

  const docs = new Map<string, { json: string; hash: string }>();
  for (const [key, gv] of gvs) {
    const json = documentJson(buildDocument(gv, byGvk, shared, serverVersion));
    docs.set(key, { json, hash: sha512Hex(json) });
  }

  const rootPaths: JsonObject = {};
  for (const [key, doc] of docs) rootPaths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${doc.hash}` };
  const root = sortKeys({ paths: rootPaths }) as JsonObject;
  return {
    root: () => structuredClone(root),
    rootJson: documentJson(root),
    document: (gvPath: string) => docs.get(gvPath.replace(/^\/+|\/+$/g, '')),
    lastModified,
  };
}

/** One group version's document: its operations as paths, and every named schema they reach as components. */
function buildDocument(gv: GroupVersion, byGvk: Map<string, ObjectSchema>, shared: SharedComponents, serverVersion: string): JsonObject {
  const { paths, roots } = groupVersionOperations(gv, byGvk, shared);
  const pathItems = pathsJson(paths);
  const schemas = componentSchemas(roots);
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
