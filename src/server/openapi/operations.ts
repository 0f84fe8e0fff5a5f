// An operation of a document, before it is JSON: what kube-openapi's builders derive from a route
// (operation id, tag, x-kubernetes-action and group-version-kind, parameters, bodies, responses),
// and how the operations of one path become a v3 path item (v2-paths.ts makes the v2 one).
import { REF, type JsonObject } from './json.js';
import { dedupe, paramJson, paramKey, sortParams, type Param } from './parameters.js';

type Action = 'get' | 'list' | 'post' | 'put' | 'patch' | 'delete' | 'deletecollection' | 'watch' | 'watchlist';
type Method = 'get' | 'put' | 'post' | 'patch' | 'delete';

export interface Gvk {
  group: string;
  version: string;
  kind: string;
}

/** A request body: its schema, the media types it may be sent as, and whether it must be. */
export interface Body {
  component: string;
  types: string[];
  required: boolean;
}

/** The replies: their status codes (401 is added), media types and schema. */
export interface Replies {
  codes: string[];
  types: string[];
  component: string;
}

export interface Op {
  method: Method;
  description: string;
  operationId: string;
  params: Param[];
  requestBody?: Body;
  responses: Replies;
  /** What the route consumes when it takes no body (v2 lists it for every operation): any type by default. */
  consumes?: string[];
  tag: string;
  action?: Action;
  gvk?: Gvk;
}

// The media types in the order kube-apiserver's routes list them (v2 keeps it; v3 sorts them).
export const SINGLE_TYPES = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];
export const STREAM_TYPES = [...SINGLE_TYPES, 'application/json;stream=watch', 'application/vnd.kubernetes.protobuf;stream=watch'];
export const PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'];
export const STATUS_TEXT: Record<string, string> = { '200': 'OK', '201': 'Created', '202': 'Accepted', '401': 'Unauthorized' };

export const responses = (codes: string[], types: string[], component: string): Replies => ({ codes, types, component });

export const body = (component: string, types = ['*/*'], required = true): Body => ({ component, types, required });

function content(types: string[], component: string): JsonObject {
  const out: JsonObject = {};
  for (const t of types) out[t] = { schema: { $ref: REF + component } };
  return out;
}

function responsesJson(r: Replies): JsonObject {
  const out: JsonObject = {};
  for (const code of r.codes) out[code] = { content: content(r.types, r.component), description: STATUS_TEXT[code]! };
  out['401'] = { description: STATUS_TEXT['401']! };
  return out;
}

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

/** The parameters every operation of a path shares, which both builders hoist to the path, and each operation's own. */
export function hoistParams(ops: Op[]): { common: Param[]; own(op: Op): Param[] } {
  const count = new Map<string, number>();
  for (const op of ops) for (const p of op.params) count.set(paramKey(p), (count.get(paramKey(p)) ?? 0) + 1);
  const shared = new Set([...count].filter(([, n]) => n === ops.length).map(([k]) => k));
  return {
    common: dedupe(ops.flatMap((op) => op.params.filter((p) => shared.has(paramKey(p))))),
    own: (op) => op.params.filter((p) => !shared.has(paramKey(p))),
  };
}

/** The fields both versions give an operation: its tag, action and group-version-kind. */
export function operationExtras(op: Op): JsonObject {
  const o: JsonObject = { tags: [op.tag] };
  if (op.action) o['x-kubernetes-action'] = op.action;
  if (op.gvk) o['x-kubernetes-group-version-kind'] = { group: op.gvk.group, kind: op.gvk.kind, version: op.gvk.version };
  return o;
}

/** The paths of a v3 document (kube-openapi builder3). */
export function pathsJson(paths: Map<string, Op[]>): JsonObject {
  const out: JsonObject = {};
  for (const [path, ops] of paths) {
    const { common, own } = hoistParams(ops);
    const item: JsonObject = {};
    if (common.length > 0) item.parameters = sortParams(common).map(paramJson);
    for (const op of ops) {
      if (item[op.method]) throw new Error(`openapi: two ${op.method} operations on ${path}`);
      const o: JsonObject = { description: op.description, operationId: op.operationId };
      const params = own(op);
      if (params.length > 0) o.parameters = sortParams(params).map(paramJson);
      if (op.requestBody) o.requestBody = { content: content(op.requestBody.types, op.requestBody.component), ...(op.requestBody.required ? { required: true } : {}) };
      o.responses = responsesJson(op.responses);
      item[op.method] = { ...o, ...operationExtras(op) };
    }
    out[path] = item;
  }
  return out;
}
