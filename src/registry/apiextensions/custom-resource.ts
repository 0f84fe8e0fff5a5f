// A custom resource is one more ResourceDef, made at run time from its CustomResourceDefinition:
// one per served version, sharing the objects stored in the storage version (conversion None:
// only apiVersion differs). Decoding prunes unknown fields (custom-prune.ts, through the schema's
// `unstructured` mark); writes and reads default (custom-defaults.ts); writes validate
// (custom-validate.ts); Tables come from the printer columns (custom-columns.ts), /scale from the
// scale paths (custom-scale.ts).
import { ApiError } from '../../api/errors.js';
import { invalid, type FieldError } from '../../api/field-errors.js';
import { goTypeName } from '../../api/json-values.js';
import { apiVersionOf, deepEqual, isObject, type KubeObject } from '../../api/meta.js';
import type { ObjectSchema } from '../../api/schema.js';
import type { OpContext } from '../../api/operations.js';
import type { ResourceDef } from '../resource.js';
import { applyDefaults, pruneNulls } from './custom-defaults.js';
import { customTable, parsePath, valueAt } from './custom-columns.js';
import { pruneUnknown } from './custom-prune.js';
import { customScale } from './custom-scale.js';
import { kindSchema } from './custom-schema.js';
import type { Crd, CrdSchema, CrdVersion } from '../../api/crd.js';
import { validateCustomResource, type CustomValidateOptions } from './custom-validate.js';

const MAX_INT32 = 2 ** 31 - 1;

/** What discovery lists for a custom resource, and while its definition is terminating (customresource_discovery_controller.go). */
const VERBS = ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'];
const TERMINATING_VERBS = ['delete', 'deletecollection', 'get', 'list', 'watch'];

/** Whether a CRD's custom resources are served: its condition Established is True (controllers/crd-status.ts sets it). */
export function isServable(crd: Crd): boolean {
  return conditionTrue(crd, 'Established');
}

const conditionTrue = (crd: Crd, type: string): boolean => crd.status?.conditions?.some((c) => c.type === type && c.status === 'True') ?? false;

