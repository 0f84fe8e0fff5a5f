// An operation of a document, before it is JSON: what kube-openapi's builder3 derives from a route
// (operation id, tag, x-kubernetes-action and group-version-kind, parameters, bodies, responses),
// and how the operations of one path become a path item.
import { REF, type JsonObject } from './json.js';
import { dedupe, paramJson, paramKey, sortParams, type Param } from './parameters.js';

type Action = 'get' | 'list' | 'post' | 'put' | 'patch' | 'delete' | 'deletecollection' | 'watch' | 'watchlist';
type Method = 'get' | 'put' | 'post' | 'patch' | 'delete';

export interface Gvk {
  group: string;
  version: string;
  kind: string;
}

export interface Op {
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

export const SINGLE_TYPES = ['application/json', 'application/vnd.kubernetes.protobuf', 'application/yaml'];
export const STREAM_TYPES = [
  'application/json',
  'application/json;stream=watch',
  'application/vnd.kubernetes.protobuf',
  'application/vnd.kubernetes.protobuf;stream=watch',
  'application/yaml',
];
export const PATCH_TYPES = ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'];
const STATUS_TEXT: Record<string, string> = { '200': 'OK', '201': 'Created', '202': 'Accepted', '401': 'Unauthorized' };

function content(types: string[], component: string): JsonObject {
  const out: JsonObject = {};
  for (const t of types) out[t] = { schema: { $ref: REF + component } };
  return out;
}

export function responses(codes: string[], types: string[], component: string): JsonObject {
  const out: JsonObject = {};
  for (const code of codes) out[code] = { content: content(types, component), description: STATUS_TEXT[code]! };
  out['401'] = { description: STATUS_TEXT['401']! };
  return out;
}

export const body = (component: string, types = ['*/*'], required = true): JsonObject => ({
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

export const upperFirst = (s: string) => (s === '' ? s : s[0]!.toUpperCase() + s.slice(1));

export interface GvNames {
  /** e.g. CoreV1, RbacAuthorizationV1 */
  opInfix: string;
  /** e.g. core_v1, rbacAuthorization_v1 */
  tag: string;
  /** e.g. /api/v1, /apis/apps/v1 */
  prefix: string;
}

export function gvNames(group: string, version: string): GvNames {
  const g = group === '' ? 'core' : group.replace(/\.k8s\.io$/, '');
  return {
    opInfix: operationIdPart(g, true) + operationIdPart(version, true),
    tag: `${operationIdPart(g, false)}_${operationIdPart(version, false)}`,
    prefix: group === '' ? `/api/${version}` : `/apis/${group}/${version}`,
  };
}

export const gvkKey = (g: Gvk) => `${g.group}/${g.version}/${g.kind}`;
export const article = (word: string) => (/^[AEIOU]/.test(word) ? 'an' : 'a');

/** The paths of a document: the parameters every operation of a path shares hoisted to the path (kube-openapi builder3). */
export function pathsJson(paths: Map<string, Op[]>): JsonObject {
  const out: JsonObject = {};
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
    out[path] = item;
  }
  return out;
}
