// PATCH: JSON patch, merge patch, strategic merge patch and server-side apply, applied to the
// current object inside the store's compare-and-swap loop.
import { badRequest, invalid, isNotFound, unsupportedMediaType } from '../../api/errors.js';
import { forbidden, required } from '../../api/field-errors.js';
import { yieldToEventLoop } from '../../api/event-loop.js';
import { apiVersionOf, formatTime, isObject, type KubeObject } from '../../api/meta.js';
import type { ObjectSchema } from '../../api/schema.js';
import type { Registry } from '../../registry/registry.js';
import type { Store } from '../../registry/store.js';
import { mediaType, parseJson, readBody } from '../body.js';
import { parseYaml } from '../decode-thread.js';
import { DecodeError } from '../yaml-text.js';
import type { RequestContext } from '../context.js';
import { parseFieldValidation, validateFields, validateMergedFields } from '../field-validation.js';
import { applyJsonPatch } from '../patch/json-patch.js';
import { applyMergePatch } from '../patch/merge-patch.js';
import { applyStrategicMergePatch } from '../patch/strategic-merge.js';
import { dryRunOf, writeContext } from './options.js';
import { checkKind } from '../decode-object.js';

export const PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml', 'application/strategic-merge-patch+json'];

export interface ParsedPatch {
  type: string;
  body: unknown;
}

export async function readPatch(rc: RequestContext, registry: Registry): Promise<ParsedPatch> {
  const type = mediaType(rc.req.headers['content-type']);
  if (!PATCH_TYPES.includes(type)) throw unsupportedMediaType(PATCH_TYPES.join(', '));
  const text = (await readBody(rc.req)).toString('utf8');
  try {
    const body = type === 'application/apply-patch+yaml' ? await parseYaml(registry, text) : parseJson(text);
    if (type === 'application/json-patch+json' ? !Array.isArray(body) : !isObject(body)) {
      throw badRequest(type === 'application/json-patch+json' ? 'json: cannot unmarshal object into Go value of type jsonpatch.Patch' : 'error decoding patch: the patch must be a JSON object');
    }
    rc.audit?.requestPatch(body);
    return { type, body };
  } catch (err) {
    if (err instanceof DecodeError) throw badRequest(`error decoding patch: ${err.message}`);
    throw err;
  }
}

/** The object after applying a patch of the given type. */
export function patchObject(current: KubeObject, patch: ParsedPatch, schema: ObjectSchema | undefined): KubeObject {
  let result: unknown;
  switch (patch.type) {
    case 'application/json-patch+json':
      result = applyJsonPatch(current, patch.body);
      break;
    case 'application/merge-patch+json':
      result = applyMergePatch(current, patch.body);
      break;
    default:
      result = applyStrategicMergePatch(current, patch.body, schema);
  }
  if (!isObject(result)) throw badRequest('the patched object is not a JSON object');
  if (!isObject(result.metadata)) result.metadata = {};
  return result as KubeObject;
}

export async function applyPatch(rc: RequestContext, registry: Registry, store: Store, namespace: string, subresource: string): Promise<{ object: KubeObject; created: boolean }> {
  const q = rc.url.searchParams;
  const def = store.def;
  const dryRun = dryRunOf(q, 'PatchOptions');
  const mode = parseFieldValidation(q.get('fieldValidation'));
  const patch = await readPatch(rc, registry);
  const apply = patch.type === 'application/apply-patch+yaml';
  const manager = q.get('fieldManager') ?? '';
  if (apply && !manager) {
    throw invalid('meta.k8s.io', 'PatchOptions', '', [required('fieldManager', 'is required for apply patch')]);
  }
  if (!apply && q.has('force')) {
    throw invalid('meta.k8s.io', 'PatchOptions', '', [forbidden('force', 'may not be specified for non-apply patch')]);
  }
  const ctx = writeContext(rc, 'PatchOptions');
  const force = ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(q.get('force') ?? '');
  const expected = { group: def.group, version: def.version, kind: def.kind };
  const warnings = new Set<string>();
  const smp = patch.type === 'application/strategic-merge-patch+json';
  const finish = (obj: KubeObject): KubeObject => {
    // Types first: a patch may have made apiVersion or kind something other than a string.
    const found = smp ? validateMergedFields(obj, def.schema, mode, patch.body) : validateFields(obj, def.schema, mode);
    checkKind(obj, registry.schemaFor, expected);
    for (const w of found) warnings.add(w);
    return obj;
  };
  // Server-side apply merges the configuration under its manager's ownership (registry/fieldmanager/).
  const applied = (live: KubeObject) => store.fields.apply(live, structuredClone(patch.body) as KubeObject, manager, force, subresource, formatTime(ctx.clock.now()));
  try {
    // The patch and the checks of its result are two steps, with a turn of the event loop between.
    const mutate = async (cur: KubeObject) => {
      const patched = apply ? await applied(cur) : patchObject(cur, patch, def.schema);
      await yieldToEventLoop();
      return finish(patched);
    };
    const object = await store.guaranteedUpdate(ctx, namespace, rc.info.name, mutate, { dryRun, subresource, applied: apply });
    rc.warnings.push(...warnings);
    return { object, created: false };
  } catch (err) {
    if (!apply || !isNotFound(err) || subresource) throw err;
    const body = patch.body as KubeObject;
    // Created at the name authorization decided on, never at another the body names.
    if (isObject(body.metadata) && body.metadata.name && body.metadata.name !== rc.info.name) {
      throw badRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${rc.info.name})`);
    }
    const empty: KubeObject = { apiVersion: apiVersionOf(def.group, def.version), kind: def.kind, metadata: { name: rc.info.name, ...(def.namespaced ? { namespace } : {}) } };
    const obj = finish(await applied(empty));
    obj.metadata.name = rc.info.name;
    const object = await store.create(ctx, namespace, obj, { dryRun, applied: true });
    rc.warnings.push(...warnings);
    return { object, created: true };
  }
}