/** Kubernetes' version priority: GA before beta before alpha, higher numbers first, then others by name. */
export function compareVersions(a: string, b: string): number {
  const rank = (v: string): [number, number, number, string] => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [3, 0, 0, v];
    return [m[2] === 'alpha' ? 2 : m[2] === 'beta' ? 1 : 0, -Number(m[1]), -Number(m[3] ?? 0), v];
  };
  const [x, y] = [rank(a), rank(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
  return x[3] < y[3] ? -1 : x[3] > y[3] ? 1 : 0;
}

/** The Warning a deprecated version's requests get (the CRD's own text, or the default). */
function deprecationWarning(crd: Crd, v: CrdVersion): string | undefined {
  if (!v.deprecated) return undefined;
  if (v.deprecationWarning) return v.deprecationWarning;
  const { group } = crd.spec;
  const kind = crd.spec.names.kind;
  const text = `${group}/${v.name} ${kind} is deprecated`;
  const newer = crd.spec.versions.filter((o) => o.served && !o.deprecated).sort((a, b) => compareVersions(a.name, b.name))[0];
  return newer && compareVersions(newer.name, v.name) < 0 ? `${text}; use ${group}/${newer.name} ${kind}` : text;
}

/** Go's %v of an unstructured JSON value (near enough for scalars, which is what replicas hold). */
const goText = (v: unknown): string => (v === null ? '<nil>' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** Go's %v of a selectable field's value; "" when absent. */
const fieldText = (v: unknown): string => (v === undefined || v === null ? '' : goText(v));

/** The ResourceDefs of a CRD's served versions (none when it is not servable). */
export function customResourceDefs(crd: Crd, opts: CustomValidateOptions = {}): ResourceDef[] {
  if (!isServable(crd)) return [];
  const storage = crd.spec.versions.find((v) => v.storage) ?? crd.spec.versions[0];
  if (!storage) return [];
  const built = new Map<string, ResourceDef>();
  const storageDef = () => built.get(storage.name) ?? (built.set(storage.name, versionDef(crd, storage, undefined, opts)), built.get(storage.name)!);
  const defs: ResourceDef[] = [];
  // In priority order: the first is the group's preferred version.
  for (const v of [...crd.spec.versions].sort((a, b) => compareVersions(a.name, b.name))) {
    if (!v.served) continue;
    const def = v === storage ? storageDef() : versionDef(crd, v, storageDef, opts);
    defs.push(def);
  }
  return defs;
}

function versionDef(crd: Crd, v: CrdVersion, storedIn: (() => ResourceDef) | undefined, opts: CustomValidateOptions): ResourceDef {
  const { group, names } = crd.spec;
  const root: CrdSchema = v.schema?.openAPIV3Schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  const selectable = (v.selectableFields ?? []).map((f) => f.jsonPath);
  const schema: ObjectSchema = kindSchema(group, v.name, names.kind, root, selectable.map((p) => p.replace(/^\./, '')));
  const subresources = v.subresources ?? {};
  const hasStatus = subresources.status !== undefined && subresources.status !== null;
  const scale = subresources.scale ?? undefined;
  const terminating = conditionTrue(crd, 'Terminating');
  const apiVersion = apiVersionOf(group, v.name);

  const coerce = (obj: KubeObject) => {
    pruneUnknown(obj, schema);
    pruneNulls(obj, root);
    applyDefaults(obj, root);
  };
  /** ValidateScaleSpec and ValidateScaleStatus: the replicas read as unstructured.NestedInt64 reads them. */
  const scaleErrors = (obj: KubeObject): FieldError[] => {
    if (!scale) return [];
    const errs: FieldError[] = [];
    for (const path of [scale.specReplicasPath, scale.statusReplicasPath]) {
      const steps = parsePath(path);
      const value = steps ? valueAt(obj, steps) : undefined;
      if (value === undefined) continue;
      if (typeof value !== 'number' || !Number.isInteger(value)) errs.push(invalid(path, 0, `${path} accessor error: ${goText(value)} is of the type ${goTypeName(value)}, expected int64`));
      else if (value < 0) errs.push(invalid(path, value, 'should be a non-negative integer'));
      else if (value > MAX_INT32) errs.push(invalid(path, value, `should be less than or equal to ${MAX_INT32}`));
    }
    return errs;
  };
  const validateAll = (obj: KubeObject, old: KubeObject | undefined, ctx: OpContext) => validateCustomResource(obj, root, '', old, opts, scaleErrors(obj), ctx.warnings);
  /** Without the type meta and metadata (and status when it is a subresource): what bumps generation. */
  const content = (o: KubeObject) => {
    const { apiVersion: _a, kind: _k, metadata: _m, ...rest } = o;
    if (hasStatus) delete rest.status;
    return rest;
  };

  return {
    group,
    version: v.name,
    kind: names.kind,
    resource: names.plural,
    singular: names.singular || names.kind.toLowerCase(),
    ...(names.shortNames?.length ? { shortNames: [...names.shortNames] } : {}),
    ...(names.categories?.length ? { categories: [...names.categories] } : {}),
    namespaced: crd.spec.scope === 'Namespaced',
    discoveryVerbs: terminating ? TERMINATING_VERBS : VERBS,
    schema,
    // CRDRESTOptionsGetter: the group and the plural.
    storagePrefix: `${group}/${names.plural}`,
    unstructured: true,
    hasGeneration: true,
    hasStatus,
    specChanged: (obj, old) => !deepEqual(content(obj), content(old)),
    ...(deprecationWarning(crd, v) ? { warning: deprecationWarning(crd, v) } : {}),
    ...(storedIn
      ? {
          storedAs: {
            def: storedIn,
            toStored: (obj: KubeObject) => ({ ...obj, apiVersion: apiVersionOf(group, storedIn().version) }),
            fromStored: (obj: KubeObject) => ({ ...obj, apiVersion }),
          },
        }
      : {}),
    defaults: coerce,
    read: coerce,
    begin: async (w) => {
      // kube-apiserver answers before it reads the body; a create is the only write refused.
      if (terminating && w.operation === 'CREATE') {
        throw new ApiError(405, 'MethodNotAllowed', 'create not allowed while custom resource definition is terminating', { group, kind: names.plural });
      }
    },
    validate: (obj, ctx) => validateAll(obj, undefined, ctx),
    validateUpdate: (obj, old, ctx, sub) => {
      if (sub !== 'status') return validateAll(obj, old, ctx);
      const statusSchema = root.properties?.status;
      return statusSchema && obj.status !== undefined ? validateCustomResource(obj.status, statusSchema, 'status', old.status, opts, scaleErrors(obj)) : scaleErrors(obj);
    },
    fields: Object.fromEntries(
      selectable.map((p) => {
        const steps = parsePath(p) ?? [];
        return [p.replace(/^\./, ''), (o: KubeObject) => fieldText(valueAt(o, steps))];
      }),
    ),
    table: customTable(v.additionalPrinterColumns),
    ...(scale ? { subresources: { scale: customScale(scale) } } : {}),
  };
}

/** The CRD an object of a watch event is, when it is one. */
export function asCrd(obj: unknown): Crd | undefined {
  return isObject(obj) && isObject(obj.spec) && isObject(obj.spec.names) && Array.isArray(obj.spec.versions) ? (obj as unknown as Crd) : undefined;
}
