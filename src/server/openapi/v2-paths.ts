// How the operations of one path become a Swagger 2.0 path item, as kube-openapi's v2 builder
// (pkg/builder) writes them: each operation lists what it consumes and produces and its schemes, the
// body is a parameter, parameters are sorted by name then location, replies name their schema.
import { REF_V2, type JsonObject } from './json.js';
import { hoistParams, operationExtras, STATUS_TEXT, type Op } from './operations.js';
import type { Param } from './parameters.js';

/** A non-body parameter: its type beside its name rather than in a schema. */
function paramJson(p: Param): JsonObject {
  const out: JsonObject = { description: p.description, in: p.in, name: p.name };
  if (p.required) out.required = true;
  out.type = p.schema.type;
  out.uniqueItems = true;
  return out;
}

/** kube-openapi builder sortParameters: by name, then by location. */
const byNameIn = (a: JsonObject, b: JsonObject): number => {
  const [an, bn, ai, bi] = [a.name as string, b.name as string, a.in as string, b.in as string];
  return an < bn ? -1 : an > bn ? 1 : ai < bi ? -1 : ai > bi ? 1 : 0;
};

function responsesJson(op: Op): JsonObject {
  const out: JsonObject = {};
  for (const code of op.responses.codes) out[code] = { description: STATUS_TEXT[code]!, schema: { $ref: REF_V2 + op.responses.component } };
  out['401'] = { description: STATUS_TEXT['401']! };
  return out;
}

function operationJson(op: Op, own: Param[]): JsonObject {
  const params = own.map(paramJson);
  const b = op.requestBody;
  if (b) params.push({ in: 'body', name: 'body', ...(b.required ? { required: true } : {}), schema: { $ref: REF_V2 + b.component } });
  const o: JsonObject = {
    consumes: b?.types ?? op.consumes ?? ['*/*'],
    description: op.description,
    operationId: op.operationId,
  };
  if (params.length > 0) o.parameters = params.sort(byNameIn);
  o.produces = op.responses.types;
  o.responses = responsesJson(op);
  o.schemes = ['https'];
  return { ...o, ...operationExtras(op) };
}

/** The paths of the v2 document; the parameters every operation of a path shares are the path's. */
export function pathsJsonV2(paths: Map<string, Op[]>): JsonObject {
  const out: JsonObject = {};
  for (const [path, ops] of paths) {
    const { common, own } = hoistParams(ops);
    const item: JsonObject = {};
    if (common.length > 0) item.parameters = common.map(paramJson).sort(byNameIn);
    for (const op of ops) {
      if (item[op.method]) throw new Error(`openapi: two ${op.method} operations on ${path}`);
      item[op.method] = operationJson(op, own(op));
    }
    out[path] = item;
  }
  return out;
}
