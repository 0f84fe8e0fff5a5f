// The OpenAPI v2 (Swagger 2.0) document kube-apiserver serves at /openapi/v2: one document for every
// group version, from the same operations and schemas as the v3 documents (resource-operations.ts,
// schema-json.ts), written as kube-openapi's v2 builder writes them (v2-paths.ts).
//
// What kubectl reads from it (kubectl 1.27 and 1.28 always; later ones for what v3 does not settle):
// - client-side validation (kubectl/pkg/validation, kube-openapi pkg/util/proto): the definition
//   whose x-kubernetes-group-version-kind names the kind, its properties, required fields and
//   types; every $ref must resolve, or the whole document is refused;
// - whether a kind takes fieldValidation (cli-runtime query_param_verifier.go): the first patch
//   operation whose x-kubernetes-group-version-kind names it must list the parameter;
// - explain (1.27, 1.28) and the three-way patch of apply and edit (x-kubernetes-patch-strategy and
//   x-kubernetes-patch-merge-key).
import type { ObjectSchema } from '../../api/schema.js';
import { sharedComponents } from './components.js';
import { collectRefs, REF_V2, type JsonObject } from './json.js';
import type { Op } from './operations.js';
import { groupVersionOperations, groupVersions, kindSchemas, type ApiResource } from './resource-operations.js';
import { componentSchemas, V2 } from './schema-json.js';
import { shareParameters } from './v2-parameters.js';
import { pathsJsonV2 } from './v2-paths.js';

export function buildOpenApiV2(resources: ApiResource[], serverVersion: string): JsonObject {
  const byGvk = kindSchemas(resources);
  const gvs = [...groupVersions(resources).values()];
  const shared = sharedComponents(gvs);
  const paths = new Map<string, Op[]>();
  const roots: ObjectSchema[] = [];
  for (const gv of gvs) {
    const ops = groupVersionOperations(gv, byGvk, shared);
    for (const [path, pathOps] of ops.paths) paths.set(path, pathOps);
    roots.push(...ops.roots);
  }
  const definitions = componentSchemas(roots, V2);
  const pathItems = pathsJsonV2(paths);
  for (const name of collectRefs(pathItems, REF_V2)) if (!definitions[name]) throw new Error(`openapi v2: operation refers to ${name}, which has no definition`);
  const parameters = shareParameters(pathItems);
  return {
    definitions,
    info: { title: 'Kubernetes', version: serverVersion },
    parameters,
    paths: pathItems,
    security: [{ BearerToken: [] }],
    securityDefinitions: { BearerToken: { description: 'Bearer Token authentication', in: 'header', name: 'authorization', type: 'apiKey' } },
    swagger: '2.0',
  };
}
